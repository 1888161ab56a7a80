"""`lantern import suppliers|contracts|goods`: the same line-by-line report, exit 2 and nothing
imported when any row is rejected."""
import base64
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = os.environ.get("LANTERN_BIN", str(ROOT / ".build" / "debug" / "lantern"))
GOODS = ROOT.parent / "shared" / "data" / "dol-goods" / "goods_2021.xml"


def lantern(data_dir, *args):
    env = dict(os.environ, LANTERN_DATA_KEY=base64.b64encode(b"k" * 32).decode())
    return subprocess.run([BIN, *args, "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_rejected_rows_are_reported_by_line_and_nothing_is_imported(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,company_number\nGood Ltd,01234567\n,02345678\nOdd Ltd,XYZ\n")
    result = lantern(tmp_path, "import", "suppliers", str(bad))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Rejected: Line 3: name is empty" in result.stdout
    assert "Rejected: Line 4: company_number 'XYZ'" in result.stdout
    assert "Nothing imported" in result.stdout

    good = tmp_path / "good.csv"
    good.write_text("name,company_number\nGood Ltd,01234567\nGOOD LIMITED,\n")
    result = lantern(tmp_path, "import", "suppliers", str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Duplicate: Line 3: GOOD LIMITED matches line 2" in result.stdout
    assert "Imported: 1 added" in result.stdout

    contracts = tmp_path / "contracts.csv"
    contracts.write_text("title,supplier,end_date\nCleaning,Good Ltd,2027-01-01\nCatering,Nobody,\n")
    result = lantern(tmp_path, "import", "contracts", str(contracts))
    assert result.returncode == 2
    assert "Line 3: no supplier is registered" in result.stdout
    contracts.write_text("title,supplier,end_date\nCleaning,Good Ltd,2027-01-01\n")
    result = lantern(tmp_path, "import", "contracts", str(contracts))
    assert result.returncode == 0 and "Imported: 1 added" in result.stdout


def test_unreadable_files_and_the_goods_list(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = lantern(tmp_path, "import", "suppliers", str(empty))
    assert result.returncode != 0 and "the file is empty" in (result.stdout + result.stderr)
    result = lantern(tmp_path, "import", "goods", str(GOODS))
    assert result.returncode == 0 and "Loaded 467 good × country pairs" in result.stdout
    broken = tmp_path / "broken.xml"
    broken.write_text("<Goods><Good></Goods>")
    result = lantern(tmp_path, "import", "goods", str(broken))
    assert result.returncode != 0 and "Not loaded:" in (result.stdout + result.stderr)
