"""End to end: an ingest run over an edited copy of the curated tables stops at a misspelt key
(it used to be ignored: a developer lost its aliases and every test stayed green)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jllm_kg.paths import curated_dir


def _ingest(seed: Path, out: Path, curated: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("jllm-kg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "jllm_kg.cli"]
    env = {**os.environ, "JLLM_KG_CURATED_DIR": str(curated)}
    return subprocess.run(
        [*command, "ingest", str(seed), "--out", str(out)],
        capture_output=True, text=True, timeout=300, env=env,
    )


@pytest.mark.seeds
def test_ingest_stops_at_a_misspelt_aliases_key(
    seed_files: tuple[Path, ...], tmp_path: Path
) -> None:
    paper = next(path for path in seed_files if path.name.startswith("004_"))
    curated = tmp_path / "curated"
    shutil.copytree(curated_dir(), curated)
    developers = curated / "developers.yaml"
    text = developers.read_text(encoding="utf-8")
    old = 'aliases: [りんな, "rinna Co., Ltd."]'
    assert text.count(old) == 1
    developers.write_text(text.replace(old, 'alias: [りんな, "rinna Co., Ltd."]'), encoding="utf-8")

    result = _ingest(paper, tmp_path / "out", curated)

    assert result.returncode == 2, result.stderr
    assert f"{developers} line " in result.stderr
    assert "developers[0] (key 'rinna').alias: unknown key 'alias' (misspelt?)" in result.stderr
    assert not (tmp_path / "out" / "graph").exists()


@pytest.mark.seeds
def test_ingest_reads_the_curated_copy(seed_files: tuple[Path, ...], tmp_path: Path) -> None:
    """The control: the same run over an unedited copy succeeds."""
    paper = next(path for path in seed_files if path.name.startswith("004_"))
    curated = tmp_path / "curated"
    shutil.copytree(curated_dir(), curated)
    result = _ingest(paper, tmp_path / "out", curated)
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "out" / "graph").glob("arxiv-2404.01657-*.nq"))
