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
    BYAR_FROM,
    compare_bounded_arrays,
    count_limit_arrays,
    wilson_arrays,
)

if TYPE_CHECKING:
    import numpy as np
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
        present = set(data.values["ward_code"].unique())
        missing = [c for c in register.codes if c not in present]
        for c in missing:
            problems.add(f"{register.name_of(c)} has no population", file=shown, ward=c)
    problems.raise_if_errors(shown)
    assert data is not None
    wide = pd.DataFrame(data.values.pivot(index="ward_code", columns="indicator", values="low"))
    wide = wide.reindex(list(register.codes))
    wide.attrs["source"] = shown
    wide.attrs["path"] = str(path)
    # Only the shipped figures are known to be ONS's: a user's file is credited by name alone.
    shipped = (data_dir() / "population").resolve()
    wide.attrs["ons"] = path.resolve().is_relative_to(shipped)
    return wide


def population_credit(attrs: dict[str, Any], *, short: bool = False) -> str:
    """Where a rated table's denominators come from, for notes and footers: the file's name,
    and for the shipped figures that they are ONS's under the Open Government Licence.

    >>> population_credit({"population_source": "pop.csv", "population_ons": True})
    'pop.csv, ONS mid-year estimates (Open Government Licence v3.0)'
    >>> population_credit({"population_source": "our_pop.csv"})
    'our_pop.csv'
    """
    source = str(attrs.get("population_source") or "")
    if not attrs.get("population_ons"):
        return source
    if short:
        return f"{source} (ONS, Open Government Licence)"
    return f"{source}, ONS mid-year estimates (Open Government Licence v3.0)"


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
    import numpy as np
    import pandas as pd

    bands = {i.id: (denominators or {}).get(i.id) or i.denominator for i in data.indicators}
    statistic = {i.id: i.statistic for i in data.indicators}
    # Ward -> locality (wards the scheme does not place count as Unassigned), then each band's
    # population per locality, summed once rather than per row.
    locality_of: dict[str, str] = {}
    for loc, codes in scheme.localities.items():
        for c in codes:
            locality_of.setdefault(c, loc)
    for c in data.wards():
        locality_of.setdefault(c, UNASSIGNED)
    used = sorted({b for b in bands.values() if b in population.columns})
    pops = population[used]
    placed = pops.loc[pops.index.isin(list(locality_of))]
    by_locality = placed.groupby(placed.index.map(locality_of)).sum()
    borough = {b: float(pops[b].sum()) for b in used}

    n = len(table)
    ind = table["indicator"].to_numpy(dtype=object)
    loc = table["locality"].to_numpy(dtype=object)
    is_total = table["is_total"].to_numpy(dtype=bool)
    band = np.array([bands.get(i) or "" for i in ind], dtype=object)
    proportion = np.array([statistic.get(i) == "proportion" for i in ind])
    has_band = np.isin(band, used)
    pop = np.full(n, np.nan)
    borough_pop = np.full(n, np.nan)
    for b in used:
        rows = band == b
        borough_pop[rows] = borough[b]
        per_loc = by_locality[b].reindex(pd.Index(loc[rows])).to_numpy(dtype=float)
        pop[rows] = np.where(is_total[rows], borough[b], np.nan_to_num(per_loc, nan=0.0))
    suppressed = (
        table["disclosure"].to_numpy(dtype=object) == "suppressed"
        if "disclosure" in table.columns
        else np.zeros(n, dtype=bool)
    )
    ok = has_band & ~suppressed & (pop > 0)
    mult = np.where(proportion, 100.0, float(multiplier))  # a percentage, whatever --per says
    measure = np.where(proportion, "%", f"per {multiplier:,.0f}").astype(object)
    low = table["count_low"].to_numpy(dtype=float)
    high = table["count_high"].to_numpy(dtype=float)
    finite_high = np.isfinite(high)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = mult / pop
        cols: dict[str, Any] = {
            "measure": measure,
            "denominator_band": band,
            "denominator": np.where(ok, pop, np.nan),
            "rate": np.where(ok & (low == high), low * scale, np.nan),
            "rate_low": np.where(ok, low * scale, np.nan),
            "rate_high": np.where(ok & finite_high, high * scale, np.nan),
        }
        for level, suffix in ((0.95, "95"), (0.998, "998")):
            lcl, ucl = _limits(low, high, pop, proportion, ok, level)
            cols[f"lcl_{suffix}"] = np.where(ok, lcl * scale, np.nan)
            cols[f"ucl_{suffix}"] = np.where(ok & finite_high, ucl * scale, np.nan)
    cols["ci_method"] = np.array(
        [_ci_method(ok[k], proportion[k], low[k], high[k]) for k in range(n)], dtype=object
    )
    why = np.full(n, "", dtype=object)
    why[~has_band] = "no denominator"
    why[has_band & suppressed] = "suppressed"
    why[has_band & ~suppressed & ~(pop > 0)] = "no population"
    vs95, vs998 = why.copy(), why.copy()
    compared = ok & ~is_total & (loc != UNASSIGNED)
    if compared.any():
        totals = table[is_total].drop_duplicates("indicator").set_index("indicator")
        tot_low = totals["count_low"].reindex(ind).to_numpy(dtype=float)
        tot_high = totals["count_high"].reindex(ind).to_numpy(dtype=float)
        # Lower bounds add up exactly, and so do upper bounds (NaN when unbounded).
        rest_low, rest_high, rest_pop = tot_low - low, tot_high - high, borough_pop - pop
        c = compared
        verdicts = compare_bounded_arrays(
            low[c], high[c], pop[c], rest_low[c], rest_high[c], rest_pop[c], proportion[c]
        )
        vs95[c], vs998[c] = verdicts[0.95], verdicts[0.998]
    cols["vs_rest_95"], cols["vs_rest_998"] = vs95, vs998
    out = table.copy()
    for col in RATE_COLUMNS:
        out[col] = cols[col]
    missing = sorted({ind for ind, band in bands.items() if band not in population.columns})
    out.attrs.update(
        {
            "rate_multiplier": multiplier,
            "denominators": {
                ind: band for ind, band in bands.items() if band in population.columns
            },
            "population_source": public_name(population.attrs.get("source", "")),
            "population_ons": bool(population.attrs.get("ons")),
            "no_denominator": missing,
        }
    )
    return out


def _ci_method(ok: bool, proportion: bool, low: float, high: float) -> str:
    if not ok:
        return ""
    if proportion:
        return "Wilson"
    methods = {"exact Poisson" if low < BYAR_FROM else "Byar"}
    if math.isfinite(high):
        methods.add("exact Poisson" if high < BYAR_FROM else "Byar")
    return " / ".join(sorted(methods))


def _limits(
    low: np.ndarray, high: np.ndarray, pop: np.ndarray, proportion: np.ndarray, ok: np.ndarray,
    level: float,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Lower limits from the lowest possible count, upper from the highest, as counts: exact
    Poisson / Byar for rates (:func:`count_limits`), Wilson for proportions (:func:`wilson_ci`,
    scaled to counts so the lines agree)."""
    import numpy as np

    lcl, ucl = np.full(low.shape, np.nan), np.full(low.shape, np.nan)
    rates = ok & ~proportion
    if rates.any():
        lcl[rates] = count_limit_arrays(low[rates], level, upper=False)
        h = rates & np.isfinite(high)
        ucl[h] = count_limit_arrays(high[h], level, upper=True)
    props = ok & proportion
    if props.any():
        n = pop[props]
        lcl[props] = wilson_arrays(np.minimum(low[props], n), n, level)[0] * n
        h = props & np.isfinite(high)
        n = pop[h]
        ucl[h] = wilson_arrays(np.minimum(high[h], n), n, level)[1] * n
    return lcl, ucl


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
