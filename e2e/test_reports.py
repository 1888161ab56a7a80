"""The partnership analyst opens the year report and downloads its CSV, in a real browser."""
import pathlib
import time

from selenium.webdriver.common.by import By

from test_sign_in_and_roles import sign_in


def test_year_report_and_csv_download(browser, server, tmp_path):
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    sign_in(browser, server, "partnership.analyst@demo.lantern.example")
    browser.get(server + "/reports")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Financial year")
    assert "cases opened" in browser.find_element(By.CSS_SELECTOR, "p.lead").text
    chart = browser.find_element(By.CSS_SELECTOR, "svg.chart[role=img]")
    assert chart.find_element(By.TAG_NAME, "desc").get_attribute("textContent")
    assert "fewer than 5" in browser.page_source
    # No names from the demo cases reach the report.
    assert "Jayden" not in browser.page_source and "Ioana" not in browser.page_source
    browser.find_element(By.PARTIAL_LINK_TEXT, "Download these figures").click()
    deadline = time.time() + 20
    files = []
    while time.time() < deadline:
        files = [f for f in pathlib.Path(tmp_path).glob("partnership-statistics-*.csv")]
        if files:
            break
        time.sleep(0.3)
    assert files, "the CSV was not downloaded"
    text = files[0].read_text()
    assert text.startswith("table,category,count,percent_of_known,previous_period")
    assert "Exploitation type" in text and "Jayden" not in text
