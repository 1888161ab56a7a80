"""The public reporting path and a case's NRM referral, in a real browser: the report form's
proof of work is solved by the page's script, a member of the public reports anonymously and gets a code, a caseworker
replies, the reporter reads the reply with the code; a case goes from that concern to an NRM
referral with positive Reasonable and Conclusive Grounds decisions."""
import re
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import submit
from test_sign_in_and_roles import sign_in

CASEWORKER = "caseworker@demo.lantern.example"


def click(browser, xpath):
    browser.find_element(By.XPATH, xpath).click()


def next_page(browser, heading):
    """Continues to the next page of the report and checks it asks what it should."""
    submit(browser, "main form button[value=next]")
    assert browser.find_element(By.TAG_NAME, "h1").text == heading, browser.find_element(By.TAG_NAME, "h1").text


def report_anonymously(browser, server, description):
    """The public report, a page at a time, as a member of the public fills it in."""
    browser.delete_all_cookies()
    browser.get(server + "/report")
    assert "call 999 now" in browser.page_source
    click(browser, "//label[@for='immediate_danger-no']")
    next_page(browser, "About you")
    click(browser, "//label[@for='relationship-public_named']")
    next_page(browser, "Who your concern is about")
    click(browser, "//label[@for='subject-person']")
    browser.find_element(By.ID, "who").send_keys("A girl, about 14, called Eva")
    click(browser, "//label[@for='age-under_18']")
    click(browser, "//label[@for='child_involved-yes']")
    next_page(browser, "Where it is happening and what you saw")
    browser.find_element(By.ID, "location").send_keys("Nail bar on Station Road")
    browser.find_element(By.ID, "description").send_keys(description)
    next_page(browser, "Signs you may have noticed")
    click(browser, "//summary[contains(., 'Signs specific to children')]")
    click(browser, "//label[@for='ind-child.no_schooling']")
    next_page(browser, "Can we contact you?")
    click(browser, "//label[@for='anonymous-yes']")
    next_page(browser, "Check your answers before sending your report")
    assert "Nail bar on Station Road" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "form[action='/report'] button[type=submit]").click()
    code = WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "receipt-code")).text
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}", code)
    return code


def test_the_browser_solves_the_proof_of_work_in_under_a_second(browser, server):
    times = []
    for _ in range(3):
        browser.delete_all_cookies()
        browser.get(server + "/report")
        started = time.monotonic()
        WebDriverWait(browser, 10, poll_frequency=0.02).until(
            lambda d: d.find_element(By.NAME, "pow_solution").get_attribute("value") != "")
        times.append(time.monotonic() - started)
    times.sort()
    print(f"proof of work solved in {', '.join(f'{t:.3f}' for t in times)} s (median {times[1]:.3f} s)")
    assert times[1] < 1.0


def test_anonymous_report_reply_and_follow_up_with_the_code(browser, server):
    code = report_anonymously(browser, server, "She is there every school day until late at night.")

    # A caseworker in children's social care finds it, acknowledges and replies.
    browser.delete_all_cookies()
    sign_in(browser, server, CASEWORKER)
    browser.get(server + "/concerns")
    browser.find_element(By.XPATH, "//table//a[starts-with(., 'MS-')]").click()
    assert "She is there every school day" in browser.page_source
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Acknowledge')]").click()
    WebDriverWait(browser, 10).until(lambda d: "Concern acknowledged." in d.page_source)
    browser.find_element(By.ID, "body").send_keys("Thank you. Does she arrive with anyone?")
    click(browser, "//label[@for='visibility-to_reporter']")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Send']").click()
    WebDriverWait(browser, 10).until(lambda d: "Reply sent." in d.page_source)

    # The reporter returns with the code, reads the reply and answers.
    browser.delete_all_cookies()
    browser.get(server + "/report/follow-up")
    browser.find_element(By.ID, "code").send_keys(code)
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Continue']").click()
    WebDriverWait(browser, 10).until(lambda d: "Does she arrive with anyone?" in d.page_source)
    browser.find_element(By.ID, "message").send_keys("With an older man in a silver car.")
    browser.find_element(By.XPATH, "//form[@action='/report/messages']//button").click()
    WebDriverWait(browser, 10).until(lambda d: "Your message has been sent." in d.page_source)
    assert "With an older man in a silver car." in browser.page_source


def test_a_case_goes_from_concern_to_nrm_referral_and_positive_decisions(browser, server):
    report_anonymously(browser, server, "Works at the car wash instead of going to school.")
    browser.delete_all_cookies()
    sign_in(browser, server, CASEWORKER)
    browser.get(server + "/concerns?status=to_acknowledge")
    browser.find_element(By.XPATH, "//table//a[starts-with(., 'MS-')]").click()
    browser.find_element(By.XPATH, "//button[starts-with(normalize-space(.), 'Acknowledge')]").click()
    WebDriverWait(browser, 10).until(lambda d: "Concern acknowledged." in d.page_source)
    click(browser, "//label[@for='outcome-open_case']")
    browser.find_element(By.ID, "rationale").send_keys("A child working instead of attending school.")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Record triage']").click()

    WebDriverWait(browser, 10).until(lambda d: "From concern MS-" in d.page_source)
    browser.find_element(By.ID, "first_name").send_keys("Eva")
    browser.find_element(By.ID, "last_name").send_keys("Kowalska")
    browser.find_element(By.ID, "date_of_birth").send_keys("2012-03-14")
    click(browser, "//label[@for='gender-female']")
    browser.find_element(By.ID, "nationality").send_keys("Polish")
    click(browser, "//label[@for='type-forced_to_work']")
    click(browser, "//label[@for='location-uk']")
    browser.find_element(By.ID, "uk_towns").send_keys("Bradford")
    browser.find_element(By.XPATH, "//button[normalize-space(.)='Open the case']").click()
    WebDriverWait(browser, 10).until(lambda d: "Case CASE-" in d.page_source)
    assert "referred without needing consent" in browser.page_source

    click(browser, "//label[@for='kind-nrm']")
    browser.find_element(By.XPATH, "//form[contains(@action, '/notifications')]//button[normalize-space(.)='Start']").click()
    WebDriverWait(browser, 10).until(lambda d: "NRM referral drafted." in d.page_source)

    def move(to, on, reference=""):
        form = browser.find_element(By.XPATH, "//form[contains(@action, '/move')]")
        Select(form.find_element(By.NAME, "to")).select_by_value(to)
        when = form.find_element(By.NAME, "on")
        when.clear()
        when.send_keys(on)
        if reference:
            form.find_element(By.NAME, "reference").send_keys(reference)
        form.find_element(By.XPATH, ".//button").click()

    # Only the moves the lifecycle allows are offered.
    offered = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "form[action*='/move'] select[name=to] option")]
    assert offered == ["", "submitted", "withdrawn"]
    move("submitted", "2026-09-01", "NRM-E2E-0001")
    WebDriverWait(browser, 10).until(lambda d: "NRM referral: Submitted." in d.page_source)
    move("awaiting_rg", "2026-09-01")
    WebDriverWait(browser, 10).until(lambda d: "Awaiting Reasonable Grounds decision." in d.page_source)
    move("rg_positive", "2026-09-05")
    WebDriverWait(browser, 10).until(lambda d: "Positive Reasonable Grounds." in d.page_source)
    move("recovery_period", "2026-09-05")
    WebDriverWait(browser, 10).until(lambda d: "Recovery period." in d.page_source)
    move("awaiting_cg", "2026-09-05")
    WebDriverWait(browser, 10).until(lambda d: "Awaiting Conclusive Grounds decision." in d.page_source)
    move("cg_positive", "2026-10-20")
    WebDriverWait(browser, 10).until(lambda d: "Positive Conclusive Grounds." in d.page_source)
    timeline = browser.find_element(By.ID, "timeline").text
    assert "NRM referral: Positive Conclusive Grounds" in timeline
    assert "NRM referral: Positive Reasonable Grounds" in timeline
