"""`lantern backup` while reports arrive, then `lantern restore` into a new data folder:
every report acknowledged before the backup began is there with its files, and the audit
chain verifies. A wrong key, a tampered copy or an occupied folder is refused, and nothing is
replaced."""
import glob
import os
import pathlib
import sqlite3
import subprocess
import threading
import time
import urllib.parse

import pytest

from conftest import start_server, stop_server
from public_report import send_report

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
OPEN_LIMITS = {"LANTERN_PUBLIC_REPORTS_PER_HOUR": "100000", "LANTERN_PUBLIC_REPORTS_WITHOUT_PROOF_PER_HOUR": "100000",
               "LANTERN_PUBLIC_REPORTS_PER_ADDRESS_PER_HOUR": "100000"}
PDF = b"%PDF-1.4\n" + b"evidence " * 2000


def lantern(*args, key_file):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_DATA_KEY") and k != "DATABASE_URL"}
    env["LANTERN_DATA_KEY_FILE"] = str(key_file)
    return subprocess.run([BIN, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_a_backup_taken_under_load_restores_every_acknowledged_report(tmp_path):
    url, proc, data = start_server(OPEN_LIMITS)
    key = pathlib.Path(data) / "demo-data-protection.key"
    backup = tmp_path / "lantern.backup"
    try:
        parts = urllib.parse.urlparse(url)
        acknowledged = []  # (reference, whether it had a file, when it was acknowledged)
        stop = threading.Event()

        def reporter(n):
            i = 0
            while not stop.is_set():
                files = [("statement.pdf", PDF)] if (i + n) % 2 == 0 else []
                status, reference, _ = send_report(parts.hostname, parts.port, files)
                if status == 200:
                    acknowledged.append((reference, bool(files), time.monotonic()))
                i += 1

        threads = [threading.Thread(target=reporter, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        while len(acknowledged) < 20:
            time.sleep(0.1)
        started = time.monotonic()
        made = lantern("backup", "--data-dir", data, "--to", str(backup), key_file=key)
        finished = time.monotonic()
        count_during = len(acknowledged)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert made.returncode == 0, made.stdout + made.stderr
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
        before = [(ref, has_file) for ref, has_file, at in acknowledged if at < started]
        print(f"{len(before)} reports acknowledged before the backup began, {count_during} by its end "
              f"({finished - started:.2f} s), {len(acknowledged)} in all")
        assert len(acknowledged) > count_during, "the server kept taking reports after the backup"

        # Restore into a new data folder: checked, then moved into place.
        target = tmp_path / "restored"
        restored = lantern("restore", "--from", str(backup), "--data-dir", str(target), key_file=key)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "the key opens it and the audit log verifies" in restored.stdout
        db = sqlite3.connect(target / "lantern.sqlite")
        for reference, has_file in before:
            row = db.execute("SELECT id FROM concerns WHERE reference = ?", (reference,)).fetchone()
            assert row is not None, f"{reference} was acknowledged before the backup but is not in it"
            files = db.execute("SELECT COUNT(*) FROM evidence_files WHERE owner_id = ?", (row[0],)).fetchone()[0]
            assert files == (1 if has_file else 0), reference
            chunks = db.execute("SELECT COUNT(*) FROM evidence_chunks c JOIN evidence_files f ON c.file_id = f.id WHERE f.owner_id = ?",
                                (row[0],)).fetchone()[0]
            assert (chunks > 0) == has_file, reference
        db.close()
        verified = lantern("audit", "verify", "--data-dir", str(target), key_file=key)
        assert verified.returncode == 0 and "chain intact" in verified.stdout, verified.stdout + verified.stderr

        # The folder is occupied now: a second restore is refused and changes nothing.
        again = lantern("restore", "--from", str(backup), "--data-dir", str(target), key_file=key)
        assert again.returncode != 0 and "already exists" in again.stdout + again.stderr

        # A wrong key is refused by name, and leaves nothing behind.
        wrong_key = tmp_path / "wrong.key"
        generated = lantern("keys", "generate", "--output", str(wrong_key), key_file=key)
        assert generated.returncode == 0, generated.stdout + generated.stderr
        elsewhere = tmp_path / "wrong-key"
        refused = lantern("restore", "--from", str(backup), "--data-dir", str(elsewhere), key_file=wrong_key)
        assert refused.returncode != 0 and "not the one this database was encrypted with" in refused.stdout + refused.stderr
        assert not (elsewhere / "lantern.sqlite").exists() and not (elsewhere / "lantern.sqlite.restoring").exists()

        # A copy whose audit log was altered is refused.
        tampered = tmp_path / "tampered.backup"
        tampered.write_bytes(backup.read_bytes())
        altered = sqlite3.connect(tampered)
        altered.execute("DROP TRIGGER audit_entries_no_update")
        altered.execute("UPDATE audit_entries SET detail = 'nothing happened' WHERE sequence = 3")
        altered.commit()
        altered.close()
        refused = lantern("restore", "--from", str(tampered), "--data-dir", str(tmp_path / "tampered"), key_file=key)
        assert refused.returncode != 0 and "audit log fails verification" in refused.stdout + refused.stderr
        assert not (tmp_path / "tampered" / "lantern.sqlite").exists()
    finally:
        stop_server(proc, data)


def test_a_postgresql_backup_restores_only_into_an_empty_database_with_the_right_key(tmp_path):
    """pg_dump and pg_restore through `lantern backup` and `lantern restore`: a wrong key is
    refused and leaves the new database empty, so the right key can then restore into it."""
    base = os.environ.get("LANTERN_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("LANTERN_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    parts = urllib.parse.urlparse(base)
    bin_dir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    names = [f"lantern_backup_{os.getpid()}_{n}" for n in ("source", "target")]
    for name in names:
        subprocess.run([f"{bin_dir}/createdb", "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, name], check=True)
    source, target = (parts._replace(path="/" + n).geturl() for n in names)
    key, wrong = tmp_path / "k.key", tmp_path / "wrong.key"
    try:
        for path in (key, wrong):
            assert lantern("keys", "generate", "--output", str(path), key_file=key).returncode == 0

        def run(database, *args, key_file=key):
            env_args = ["--database-url", database, "--data-dir", str(tmp_path / "data")]
            return lantern(*args, *env_args, key_file=key_file)

        assert run(source, "migrate").returncode == 0
        dump = tmp_path / "lantern.dump"
        made = run(source, "backup", "--to", str(dump))
        assert made.returncode == 0 and "pg_dump" in made.stdout, made.stdout + made.stderr
        refused = run(target, "restore", "--from", str(dump), key_file=wrong)
        assert refused.returncode != 0 and "not the one this database was encrypted with" in refused.stdout + refused.stderr
        restored = run(target, "restore", "--from", str(dump))
        assert restored.returncode == 0 and "the audit log verifies" in restored.stdout, restored.stdout + restored.stderr
        again = run(target, "restore", "--from", str(dump))
        assert again.returncode != 0 and "already holds tables" in again.stdout + again.stderr
        verified = run(target, "audit", "verify")
        assert verified.returncode == 0 and "chain intact" in verified.stdout
    finally:
        for name in names:
            subprocess.run([f"{bin_dir}/dropdb", "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username, "--if-exists", name], check=False)
