"""Terminal tables at 60, 80 and 120 columns: no line wider than the terminal, and every figure
of the rollup printed whole (a number is never cut or folded); narrow terminals get bands."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.publication.tables import cell_records
from localitymap.renderers.terminal import rates_tables, rollup_table
from localitymap.statistics.rates import add_rates, read_population

from .conftest import FEB2019

WIDTHS = (60, 80, 120)


def _print(renderable, width: int) -> str:
    con = Console(file=io.StringIO(), width=width, color_system=None, markup=False)
    con.print(renderable)
    return con.file.getvalue()


@pytest.fixture(scope="module")
def table():
    return rollup(FEB2019, "icn6")


@pytest.fixture(scope="module")
def rated():
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    return add_rates(rollup(data, scheme), data, scheme, read_population())


@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_of_the_rollup_prints_whole(table, width):
    out = _print(rollup_table(table), width)
    assert max(len(x) for x in out.splitlines()) <= width
    tokens = set(re.findall(r"\S+", out))
    for r in cell_records(table):
        assert r["count_text"] in tokens, (width, r["locality"], r["count_text"])
        if r["share_text"]:
            assert r["share_text"] in tokens and f"#{r['rank_text']}" in tokens
    # Each locality heads a column (headers over two lines) and each indicator starts a row.
    flat = " ".join(out.split())
    for word in ("North", "Central", "Borough", "total", "Parental", "misuse"):
        assert word in flat
    assert "…" not in out
    if width < 100:
        assert "(part 1 of 2)" in flat and "(part 2 of 2)" in flat
    else:
        assert "(part" not in flat


@pytest.mark.parametrize("width", WIDTHS)
def test_rates_tables_print_rates_and_intervals_whole_with_the_age_band(rated, width):
    out = _print(rates_tables(rated), width)
    assert max(len(x) for x in out.splitlines()) <= width
    tokens = set(re.findall(r"\S+", out))
    for r in rated.to_dict("records"):
        assert f"{r['rate']:,.1f}" in tokens
        assert f"{r['lcl_95']:,.1f}–{r['ucl_95']:,.1f}" in tokens
        assert f"{r['denominator']:,.0f}" in tokens
    assert "persons_" not in out and "()" not in out
    assert "Child protection plans: rate per 10,000 aged 0–15" in " ".join(out.split())
    assert "NEETs: rate per 10,000 aged 16–29" in " ".join(out.split())
