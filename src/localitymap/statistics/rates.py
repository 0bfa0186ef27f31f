"""Per-child rates for a rollup: denominators from ward populations, rates with 95% and 99.8%
confidence intervals, and each locality compared with the rest of the borough.

Which population an indicator is divided by is the catalogue's ``denominator`` column (a column
name of the population file, e.g. ``persons_0_15``), so a user with 0-17 or 16-17 figures adds
that column to their population file and names it in their catalogue.

>>> from localitymap import read_indicators, rollup
>>> from localitymap import load_scheme
>>> data, scheme = read_indicators(period="2019-02"), load_scheme("icn6")
>>> t = add_rates(rollup(data, scheme), data, scheme, read_population())
>>> row = t[(t.indicator == "cp_plans") & (t.locality == "South West")].iloc[0]
>>> float(round(row["rate"], 1)), row["ci_method"], row["vs_rest_95"]
(29.1, 'Byar', 'lower')
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import Report
from localitymap.inputs.indicators import IndicatorData, validate_indicators
from localitymap.inputs.wards import WardRegister, load_register
from localitymap.model.rollup import UNASSIGNED, public_name
from localitymap.paths import data_dir, display_path
from localitymap.statistics.methods import (
    compare_bounded,
    compare_proportions,
    count_limits,
    wilson_ci,
)

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.schemes import Scheme

DEFAULT_POPULATION = "croydon_ward_population_mye2019.csv"
MULTIPLIER = 10_000
RATE_COLUMNS = [
    "measure", "denominator_band", "denominator", "rate", "rate_low", "rate_high",
    "lcl_95", "ucl_95", "lcl_998", "ucl_998", "ci_method", "vs_rest_95", "vs_rest_998",
]  # fmt: skip


def band_words(band: str) -> str:
    """A population column in words: ``persons_0_15`` -> ``children aged 0–15``.

    >>> band_words("persons_16_29"), band_words("children_0_17")
    ('people aged 16–29', 'children 0 17')
    """
    import re

    m = re.fullmatch(r"persons_(\d+)_(\d+)", band)
    if m:
        who = "children" if int(m.group(2)) <= 17 else "people"
        return f"{who} aged {m.group(1)}–{m.group(2)}"
    return band.replace("_", " ")


def read_population(
    path: Path | str | None = None, *, register: WardRegister | None = None
) -> pd.DataFrame:
    """Ward populations by band (one column per band), validated like an indicator file.

    With no path, the real ONS mid-2019 Croydon figures shipped in ``data/population/``. Every
    ward of the register needs an exact figure: suppressed or missing denominators are errors.
    """
    import pandas as pd

    register = register or load_register()
    path = Path(path) if path is not None else data_dir() / "population" / DEFAULT_POPULATION
    shown = display_path(path)
    data, report = validate_indicators(path, register=register, catalogue=[])
    problems = Report(list(report.errors))
    if data is not None:
        inexact = data.values[data.values["status"] != "value"]
        for r in inexact.itertuples():
            problems.add(f"{r.ward_name}: {r.indicator} is {r.status}; a denominator must be a known number",
                         file=r.file, row=r.row, ward=r.ward_code, field=r.indicator)  # fmt: skip
        missing = [c for c in register.codes if c not in set(data.values["ward_code"])]
        for c in missing:
            problems.add(f"{register.name_of(c)} has no population", file=shown, ward=c)
    problems.raise_if_errors(shown)
    assert data is not None
    wide = pd.DataFrame(data.values.pivot(index="ward_code", columns="indicator", values="low"))
    wide = wide.reindex(list(register.codes))
    wide.attrs["source"] = shown
    wide.attrs["path"] = str(path)
    return wide


def add_rates(
    table: pd.DataFrame,
    data: IndicatorData,
    scheme: Scheme,
    population: pd.DataFrame,
    *,
    denominators: dict[str, str] | None = None,
    multiplier: float = MULTIPLIER,
) -> pd.DataFrame:
    """The rollup with rate columns added (see :data:`RATE_COLUMNS`).

    ``rate`` is the exact rate (NaN when the count is a range, then ``rate_low``/``rate_high``);
    the lower confidence limits come from the lowest possible count and the upper from the highest,
    so a suppressed cell widens the interval instead of vanishing. ``vs_rest_95``/``vs_rest_998``
    say whether the locality is significantly higher, similar or lower than the rest of the
    borough; ``uncertain`` where suppressed cells could change the answer.
    """
    bands = {i.id: (denominators or {}).get(i.id) or i.denominator for i in data.indicators}
    statistic = {i.id: i.statistic for i in data.indicators}
    members = {loc: list(codes) for loc, codes in scheme.localities.items()}
    placed = {c for codes in members.values() for c in codes}
    members[UNASSIGNED] = [c for c in data.wards() if c not in placed]
    out = table.copy()
    rows: list[dict[str, Any]] = []
    records = table.to_dict("records")
    # Each row is compared with its indicator's borough total: look those up once.
    totals = {r["indicator"]: r for r in records if r["is_total"]}
    for rec in records:
        band = bands.get(rec["indicator"]) or ""
        rows.append(
            _rate_row(
                rec,
                band,
                population,
                members,
                totals[rec["indicator"]],
                multiplier,
                statistic[rec["indicator"]],
            )
        )
    for col in RATE_COLUMNS:
        out[col] = [r[col] for r in rows]
    missing = sorted({ind for ind, band in bands.items() if band not in population.columns})
    out.attrs.update(
        {
            "rate_multiplier": multiplier,
            "denominators": {
                ind: band for ind, band in bands.items() if band in population.columns
            },
            "population_source": public_name(population.attrs.get("source", "")),
            "no_denominator": missing,
        }
    )
    return out


def _rate_row(
    rec: dict[str, Any],
    band: str,
    population: pd.DataFrame,
    members: dict[str, list[str]],
    total: dict[str, Any],
    multiplier: float,
    statistic: str = "rate",
) -> dict[str, Any]:
    proportion = statistic == "proportion"
    if proportion:
        multiplier = 100.0  # a percentage, whatever --per says
    measure = "%" if proportion else f"per {multiplier:,.0f}"
    empty: dict[str, Any] = dict.fromkeys(RATE_COLUMNS, math.nan)
    empty.update(
        {
            "measure": measure,
            "denominator_band": band,
            "ci_method": "",
            "vs_rest_95": "",
            "vs_rest_998": "",
        }
    )
    if band not in population.columns:
        empty["vs_rest_95"] = empty["vs_rest_998"] = "no denominator"
        return empty
    if rec.get("disclosure") == "suppressed":
        # A rate, its limits and its comparison would each give the hidden count away.
        empty["vs_rest_95"] = empty["vs_rest_998"] = "suppressed"
        return empty
    borough_pop = float(population[band].sum())
    if rec["is_total"]:
        pop = borough_pop
    else:
        pop = float(population.loc[members.get(rec["locality"], []), band].sum())
    if pop <= 0:
        empty["vs_rest_95"] = empty["vs_rest_998"] = "no population"
        return empty
    low, high = float(rec["count_low"]), float(rec["count_high"])
    scale = multiplier / pop
    row: dict[str, Any] = {
        "measure": measure,
        "denominator_band": band,
        "denominator": pop,
        "rate": low * scale if low == high else math.nan,
        "rate_low": low * scale,
        "rate_high": high * scale if math.isfinite(high) else math.nan,
    }
    methods = set()
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        if proportion:
            # Wilson limits are fractions; scale them as counts so the lines below agree.
            lcl = wilson_ci(min(low, pop), pop, level)[1] * pop
            ucl = (
                wilson_ci(min(high, pop), pop, level)[2] * pop if math.isfinite(high) else math.nan
            )
            methods.add("Wilson")
        else:
            lcl, _, m1 = count_limits(low, level)
            methods.add(m1)
            if math.isfinite(high):
                _, ucl, m2 = count_limits(high, level)
                methods.add(m2)
            else:
                ucl = math.nan
        row[f"lcl_{suffix}"] = lcl * scale
        row[f"ucl_{suffix}"] = ucl * scale
    row["ci_method"] = " / ".join(sorted(methods))
    if rec["is_total"] or rec["locality"] == UNASSIGNED:
        row["vs_rest_95"] = row["vs_rest_998"] = ""
        return row
    # Lower bounds add up exactly, and so do upper bounds (NaN when unbounded).
    rest_low = float(total["count_low"]) - low
    rest_high = float(total["count_high"]) - high
    rest_pop = borough_pop - pop
    for level, suffix in ((0.95, "95"), (0.998, "998")):
        row[f"vs_rest_{suffix}"] = compare_bounded(
            low, high, pop, rest_low, rest_high, rest_pop, level,
            test=compare_proportions if proportion else None,
        )  # fmt: skip
    return row


def ward_rates(
    data: IndicatorData,
    population: pd.DataFrame,
    indicator: str,
    band: str,
    multiplier: float = MULTIPLIER,
    *,
    values: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each ward's rate for one indicator (``rate_low``/``rate_high`` where suppressed), from
    ``values`` (published ward figures) when given, else the data as read."""
    v = data.values if values is None else values
    v = v[v["indicator"] == indicator].set_index("ward_code")
    pop = population[band].reindex(v.index)
    out = v[["ward_name", "low", "high"]].copy()
    out["denominator"] = pop
    out["rate_low"] = out["low"] / pop * multiplier
    out["rate_high"] = out["high"] / pop * multiplier
    return out.reset_index()
