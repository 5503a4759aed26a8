"""``jllm-kg query``'s text table: fitted to the terminal (IRIs shortened, cells cut with an
ellipsis), whole with ``--wide`` or when the output is a pipe, through the real console script."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from jllm_kg.querying import _table, display_width

SWALLOW = "https://w3id.org/jllm-kg/id/model/tokyotech-llm--Llama-3-Swallow-70B-Instruct-v0.1"

# SPARQL 1.1 JSON results as the worker writes them: an IRI, Japanese and multi-line text,
# an unbound cell.
RESULTS = {
    "head": {"vars": ["model", "label", "note"]},
    "results": {"bindings": [
        {"model": {"type": "uri", "value": SWALLOW},
         "label": {"type": "literal", "value": "大規模言語モデル Swallow の指示チューニング版",
                   "xml:lang": "ja"},
         "note": {"type": "literal", "value": "line one\nline two"}},
        {"model": {"type": "uri", "value": "http://example.org/other"},
         "label": {"type": "literal", "value": "short"}},
    ]},
}


def test_fitted_table_stays_within_the_width() -> None:
    out = _table(RESULTS, width=50)
    lines = out.splitlines()
    assert max(display_width(line) for line in lines) <= 50
    assert lines[0].split(" | ")[0].strip() == "model"
    assert lines[2].startswith("model:tokyotec…")  # IRI shortened with a resource prefix
    assert "…" in lines[2]
    assert "line one line two"[:5] in lines[2]  # the line break became a space: one row a line
    assert lines[3].startswith("http://example.org/other"[:10])
    assert lines[-1] == "(2 rows)"
    # every row's separators line up in terminal columns, Japanese (two columns a char) included
    columns = {tuple(display_width(line[:i]) for i, c in enumerate(line) if c == "|")
               for line in lines[:-1] if "|" in line}
    assert len(columns) == 1


def test_whole_table_keeps_every_value() -> None:
    out = _table(RESULTS, width=None)
    assert SWALLOW in out
    assert "大規模言語モデル Swallow の指示チューニング版" in out
    assert "…" not in out


def test_ask_answer_is_a_word() -> None:
    assert _table({"head": {}, "boolean": True}, width=40) == "true\n"


def _jllm_kg(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("jllm-kg")
    return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=300)


def test_width_option_fits_the_saved_lineage_query() -> None:
    done = _jllm_kg("query", "swallow-lineage", "--width", "80")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= 80
    assert lines[2].startswith("model:")
    assert "source:" in done.stdout  # IRIs in a GROUP_CONCAT text are shortened too
    assert lines[-1] == "(3 rows)"  # + the chat vector 003's footnote [^17] names


def test_piped_output_and_wide_keep_whole_cells() -> None:
    piped = _jllm_kg("query", "swallow-lineage")
    wide = _jllm_kg("query", "swallow-lineage", "--wide")
    assert piped.returncode == wide.returncode == 0
    assert piped.stdout == wide.stdout
    assert SWALLOW in piped.stdout
    assert "…" not in piped.stdout
    assert max(len(line) for line in piped.stdout.splitlines()) > 200


def test_terminal_output_fits_the_terminal() -> None:
    """At a terminal (a pseudo-terminal here) the table fits its width (``COLUMNS``)."""
    script = Path(sys.executable).with_name("jllm-kg")
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(script), "query", "swallow-lineage"], stdout=terminal,
                               stderr=subprocess.PIPE, env={**os.environ, "COLUMNS": "72"})
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the command has finished writing
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=300) == 0
    lines = b"".join(chunks).decode("utf-8").splitlines()
    assert lines[-1] == "(3 rows)"  # + the chat vector 003's footnote [^17] names
    assert max(display_width(line) for line in lines) <= 72
    assert any("…" in line for line in lines)


@pytest.mark.parametrize("args", [["--width", "0"], ["--width", "x"], ["--wide", "--width", "90"]])
def test_bad_width_options_exit_2(args: list[str]) -> None:
    done = _jllm_kg("query", "swallow-lineage", *args)
    assert done.returncode == 2
    assert "--width" in done.stderr
    assert done.stdout == ""
