"""A form answered with its errors moves focus to the error summary and says "Error:" in its
title, and keeps what was typed: here the public follow-up with a code that matches nothing."""
from selenium.webdriver.common.by import By

from conftest import submit


def test_focus_moves_to_the_error_summary_and_the_typed_code_is_kept(browser, server):
    browser.get(server + "/report/follow-up")
    assert "Every view and change is recorded" not in browser.page_source
    browser.find_element(By.ID, "code").send_keys("1234-5678-9012-3456")
    submit(browser, "form[action='/report/follow-up'] button[type=submit]")
    assert browser.title.startswith("Error: Check on your report")
    focused = browser.switch_to.active_element
    assert "error-summary" in focused.get_attribute("class"), focused.get_attribute("outerHTML")[:200]
    assert browser.find_element(By.ID, "code").get_attribute("value") == "1234-5678-9012-3456"
    # The summary's link takes the keyboard to the field.
    focused.find_element(By.CSS_SELECTOR, "a[href='#code']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "code"
