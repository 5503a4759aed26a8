"""``scripts/readme_numbers.py``: the README's numbers are those of the packaged graph (a stale
README fails here, and so in CI), and the script finds and rewrites its marked blocks."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "readme_numbers.py"
README = ROOT / "README.md"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_the_readme_numbers_are_current() -> None:
    done = run("--check")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_stale_number_is_reported_and_rewritten(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("--readme", str(readme)).returncode == 0  # current, whatever the checkout's is
    current = readme.read_text(encoding="utf-8")
    models = re.search(r"^\| models \| ([0-9 ]+) \|", current, re.M)
    assert models, "the numbers block has no models row"
    readme.write_text(current.replace(models.group(0), "| models | 1 |"), encoding="utf-8")
    done = run("--check", "--readme", str(readme))
    assert done.returncode == 1
    assert f"+| models | {models.group(1)} |" in done.stdout  # the diff shows the fix
    assert "stale" in done.stderr
    assert run("--readme", str(readme)).returncode == 0
    assert readme.read_text(encoding="utf-8") == current


@pytest.mark.parametrize("marker", ["numbers", "numbers:developers"])
def test_a_readme_without_a_block_is_an_error_naming_it(tmp_path: Path, marker: str) -> None:
    broken = tmp_path / "README.md"
    broken.write_text(README.read_text(encoding="utf-8").replace(
        f"<!-- {marker}:end -->", ""), encoding="utf-8")
    done = run("--check", "--readme", str(broken))
    assert done.returncode == 2
    assert f"{broken}: no <!-- {marker}:start -->" in done.stderr
