"""The data protection officer records a subject access request, confirms identity, searches,
reviews and downloads the copy, in a real browser."""
import json
import pathlib
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import submit
from test_sign_in_and_roles import sign_in


def test_subject_access_from_receipt_to_export(browser, server, tmp_path):
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    sign_in(browser, server, "data.protection.officer@demo.lantern.example")
    browser.get(server + "/privacy/sar/new")
    # A half-filled form keeps what was typed and says what is missing.
    browser.find_element(By.ID, "name").send_keys("Jayden")
    browser.find_element(By.ID, "contact").clear()
    submit(browser, "form[action='/privacy/sar'] button[type=submit]")
    assert "Enter how to send the copy" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Jayden"
    browser.find_element(By.ID, "contact").send_keys("By post to the address on file")
    submit(browser, "form[action='/privacy/sar'] button[type=submit]")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("SAR-")

    browser.find_element(By.ID, "method").send_keys("Driving licence seen in person")
    browser.find_element(By.ID, "verified_on").send_keys(time.strftime("%Y-%m-%d"))
    submit(browser, "form[action$='/identity'] button[type=submit]")
    assert "Identity confirmed" in browser.page_source

    submit(browser, "form[action$='/search'] button[type=submit]")
    # The search runs as a job: its page follows it, then leads back to the request.
    continue_link = WebDriverWait(browser, 30).until(lambda d: [a for a in d.find_elements(By.LINK_TEXT, "Continue") if a.is_displayed()])
    assert "records found" in browser.find_element(By.ID, "job-message").text or "record found" in browser.find_element(By.ID, "job-message").text
    continue_link[0].click()
    found = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "found"))
    assert found
    assert "record" in browser.page_source and "found" in browser.page_source
    items = browser.find_elements(By.CSS_SELECTOR, "input[name='include[]']")
    assert items, "the demo case for Jayden is found"
    submit(browser, "form[action$='/review'] button[type=submit]")
    assert "Review saved" in browser.page_source

    browser.find_element(By.PARTIAL_LINK_TEXT, "JSON, machine-readable").click()
    deadline = time.time() + 20
    files = []
    while time.time() < deadline:
        files = list(pathlib.Path(tmp_path).glob("SAR-*.json"))
        if files:
            break
        time.sleep(0.3)
    assert files, "the copy was not downloaded"
    copy = json.loads(files[0].read_text())
    assert copy["reference"].startswith("SAR-") and copy["records"]
    assert any("Jayden" in line for record in copy["records"] for line in record["lines"])
