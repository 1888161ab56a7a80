"""Each demo role signs in, lands on its home page, is refused another role's page, and signs out."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_PASSWORD

# role -> (demo email, role name shown, a page it may open, a page it must be refused)
ROLES = {
    "administrator": ("administrator@demo.lantern.example", "Administrator", "/admin/users", "/no-page-for-admin"),
    "safeguarding_lead": ("safeguarding.lead@demo.lantern.example", "Safeguarding lead", "/home", "/admin/users"),
    "caseworker": ("caseworker@demo.lantern.example", "Caseworker", "/home", "/audit"),
    "procurement_officer": ("procurement.officer@demo.lantern.example", "Procurement officer", "/home", "/admin/organisation"),
    "contract_manager": ("contract.manager@demo.lantern.example", "Contract manager", "/home", "/admin/teams"),
    "training_manager": ("training.manager@demo.lantern.example", "Training manager", "/home", "/audit"),
    "auditor": ("auditor@demo.lantern.example", "Auditor", "/audit", "/admin/users"),
    "partnership_analyst": ("partnership.analyst@demo.lantern.example", "Partnership analyst", "/home", "/audit"),
    "data_protection_officer": ("data.protection.officer@demo.lantern.example", "Data protection officer", "/privacy", "/cases"),
    "partner": ("partner@demo.lantern.example", "Partner organisation staff", "/returns", "/cases"),
}


def sign_in(browser, server, email, password=DEMO_PASSWORD):
    browser.get(server + "/sign-in")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    # Wait for the page after the form: home (signed in) or the sign-in page with its errors.
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".header__role, .error-summary"))


def sign_out(browser):
    browser.find_element(By.CSS_SELECTOR, "form[action='/sign-out'] button").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/sign-in"))


@pytest.mark.parametrize("role", list(ROLES))
def test_role_signs_in_sees_its_home_is_refused_elsewhere_and_signs_out(browser, server, role):
    email, shown, allowed, refused = ROLES[role]
    sign_in(browser, server, email)
    assert browser.current_url.endswith("/home")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Home"
    assert shown in browser.find_element(By.CSS_SELECTOR, ".header__role").text

    browser.get(server + allowed)
    assert "do not have permission" not in browser.page_source

    if role != "administrator":
        browser.get(server + refused)
        assert browser.find_element(By.TAG_NAME, "h1").text == "You do not have permission to see this page"

    browser.get(server + "/home")
    sign_out(browser)
    browser.get(server + "/home")
    assert "/sign-in" in browser.current_url


def test_wrong_password_shows_an_error_summary_linked_to_the_field(browser, server):
    sign_in(browser, server, "auditor@demo.lantern.example", "wrong password")
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert "Enter a correct email address and password" in summary.text
    link = summary.find_element(By.CSS_SELECTOR, "a")
    assert link.get_attribute("href").endswith("#email")
    assert browser.find_element(By.ID, "email").get_attribute("value") == "auditor@demo.lantern.example"
    assert browser.find_element(By.ID, "password").get_attribute("value") == ""


def test_navigation_shows_only_the_roles_sections(browser, server):
    sign_in(browser, server, "partnership.analyst@demo.lantern.example")
    nav = browser.find_element(By.CSS_SELECTOR, "nav.navigation").text
    assert "Audit log" not in nav and "People" not in nav
    sign_out(browser)
    sign_in(browser, server, "administrator@demo.lantern.example")
    nav = browser.find_element(By.CSS_SELECTOR, "nav.navigation").text
    for section in ("People", "Teams", "Organisation", "Audit log"):
        assert section in nav


def test_keyboard_reaches_the_skip_link_first(browser, server):
    from selenium.webdriver.common.keys import Keys
    browser.get(server + "/sign-in")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "skip-link"
