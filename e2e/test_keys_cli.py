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

    same = tmp_path / "same.key"
    same.write_text(OLD)
    refused = lantern(tmp_path, OLD, "keys", "rotate", "--new-key-file", str(same))
    assert refused.returncode != 0 and "same as the current one" in refused.stdout + refused.stderr

    rotated = lantern(tmp_path, OLD, "keys", "rotate", "--new-key-file", str(new_file))
    assert rotated.returncode == 0, rotated.stdout + rotated.stderr
    assert "Rotated: 1 data keys re-wrapped" in rotated.stdout

    assert lantern(tmp_path, NEW, "audit", "verify").returncode == 0
    old = lantern(tmp_path, OLD, "audit", "verify")
    assert old.returncode != 0
    assert "is not the one this database was encrypted with" in old.stdout + old.stderr
