"""Changes that close, remove or publish ask once more (with a reason where one is due), a
concern can be sent to another team, a decision is recorded in one form, and cases are found
by name or reference."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import submit
from test_concerns import click
from test_sign_in_and_roles import sign_in, sign_out


def test_closing_a_case_asks_why_and_then_asks_for_nothing_more(browser, server):
    sign_in(browser, server, "safeguarding.lead@demo.lantern.example")
    browser.get(server + "/cases")
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main table a[href^='/cases/']")]
    # A case with a referral still open cannot be closed: take the first that can.
    for case_url in links:
        browser.get(case_url)
        reference = browser.find_element(By.TAG_NAME, "h1").text
        submit(browser, "#close button[type=submit]")
        if browser.find_element(By.TAG_NAME, "h1").text.startswith("Close case"):
            break
    else:
        raise AssertionError("no demo case could be closed")
    # Confirming without a reason is refused with the reason asked for, focus on the summary.
    submit(browser, "main form button[type=submit]")
    assert browser.title.startswith("Error: ")
    assert "Select why the case is being closed" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    click(browser, "//label[@for='reason-handed_over']")
    submit(browser, "main form button[type=submit]")
    assert browser.current_url.split("#")[0] == case_url
    page = browser.find_element(By.ID, "next-step").text
    assert "Reason: handed over to another organisation or area." in page
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/notes']"), "a closed case asks for nothing more"
    # Found again by its reference, among closed cases too.
    browser.get(server + "/cases")
    browser.find_element(By.ID, "q").send_keys(reference.split()[-1] if reference else "")
    submit(browser, "form[role=search] button[type=submit]")
    assert browser.find_elements(By.CSS_SELECTOR, f"main table a[href='{case_url.replace(server, '')}']")
    sign_out(browser)


def test_a_concern_is_sent_to_another_team_with_the_reason_kept(browser, server):
    sign_in(browser, server, "safeguarding.lead@demo.lantern.example")
    browser.get(server + "/concerns?status=all")
    browser.find_element(By.XPATH, "//table//a[starts-with(., 'MS-')]").click()
    concern_url = browser.current_url
    browser.find_element(By.XPATH, "//summary[contains(., 'Send it to another team')]").click()
    option = browser.find_elements(By.CSS_SELECTOR, "#route input[type=radio]")[0].get_attribute("id")
    browser.find_element(By.CSS_SELECTOR, f"label[for='{option}']").click()
    submit(browser, "form[action$='/route'] button[type=submit]")
    assert "Say why the concern is moving" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_element(By.ID, option).is_selected(), "the choice is kept"
    browser.find_element(By.ID, "reason").send_keys("The person is an adult")
    submit(browser, "form[action$='/route'] button[type=submit]")
    browser.get(concern_url)
    assert "The person is an adult" in browser.page_source
    sign_out(browser)
