"""Regional and national use: registers of many authorities, authority totals, long layouts."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

from localitymap.errors import InvalidInput
from localitymap.inputs.indicators import load_catalogue, read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.inputs.wards import load_register
from localitymap.model.rollup import ALL_AUTHORITIES, authority_totals, rollup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from national import generate


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    n = generate(tmp_path_factory.mktemp("region"), wards=300, indicators=3, periods=1)
    reg = load_register(n.register)
    data = read_indicators(n.data, register=reg, catalogue=load_catalogue(n.catalogue))
    return n, reg, data, rollup(data, load_scheme(n.scheme, reg))


def test_a_register_of_many_authorities_is_accepted(region):
    n, reg, _, _ = region
    assert len(reg.authorities) == n.authorities > 1 and len(reg) == 300
    assert reg.lad_name == f"{n.authorities} authorities"
    code = reg.codes[1]
    assert reg.authority_of(code) in reg.authorities
    # A ward name used in two authorities matches by code, or with its authority, not alone.
    assert reg.match("Abbey") is None
    first_abbey = reg.codes[reg.names.index("Abbey")]
    lad = reg.authorities[reg.authority_of(first_abbey)]
    assert reg.match(f"Abbey ({lad})") == first_abbey
    message, hint = reg.unknown_ward_problem("Abbey")
    assert "more than one authority" in message and "code" in hint
    assert reg.is_total_label(lad) and reg.is_total_label(f"{lad} total")


def test_ambiguous_names_in_data_are_reported_not_guessed(region, tmp_path):
    _, reg, _, _ = region
    path = tmp_path / "d.csv"
    path.write_text("ward,x\nAbbey,3\n")
    with pytest.raises(InvalidInput) as info:
        read_indicators(path, register=reg)
    assert "more than one authority" in info.value.report.errors[0].message


def test_authority_totals_add_up_to_the_grand_total(region):
    _, reg, _, table = region
    assert set(table.loc[~table.is_total, "authority"]) <= set(reg.authorities.values())
    totals = authority_totals(table)
    for ind, grp in totals.groupby("indicator"):
        parts = grp[grp.authority != ALL_AUTHORITIES]
        grand = grp[grp.authority == ALL_AUTHORITIES].iloc[0]
        assert parts["count_low"].sum() == grand["count_low"]
        assert len(parts) == len(reg.authorities)
        body = table[(table.indicator == ind) & ~table.is_total]
        per = body.groupby("authority")["count_low"].sum()
        assert dict(zip(parts.authority, parts.count_low, strict=True)) == per.to_dict()
        assert (parts["share_low"] <= parts["share_high"]).all()
    assert authority_totals(rollup(None, "icn6")).empty  # one authority: its total is the borough's


def test_wide_tables_switch_to_a_long_layout_with_authority_totals(region):
    from localitymap.renderers.terminal import rollup_table

    _, reg, _, table = region
    buf = io.StringIO()
    Console(file=buf, width=120).print(rollup_table(table))
    text = buf.getvalue()
    n_loc = table.loc[~table.is_total, "locality"].nunique()
    assert f"{n_loc:,} localities: too many to lay out across the page" in text
    some = next(iter(reg.authorities.values()))
    assert f"{some} total" in text and "Grand total" in text
    # Every locality is printed, none cut off (one row per indicator and locality).
    assert all(loc in text for loc in table.loc[~table.is_total, "locality"].unique())


def test_crowded_maps_are_unlabelled_and_say_so():
    import geopandas as gpd
    from shapely.geometry import box

    from localitymap.renderers.maps import LABEL_LIMIT, draw_map, unlabelled_note

    n = LABEL_LIMIT + 4
    squares = [box(i * 1000, 0, i * 1000 + 900, 900) for i in range(n)]
    loc = gpd.GeoDataFrame({"locality": [f"Place {i}" for i in range(n)], "x_low": range(n),
                            "x_high": range(n)}, geometry=squares, crs=27700)  # fmt: skip
    fig = draw_map(loc, loc[["geometry"]], "x", "X", footer=[], illustrative=False)
    texts = [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]
    assert not any(t.startswith("Place ") for t in texts)
    assert any(unlabelled_note(n) in t for t in texts)
    few = draw_map(loc.iloc[:5], loc.iloc[:5][["geometry"]], "x", "X", footer=[],
                   illustrative=False)  # fmt: skip
    assert any(t.get_text().startswith("Place 0") for ax in few.axes for t in ax.texts)


def test_a_shared_name_beside_its_own_code_is_accepted(region, tmp_path):
    _, reg, _, _ = region
    abbey = reg.codes[reg.names.index("Abbey")]
    other = next(
        c for c, n in zip(reg.codes, reg.names, strict=True) if n == "Abbey" and c != abbey
    )
    good = tmp_path / "good.csv"
    good.write_text(f"ward_code,ward_name,x\n{abbey},Abbey,3\n")
    data = read_indicators(good, register=reg)
    assert data.values["ward_code"].tolist() == [abbey]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"ward_code,ward_name,x\n{abbey},Ward 00001,3\n")
    with pytest.raises(InvalidInput) as info:
        read_indicators(bad, register=reg)
    assert "but the row names" in info.value.report.errors[0].message
    assert reg.is_name_of("abbey", other) and not reg.is_name_of("Ward 00001", abbey)


def test_report_tables_run_down_the_page_by_locality_when_there_are_many(region):
    """Above ACROSS_LIMIT localities, a locality table would be hundreds of columns wide (Word
    holds 63): it turns, localities down and indicators across in parts, and says so."""
    import docx
    import openpyxl

    from localitymap.publication.report import ACROSS_LIMIT, Table, build_report
    from localitymap.renderers.documents import to_docx, to_xlsx
    from localitymap.statistics.rates import add_rates, read_population

    n, reg, data, table = region
    scheme = load_scheme(n.scheme, reg)
    table = add_rates(table, data, scheme, read_population(n.population, register=reg))
    doc = build_report(table, data, scheme, None)
    tables = {b.sheet: b for s in doc.sections for b in s.blocks if isinstance(b, Table)}
    localities = list(scheme.localities)
    assert len(localities) > ACROSS_LIMIT
    counts = tables["Counts"]
    labels = list(dict.fromkeys(table["label"]))
    assert counts.header == ["Locality", "Authority", *labels] and counts.across == "Indicator"
    assert [r[0].text for r in counts.rows] == [*localities, "Borough total"]
    assert counts.groups and any(
        f"With {len(localities):,} localities" in x for x in counts.layout_notes
    )
    # Each cell is the figure of its locality and indicator.
    body = table[~table.is_total].set_index(["locality", "label"])["count_low"]
    row = counts.rows[3]
    authority = table.set_index("locality")["authority"]
    assert row[1].text.lower() == str(authority[row[0].text].iloc[0]).lower()
    assert counts.rows[-1][1].text == "All authorities"
    for label, cell in zip(labels, row[2:], strict=True):
        assert cell.value == body[(row[0].text, label)]
    ranks = tables["Ranks"]
    assert [r[0].text for r in ranks.rows] == localities  # no rank for the total
    rates = tables["Rates"]
    units = {"Indicator 0": "per 10,000 aged 0–15", "Indicator 3": "per 10,000 aged 16–29",
             "Indicator 4": "% of those aged 0–15"}  # fmt: skip
    assert "Indicator 0 (per 10,000 aged 0–15)" in rates.header
    for label, unit in units.items():
        if label in labels:
            assert f"{label} ({unit})" in rates.header
    # The leaders' shares are given, as ranges where suppressed wards leave the total open.
    shares = [r[k].text for r in tables["Highest"].rows for k in (2, 4)]
    assert "not available" not in shares and all(s.endswith("%") for s in shares)

    d = docx.Document(io.BytesIO(to_docx(doc)))
    assert max(len(t.columns) for t in d.tables) <= 2 + 6  # locality, authority, 6 indicators
    assert len(d.tables[0].rows) == 1 + len(localities) + 1

    assert any("runs down the page by locality" in p.text for p in d.paragraphs)
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(doc)))
    # The workbook's long tables have no parts and no pages: the layout note is not theirs.
    assert not any(
        "runs down the page" in str(c.value) for ws in wb for row in ws.iter_rows() for c in row
    )
    ws = wb["Ranks"]
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Locality")
    assert [ws.cell(top, j).value for j in (1, 2, 3, 4)] == [
        "Locality",
        "Authority",
        "Indicator",
        "Rank",
    ]
    assert ws.max_row - top == len(localities) * len(labels)
    total = wb["Counts"]
    rows = [[c.value for c in r] for r in total.iter_rows(min_row=top + 1)]
    grand = [r for r in rows if r[0] == "Borough total"]
    assert len(grand) == len(labels)
    # The lowest possible total (a range's low end, or the figure where it is exact).
    assert [r[4] for r in grand] == [
        table[table.is_total & (table.label == lab)]["count_low"].iloc[0] for lab in labels
    ]


def test_findings_summarise_many_significantly_higher_localities(region):
    from localitymap.publication.findings import SENTENCE_LIMIT, findings
    from localitymap.statistics.rates import add_rates, read_population

    n, reg, data, table = region
    scheme = load_scheme(n.scheme, reg)
    rated = add_rates(table, data, scheme, read_population(n.population, register=reg))
    body = rated[~rated.is_total]
    higher = body.loc[body.vs_rest_95 == "higher", "locality"].unique()
    assert len(higher) > SENTENCE_LIMIT  # the synthetic region has plenty
    strongly = body.loc[body.vs_rest_998 == "higher", "locality"].nunique()
    sentences = findings(rated)
    # No sentence per locality: one summary instead.
    assert not [s for s in sentences if s.split(" had a significantly higher")[0] in set(higher)]
    (summary,) = [s for s in sentences if "localities had a significantly higher rate" in s]
    assert "than the rest of the area (95% level)" in summary  # a region, not a borough
    assert not any("rest of the borough" in s for s in sentences)
    n_loc = body.locality.nunique()
    assert summary.startswith(f"{len(higher):,} of {n_loc:,} localities")
    assert f"{strongly:,} of them also at the 99.8% level" in summary
    top = body[body.vs_rest_95 == "higher"].groupby("locality").size().max()
    assert f"({top})" in summary


def test_a_regional_report_has_no_single_authoritys_benchmark_table(region):
    from localitymap.publication.report import Table, build_report
    from localitymap.statistics.rates import add_rates, read_population

    n, reg, data, table = region
    scheme = load_scheme(n.scheme, reg)
    rated = add_rates(table, data, scheme, read_population(n.population, register=reg))
    doc = build_report(rated, data, scheme, None)
    assert "Published benchmarks" not in [s.title for s in doc.sections]
    # A user's population file is credited by its name, never claimed as ONS's.
    assert "Population: population.csv." in doc.notes
    assert not any("ONS" in n for n in doc.notes)
    assert all(b.rows for s in doc.sections for b in s.blocks if isinstance(b, Table))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(0, 5), st.booleans()),
        min_size=1,
        max_size=25,
    )
)
def test_shares_and_ranks_within_an_authority_match_their_definition(rows):
    """Against competition_ranks per authority, and share bounds by their definition: the
    locality as small (large) as it can be against the rest of its authority as large (small)."""
    import math

    import numpy as np
    import pandas as pd

    from localitymap.model.rollup import add_within_authority, competition_ranks

    t = pd.DataFrame({
        "indicator": "a", "locality": [f"L{k}" for k in range(len(rows))],
        "authority": [f"A{a}" for a, *_ in rows], "is_total": False,
        "count_low": [float(lo) for _, lo, _, _ in rows],
        "count_high": [np.nan if unb else float(lo + w) for _, lo, w, unb in rows],
    })  # fmt: skip
    add_within_authority(t)
    for _, grp in t.groupby("authority"):
        lo, hi = grp["count_low"].to_numpy(), grp["count_high"].to_numpy()
        rank, best, worst = competition_ranks(lo[None, :], hi[None, :])
        assert grp["authority_rank"].tolist() == rank[0].tolist()
        assert grp["authority_rank_best"].tolist() == best[0].tolist()
        assert grp["authority_rank_worst"].tolist() == worst[0].tolist()
        his = np.nan_to_num(hi, nan=math.inf)
        for k in range(len(grp)):
            rest_hi, rest_lo = np.delete(his, k).sum(), np.delete(lo, k).sum()
            if his.sum() == 0:
                assert math.isnan(grp["authority_share_low"].iat[k])
                continue
            # 0/0 (nothing here, and nothing possible elsewhere) gives the widest bounds.
            want_lo = lo[k] / (lo[k] + rest_hi) if lo[k] + rest_hi else 0.0
            want_hi = (
                1.0 if math.isinf(his[k]) or not his[k] + rest_lo else his[k] / (his[k] + rest_lo)
            )
            assert grp["authority_share_low"].iat[k] == pytest.approx(want_lo)
            assert grp["authority_share_high"].iat[k] == pytest.approx(want_hi)


def test_a_regions_published_table_ranks_within_each_authority_from_published_figures(region):
    from localitymap.publication.disclosure import protect, public_table
    from localitymap.renderers.export import to_csv

    _, _, _, table = region
    # One small locality figure (its total adjusted), so that the policy hides something.
    table = table.copy()
    first = table.index[~table["is_total"] & (table["authority"] != "several authorities")][0]
    ind = table.at[first, "indicator"]
    drop = table.at[first, "count_low"] - 2
    total = table.index[table["is_total"] & (table["indicator"] == ind)][0]
    for col in ("count_low", "count_high", "count"):
        table.at[first, col] -= drop
        table.at[total, col] -= drop
    pub = public_table(table, protect(table, "threshold5"))
    hidden = pub["disclosure"] == "suppressed"
    assert hidden.any()
    assert pub.loc[hidden, "authority_share_low"].isna().all()
    assert pub.loc[hidden, "authority_rank"].isna().all()
    body = ~table["is_total"] & (table["authority"] != "several authorities")
    raw = table[body]
    true_share = raw["count_low"] / raw.groupby(["indicator", "authority"])["count_low"].transform(
        "sum"
    )
    shown = body & ~hidden
    # The true share lies within the published bounds of every shown locality.
    assert (pub.loc[shown, "authority_share_low"] <= true_share[shown] + 1e-12).all()
    assert (pub.loc[shown, "authority_share_high"] >= true_share[shown] - 1e-12).all()
    # ...and a shown locality beside a hidden one in its authority cannot have an exact share.
    beside = pub[shown].merge(
        pub[hidden & body][["indicator", "authority"]].drop_duplicates(),
        on=["indicator", "authority"],
    )
    assert len(beside) and (beside["authority_share_low"] < beside["authority_share_high"]).all()
    # Their ranks within the authority are ranges that hold the true rank.
    true_rank = raw.groupby(["indicator", "authority"])["count_low"].rank(
        method="min", ascending=False
    )
    best, worst = pub.loc[shown, "authority_rank_best"], pub.loc[shown, "authority_rank_worst"]
    assert (best <= true_rank[shown]).all() and (true_rank[shown] <= worst).all()
    assert (beside["authority_rank_best"] <= beside["authority_rank_worst"]).all()
    header = next(line for line in to_csv(pub).splitlines() if not line.startswith("#"))
    assert "authority,authority_share_low,authority_share_high,authority_rank" in header


def test_within_authority_figures_skip_rows_with_no_authority():
    """A table read back from a file may have a locality with no authority: it gets no share
    or rank within one, and the others are unaffected."""
    import pandas as pd

    from localitymap.model.rollup import add_within_authority

    t = pd.DataFrame({"indicator": "a", "locality": ["N", "S", "E"], "authority": ["A", None, "A"],
                      "is_total": False, "count_low": [3.0, 4, 1], "count_high": [3.0, 4, 1]})  # fmt: skip
    add_within_authority(t)
    assert t["authority_share_low"].round(2).tolist()[::2] == [0.75, 0.25]
    assert pd.isna(t.loc[1, "authority_share_low"]) and pd.isna(t.loc[1, "authority_rank"])
    assert t["authority_rank"].tolist()[::2] == [1, 2]


def test_another_authoritys_register_without_boundaries_gets_a_report_without_maps(
    region, tmp_path, monkeypatch
):
    """The bundled boundaries are Croydon's: another register's report leaves maps out and
    says so, and a map asks for the boundary file instead of failing on Croydon's wards."""
    from typer.testing import CliRunner

    from localitymap.cli import app

    n, *_ = region
    monkeypatch.chdir(tmp_path)
    inputs = ["--data", str(n.data), "--register", str(n.register), "--scheme", str(n.scheme),
              "--population", str(n.population), "--catalogue", str(n.catalogue)]  # fmt: skip
    runner = CliRunner()
    result = runner.invoke(app, ["report", *inputs, "-o", "r.html"])
    assert result.exit_code == 0, result.output
    assert "the report has no maps: there are no ward boundaries" in result.stderr
    html = (tmp_path / "r.html").read_text()
    assert "<img" not in html and "Table 1:" in html
    result = runner.invoke(app, ["map", *inputs, "-i", "ind_0000", "-o", "m.png"])
    assert result.exit_code == 1
    assert "no ward boundaries for the register's wards" in result.stderr
    assert "--wards FILE" in result.stderr and not (tmp_path / "m.png").exists()


def test_localities_named_alike_in_several_authorities_are_warned_about(region, tmp_path):
    """Each authority naming its localities L1, L2 ... would add 13 authorities' L1 together:
    the rollup cannot know it is a mistake (a region may draw a locality across boundaries),
    so it says so by name."""
    import pandas as pd
    from typer.testing import CliRunner

    from localitymap.cli import app
    from localitymap.inputs.schemes import across_authorities

    n, reg, _, _ = region
    own = pd.read_csv(n.scheme)
    assert across_authorities(load_scheme(n.scheme, reg), reg).ok  # each within its authority
    alike = own.assign(
        locality=own["locality"].str.split(" ").str[-1]
    )  # "Authority 003 L2" -> "L2"
    path = tmp_path / "alike.csv"
    alike.to_csv(path, index=False)
    report = across_authorities(load_scheme(path, reg), reg)
    (warning,) = report.warnings
    assert "hold wards of more than one authority: 'L1' (" in warning.message
    assert "name them apart" in warning.hint
    result = CliRunner().invoke(app, ["rollup", "--data", str(n.data), "--register", str(n.register),
                                      "--scheme", str(path), "--catalogue", str(n.catalogue)])  # fmt: skip
    assert result.exit_code == 0 and "hold wards of more than one authority" in result.stderr
