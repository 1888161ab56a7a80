"""Keyboard-only journeys (the public report, a case note, a new supplier), the dashboards'
charts with their tables, and staff tables that stack instead of scrolling on a phone."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from test_sign_in_and_roles import sign_in, sign_out


def key(browser, *keys):
    ActionChains(browser).send_keys(*keys).perform()


def tab_to(browser, element_id, limit=400):
    """Presses Tab until the element has focus, as a keyboard user would reach it."""
    for _ in range(limit):
        key(browser, Keys.TAB)
        if browser.switch_to.active_element.get_attribute("id") == element_id:
            return browser.switch_to.active_element
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def choose(browser, radio_id):
    """Tabs into the radio group, then moves to the option with the arrow keys."""
    name = browser.find_element(By.ID, radio_id).get_attribute("name")
    for _ in range(400):
        key(browser, Keys.TAB)
        if browser.switch_to.active_element.get_attribute("name") == name:
            break
    for _ in range(30):
        if browser.switch_to.active_element.get_attribute("id") == radio_id:
            break
        key(browser, Keys.ARROW_DOWN)
    # Space selects the focused option (a group with nothing chosen is entered unselected).
    key(browser, Keys.SPACE)
    assert browser.find_element(By.ID, radio_id).is_selected(), radio_id


def press_button(browser, text):
    for _ in range(400):
        key(browser, Keys.TAB)
        el = browser.switch_to.active_element
        if el.tag_name == "button" and el.text.strip().startswith(text):
            key(browser, Keys.ENTER)
            return
    raise AssertionError(f"no button '{text}' reachable with the Tab key")


def start(browser, url):
    browser.get(url)
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")


def continue_to(browser, heading, button="Continue"):
    press_button(browser, button)
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), heading))
    browser.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")


def test_a_member_of_the_public_reports_a_concern_with_the_keyboard_alone(browser, server):
    start(browser, server + "/report")
    choose(browser, "immediate_danger-no")
    continue_to(browser, "About you")
    choose(browser, "relationship-public_named")
    continue_to(browser, "Who your concern is about")
    choose(browser, "subject-person")
    tab_to(browser, "who").send_keys("A man sleeping in the car wash")
    choose(browser, "age-adult")
    choose(browser, "child_involved-no")
    continue_to(browser, "Where it is happening")
    tab_to(browser, "location").send_keys("Car wash on Mill Lane")
    tab_to(browser, "description").send_keys("He works every day and says he owes money for his travel.")
    continue_to(browser, "Signs you may have noticed")
    continue_to(browser, "Can we contact you?", button="Skip this question")
    choose(browser, "anonymous-yes")
    continue_to(browser, "Check your answers")
    press_button(browser, "Send")
    code = WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "receipt-code")).text
    assert len(code) == 19


def test_a_caseworker_adds_a_case_note_with_the_keyboard_alone(browser, server):
    sign_in(browser, server, "caseworker@demo.lantern.example")
    browser.get(server + "/cases")
    case_link = browser.find_element(By.CSS_SELECTOR, "main table a[href^='/cases/']").get_attribute("href")
    start(browser, case_link)
    for _ in range(400):
        key(browser, Keys.TAB)
        el = browser.switch_to.active_element
        if el.tag_name == "summary" and "Add a note" in el.text:
            key(browser, Keys.ENTER)
            break
    tab_to(browser, "note-text").send_keys("Called from the keyboard: she is safe tonight.")
    press_button(browser, "Add the note")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "notes"), "Called from the keyboard"))
    sign_out(browser)


def test_a_procurement_officer_adds_a_supplier_with_the_keyboard_alone(browser, server):
    sign_in(browser, server, "procurement.officer@demo.lantern.example")
    start(browser, server + "/suppliers/new")
    tab_to(browser, "name").send_keys("Keyboard Cleaning Services Ltd")
    tab_to(browser, "company_number").send_keys("09876543")
    checkbox = tab_to(browser, "sector-cleaning_security")
    key(browser, Keys.SPACE)
    assert checkbox.is_selected()
    tab_to(browser, "countries_operation").send_keys("United Kingdom")
    press_button(browser, "Add")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Keyboard Cleaning Services Ltd"))
    sign_out(browser)


def charts(browser):
    return [(svg.get_attribute("role"), svg.find_element(By.TAG_NAME, "title").get_attribute("textContent"))
            for svg in browser.find_elements(By.CSS_SELECTOR, "main svg.chart")]


def test_the_dashboards_draw_their_figures_beside_the_tables(browser, server):
    sign_in(browser, server, "procurement.officer@demo.lantern.example")
    browser.get(server + "/procurement")
    drawn = charts(browser)
    assert ("img", "Active contracts by modern slavery risk") in drawn
    assert ("img", "Annual reviews due by month") in drawn
    assert browser.find_element(By.ID, "risk-table") and browser.find_element(By.ID, "reviews-by-month")
    sign_out(browser)
    sign_in(browser, server, "training.manager@demo.lantern.example")
    browser.get(server + "/training")
    drawn = charts(browser)
    assert ("img", "Training in date by directorate") in drawn and ("img", "Training in date by team") in drawn
    assert browser.find_element(By.ID, "by-team")
    sign_out(browser)


def test_staff_tables_stack_on_a_phone_instead_of_scrolling_sideways(browser, server):
    sign_in(browser, server, "safeguarding.lead@demo.lantern.example")
    browser.set_window_size(390, 844)
    try:
        for path in ("/cases?show=all", "/concerns?status=all", "/suppliers", "/contracts"):
            browser.get(server + path)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            viewport = browser.execute_script("return document.documentElement.clientWidth")
            assert width <= viewport, f"{path} scrolls sideways: {width} > {viewport}"
            cell = browser.find_element(By.CSS_SELECTOR, "main table tbody td")
            label = browser.execute_script("return getComputedStyle(arguments[0], '::before').content", cell)
            assert label not in ("none", "normal", '""'), f"{path}: cells show no column heading ({label})"
    finally:
        browser.set_window_size(1280, 1000)
        sign_out(browser)


def test_the_contract_forms_supplier_box_suggests_registered_suppliers(browser, server):
    sign_in(browser, server, "contract.manager@demo.lantern.example")
    browser.get(server + "/contracts/new")
    box = browser.find_element(By.ID, "supplier")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.send_keys("bright")
    WebDriverWait(browser, 10).until(lambda d: box.get_attribute("aria-expanded") == "true")
    option = browser.find_element(By.CSS_SELECTOR, "#supplier-suggestions [role=option]")
    assert "Brightway" in option.text
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.send_keys(Keys.ENTER)
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("value") not in ("", "bright"), "choosing fills the box with the supplier"
    sign_out(browser)
