"""A procurement officer imports suppliers and contracts from CSV, assesses a contract as high
risk and finds it on the dashboard."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from test_sign_in_and_roles import sign_in


def submit(browser, form_action):
    browser.find_element(By.CSS_SELECTOR, f"form[action='{form_action}'] button[type='submit']").click()


def test_import_assess_high_and_see_it_on_the_dashboard(browser, server, tmp_path):
    suppliers = tmp_path / "suppliers.csv"
    suppliers.write_text(
        "name,company_number,sector,country,turnover_band\n"
        "Kestrel Garments Ltd,08800881,Textiles,United Kingdom; China,36m_to_60m\n"
        "Wren Office Supplies Ltd,08800882,Retail,United Kingdom,under_36m\n")
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(
        "title,supplier,value,start_date,end_date,category,business_critical\n"
        "Staff uniforms 2027,08800881,85000,2027-01-01,2029-12-31,Garments and footwear,no\n"
        "Stationery,Wren Office Supplies Ltd,\"£12,000\",01/01/2027,31/12/2027,Paper,no\n")

    sign_in(browser, server, "procurement.officer@demo.lantern.example")
    browser.get(server + "/suppliers/import")
    browser.find_element(By.ID, "file").send_keys(str(suppliers))
    submit(browser, "/suppliers/import")
    # The check runs as a job on the shared server, and may wait behind another test's job.
    summary = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, ".summary-list"))
    assert "New suppliers\n2" in summary.text or "New suppliers 2" in summary.text
    browser.find_element(By.XPATH, "//button[contains(., 'Import the file')]").click()
    # The import runs as a job; its page follows it without being reloaded.
    WebDriverWait(browser, 20).until(lambda d: "/jobs/" in d.current_url)
    browser.execute_script("window.__lanternSamePage = true;")
    WebDriverWait(browser, 60).until(lambda d: "Imported suppliers.csv" in d.find_element(By.ID, "job-message").text)
    assert browser.execute_script("return window.__lanternSamePage === true;"), "the page was reloaded"
    assert browser.find_element(By.ID, "job-progress").get_attribute("value") == "100"
    assert browser.find_element(By.LINK_TEXT, "Continue").get_attribute("href").endswith("/suppliers")

    browser.get(server + "/contracts/import")
    browser.find_element(By.ID, "file").send_keys(str(contracts))
    submit(browser, "/contracts/import")
    WebDriverWait(browser, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, ".summary-list"))
    browser.find_element(By.XPATH, "//button[contains(., 'Import the file')]").click()
    WebDriverWait(browser, 60).until(lambda d: "Imported contracts.csv" in d.page_source)

    browser.get(server + "/contracts?q=uniforms+2027")
    browser.find_element(By.LINK_TEXT, "Staff uniforms 2027").click()
    assert "Not assessed" in browser.find_element(By.ID, "risk").text
    browser.find_element(By.LINK_TEXT, "Assess the risk").click()
    # Prefilled from the supplier and the goods list: countries, and the garments in the category.
    assert "China" in browser.find_element(By.ID, "countries").get_attribute("value")
    assert "Garments" in browser.find_element(By.ID, "goods").get_attribute("value")
    browser.find_element(By.ID, "workforce-migrant").click()
    browser.find_element(By.XPATH, "//button[contains(., 'Save the assessment')]").click()
    risk = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "risk"))
    assert "High risk" in risk.text
    assert "Garments from China" in risk.text
    assert "Specimen modern slavery clauses" in risk.text

    browser.get(server + "/procurement")
    browser.find_element(By.XPATH, "//a[contains(., 'High risk')]").click()
    assert "Staff uniforms 2027" in browser.find_element(By.TAG_NAME, "main").text
    assert "risk=high" in browser.current_url


def test_a_bad_import_lists_each_row_and_imports_nothing(browser, server, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("title,supplier,value,start_date\nGritting,Nobody Ltd,9000,2027-01-01\nSalt,04512873,lots,2027-02-30\n")
    sign_in(browser, server, "contract.manager@demo.lantern.example")
    browser.get(server + "/contracts/import")
    browser.find_element(By.ID, "file").send_keys(str(bad))
    submit(browser, "/contracts/import")
    rejected = WebDriverWait(browser, 60).until(lambda d: d.find_element(By.ID, "rejected-rows"))
    assert "Line 2: no supplier is registered" in rejected.text
    assert "Line 3: value 'lots'" in rejected.text and "start_date '2027-02-30'" in rejected.text
    assert not browser.find_elements(By.XPATH, "//button[contains(., 'Import the file')]")
