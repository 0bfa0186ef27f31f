"""The exercise file: what it holds, how it is checked, and how the command line overrides it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.exercise import Exercise
from localitymap.inputs.exercise_file import (
    ExerciseSettings,
    init_text,
    parse_exercise,
    read_exercise,
)
from localitymap.publication.manifest import manifest_path, sha256

runner = CliRunner()


def test_init_text_is_the_bundled_croydon_exercise(tmp_path):
    s = parse_exercise(init_text(), tmp_path / "localitymap.toml")
    assert (s.scheme, s.disclosure, s.data, s.period) == ("icn6", "threshold5", None, None)
    assert s.output_folder == tmp_path / "outputs"  # relative to the file's folder
    assert s.indicators["young_carers"]["label"] == "Young carers"
    assert s.per == 10_000 and s.publication["source"].startswith("Children, Families")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[exercise]\nschem = "icn6"\n', "unknown key 'schem' in [exercise]"),
        ("[inputs]\ndata = 3\n", "data must be text"),
        ("[inputs]\nper = 0\n", "per must be a number of at least 1"),
        ('[output]\nx = "y"\n', "unknown table or key [output]"),
        ('[indicators.x]\nlable = "X"\n', "unknown key 'lable' in [indicators.x]"),
        ("[targets.cp_plans]\ntolerance = 2\n", "[targets.cp_plans] needs a numeric target"),
        ('[targets.cp_plans]\ntarget = 2\npolarity = "up"\n', "polarity must be low or high"),
        ("[exercise\n", "not valid TOML"),
    ],
)
def test_mistakes_are_named_not_ignored(tmp_path, text, message):
    with pytest.raises(InputError) as exc:
        parse_exercise(text, tmp_path / "ex.toml")
    assert message in str(exc.value) and "ex.toml" in str(exc.value)


def test_relative_paths_follow_the_file_and_empty_values_mean_default(tmp_path):
    s = parse_exercise('[inputs]\ndata = "2027/counts.csv"\nregister = ""\n', tmp_path / "e.toml")
    assert s.data == tmp_path / "2027" / "counts.csv" and s.register is None


def test_command_line_overrides_the_file_and_the_manifest_records_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "localitymap.toml").write_text(
        '[exercise]\nscheme = "areas3"\nperiod = "2019-02"\ndisclosure = "dfe"\n'
    )
    ex = Exercise.load(scheme="icn6")
    assert ex.settings.scheme == "icn6" and ex.settings.disclosure == "dfe"
    assert ex.settings.sha256 == sha256(tmp_path / "localitymap.toml")
    result = runner.invoke(app, ["rollup", "-o", "r.csv"])
    assert result.exit_code == 0, result.output
    assert "# Disclosure control: DfE convention." in (tmp_path / "r.csv").read_text()
    doc = json.loads(manifest_path(tmp_path / "r.csv").read_text())
    roles = {i["role"]: i for i in doc["inputs"]}
    assert roles["exercise"]["sha256"] == sha256(tmp_path / "localitymap.toml")
    assert doc["scheme"]["id"] == "areas3" and doc["disclosure_policy"] == "dfe"
    over = runner.invoke(app, ["rollup", "-s", "icn6", "--disclosure", "none", "-f", "csv"])
    assert over.exit_code == 0 and "NOT FOR PUBLICATION" in over.stdout


def test_no_scheme_anywhere_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["rollup"])
    assert result.exit_code == 2 and "localitymap init" in result.output


def test_init_refuses_to_overwrite_and_report_uses_the_output_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 1 and "already exists" in again.output
    result = runner.invoke(app, ["report", "--no-rates", "--title", "T"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "outputs" / "report.docx").is_file()


def test_settings_merge_keeps_what_is_not_overridden():
    s = ExerciseSettings(scheme="icn6", period="2019-02").merged(period=None, disclosure="dfe")
    assert (s.scheme, s.period, s.disclosure) == ("icn6", "2019-02", "dfe")
    with pytest.raises(TypeError):
        ExerciseSettings().merged(sheme="x")


def test_read_exercise_names_a_missing_file(tmp_path):
    with pytest.raises(InputError) as exc:
        read_exercise(tmp_path / "nope.toml")
    assert "localitymap init" in exc.value.one_line()


def test_verify_reads_the_exercise_folder_of_init_s_layout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["report", "--no-rates"]).exit_code == 0
    result = runner.invoke(app, ["verify", "outputs/report.docx.manifest.json"])
    assert result.exit_code == 0, result.output
    assert "current: report.docx still matches its inputs" in result.stdout
    (tmp_path / "localitymap.toml").write_text(
        (tmp_path / "localitymap.toml").read_text().replace("Children's services", "Demand")
    )
    stale = runner.invoke(app, ["verify", "outputs/report.docx.manifest.json"])
    assert stale.exit_code == 3 and "changed" in stale.stdout
