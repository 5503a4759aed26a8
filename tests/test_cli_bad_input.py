"""The ``jllm-kg`` console script under bad input: one line naming the culprit, never a
traceback; a list cut in the middle of a row ingests with a warning naming file and line;
validating nothing is an error; an ingest swaps one whole graph set into ``--out``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from jllm_kg.cli import EXIT_BAD_INPUT, EXIT_OK
from jllm_kg.pipeline import swap_in

CONSOLE_SCRIPT = Path(sys.executable).with_name("jllm-kg")
LIST_002 = "002_f7b8d5b33f5968b2.txt"
NOBODY = 65534


def jllm_kg(*args: str | Path, cwd: Path, as_nobody: bool = False
            ) -> subprocess.CompletedProcess[str]:
    command = [str(CONSOLE_SCRIPT), *map(str, args)]
    if as_nobody:  # root writes into read-only folders: drop to an unprivileged user
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                   *command]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          check=False)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


def test_ingest_out_at_a_file_is_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder\n", encoding="utf-8")
    result = jllm_kg("ingest", seeds_dir / LIST_002, "--out", "taken", cwd=tmp_path)
    assert_one_line_error(result, "--out taken", "is a file")
    result = jllm_kg("ingest", seeds_dir / LIST_002, "--out", "taken/below", cwd=tmp_path)
    assert_one_line_error(result, "--out taken/below", "Not a directory")


def test_ingest_out_at_a_read_only_folder_is_one_line(tmp_path: Path, seeds_dir: Path) -> None:
    as_nobody = os.geteuid() == 0
    if as_nobody and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder is writable")
    work = tmp_path / "work"
    work.mkdir()
    source = work / LIST_002
    shutil.copy(seeds_dir / LIST_002, source)
    (work / "locked").mkdir()
    for path in (tmp_path, work, source):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (work / "locked").chmod(0o555)
    result = jllm_kg("ingest", LIST_002, "--out", "locked", cwd=work, as_nobody=as_nobody)
    assert_one_line_error(result, "--out locked", "Permission denied")
    assert list((work / "locked").iterdir()) == []


def cut_copy(seeds_dir: Path, folder: Path, line_number: int, keep: float) -> Path:
    """Seed 002 up to its table row ``line_number``, of which only ``keep`` of the text stays."""
    lines = (seeds_dir / LIST_002).read_text(encoding="utf-8").split("\n")
    row = lines[line_number - 1]
    assert row.startswith("|") and row.rstrip().endswith("|")
    cut = folder / "cut.txt"
    cut.write_text("\n".join(lines[:line_number - 1]) + "\n" + row[:int(len(row) * keep)],
                   encoding="utf-8")
    return cut


@pytest.mark.parametrize(("keep", "says"), [(0.5, "the row has 2 of its table's 6 cells"),
                                            (0.97, "the document ends inside this table row")])
def test_a_list_cut_mid_row_ingests_with_a_warning(tmp_path: Path, seeds_dir: Path,
                                                   keep: float, says: str) -> None:
    cut_copy(seeds_dir, tmp_path, 102, keep)
    result = jllm_kg("ingest", "cut.txt", "--out", "out", cwd=tmp_path)
    assert result.returncode == EXIT_OK, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("jllm-kg ingest: warning: cut.txt:102: ")
    assert says in warnings[0] and "cut" in warnings[0]


def test_the_seeds_ingest_without_warnings(tmp_path: Path, seed_files: tuple[Path, ...]) -> None:
    result = jllm_kg("ingest", *seed_files, "--out", "out", cwd=tmp_path)
    assert result.returncode == EXIT_OK
    assert result.stderr == ""


def test_validate_a_folder_without_rdf_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("no RDF here\n", encoding="utf-8")
    for folder in ("empty", "notes"):
        result = jllm_kg("validate", folder, cwd=tmp_path)
        line = assert_one_line_error(result, f"no RDF files in {folder}", ".ttl")
        assert "conforms" not in line and result.stdout == ""


def test_ingest_into_an_earlier_out_holds_only_the_new_set(tmp_path: Path,
                                                          seeds_dir: Path) -> None:
    # 002 then 004 into one folder left 002's file beside 004's: 698 violations
    first = jllm_kg("ingest", seeds_dir / LIST_002, "--out", "out", cwd=tmp_path)
    assert first.returncode == EXIT_OK, first.stderr
    (tmp_path / "out" / "graph" / "stray.nq").write_text(
        '<urn:x:a> <urn:x:p> "left over" <urn:x:g> .\n', encoding="utf-8")
    second = jllm_kg("ingest", seeds_dir / "004_9c6061823d69ccef.txt", "--out", "out",
                     cwd=tmp_path)
    assert second.returncode == EXIT_OK, second.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph"]
    written = sorted(Path(line.split("wrote ", 1)[1]).name
                     for line in second.stdout.splitlines() if "wrote " in line)
    assert "curated.nq" in written and len(written) == 2  # the paper's graph and the tables'
    assert sorted(p.name for p in (tmp_path / "out" / "graph").iterdir()) == written
    validated = jllm_kg("validate", "out", cwd=tmp_path)
    assert validated.returncode == EXIT_OK, validated.stdout[-2000:]
    assert validated.stdout.startswith("conforms: 0 violation(s)")


def test_swap_in_shows_readers_one_whole_set(tmp_path: Path) -> None:
    """While sets are swapped in over and over, a reader lists ``graph/`` as one whole set,
    the old or the new, never a mix and never missing."""
    target = tmp_path / "graph"
    sets = [{"a.nq", "b.nq"}, {"c.nq", "d.nq", "e.nq"}]
    target.mkdir()
    for name in sets[0]:
        (target / name).touch()
    seen: list[set[str] | None] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(set(os.listdir(target)))
            except FileNotFoundError:
                seen.append(None)

    reader = threading.Thread(target=read)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # let the reader run between any two steps of the swap
    reader.start()
    try:
        for round_number in range(600):
            fresh = tmp_path / f".ingest-{round_number}"
            fresh.mkdir()
            for name in sets[(round_number + 1) % 2]:
                (fresh / name).touch()
            swap_in(fresh, target)
            # kept until the reader stops: a listing begun before the swap reads the old set
            fresh.rename(tmp_path / f"old-{round_number}")
    finally:
        stop.set()
        reader.join()
        sys.setswitchinterval(interval)
    assert seen and all(listing in sets for listing in seen), {
        frozenset(x) if x is not None else None for x in seen}
    assert set(os.listdir(target)) == sets[0]


@pytest.mark.parametrize(("content", "name"), [(None, "no-such.txt"), (b"", "empty.txt"),
                                               (b"\xff\xfe\x00 garbage", "garbage.txt")])
def test_an_ingest_error_names_the_file_once(tmp_path: Path, content: bytes | None,
                                             name: str) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = jllm_kg("ingest", name, "--out", "out", cwd=tmp_path)
    line = assert_one_line_error(result, f"jllm-kg ingest: {name}: ")
    assert line.count(name) == 1
    assert not (tmp_path / "out" / "graph").exists()


@pytest.mark.parametrize("command", [["export"], ["export", "--lineage"],
                                     ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--format", "csv"]])
def test_a_reader_that_stops_early_is_no_error(command: list[str]) -> None:
    """`jllm-kg export | head`: the pipe closes under the writer; that is the reader's choice."""
    process = subprocess.Popen([sys.executable, "-m", "jllm_kg.cli", *command],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(200)
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, errors
    assert "Broken pipe" not in errors and "Traceback" not in errors
