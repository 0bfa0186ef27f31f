"""An authority's published figures in context: its latest value beside England, its region, the
average and range of its ten statistical neighbours, its quartile band among all authorities, and
the change from the previous year.

Quartile bands follow the measure's polarity as DfE's LAIT does: A is the best quarter (the
highest values where high is good, the lowest where low is good), D the worst; there is no band
where the polarity is ``-`` (neither end is better). Quartiles are taken over every local
authority with a published value that year (linear interpolation between order statistics,
numpy's and R's default). Every figure is rounded to the dictionary's decimals, half away from
zero; a suppressed or missing value stays its marker (``c``, ``x``, ``..``).

>>> from localitymap.inputs.benchmarks import load_benchmarks
>>> row = benchmark(load_benchmarks(), "Croydon", ["CPP_rate"]).iloc[0]
>>> row["year"], row["value"], row["england"], row["region"], row["region_name"]
('2025', '62.6', '40.6', '37.2', 'London')
>>> row["previous_year"], row["previous"], row["change"]
('2024', '66.1', '-3.5')
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from localitymap.inputs.benchmarks import Benchmarks, Measure, number, year_start

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.indicators import Indicator

COLUMNS = [
    "indicator", "label", "measure", "description", "polarity", "year", "authority", "la_number",
    "value", "england", "region_name", "region", "neighbours_average", "neighbours_low",
    "neighbours_high", "neighbours_n", "band", "previous_year", "previous", "change",
]  # fmt: skip
BAND_WORDS = {
    "A": "A (best quarter of authorities)",
    "B": "B (second quarter)",
    "C": "C (third quarter)",
    "D": "D (worst quarter)",
}


def fmt(value: float | None, dps: int) -> str:
    """A number to ``dps`` decimals, half away from zero (``..`` for None).

    >>> fmt(66.05, 1), fmt(-3.45, 1), fmt(None, 1), fmt(2.0, 0)
    ('66.1', '-3.5', '..', '2')
    """
    if value is None:
        return ".."
    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-dps), rounding=ROUND_HALF_UP))


def quantiles(values: Sequence[float]) -> tuple[float, float, float]:
    """Lower quartile, median and upper quartile by linear interpolation (R's type 7).

    >>> quantiles([1, 2, 3, 4, 5])
    (2.0, 3.0, 4.0)
    """
    xs = sorted(values)
    out = []
    for p in (0.25, 0.5, 0.75):
        h = (len(xs) - 1) * p
        lo = int(h)
        hi = min(lo + 1, len(xs) - 1)
        out.append(xs[lo] + (h - lo) * (xs[hi] - xs[lo]))
    return out[0], out[1], out[2]


def quartile_band(value: float | None, others: Sequence[float], polarity: str) -> str:
    """``A``..``D`` for ``value`` among ``others`` (including itself); ``""`` where the polarity
    is ``-`` or the value is a marker. Bands are the quartile intervals closed above (the lowest
    also below), as LAIT draws them, so a value on a quartile falls in the band below it.

    >>> quartile_band(1, [1, 2, 3, 4, 5], "Low"), quartile_band(1, [1, 2, 3, 4, 5], "High")
    ('A', 'D')
    >>> quartile_band(4, [1, 2, 3, 4, 5], "High"), quartile_band(4, [1, 2, 3, 4, 5], "Low")
    ('B', 'C')
    >>> quartile_band(1, [1, 2, 3], "-")
    ''
    """
    if value is None or polarity not in ("High", "Low") or len(others) < 4:
        return ""
    q1, q2, q3 = quantiles(others)
    if polarity == "Low":
        return "A" if value <= q1 else "B" if value <= q2 else "C" if value <= q3 else "D"
    return "A" if value > q3 else "B" if value > q2 else "C" if value > q1 else "D"


def measure_context(
    bm: Benchmarks, authority: str, measure: Measure, year: str | None = None
) -> dict[str, object]:
    """One measure's context for one authority as a dict of texts (see :data:`COLUMNS`)."""
    area = bm.find_area(authority)
    years = bm.years(measure.id)
    if year is None:
        held = [y for y in years if (measure.id, area.la_number) in bm.values]
        year = held[-1] if held else ""
    dps = measure.dps
    value_text = bm.value(measure.id, area.la_number, year) if year else ".."
    value = number(value_text)
    region = bm.region_of(area)
    sn_values = [
        number(bm.value(measure.id, n, year)) for n in bm.neighbours.get(area.la_number, [])
    ]
    sn = [v for v in sn_values if v is not None]
    authorities = [
        v
        for a in bm.areas.values()
        if a.level == "local authority"
        and (v := number(bm.value(measure.id, a.la_number, year))) is not None
    ]
    band = "" if measure.no_quartile else quartile_band(value, authorities, measure.polarity)
    previous_year = next((y for y in reversed(years) if year_start(y) < year_start(year)), "")
    previous_text = bm.value(measure.id, area.la_number, previous_year) if previous_year else ""
    prev = number(previous_text)
    consecutive = bool(previous_year) and year_start(previous_year) == year_start(year) - 1
    change = (
        fmt(float(Decimal(value_text) - Decimal(previous_text)), dps)
        if consecutive and value is not None and prev is not None
        else ""
    )
    return {
        "measure": measure.id,
        "description": measure.description,
        "polarity": measure.polarity,
        "year": year,
        "authority": area.name,
        "la_number": area.la_number,
        "value": value_text,
        "england": bm.value(measure.id, bm.england().la_number, year),
        "region_name": region.name if region else "",
        "region": bm.value(measure.id, region.la_number, year) if region else "..",
        "neighbours_average": fmt(sum(sn) / len(sn), dps) if sn else "..",
        "neighbours_low": fmt(min(sn), dps) if sn else "..",
        "neighbours_high": fmt(max(sn), dps) if sn else "..",
        "neighbours_n": len(sn),
        "band": band,
        "previous_year": previous_year if consecutive else "",
        "previous": previous_text if consecutive else "",
        "change": change,
    }


def benchmark(
    bm: Benchmarks,
    authority: str,
    measures: Sequence[str] | None = None,
    *,
    catalogue: Sequence[Indicator] | None = None,
    year: str | None = None,
) -> pd.DataFrame:
    """The context table for ``authority`` (name, LA number or GSS code): one row per measure,
    in catalogue order. ``measures`` may name LAIT codes or catalogue indicator ids (default: every
    catalogue indicator with a ``benchmark`` measure). Values are texts as printed.
    """
    import pandas as pd

    from localitymap.inputs.indicators import load_catalogue

    cat = list(catalogue) if catalogue is not None else load_catalogue()
    by_measure = {i.benchmark: i for i in cat if i.benchmark}
    by_id = {i.id: i for i in cat if i.benchmark}
    wanted: list[tuple[Measure, Indicator | None]] = []
    for key in measures or [i.id for i in by_id.values()]:
        ind = by_id.get(key)
        measure = bm.find_measure(ind.benchmark if ind else key)
        wanted.append((measure, ind or by_measure.get(measure.id)))
    rows = []
    for measure, ind in wanted:
        row = measure_context(bm, authority, measure, year)
        row["indicator"] = ind.id if ind else ""
        row["label"] = ind.label if ind else measure.description
        rows.append(row)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out.attrs["source"] = bm.source_note
    return out


def authority_context(
    bm: Benchmarks, candidates: Sequence[str | None], catalogue: Sequence[Indicator] | None = None
) -> tuple[pd.DataFrame | None, str]:
    """The context table for the first of ``candidates`` (the exercise's authority, its ward
    register's code, its name) the benchmark data knows; otherwise None and the reason.

    >>> from localitymap.inputs.benchmarks import load_benchmarks
    >>> table, why = authority_context(load_benchmarks(), ["Atlantis", "E09000008"])
    >>> table["authority"].iloc[0], why
    ('Croydon', '')
    """
    from localitymap.errors import InputError

    tried = [c for c in candidates if c]
    first_error = ""
    for name in tried:
        try:
            return benchmark(bm, name, catalogue=catalogue), ""
        except InputError as exc:
            first_error = first_error or exc.one_line()
    return None, first_error or "no authority named for the published benchmarks"
