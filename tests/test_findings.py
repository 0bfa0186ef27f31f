"""Findings: the published statements come out of the data, ties read 'equally', per-child
differences and significance are reported, uncertainty is admitted."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.publication.findings import findings, findings_markdown
from localitymap.statistics.rates import add_rates, read_population

from .conftest import FEB2019


@pytest.fixture(scope="module")
def icn6():
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    table = rollup(data, scheme)
    return table, add_rates(table, data, scheme, read_population())


def test_published_findings_are_written_from_the_data(icn6):
    text = findings(icn6[0])
    assert text[0] == (
        "Central West had the highest number for all 11 service indicators, including 28% of "
        "child protection plans and 27% of looked-after children."
    )
    assert (
        "South East had the second highest number of early help open cases, C&F assessments, "
        "EHC plans, exclusions and NEETs." in text
    )
    assert (
        "North West had the second highest number of child in need plans, looked-after children, "
        "children with disabilities and persistent absentees." in text
    )
    assert "Domestic abuse was highest in Central West, then South East and North East." in text
    assert (
        "Adult mental health was equally highest in North East and Central West, then North West."
        in text
    )
    assert (
        "Parental substance misuse was highest in Central East, then Central West and North East."
        in text
    )


def test_per_child_findings_show_smaller_pockets_of_need(icn6):
    text = findings(icn6[1])
    differs = next(s for s in text if s.startswith("Per child the picture differs"))
    assert "South East for early help open cases" in differs and "NEETs" in differs
    assert "Central East for child protection plans, looked-after children" in differs
    south_east = next(s for s in text if s.startswith("South East had a significantly higher rate"))
    assert "NEETs" in south_east and "99.8% level" in south_east
    assert not any(s.startswith("South West had a significantly higher rate") for s in text)


def test_ties_for_second_are_said_as_ties():
    data, scheme = read_indicators(FEB2019), load_scheme("areas3")
    text = findings(rollup(data, scheme))
    assert "North and South had equally the second highest number of NEETs." in text
    assert not any(
        "second highest number" in s and "NEETs" in s and "equally" not in s for s in text
    )


def test_uncertain_orders_are_admitted(write):
    rows = "".join(
        f"{w},{v}\n" for w, v in [("Fairfield", "<10"), ("Waddon", "3"), ("Kenley", "7")]
    )
    data = read_indicators(write("d.csv", "ward,cp_plans\n" + rows))
    scheme = load_scheme(
        write(
            "s.toml",
            '[localities.A]\nwards = ["Fairfield", "Waddon"]\n[localities.B]\nwards = ["Kenley"]\n',
        )
    )
    text = findings(rollup(data, scheme))
    assert (
        text[-1]
        == "Suppressed figures mean the order of localities is not certain for child protection plans."
    )


def test_markdown_findings_are_in_the_rollup_export(icn6):
    md = findings_markdown(icn6[0])
    assert md.startswith("### Findings\n\n*From illustrative data")
    from localitymap.renderers.export import to_markdown

    assert "### Findings" in to_markdown(icn6[0])


def test_findings_cli():
    runner = CliRunner()
    result = runner.invoke(app, ["findings", "-s", "icn6", "--period", "2019-02"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("For general release. Small numbers are suppressed")
    assert lines[1].startswith("(From illustrative data")
    assert lines[2].startswith("Central West had the highest number for all 11 service indicators")
    assert any(line.startswith("Per child the picture differs") for line in lines)
    plain = runner.invoke(app, ["findings", "-s", "icn6", "--no-rates", "-f", "md"])
    assert plain.stdout.startswith("### Findings\n\n*For general release")
    assert "Per child" not in plain.stdout


def test_a_suppressed_locality_above_the_shown_ones_is_not_passed_over(tmp_path):
    # Only one ward has child protection plans (3): its locality is hidden, the others show 0.
    # The shown zeros are not "the highest"; the sentence must not name them.
    import pandas as pd

    from localitymap.exercise import Exercise
    from localitymap.inputs.wards import load_register

    reg = load_register()
    rows = [{"ward": reg.name_of(c), "cp_plans": 0, "lac": 10} for c in reg.codes]
    rows[0]["cp_plans"] = 3
    pd.DataFrame(rows).to_csv(tmp_path / "d.csv", index=False)
    lines = Exercise(scheme="icn6", data=tmp_path / "d.csv", disclosure="threshold5").findings()
    cp = [x for x in lines if "child protection plans" in x]
    assert cp == [
        "The locality with the highest number of child protection plans cannot be named: its "
        "figure is suppressed."
    ]
