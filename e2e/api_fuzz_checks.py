"""Schemathesis checks Lantern adds to its own: nothing crosses from one role to another.

Loaded by schemathesis through SCHEMATHESIS_HOOKS. The role the run's token belongs to, and
the cases that role may see, come from the environment the test sets."""
import json
import os

import schemathesis

# What each fuzzed role may read: an operation outside it must never answer 2xx.
ALLOWED_PREFIXES = {
    "procurement": ("/api/v1/suppliers", "/api/v1/contracts", "/api/v1/statement-checks", "/api/v1/training/compliance", "/api/v1/openapi.yaml"),
    "caseworker": ("/api/v1/cases", "/api/v1/concerns", "/api/v1/training/compliance", "/api/v1/openapi.yaml"),
    "partner": ("/api/v1/data-returns", "/api/v1/statistics", "/api/v1/openapi.yaml"),
    "none": ("/api/v1/openapi.yaml",),
}

# A partner's staff see their own organisation's returns only.
PARTNER_ORGANISATION = "Demo Borough Police"


@schemathesis.check
def no_leak_across_roles(ctx, response, case):
    role = os.environ.get("LANTERN_FUZZ_ROLE", "none")
    path = case.formatted_path if hasattr(case, "formatted_path") else case.path
    full = "/api/v1" + path if not path.startswith("/api/v1") else path
    if 200 <= response.status_code < 300:
        if not full.startswith(ALLOWED_PREFIXES[role]):
            raise AssertionError(f"{role} token got {response.status_code} from {full}")
        if full.startswith("/api/v1/cases"):
            allowed = set(filter(None, os.environ.get("LANTERN_FUZZ_CASES", "").split(",")))
            body = json.loads(response.content or b"{}")
            items = body.get("items", [body])
            leaked = [item.get("id") for item in items if item.get("id") not in allowed]
            if leaked:
                raise AssertionError(f"{role} token was shown cases outside its need to know: {leaked}")
        if role == "partner" and full.startswith("/api/v1/data-returns"):
            body = json.loads(response.content or b"{}")
            others = [item.get("partner") for item in body.get("items", [body]) if item.get("partner") != PARTNER_ORGANISATION]
            if others:
                raise AssertionError(f"a partner's token was shown other organisations' returns: {others}")
    return None
