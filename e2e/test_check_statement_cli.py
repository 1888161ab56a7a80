"""`lantern check-statement` end to end: files, addresses on a loopback server, exit codes,
JSON, and the sentence CSV interface."""
import csv
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))


def run(*args, timeout=120, allow="127.0.0.1"):
    """Runs check-statement; the loopback test server is allowed unless `allow` says otherwise."""
    env = dict(os.environ, LANTERN_FETCH_ALLOW_ADDRESSES=allow)
    return subprocess.run([BIN, "check-statement", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def seed(prefix):
    return str(next(p for p in sorted(SEEDS.iterdir()) if p.name.startswith(prefix)))


@pytest.fixture(scope="module")
def http_server():
    port_file = tempfile.mktemp(prefix="lantern-http-")
    proc = subprocess.Popen([sys.executable, str(ROOT / "e2e" / "statement_http_server.py"), port_file])
    for _ in range(100):
        if os.path.exists(port_file):
            break
        time.sleep(0.05)
    port = int(open(port_file).read())
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    os.remove(port_file)


def test_files_are_reported_as_text_and_json():
    text = run(seed("001"))
    assert text.returncode == 0, text.stderr
    assert "Leicestershire County Council" in text.stdout
    assert "[MET         ] Approved by the board" in text.stdout
    js = run(seed("001"), seed("000"), "--format", "json")
    assert js.returncode == 0
    reports = json.loads(js.stdout)
    assert len(reports) == 2
    assert {f["id"] for f in reports[0]["ukCriteria"]} == {"approval", "signature", "period", "structure", "policies", "due_diligence", "risk", "effectiveness", "training"}
    assert len(reports[0]["aimsCriteria"]) == 11


def test_a_failure_gives_exit_2_and_a_message_per_document(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run(seed("001"), str(empty), str(tmp_path / "missing.pdf"))
    assert result.returncode == 2
    assert "empty.pdf: the file is empty" in result.stderr
    assert "missing.pdf: no such file" in result.stderr
    assert "Leicestershire" in result.stdout


def test_addresses_are_fetched_with_limits(http_server):
    ok = run(http_server + "/statement.html")
    assert ok.returncode == 0 and "(HTML," in ok.stdout
    assert run(http_server + "/hop/4").returncode == 0
    for path, message in [("/missing", "answered HTTP 404"), ("/broken", "answered HTTP 503"),
                          ("/hop/6", "redirected more than 5 times")]:
        result = run(http_server + path)
        assert result.returncode == 2 and message in result.stderr, (path, result.stderr)
    slow = run(http_server + "/slow", "--timeout", "1")
    assert slow.returncode == 2 and "did not answer in time" in slow.stderr


def test_the_sentence_csv_interface(tmp_path):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="latin-1") as f:
        w = csv.writer(f)
        w.writerow(["statement_id", "sentence", "other"])
        w.writerow(["7", "This statement was approved by the Board of Directors on 3 May 2024", "x"])
        w.writerow(["8", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale supplies uniforms, shoes and hats", "y"])
        w.writerow(["7", "We audit our suppliers every year", "z"])
    out = tmp_path / "out.csv"
    result = run("--sentences", str(source), "--output", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(open(out, encoding="utf-8")))
    assert rows[0] == ["statement_id", "sentence_index", "Approval", "Signature", "C1 (reporting entity)", "C2 (structure)",
                       "C2 (operations)", "C2 (supply chains)", "C3 (risk description)", "C4 (risk mitigation)",
                       "C4 (remediation)", "C5 (effectiveness)", "C6 (consultation)"]
    assert [r[:2] for r in rows[1:]] == [["7", "0"], ["8", "0"], ["7", "1"]]
    assert rows[1][2] == "1"
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,x\n")
    result = run("--sentences", str(bad), "--output", str(out))
    assert result.returncode != 0 and "no column 'statement_id'" in result.stderr


def zip_bomb(path, inflated_bytes):
    """A .docx whose word/document.xml inflates to `inflated_bytes` of zeros from about 1/1000 of that."""
    import zipfile
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(inflated_bytes // len(chunk)):
                part.write(chunk)


def peak_memory_kib(*args):
    """Runs the command in a fresh process and returns (result, its peak resident memory in KiB)."""
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n' + str(r.returncode) + '\\n' + r.stderr)")
    out = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
    peak, code, stderr = out.split("\n", 2)
    return int(code), stderr, int(peak)


def test_a_docx_zip_bomb_is_refused_with_bounded_memory(tmp_path):
    bomb = tmp_path / "statement.docx"
    zip_bomb(bomb, 2 << 30)  # 2 GiB once inflated
    assert bomb.stat().st_size < 4 << 20
    code, stderr, peak_kib = peak_memory_kib(BIN, "check-statement", str(bomb))
    print(f"zip bomb of {bomb.stat().st_size} bytes (2 GiB inflated): exit {code}, peak {peak_kib // 1024} MiB")
    assert code == 2, stderr
    assert "this document is too large once unpacked" in stderr
    assert peak_kib < 150 * 1024, f"peak {peak_kib} KiB"


def test_addresses_inside_the_network_are_refused_with_one_message(http_server):
    port = http_server.rsplit(":", 1)[1]
    expected = "no public web server answered at that address"
    # Loopback (by name, by number, in decimal and IPv4-mapped IPv6), private ranges and the
    # cloud metadata address are never fetched, and all fail the same way.
    for address in [http_server + "/statement.html", f"http://localhost:{port}/statement.html",
                    f"http://2130706433:{port}/statement.html", f"http://[::ffff:127.0.0.1]:{port}/statement.html",
                    f"http://[::1]:{port}/x", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/x",
                    "http://192.168.1.1/", f"http://127.0.0.1:{int(port) + 1}/closed-port"]:
        result = run(address, allow="", timeout=60)
        assert result.returncode == 2, address
        assert expected in result.stderr, (address, result.stderr)
        assert "HTTP" not in result.stderr and "refused" not in result.stderr.lower()
    # An allowed address is fetched, but a redirect from it to one not allowed is refused.
    assert run(http_server + "/statement.html").returncode == 0
    elsewhere = run(http_server + "/elsewhere")
    assert elsewhere.returncode == 2 and expected in elsewhere.stderr


def test_a_slow_drip_answer_is_abandoned_at_the_deadline(http_server):
    started = time.monotonic()
    result = run(http_server + "/drip/60", "--timeout", "5", timeout=120)
    took = time.monotonic() - started
    assert result.returncode == 2 and "did not answer in time" in result.stderr
    assert took < 40, f"took {took:.0f} s; the deadline is 30 s"
