"""The training manager imports HR's staff list and a learning system's completions, sees a bad
file refused line by line with nothing imported, then finds the new people on the dashboard."""
import datetime

from selenium.webdriver.common.by import By

from conftest import submit
from test_sign_in_and_roles import sign_in


def upload(browser, server, kind, path):
    browser.get(server + "/training/import")
    browser.find_element(By.ID, "kind-" + kind).click()
    browser.find_element(By.ID, "file").send_keys(str(path))
    submit(browser, "form[action='/training/import'] button[type=submit]")


def test_training_import_to_dashboard(browser, server, tmp_path):
    sign_in(browser, server, "training.manager@demo.lantern.example")
    staff = tmp_path / "staff.csv"
    staff.write_text("staff_number,name,job_title,directorate,manager_email,start_date\n"
                     "E2001,Rosa Quint,Procurement Officer,Corporate Services,training.manager@demo.lantern.example,2020-01-06\n"
                     "E2002,Omar Vale,Housing Officer,Place,training.manager@demo.lantern.example,2019-05-01\n")
    upload(browser, server, "staff", staff)
    assert "2 people added and 0 updated" in browser.page_source

    bad = tmp_path / "completions-bad.csv"
    bad.write_text("staff_number,course,completed_on,provider\n"
                   "E2001,Modern slavery awareness,2026-01-10,Learning Pool\n"
                   "E9999,Modern slavery awareness,2026-01-10,Learning Pool\n"
                   "E2002,Basket weaving,31/02/2026,Learning Pool\n")
    upload(browser, server, "completions", bad)
    summary = browser.find_element(By.ID, "rejected").text
    assert "Nothing was imported" in summary
    assert "Line 3: no one on the staff list has staff_number E9999" in summary
    assert "Line 4: course 'Basket weaving' is not a course in Lantern" in summary
    assert "completed_on '31/02/2026' is not a date" in summary

    today = datetime.date.today()
    recent, old = today - datetime.timedelta(days=30), today - datetime.timedelta(days=400)
    good = tmp_path / "completions.csv"
    good.write_text("staff_number,course,completed_on,provider\n"
                    f"E2001,Modern slavery awareness,{recent.isoformat()},Learning Pool\n"
                    f"E2001,CIPS Ethical Procurement and Supply,{old.strftime('%d/%m/%Y')},CIPS\n")
    upload(browser, server, "completions", good)
    assert "2 completions recorded" in browser.page_source

    browser.get(server + "/training")
    team = browser.find_element(By.ID, "team").text
    # Rosa's awareness course is in date; her annual CIPS course expired a month ago; Omar never trained.
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#team tbody tr")]
    assert any("Rosa Quint" in r and "Modern slavery awareness" in r and "Compliant" in r for r in rows), team
    assert any("Rosa Quint" in r and "CIPS Ethical Procurement and Supply" in r and "Overdue" in r for r in rows), team
    assert any("Omar Vale" in r and "Never trained" in r for r in rows), team
    assert "By directorate" in browser.page_source
