"""The session timeout: a warning before it ends that works from the keyboard, and a note
typed on a page left open past the end is kept through signing in again, not lost."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import start_server, stop_server, submit
from test_sign_in_and_roles import sign_in

CASEWORKER = "caseworker@demo.lantern.example"
IDLE_SECONDS = 30  # the warning comes 15 seconds before the end: half the timeout, at most two minutes
NOTE = "Met her at the drop-in and agreed a safe time to call. " * 4


@pytest.fixture(scope="module")
def short_sessions():
    url, proc, data = start_server({"LANTERN_SESSION_IDLE_SECONDS": str(IDLE_SECONDS)})
    yield url
    stop_server(proc, data)


def open_a_case(browser, server):
    browser.get(server + "/cases")
    browser.find_element(By.CSS_SELECTOR, "main table a[href^='/cases/']").click()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "notes-heading")))


def dialog_open(browser):
    return browser.execute_script("return document.getElementById('timeout-warning').open")


def test_the_warning_takes_focus_and_stay_signed_in_works_from_the_keyboard(browser, short_sessions):
    sign_in(browser, short_sessions, CASEWORKER)
    open_a_case(browser, short_sessions)
    assert not dialog_open(browser)
    WebDriverWait(browser, IDLE_SECONDS).until(dialog_open)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "timeout-stay"
    assert "sign you out in" in browser.find_element(By.ID, "timeout-text").text
    assert browser.find_element(By.ID, "timeout-warning").get_attribute("aria-labelledby") == "timeout-heading"
    focused.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: not dialog_open(d))
    # The session was extended: well past the old end, a page still opens signed in.
    time.sleep(IDLE_SECONDS / 2 + 3)
    browser.get(short_sessions + "/home")
    assert "/sign-in" not in browser.current_url


def test_a_note_typed_past_the_end_is_kept_through_signing_in_again(browser, short_sessions):
    sign_in(browser, short_sessions, CASEWORKER)
    open_a_case(browser, short_sessions)
    case_url = browser.current_url
    browser.find_element(By.CSS_SELECTOR, "#notes summary").click()
    browser.find_element(By.ID, "note-text").send_keys(NOTE)
    WebDriverWait(browser, IDLE_SECONDS).until(dialog_open)
    # Let it run out: the dialog says so and leaves the page as it is.
    WebDriverWait(browser, IDLE_SECONDS).until(
        lambda d: d.find_element(By.ID, "timeout-heading").text == "You have been signed out")
    assert browser.switch_to.active_element.get_attribute("id") == "timeout-close"
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: not dialog_open(d))
    assert browser.find_element(By.ID, "note-text").get_attribute("value") == NOTE

    submit(browser, "form[action$='/notes'] button[type=submit]")
    assert "/sign-in" in browser.current_url
    assert "What you sent has been kept" in browser.page_source
    browser.find_element(By.ID, "email").send_keys(CASEWORKER)
    browser.find_element(By.ID, "password").send_keys("e2e-demo-password-2026")
    submit(browser, "form[action='/sign-in'] button[type=submit]")
    assert "/kept-forms/" in browser.current_url
    kept = browser.find_element(By.CSS_SELECTOR, "main textarea")
    assert kept.get_attribute("value") == NOTE
    submit(browser, "main form button.button:not(.button--secondary)")
    assert browser.current_url.split("#")[0].split("?")[0] == case_url.split("#")[0].split("?")[0]
    assert "safe time to call" in browser.find_element(By.ID, "notes").text
