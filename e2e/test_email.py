"""Email through a real SMTP server (aiosmtpd, STARTTLS and AUTH): a password reset from the
browser, the safeguarding lead's alert for a public report, and a message kept while the mail
server is down and sent when it is back."""
import time
import urllib.parse

import pytest
from selenium.webdriver.common.by import By

from conftest import start_server, stop_server, submit
from public_report import send_report
from smtp_server import LoopbackSMTPServer

AUDITOR = "auditor@demo.lantern.example"
LEAD = "safeguarding.lead@demo.lantern.example"


@pytest.fixture(scope="module")
def mail():
    smtp = LoopbackSMTPServer()
    smtp.start()
    url, proc, data = start_server(smtp.lantern_environment())
    yield url, smtp
    stop_server(proc, data)
    smtp.stop()


def link_in(body):
    return next(line.strip() for line in body.splitlines() if line.strip().startswith("http"))


def ask_for_reset(browser, server, address):
    browser.get(server + "/sign-in")
    browser.find_element(By.LINK_TEXT, "Forgotten your password?").click()
    browser.find_element(By.ID, "email").send_keys(address)
    submit(browser, "form[action='/sign-in/forgotten-password'] button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Check your email"


def test_a_password_reset_arrives_over_starttls_and_its_link_works_once(browser, mail):
    server, smtp = mail
    ask_for_reset(browser, server, AUDITOR)
    message = smtp.inbox.wait_for(lambda m: AUDITOR in m["to"] and m["subject"] == "Reset your Lantern password")[0]
    assert message["tls"] and message["authenticated"], "sent only after STARTTLS and AUTH"
    link = link_in(message["body"])
    assert link.startswith(server + "/sign-in/reset/")

    browser.get(link)
    browser.find_element(By.ID, "newPassword").send_keys("a brand new passphrase 2026")
    browser.find_element(By.ID, "confirmPassword").send_keys("a brand new passphrase 2026")
    submit(browser, "form button[type=submit]")
    assert browser.current_url.endswith("/sign-in")
    browser.find_element(By.ID, "email").send_keys(AUDITOR)
    browser.find_element(By.ID, "password").send_keys("a brand new passphrase 2026")
    submit(browser, "form[action='/sign-in'] button[type=submit]")
    assert browser.current_url.endswith("/home")

    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text == "This link has expired"


def test_the_lead_is_told_of_a_public_report_without_any_of_it(mail):
    server, smtp = mail
    parts = urllib.parse.urlparse(server)
    status, reference, _ = send_report(parts.hostname, parts.port)
    assert status == 200
    message = smtp.inbox.wait_for(lambda m: LEAD in m["to"] and m["subject"] == "A new report was received in Lantern")[-1]
    assert reference not in message["body"] and "car wash" not in message["body"]
    assert link_in(message["body"]) == server + "/concerns"


def test_a_message_waits_while_the_mail_server_is_down(browser, mail):
    server, smtp = mail
    smtp.stop()
    try:
        ask_for_reset(browser, server, "caseworker@demo.lantern.example")
        time.sleep(3)  # several passes of the queue find no server
    finally:
        smtp.start()
    # Tried again after its wait (a minute at first), then delivered.
    smtp.inbox.wait_for(lambda m: "caseworker@demo.lantern.example" in m["to"] and m["subject"] == "Reset your Lantern password", timeout=90)
