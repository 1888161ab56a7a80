"""Every page each role can reach, and the public pages, checked by axe-core in chromium
against WCAG 2.2 AA (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa), including forms
answered with their errors. Any violation fails the suite."""
import json
import re
from urllib.parse import urljoin, urlparse

from selenium.webdriver.common.by import By
from selenium_axe_python import Axe

from conftest import ARTIFACTS, submit
from test_concerns import click, next_page
from test_sign_in_and_roles import ROLES, sign_in, sign_out

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Links that download files, change state or leave the signed-in area are not followed.
SKIPPED = re.compile(r"(\.csv|\.pdf|\.json|\.yaml|\.zip|/files/|/download|/export|/sign-out|/rejected|/file$)", re.I)
# Many records share one template: two of each kind are enough.
PER_PATTERN = 2
UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
PUBLIC = ["/report", "/report/follow-up", "/sign-in"]


def pattern(path):
    return re.sub(r"/\d+(?=/|$)", "/{n}", UUID.sub("{id}", path))


def check(browser, label, results):
    axe = Axe(browser)
    axe.inject()
    found = axe.run(options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    version = found.get("testEngine", {}).get("version", "?")
    for v in found["violations"]:
        results["violations"].append({"page": label, "rule": v["id"], "impact": v["impact"],
                                      "nodes": [n["target"] for n in v["nodes"]][:5]})
    results["pages"] += 1
    results["version"] = version


def crawl(browser, server, start, results, role):
    seen_patterns, queue, visited = {}, list(start), set()
    while queue:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        key = pattern(path)
        if seen_patterns.get(key, 0) >= PER_PATTERN:
            continue
        seen_patterns[key] = seen_patterns.get(key, 0) + 1
        browser.get(server + path)
        if "/sign-in" in browser.current_url and path != "/sign-in":
            continue
        check(browser, f"{role} {path}", results)
        links = []
        for a in browser.find_elements(By.CSS_SELECTOR, "a[href]"):
            href = a.get_attribute("href") or ""
            url = urlparse(urljoin(browser.current_url, href))
            if url.netloc != urlparse(server).netloc or SKIPPED.search(url.path):
                continue
            target = url.path + (("?" + url.query) if url.query and "page=" not in url.query else "")
            if target not in visited:
                links.append(target)
        queue.extend(sorted(set(links)))
        # Forms that open new records are checked again answered with their errors.
        if path.endswith("/new") or path.endswith("/edit"):
            forms = browser.find_elements(By.CSS_SELECTOR, "main form[method=post]")
            if forms and not forms[0].get_attribute("enctype") == "multipart/form-data":
                for field in forms[0].find_elements(By.CSS_SELECTOR, "input[type=text], textarea"):
                    field.clear()
                submit(browser, "main form[method=post] button[type=submit]")
                if browser.find_elements(By.CSS_SELECTOR, ".error-summary"):
                    check(browser, f"{role} {path} (with errors)", results)


def test_every_page_of_every_role_has_no_axe_violations(browser, server):
    results = {"pages": 0, "violations": [], "roles": 0, "version": "?"}
    # The public: the report form, its errors, the follow-up and sign-in, as a visitor sees them.
    crawl(browser, server, PUBLIC, results, "public")
    browser.get(server + "/report")
    submit(browser, "main form[method=post] button[type=submit]")
    check(browser, "public /report (with errors)", results)
    # Each page of the report's question flow, and the page that checks the answers.
    browser.get(server + "/report")
    click(browser, "//label[@for='immediate_danger-no']")
    for heading, answer in [("About you", "//label[@for='relationship-public_named']"),
                            ("Who your concern is about", "//label[@for='subject-person']"),
                            ("Where it is happening and what you saw", None), ("Signs you may have noticed", None),
                            ("Can we contact you?", "//label[@for='anonymous-yes']")]:
        if heading == "Signs you may have noticed":
            browser.find_element(By.ID, "location").send_keys("A car wash")
            browser.find_element(By.ID, "description").send_keys("Men sleep there")
        if heading == "Where it is happening and what you saw":
            click(browser, "//label[@for='child_involved-no']")
        next_page(browser, heading)
        check(browser, f"public /report page: {heading}", results)
        if answer:
            click(browser, answer)
    next_page(browser, "Check your answers before sending your report")
    check(browser, "public /report check your answers", results)
    browser.get(server + "/report/follow-up")
    browser.find_element(By.ID, "code").send_keys("0000-0000-0000-0000")
    submit(browser, "main form button[type=submit]")
    check(browser, "public /report/follow-up (with errors)", results)
    sign_in(browser, server, "nobody@example.org", "wrong")
    check(browser, "public /sign-in (with errors)", results)
    for role, (email, _, home, _) in ROLES.items():
        sign_in(browser, server, email)
        crawl(browser, server, [home, "/home"], results, role)
        results["roles"] += 1
        sign_out(browser)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = {"axe_core": results["version"], "tags": TAGS, "roles": results["roles"], "page_states": results["pages"],
               "violations": len(results["violations"])}
    (ARTIFACTS / "axe-summary.json").write_text(json.dumps({**summary, "details": results["violations"]}, indent=2))
    print("axe:", json.dumps(summary))
    assert results["pages"] > 100, summary
    assert not results["violations"], json.dumps(results["violations"][:20], indent=1)
