"""`lantern purge`: the dry run says what would go and changes nothing; the real run reports
what it did and leaves the audit chain intact."""
import base64
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
KEY = base64.b64encode(b"p" * 32).decode()


def lantern(data_dir, *args):
    env = dict(os.environ, LANTERN_DATA_KEY=KEY)
    return subprocess.run([BIN, *args, "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_purge_dry_run_then_real_run(tmp_path):
    assert lantern(tmp_path, "migrate").returncode == 0
    dry = lantern(tmp_path, "purge", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout.startswith("Dry run: nothing changed.")
    for label in ["Closed cases (kept 72 months", "Training records of people who have left", "Audit log entries (kept 84 months"]:
        assert label in dry.stdout, dry.stdout
    real = lantern(tmp_path, "purge")
    assert real.returncode == 0, real.stdout + real.stderr
    assert real.stdout.startswith("Purge done.")
    verified = lantern(tmp_path, "audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout
