#!/usr/bin/env python3
"""Lantern behind nginx on PostgreSQL, with one instance and with two (scripts/cluster,
release build): requests/s for the case list, a case page and the public report, `runs` wrk
runs each (medians printed with every run); then an import of 100,000 contracts confirmed
through the page while ten people browse the case list, with their p95 before and during it.

    Benchmarks/several-instances.py [--runs 3] [--seconds 10] [--connections 10]
"""
import argparse
import glob
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_PORT = "54341"
PASSWORD = "e2e-demo-password-2026"

PERCENTILES_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("PCT %.2f %.2f %.2f %d %d\\n", latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                         latency:percentile(99) / 1000, summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""

REPORT_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "COOKIE"
wrk.body = "BODY"
""" + PERCENTILES_LUA


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def pg_bin(tool):
    return sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))[-1]


class Session:
    """A signed-in person, through the balancer."""

    def __init__(self, base, email=None):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        if email:
            page = self.get("/sign-in")
            self.post("/sign-in", {"_csrf": self.token(page), "email": email, "password": PASSWORD})

    def get(self, path):
        with self.opener.open(self.base + path, timeout=600) as r:
            return r.read().decode()

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=600) as r:
            return r.geturl(), r.read().decode()

    def post_file(self, path, token, name, content):
        boundary = "lanternbench"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                "Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.opener.open(request, timeout=600) as r:
            return r.geturl(), r.read().decode()

    @staticmethod
    def token(page):
        return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)

    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def wrk(url, seconds, connections, headers=(), script=None):
    cmd = ["wrk", f"-t{2 if connections > 1 else 1}", f"-c{connections}", f"-d{seconds}s"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = run(cmd + [url]).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = re.search(r"PCT ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
    return rps, float(pct.group(1)), float(pct.group(2)), int(pct.group(5))


def bench(name, runs, fn):
    results = [fn() for _ in range(runs)]
    rps = [r[0] for r in results]
    p50 = [r[1] for r in results]
    errors = sum(r[3] for r in results)
    print(f"  {name:<28} requests/s per run {', '.join(f'{x:.0f}' for x in rps)} | median {statistics.median(rps):.0f} "
          f"| p50 median {statistics.median(p50):.1f} ms | errors {errors}", flush=True)
    return statistics.median(rps)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--contracts", type=int, default=100_000)
    args = parser.parse_args()

    run(["swift", "build", "-c", "release", "--product", "lantern"], cwd=ROOT)
    binary = os.path.join(ROOT, ".build", "release", "lantern")
    work = tempfile.mkdtemp(prefix="lantern-bench-")
    env = dict(os.environ, LANTERN_BIN=binary, LANTERN_TEST_PG_PORT=PG_PORT, LANTERN_HOUSEKEEPING_SECONDS="60",
               LANTERN_CLUSTER_ENV=json.dumps({"LANTERN_PUBLIC_REPORTS_PER_HOUR": "10000000",
                                               "LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR": "10000000",
                                               "LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR": "10000000"}))
    base_url = run([os.path.join(ROOT, "scripts", "postgres-test-server"), "start"], env=env, cwd=ROOT).stdout.strip()
    parts = urllib.parse.urlparse(base_url)
    percentiles = os.path.join(work, "percentiles.lua")
    with open(percentiles, "w") as f:
        f.write(PERCENTILES_LUA)
    print(f"nginx in front of Lantern (release build) on PostgreSQL 15, {os.cpu_count()} cores shared by all; "
          f"wrk -c{args.connections} -d{args.seconds}s, {args.runs} runs each", flush=True)
    try:
        for instances in (1, 2):
            name = f"lantern_bench_{instances}"
            run([pg_bin("createdb"), "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, name])
            database = parts._replace(path="/" + name).geturl()
            folder = os.path.join(work, f"cluster-{instances}")
            state = json.loads(run([os.path.join(ROOT, "scripts", "cluster"), "start", "--database-url", database, "--dir", folder,
                                    "--demo", "--instances", str(instances)], env=env, cwd=ROOT).stdout)
            lb = state["balancer"]
            try:
                lead = Session(lb, "safeguarding.lead@demo.lantern.example")
                case = re.search(r'href="(/cases/[0-9A-Fa-f-]{36})"', lead.get("/cases")).group(1)
                cookie = lead.cookie()
                visitor = Session(lb)
                token = Session.token(visitor.get("/report"))
                body = urllib.parse.urlencode([("_csrf", token), ("relationship", "public_named"), ("immediate_danger", "no"),
                                               ("subject", "person"), ("who", "A man at the car wash"), ("age", "adult"),
                                               ("child_involved", "no"), ("location", "Mill Lane"),
                                               ("description", "He sleeps on site and is never paid."), ("anonymous", "yes")])
                report_lua = os.path.join(work, f"report-{instances}.lua")
                with open(report_lua, "w") as f:
                    f.write(REPORT_LUA.replace("COOKIE", visitor.cookie()).replace("BODY", body))
                print(f"{instances} instance{'s' if instances > 1 else ''}:", flush=True)
                bench("GET /cases", args.runs, lambda: wrk(lb + "/cases", args.seconds, args.connections, [f"Cookie: {cookie}"], percentiles))
                bench(f"GET {case[:12]}… (a case)", args.runs, lambda: wrk(lb + case, args.seconds, args.connections, [f"Cookie: {cookie}"], percentiles))
                bench("POST /report", args.runs, lambda: wrk(lb + "/report", args.seconds, args.connections, [], report_lua))
                if instances == 2:
                    import_while_browsing(args, lb, cookie, percentiles, work, state, env)
            finally:
                run([os.path.join(ROOT, "scripts", "cluster"), "stop", "--dir", folder], env=env, cwd=ROOT)
                subprocess.run([pg_bin("dropdb"), "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, name], check=False)
    finally:
        subprocess.run([os.path.join(ROOT, "scripts", "postgres-test-server"), "stop"], env=env, cwd=ROOT, check=False)


def wait_for_job(session, url):
    path = urllib.parse.urlparse(url).path
    assert path.startswith("/jobs/"), url
    while True:
        progress = json.loads(session.get(path + "/progress"))
        if progress["status"] in ("done", "failed"):
            return progress
        time.sleep(0.5)


def import_while_browsing(args, lb, cookie, percentiles, work, state, env):
    """Ten people browse the case list; p95 alone, then while 100,000 contracts are imported."""
    data = os.path.join(work, "csv")
    run([sys.executable, os.path.join(ROOT, "Benchmarks", "procurement-data.py"), data, "20000", str(args.contracts)])
    lantern_env = dict(env, DATABASE_URL=state["database_url"], LANTERN_DATA_KEY_FILE=state["key_file"])
    lantern_env.pop("LANTERN_DATA_KEY", None)
    run([env["LANTERN_BIN"], "import", "suppliers", os.path.join(data, "suppliers.csv"), "--data-dir", state["dir"]], env=lantern_env, cwd=ROOT)
    alone = wrk(lb + "/cases", 20, 10, [f"Cookie: {cookie}"], percentiles)
    officer = Session(lb, "procurement.officer@demo.lantern.example")
    page = officer.get("/contracts/import")
    with open(os.path.join(data, "contracts.csv"), "rb") as f:
        content = f.read()
    started = time.monotonic()
    # The upload answers at once; reading and checking the file is a job, whose page leads to the preview.
    checking, _ = officer.post_file("/contracts/import", Session.token(page), "contracts.csv", content)
    progress = wait_for_job(officer, checking)
    preview = officer.get(progress["next"])
    previewed = time.monotonic() - started
    confirm = re.search(r'action="(/contracts/import/[0-9A-Fa-f-]+/confirm)"', preview).group(1)
    browsing = subprocess.Popen(["wrk", "-t2", "-c10", "-d600s", "-s", percentiles, "-H", f"Cookie: {cookie}", lb + "/cases"],
                                stdout=subprocess.PIPE, text=True)
    queued_at = time.monotonic()
    job_url, _ = officer.post(confirm, {"_csrf": Session.token(preview), "duplicates": "skip"})
    progress = wait_for_job(officer, job_url)
    imported = time.monotonic() - queued_at
    browsing.send_signal(2)
    out = browsing.communicate()[0]
    pct = re.search(r"PCT ([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)", out)
    print(f"  import of {args.contracts:,} contracts: upload and preview {previewed:.1f} s, job {imported:.1f} s ({progress['message']})")
    print(f"  10 people on GET /cases: p95 {alone[2]:.1f} ms alone; during the import p95 {pct.group(2)} ms, p99 {pct.group(3)} ms, "
          f"{pct.group(4)} requests, {pct.group(5)} errors", flush=True)


if __name__ == "__main__":
    main()
