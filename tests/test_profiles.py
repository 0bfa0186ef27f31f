"""Locality profiles: a page per locality, figures from the public rollup, in Word and HTML."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from localitymap import load_scheme, read_indicators
from localitymap.cli import app
from localitymap.exercise import Exercise
from localitymap.inputs.benchmarks import load_benchmarks
from localitymap.publication.profiles import build_profiles, exercise_profiles, locality_findings
from localitymap.renderers.profiles import to_docx, to_html
from localitymap.statistics.benchmark import benchmark
from localitymap.statistics.rates import read_population

from . import browser
from .conftest import FEB2019

runner = CliRunner()


def _public(period_or_path, scheme):
    where = (
        {"data": period_or_path} if isinstance(period_or_path, Path) else {"period": period_or_path}
    )
    ex = Exercise(scheme=scheme.id, disclosure="threshold5", **where)
    return ex.data, ex.table(rates=True)


@pytest.fixture(scope="module")
def doc():
    scheme = load_scheme("icn6")
    _, before = _public("2019-02", scheme)
    data, now = _public("2020-02", scheme)
    bench = benchmark(load_benchmarks(), "Croydon")
    return build_profiles(now, data, scheme, read_population(), previous=before, benchmarks=bench)


def _rows(table):
    return {r[0].text: [c.text for c in r] for r in table.rows}


def test_one_section_per_locality_with_every_part(doc):
    scheme = load_scheme("icn6")
    assert [s.title for s in doc.sections[:-1]] == [
        "North West", "North East", "Central West", "Central East", "South West", "South East"
    ]  # fmt: skip
    assert set(scheme.localities) == {s.title for s in doc.sections[:-1]}
    cw = next(s for s in doc.sections if s.title == "Central West")
    assert cw.blocks[0].text.startswith("Central West is made up of 6 wards: ")
    population, indicators, *_, context = [b for b in cw.blocks if hasattr(b, "rows")]
    pop = read_population()
    codes = list(scheme.localities["Central West"])
    kids = int(pop.loc[codes, "persons_0_15"].sum())
    assert _rows(population)["Aged 0–15"][1] == f"{kids:,}"
    cp = _rows(indicators)["Child protection plans"]
    data = read_indicators(period="2020-02").values
    count = int(data[(data.indicator == "cp_plans") & data.ward_code.isin(codes)]["low"].sum())
    before = read_indicators(period="2019-02").values
    was = int(before[(before.indicator == "cp_plans") & before.ward_code.isin(codes)]["low"].sum())
    assert cp[1] == str(count)
    assert cp[3] == f"{count / kids * 10_000:.1f}"
    assert cp[-1] == f"{count - was:+d}"
    assert _rows(context)["Child protection plans"][3] == "62.6 (2025)"  # published, DfE
    findings = [b.text for b in cw.blocks if getattr(b, "style", "") == "bullet"]
    assert findings and all("Central West" in f for f in findings)


def test_findings_go_to_the_localities_they_name():
    said = locality_findings(
        ["South East had the most.", "South had none.", "Central West, then South East."],
        ["South", "South East", "Central West"],
    )
    assert said == {
        "South": ["South had none."],
        "South East": ["South East had the most.", "Central West, then South East."],
        "Central West": ["Central West, then South East."],
    }


def test_hidden_counts_stay_hidden(tmp_path):
    v = read_indicators(FEB2019).values
    wide = v.pivot(index="ward_code", columns="indicator", values="low") // 9
    path = tmp_path / "small.csv"
    path.write_text("# period: 2019-02\n" + wide.astype(int).reset_index().to_csv(index=False))
    scheme = load_scheme("icn6")
    data, table = _public(path, scheme)
    d = build_profiles(table, data, scheme, read_population())
    hidden = table[(table.disclosure == "suppressed") & ~table.is_total]
    assert len(hidden) > 0
    for rec in hidden.to_dict("records"):
        section = next(s for s in d.sections if s.title == rec["locality"])
        indicators = [b for b in section.blocks if hasattr(b, "rows")][1]
        row = _rows(indicators)[rec["label"]]
        assert row[1] == row[2] == row[3] == "[c]"


def test_word_has_a_page_per_locality_and_html_prints_so(doc, tmp_path):
    d = docx.Document(io.BytesIO(to_docx(doc)))
    heads = [p for p in d.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in heads][:2] == ["North West", "North East"]
    assert all(p.paragraph_format.page_break_before for p in heads[1:])
    assert not heads[0].paragraph_format.page_break_before
    page = to_html(doc)
    assert "break-before: page" in page and "<script" not in page
    assert "<bundled>" not in page


def test_profiles_command_in_both_formats(tmp_path):
    for name in ("p.docx", "p.html"):
        out = tmp_path / name
        result = runner.invoke(app, ["profiles", "-s", "icn6", "-o", str(out)])
        assert result.exit_code == 0, result.output
    d = docx.Document(str(tmp_path / "p.docx"))
    assert len(d.inline_shapes) == 6  # a map per locality
    alts = [s._inline.docPr.get("descr") for s in d.inline_shapes]
    assert alts[0].startswith("Map of Croydon with the 4 wards of North West shaded and named")
    html = (tmp_path / "p.html").read_text()
    assert html.count("<h2>") == 7 and html.count('alt="Map of Croydon') == 6
    bad = runner.invoke(app, ["profiles", "-s", "icn6", "-o", str(tmp_path / "p.pdf")])
    assert bad.exit_code == 2
    pdf = browser.print_pdf(tmp_path / "p.html", tmp_path / "p.pdf")
    text = browser.pdf_text(pdf)
    pages = text.split("\f")
    starts = [
        i
        for i, p in enumerate(pages)
        if re.search(r"^\s*(North|Central|South) (West|East)\s*$", p, re.M)
    ]
    assert len(starts) >= 6


def test_profiles_from_the_exercise_take_the_period_before():
    ex = Exercise(scheme="icn6", disclosure="threshold5")
    doc = exercise_profiles(ex)
    sw = next(s for s in doc.sections if s.title == "South West")
    indicators = [b for b in sw.blocks if hasattr(b, "rows")][1]
    assert indicators.header[-1] == "Change in count since February 2019"
    assert doc.status.startswith("For general release")


def test_benchmarks_of_another_authority_are_named_as_theirs(tmp_path):
    out = tmp_path / "p.html"
    result = runner.invoke(app, ["profiles", "-s", "icn6", "--authority", "Leeds", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert '<th scope="col">Leeds published (year)</th>' in page and "Croydon published" not in page
