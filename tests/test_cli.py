"""Every command through Typer's CliRunner: output, exit codes, and where messages go."""

from __future__ import annotations

import ast
import io
import json

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_rollup_table_is_readable_at_100_columns():
    result = runner.invoke(
        app, ["rollup", "--scheme", "icn6", "--period", "2019-02"], env={"COLUMNS": "100"}
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(x) for x in lines) <= 100
    text = result.stdout
    assert "ILLUSTRATIVE DATA" in text and "Central West" in text
    assert "Borough" in lines[2] and "total" in lines[3]  # two-line headers keep the width down
    assert "…" not in text  # nothing truncated
    cp = next(i for i, x in enumerate(lines) if x.lstrip().startswith("Child protection"))
    assert "113" in lines[cp] and "405" in lines[cp] and "27.9% #1" in lines[cp + 1]
    assert "Highest and second-highest locality" in text
    # No policy given: the output says so, and so does stderr.
    assert "not for publication" in text.lower()
    assert result.stderr == (
        "warning: NOT FOR PUBLICATION: no disclosure control has been applied. Internal use only.\n"
    )


def test_rollup_csv_to_stdout_is_only_the_csv():
    result = run("rollup", "-s", "areas3", "--period", "2019-02", "-f", "csv")
    assert result.exit_code == 0
    df = pd.read_csv(io.StringIO(result.stdout), comment="#")
    assert set(df["locality"]) == {"North", "Central", "South", "Borough total"}
    north = df[(df.indicator == "cp_plans") & (df.locality == "North")].iloc[0]
    assert north["count"] == 65 + 73


@pytest.mark.parametrize("suffix, check", [
    (".csv", lambda p: p.read_text().startswith("# localitymap rollup")),
    (".md", lambda p: "| Child protection plans |" in p.read_text()),
    (".json", lambda p: json.loads(p.read_text())["meta"]["scheme"] == "icn6"),
    (".xlsx", lambda p: openpyxl.load_workbook(p).sheetnames[0] == "Cover"),
    (".txt", lambda p: "Locality demand" in p.read_text() and "\x1b[" not in p.read_text()),
])  # fmt: skip
def test_output_format_follows_the_file_suffix(tmp_path, suffix, check):
    out = tmp_path / f"result{suffix}"
    result = run("rollup", "-s", "icn6", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    assert check(out)


def test_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("keep me\n")
    result = run("rollup", "-s", "icn6", "-o", str(out))
    assert result.exit_code == 1
    assert "already exists; use --force to overwrite it" in result.stderr
    assert out.read_text() == "keep me\n"
    assert run("rollup", "-s", "icn6", "-o", str(out), "--force").exit_code == 0
    assert out.read_text().startswith("# localitymap rollup")


def test_misused_options_exit_2():
    result = run("rollup", "-s", "icn6", "-f", "xlsx")
    assert result.exit_code == 2 and "xlsx needs --output" in result.stderr
    assert run("rollup", "-s", "icn6", "-f", "pdf").exit_code == 2
    assert run("rollup").exit_code == 2  # --scheme is required
    bad = run("rollup", "-s", "icn6", "-o", "out.docx")
    assert bad.exit_code == 2 and "cannot tell the format" in bad.stderr


def test_input_error_is_one_line_without_traceback(write):
    path = write("bad.csv", "ward,cp_plans\nFairfeld,3\nWaddon,-2\n")
    result = run("rollup", "-s", "icn6", "-d", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: ") and "2 problems found" in lines[0]
    assert any("bad.csv:2: unknown ward 'Fairfeld'; did you mean 'Fairfield'" in x for x in lines)
    assert any("bad.csv:3: Waddon, cp_plans: -2 is negative" in x for x in lines)
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_debug_shows_the_traceback(write):
    path = write("bad.csv", "ward,cp_plans\nFairfeld,3\n")
    result = run("--debug", "rollup", "-s", "icn6", "-d", str(path))
    assert result.exit_code == 1
    assert type(result.exception).__name__ == "InvalidInput"


def test_unassigned_and_missing_wards_need_opting_in(write):
    data = write("d.csv", "ward,cp_plans\nFairfield,10\nWaddon,2\nKenley,5\n")
    scheme = write(
        "s.toml",
        '[localities.A]\nwards = ["Fairfield", "Selhurst"]\n[localities.B]\nwards = ["Kenley"]\n',
    )
    result = run("rollup", "-s", str(scheme), "-d", str(data))
    assert result.exit_code == 1 and "in no locality of s: Waddon" in result.stderr
    assert "--allow-unassigned" in result.stderr
    result = run("rollup", "-s", str(scheme), "-d", str(data), "--allow-unassigned")
    assert result.exit_code == 1 and "have no data: Selhurst" in result.stderr
    result = run(
        "rollup",
        "-s",
        str(scheme),
        "-d",
        str(data),
        "--allow-unassigned",
        "--allow-missing-wards",
        "-f",
        "csv",
    )
    assert result.exit_code == 0
    df = pd.read_csv(io.StringIO(result.stdout), comment="#").set_index("locality")
    assert df.loc["Unassigned", "count"] == 2
    assert df.loc["A", "count_low"] == 10 and pd.isna(df.loc["A", "count_high"])
    assert "warning: 25 of the 28 wards have no data" in result.stderr


def test_notes_about_input_go_to_stderr(write):
    data = write(
        "d.csv", "Title row\nward,cp_plans\n" + "".join(f"{w},1\n" for w in range(0)) + "Total,0\n"
    )
    result = run("validate", str(data))
    assert "skipped 1 title row" in result.stdout  # validate's report is its output


def test_suppressed_range_option(write):
    data = write("d.csv", "ward,cp_plans\nFairfield,10\nWaddon,*\nKenley,5\n")
    scheme = write(
        "s.toml",
        '[localities.A]\nwards = ["Fairfield", "Waddon"]\n[localities.B]\nwards = ["Kenley"]\n',
    )
    args = ["rollup", "-s", str(scheme), "-d", str(data), "--allow-missing-wards", "-f", "csv"]
    df = pd.read_csv(io.StringIO(run(*args, "--suppressed-range", "1-4").stdout), comment="#")
    assert df.loc[0, ["count_low", "count_high"]].tolist() == [11, 14]
    assert run(*args, "--suppressed-range", "four").exit_code == 2


def test_validate_good_file_exits_0():
    result = run("validate", "data/indicators/2019-02")
    assert result.exit_code == 0
    assert "data/indicators/2019-02: 0 error(s), 0 warning(s): no problems found" in result.stdout


def test_validate_reports_every_problem_and_exits_3(write):
    path = write(
        "bad.csv", "ward,cp_plans,lac\nFairfeld,3,1\nWaddon,2.5,x\nWaddon,1,1\nTotal,9,9\n"
    )
    result = run("validate", str(path), "-f", "csv")
    assert result.exit_code == 3
    report = pd.read_csv(io.StringIO(result.stdout))
    errors = report[report.severity == "error"]
    assert len(errors) >= 4
    assert set(errors["row"].dropna().astype(int)) >= {2, 3, 4}
    assert "did you mean 'Fairfield'?" in errors["hint"].tolist()


def test_validate_with_scheme_names_uncovered_wards(write):
    data = write("d.csv", "ward,cp_plans\nFairfield,3\n")
    result = run("validate", str(data), "-s", "icn6")
    assert result.exit_code == 3
    assert "Waddon" in result.stdout and "has no data" in result.stdout


def test_schemes_list_and_show():
    listing = run("schemes", "list")
    assert listing.exit_code == 0 and "icn6" in listing.stdout and "areas3" in listing.stdout
    shown = runner.invoke(app, ["schemes", "show", "icn6"], env={"COLUMNS": "120"})
    assert shown.exit_code == 0
    assert "6 localities, 28 wards" in shown.stdout
    assert "Norbury & Pollards Hill" in shown.stdout and "E05011472" in shown.stdout
    assert "Published by Croydon Council, 2019" in shown.stdout
    assert run("schemes", "show", "nope").exit_code == 1


def test_version_and_help():
    assert run("--version").stdout.strip() == "localitymap 0.1.0"
    helptext = run("--help").stdout
    assert "Exit codes: 0 success; 1 input or data error; 2 misused options" in helptext
    assert "rollup" in helptext and "validate" in helptext


def _heavy_modules_after(argv: list[str], heavy: tuple[str, ...]) -> list[str]:
    """Run the CLI in a fresh interpreter and list which of ``heavy`` it imported."""
    import subprocess
    import sys

    code = (
        f"import sys; sys.argv={['localitymap', *argv]!r}\n"
        "from localitymap.cli import main\n"
        "try: main()\nexcept SystemExit: pass\n"
        f"sys.stderr.write('HEAVY ' + repr([m for m in {heavy!r} if m in sys.modules]))"
    )
    err = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stderr
    return ast.literal_eval(err[err.index("HEAVY ") + 6 :])


def test_help_does_not_import_heavy_modules():
    heavy = ("pandas", "numpy", "geopandas", "matplotlib", "openpyxl", "pydantic")
    assert _heavy_modules_after(["--help"], heavy) == []


def test_rollup_does_not_import_geometry_or_plotting():
    heavy = ("geopandas", "shapely", "matplotlib", "openpyxl", "pyogrio")
    assert _heavy_modules_after(["rollup", "-s", "icn6"], heavy) == []


def test_piped_output_uses_the_designed_width():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    code = (
        "from localitymap.cli import main; import sys; "
        "sys.argv=['localitymap','rollup','-s','icn6']; main()"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    header = out.splitlines()[3]
    assert "total" in header and len(header) <= 100  # not cropped to rich's 80-column default
