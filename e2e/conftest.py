"""Browser tests: a real Lantern server (demo mode, fresh SQLite) driven by chromium."""
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
DEMO_PASSWORD = "e2e-demo-password-2026"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(extra_env=None):
    """Starts `lantern demo` on a fresh SQLite folder (or the database `extra_env` names);
    returns (url, process, data folder)."""
    binary = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
    data = tempfile.mkdtemp(prefix="lantern-e2e-")
    port = _free_port()
    env = dict(os.environ, LANTERN_DEMO_PASSWORD=DEMO_PASSWORD, **(extra_env or {}))
    log = open(os.path.join(data, "server.log"), "w")
    proc = subprocess.Popen([binary, "demo", "--data-dir", data, "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    return url, proc, data
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("Lantern did not start; see " + log.name)


def stop_server(proc, data):
    proc.terminate()
    proc.wait(timeout=20)
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    url, proc, data = start_server()
    yield url
    stop_server(proc, data)


@pytest.fixture()
def browser(request):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    yield driver
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
        driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        (ARTIFACTS / f"{name}.html").write_text(driver.page_source)
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


def submit(browser, selector):
    """Clicks a form's button and waits for the page that answers it: the old page's window
    object carries a mark that the new page's does not."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script("window.__lanternOldPage = true;")
    browser.find_element(By.CSS_SELECTOR, selector).click()

    def answered(driver):
        try:
            return driver.execute_script("return document.readyState === 'complete' && window.__lanternOldPage === undefined;")
        except WebDriverException:
            return False  # between pages
    WebDriverWait(browser, 20).until(answered)
