"""Single sign-on against a real OpenID Connect provider process (oidc-provider-mock, from PyPI):
a full sign-in in chromium; refused: a person Lantern does not know, a callback replayed with
its code, state and nonce, and a code issued to another client. Bad signatures, wrong audiences,
expired or future-dated tokens and wrong nonces are checked on tokens signed in
Tests/LanternAppTests/Security/SingleSignOnTests.swift, as the provider cannot be made to issue them."""
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import start_server, stop_server, submit

CASEWORKER = {"sub": "sso-caseworker-1", "email": "caseworker@demo.lantern.example", "email_verified": True}
STRANGER = {"sub": "sso-stranger-1", "email": "stranger@example.org", "email_verified": True}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lantern_environment(issuer):
    return {"LANTERN_OIDC_ISSUER": issuer, "LANTERN_OIDC_CLIENT_ID": "lantern-e2e",
            "LANTERN_OIDC_CLIENT_SECRET": "e2e-client-secret", "LANTERN_OIDC_NAME": "the Demo Council account"}


@pytest.fixture(scope="module")
def sso():
    port = free_port()
    provider = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                                 "--user-claims", json.dumps(CASEWORKER), "--user-claims", json.dumps(STRANGER)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(issuer + "/.well-known/openid-configuration", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            if time.time() > deadline or provider.poll() is not None:
                provider.kill()
                raise RuntimeError("the OpenID Connect provider did not start")
            time.sleep(0.3)
    url, proc, data = start_server(lantern_environment(issuer))
    yield url, issuer
    stop_server(proc, data)
    provider.terminate()
    provider.wait(timeout=10)


def test_a_person_signs_in_through_the_provider_in_the_browser(browser, sso):
    server, issuer = sso
    browser.get(server + "/sign-in")
    browser.find_element(By.LINK_TEXT, "Sign in with the Demo Council account").click()
    assert browser.current_url.startswith(issuer + "/oauth2/authorize")
    submit(browser, f"button[value='{CASEWORKER['sub']}']")
    assert browser.current_url.endswith("/home")
    assert "Caseworker" in browser.find_element(By.CSS_SELECTOR, ".header__role").text


def test_someone_without_a_lantern_account_is_refused(browser, sso):
    server, issuer = sso
    browser.get(server + "/sign-in/sso")
    submit(browser, f"button[value='{STRANGER['sub']}']")
    assert "/sign-in" in browser.current_url
    assert "You do not have a Lantern account" in browser.page_source
    browser.get(server + "/home")
    assert "/sign-in" in browser.current_url


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def step(opener, url, data=None):
    """One request without following redirects: (status, Location)."""
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=30) as r:
            return r.status, r.headers.get("Location")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Location")


def test_a_callback_used_twice_or_in_another_sign_in_is_refused(sso):
    server, issuer = sso
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    status, authorize = step(opener, server + "/sign-in/sso")
    assert status in (302, 303) and authorize.startswith(issuer)
    status, callback = step(opener, authorize, urllib.parse.urlencode({"sub": CASEWORKER["sub"]}).encode())
    assert status in (302, 303) and callback.startswith(server + "/sign-in/sso/callback?")
    status, home = step(opener, callback)
    assert home == "/home"

    # The same callback again, in the same browser: its state and nonce were used up.
    status, again = step(opener, callback)
    assert again == "/sign-in"
    # Or inside a new sign-in, whose state and nonce are new.
    step(opener, server + "/sign-in/sso")
    status, replayed = step(opener, callback)
    assert replayed == "/sign-in"


def sign_in_without_a_browser(server, issuer, sub, client_id=None):
    """Runs the flow by hand; returns where Lantern's callback sends the browser. With `client_id`,
    the provider is asked for a code for that client instead of Lantern's."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    status, authorize = step(opener, server + "/sign-in/sso")
    if client_id:
        parts = urllib.parse.urlparse(authorize)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["client_id"] = client_id
        authorize = parts._replace(query=urllib.parse.urlencode(query)).geturl()
    status, callback = step(opener, authorize, urllib.parse.urlencode({"sub": sub}).encode())
    return step(opener, callback)[1]


def test_a_code_issued_to_another_client_is_refused(sso):
    server, issuer = sso
    assert sign_in_without_a_browser(server, issuer, CASEWORKER["sub"], client_id="another-application") == "/sign-in"
