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
