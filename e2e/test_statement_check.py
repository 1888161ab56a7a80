"""A procurement officer uploads a statement and sees what it covers, with the evidence highlighted."""
import os
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_sign_in_and_roles import sign_in

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def test_upload_a_statement_and_see_evidence_highlighted(browser, server):
    seed = next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith("001_"))
    sign_in(browser, server, "procurement.officer@demo.lantern.example")
    browser.get(server + "/statements")
    browser.find_element(By.ID, "file").send_keys(str(seed))
    browser.find_element(By.CSS_SELECTOR, "form[action='/statements/check'] button").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".evidence__sentence"))
    assert browser.find_element(By.TAG_NAME, "h1").text == seed.name
    facts = browser.find_element(By.CSS_SELECTOR, ".summary-list").text
    assert "Leicestershire County Council" in facts and "Cabinet" in facts
    approval = browser.find_element(By.ID, "approval")
    assert "Met" in approval.text
    marked = approval.find_element(By.CSS_SELECTOR, "mark.evidence__sentence")
    assert "approved by Cabinet" in marked.text
    # Following the link in the verdict table moves to the criterion.
    browser.find_element(By.CSS_SELECTOR, "a[href='#training']").click()
    assert browser.current_url.endswith("#training")
    if os.environ.get("LANTERN_E2E_SCREENSHOTS"):
        (ROOT / "e2e" / "artifacts").mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(ROOT / "e2e" / "artifacts" / "statement-report.png"))


def test_a_file_that_is_not_a_statement_is_refused_with_the_reason(browser, server, tmp_path):
    menu = tmp_path / "menu.txt"
    menu.write_text("Canteen menu: soup and bread.")
    sign_in(browser, server, "contract.manager@demo.lantern.example")
    browser.get(server + "/statements")
    browser.find_element(By.ID, "file").send_keys(str(menu))
    browser.find_element(By.CSS_SELECTOR, "form[action='/statements/check'] button").click()
    summary = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.CSS_SELECTOR, ".error-summary"))
    assert "does not look like a modern slavery statement" in summary.text
