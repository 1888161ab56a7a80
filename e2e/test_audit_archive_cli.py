"""`lantern audit archive` moves old rows to a file and the chain still verifies; `audit verify`
prints the head every time and checks archive files against their recorded boundary."""
import base64
import datetime
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
KEY = base64.b64encode(b"a" * 32).decode()


def lantern(data_dir, *args, **extra_env):
    env = dict(os.environ, LANTERN_DATA_KEY=KEY, **extra_env)
    return subprocess.run([BIN, *args, "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_archive_then_verify_with_the_file(tmp_path):
    data = tmp_path / "data"
    assert lantern(data, "migrate").returncode == 0
    made = lantern(data, "users", "create", "--email", "admin@example.org", "--name", "Ada Min",
                   "--role", "administrator", LANTERN_NEW_PASSWORD="a long enough password 1")
    assert made.returncode == 0, made.stdout + made.stderr
    # Rows are dated by the same clock the command reads, so "before tomorrow" takes them all.
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    archive = tmp_path / "audit-archive.jsonl"
    moved = lantern(data, "audit", "archive", "--before", tomorrow, "--output", str(archive))
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert moved.stdout.startswith("Archived rows 1-")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    verified = lantern(data, "audit", "verify", "--archive", str(archive))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "chain intact to the recorded boundary" in verified.stdout
    assert "Head: row " in verified.stdout

    again = lantern(data, "audit", "archive", "--before", tomorrow, "--output", str(archive))
    assert again.returncode != 0 and "already exists" in again.stdout + again.stderr

    archive.write_text(archive.read_text().replace('"outcome":"success"', '"outcome":"failure"', 1))
    tampered = lantern(data, "audit", "verify", "--archive", str(archive))
    assert tampered.returncode == 1
    assert "FAILED" in tampered.stdout and "Head: row " in tampered.stdout
