"""The README's rebuild command works from a clone of the upstream repository alone.

It is read from README.md (the line ``.venv/bin/jllm-kg ingest CLONE --rev … --keep
data/graph``) and run on a clone of ``../shared/upstream/*.bundle``, with no seed: the lists at
941b11f are read from the clone, the two seeds that are plain upstream versions (ja 9dd3297, en
8e94365) are read again from it at their commits, and the sources not in the repository (the
paper, seed 000) are kept from the committed graph. The result is the committed graph, each
difference named here.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from jllm_kg.paths import data_dir

PROJECT = Path(__file__).resolve().parents[1]
CONSOLE_SCRIPT = Path(sys.executable).with_name("jllm-kg")
COMMITTED = data_dir() / "graph"
SOURCE = "https://w3id.org/jllm-kg/id/source/"
READ_AGAIN = {  # file → its path in the repository
    "awesome-japanese-llm-ja-9dd329788972.nq": "README.md",
    "awesome-japanese-llm-en-8e943653fa29.nq": "README_en.md",
}
KEPT = ("arxiv-2404.01657-sha256-727dcca608f6.nq", "awesome-japanese-llm-fr-sha256-a15407da2212.nq")


def readme_rebuild_command() -> list[str]:
    """The README's rebuild command, as words (its first argument is the clone)."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^\.venv/bin/jllm-kg ingest .*--keep data/graph.*$", readme, re.M)
    return shlex.split(line)


@pytest.fixture(scope="module")
def clone(upstream_repository: Path) -> Path:
    """The session's clone of the upstream bundle (tests/conftest.py)."""
    return upstream_repository


def _file_name(graph: str, name: str) -> str:
    return f'<{graph}> <https://w3id.org/jllm-kg/ontology#fileName> "{name}" <{graph}> .'


def test_the_readme_rebuild_command_gives_the_committed_graph(clone: Path, tmp_path: Path
                                                              ) -> None:
    words = readme_rebuild_command()
    assert words[:3] == [".venv/bin/jllm-kg", "ingest", "../awesome-japanese-llm"]
    out = tmp_path / "out"
    # run from the project (data/graph is the committed graph) on the clone, into out/
    result = subprocess.run([str(CONSOLE_SCRIPT), "ingest", str(clone), *words[3:],
                             "--out", str(out)],
                            cwd=PROJECT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    said = result.stdout.splitlines()
    # the run says which sources it read again and which it kept as they were
    assert sorted(line.split(": ")[1] for line in said
                  if line.startswith("  read again from a checkout: ")) == sorted(READ_AGAIN)
    assert sorted(line.split(": ")[1] for line in said
                  if line.startswith("  kept as it was (not in the checkout): ")) == list(KEPT)
    built = out / "graph"
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in COMMITTED.glob("*.nq"))
    for path in sorted(built.iterdir()):
        new = path.read_text(encoding="utf-8").splitlines()
        old = (COMMITTED / path.name).read_text(encoding="utf-8").splitlines()
        if path.name not in READ_AGAIN:
            assert new == old, path.name
            continue
        # the same version read from the repository instead of the seed file: only the name
        # of the file it was read from differs
        graph = SOURCE + path.name.removesuffix(".nq")
        file_name = f"<{graph}> <https://w3id.org/jllm-kg/ontology#fileName> "
        seed_name = next(line for line in old if line.startswith(file_name)).split('"')[1]
        assert sorted(set(new) - set(old)) == [_file_name(graph, READ_AGAIN[path.name])]
        assert sorted(set(old) - set(new)) == [_file_name(graph, seed_name)]
        assert seed_name.endswith(".txt")
        assert len(new) == len(old)


@pytest.mark.parametrize(("make", "says"), [
    (lambda folder: folder / "missing", "not a folder"),
    (lambda folder: folder, "no source graph (*.nq) in it"),
])
def test_a_keep_folder_that_is_no_graph_is_one_clear_error(clone: Path, tmp_path: Path,
                                                           make, says: str) -> None:
    keep = make(tmp_path)
    result = subprocess.run([str(CONSOLE_SCRIPT), "ingest", str(clone), "--rev", "941b11f",
                             "--keep", str(keep), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 2
    assert result.stderr == f"jllm-kg ingest: --keep {keep}: {says}\n"
    assert not (tmp_path / "out").exists()


def test_the_readme_history_command_gives_the_committed_history(clone: Path, tmp_path: Path
                                                                ) -> None:
    """The recipe's second command, ``jllm-kg history CLONE --rev 941b11f``, rebuilds
    ``data/history/`` byte for byte (its row cache in a temporary folder)."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^\.venv/bin/jllm-kg history \.\./awesome-japanese-llm .*$", readme,
                         re.M)
    words = shlex.split(line.split("#", 1)[0])
    out = tmp_path / "out"
    result = subprocess.run([str(CONSOLE_SCRIPT), "history", str(clone), *words[3:],
                             "--out", str(out), "--cache", str(tmp_path / "cache")],
                            cwd=PROJECT, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    committed = data_dir() / "history"
    assert sorted(p.name for p in (out / "history").iterdir()) == sorted(
        p.name for p in committed.iterdir())
    for path in (out / "history").iterdir():
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name
