"""`lantern keys rotate`: every data key moves to the new key in one go; afterwards Lantern opens
with the new key and refuses the old one with a message naming both."""
import base64
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
OLD = base64.b64encode(b"o" * 32).decode()
NEW = base64.b64encode(b"n" * 32).decode()


def lantern(data_dir, key, *args):
    env = dict(os.environ, LANTERN_DATA_KEY=key)
    return subprocess.run([BIN, *args, "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_rotation_moves_every_key_and_the_old_key_no_longer_opens(tmp_path):
    assert lantern(tmp_path, OLD, "migrate").returncode == 0
    new_file = tmp_path / "new.key"
    new_file.write_text(NEW)
    loose = lantern(tmp_path, OLD, "keys", "rotate", "--new-key-file", str(new_file))
    assert loose.returncode != 0 and "can be read by other users" in loose.stdout + loose.stderr
    new_file.chmod(0o600)

    same = tmp_path / "same.key"
    same.write_text(OLD)
    same.chmod(0o600)
    refused = lantern(tmp_path, OLD, "keys", "rotate", "--new-key-file", str(same))
    assert refused.returncode != 0 and "same as the current one" in refused.stdout + refused.stderr

    rotated = lantern(tmp_path, OLD, "keys", "rotate", "--new-key-file", str(new_file))
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert "Rotated: 1 data keys re-wrapped" in rotated.stdout

    assert lantern(tmp_path, NEW, "audit", "verify").returncode == 0
    old = lantern(tmp_path, OLD, "audit", "verify")
    assert old.returncode != 0
    assert "is not the one this database was encrypted with" in old.stdout + old.stderr


def test_a_generated_key_file_is_private_and_a_readable_one_is_refused(tmp_path):
    key_file = tmp_path / "lantern.key"
    made = subprocess.run([BIN, "keys", "generate", "--output", str(key_file)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = subprocess.run([BIN, "keys", "generate", "--output", str(key_file)], capture_output=True, text=True, timeout=60)
    assert again.returncode != 0 and "never overwritten" in again.stdout + again.stderr

    env = {k: v for k, v in os.environ.items() if k != "LANTERN_DATA_KEY"}
    env["LANTERN_DATA_KEY_FILE"] = str(key_file)
    data = tmp_path / "data"
    ok = subprocess.run([BIN, "migrate", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "lantern.sqlite").stat().st_mode & 0o777 == 0o600

    key_file.chmod(0o644)
    refused = subprocess.run([BIN, "migrate", "--data-dir", str(data)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0
    assert "can be read by other users (mode 644)" in refused.stdout + refused.stderr
