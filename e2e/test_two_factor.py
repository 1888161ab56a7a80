"""Two-factor authentication in chromium, with codes from pyotp as a phone's authenticator app
would make them: set up from the QR code page, sign in with a code, then with a recovery code."""
import base64
import time

import pyotp
import pytest
from selenium.webdriver.common.by import By

from conftest import DEMO_PASSWORD, start_server, stop_server, submit
from test_sign_in_and_roles import sign_in

EMAIL = "partnership.analyst@demo.lantern.example"


@pytest.fixture(scope="module")
def own_server():
    # Its own server: setting up a second factor changes how this demo person signs in.
    url, proc, data = start_server()
    yield url
    stop_server(proc, data)


def fresh_code(totp, used):
    """The current code, waiting for the next 30-second step if this one was used already."""
    while totp.now() in used:
        time.sleep(1)
    code = totp.now()
    used.add(code)
    return code


def test_set_up_with_the_qr_page_then_sign_in_with_a_code_and_with_a_recovery_code(browser, own_server):
    sign_in(browser, own_server, EMAIL)
    browser.get(own_server + "/account/two-factor")
    submit(browser, "form[action='/account/two-factor/start'] button")
    assert browser.current_url.endswith("/account/two-factor/set-up")
    # The QR code is an SVG image drawn by qrencode, with a text alternative.
    image = browser.find_element(By.CSS_SELECTOR, "img.qr-code")
    assert image.get_attribute("alt")
    source = image.get_attribute("src")
    assert source.startswith("data:image/svg+xml;base64,")
    assert b"<svg" in base64.b64decode(source.split(",", 1)[1])
    secret = browser.find_element(By.ID, "secret").text.replace(" ", "")
    totp = pyotp.TOTP(secret)
    used = set()

    # A wrong first code keeps the page, with an error summary.
    browser.find_element(By.ID, "code").send_keys("000000" if totp.now() != "000000" else "111111")
    submit(browser, "form[action='/account/two-factor/set-up'] button")
    assert "The code is not correct" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text

    browser.find_element(By.ID, "code").send_keys(fresh_code(totp, used))
    submit(browser, "form[action='/account/two-factor/set-up'] button")
    codes = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10

    submit(browser, "form[action='/sign-out'] button")
    sign_in_to_code_page(browser, own_server)
    browser.find_element(By.ID, "code").send_keys(fresh_code(totp, used))
    submit(browser, "form[action='/sign-in/two-factor'] button")
    assert browser.current_url.endswith("/home")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Home"

    submit(browser, "form[action='/sign-out'] button")
    sign_in_to_code_page(browser, own_server)
    browser.find_element(By.ID, "code").send_keys(codes[0])
    submit(browser, "form[action='/sign-in/two-factor'] button")
    assert browser.current_url.endswith("/home")
    assert "You have 9 left" in browser.page_source

    # The used recovery code does not work again.
    submit(browser, "form[action='/sign-out'] button")
    sign_in_to_code_page(browser, own_server)
    browser.find_element(By.ID, "code").send_keys(codes[0])
    submit(browser, "form[action='/sign-in/two-factor'] button")
    assert "The code is not correct" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text


def sign_in_to_code_page(browser, server):
    browser.get(server + "/sign-in")
    browser.find_element(By.ID, "email").send_keys(EMAIL)
    browser.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    submit(browser, "form[action='/sign-in'] button[type=submit]")
    assert browser.current_url.endswith("/sign-in/two-factor")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Enter your security code"
