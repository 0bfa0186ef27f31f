"""A composite demand index per locality from indicator weights.

Two bases, chosen by the caller and recorded in the result:

- ``share`` (default): the weighted mean of each locality's share of the borough total. The
  localities' indices add up to 100%, so the index reads "this locality carries 24% of demand,
  all indicators weighted as the file says". Driven by volume, like the counts.
- ``rate``: the weighted mean of each locality's rate divided by the borough rate (rates need
  denominators). 1.0 is the borough average; 1.3 is 30% above it. Driven by need per child.

Suppressed cells give each index a lower and an upper bound, and its rank a best and worst.

>>> from localitymap import read_indicators, rollup
>>> table = rollup(read_indicators(period="2019-02"), "icn6")
>>> c = composite(table, load_weights("equal")).set_index("locality")
>>> round(float(c.loc["Central West", "index"]), 3), int(c.loc["Central West", "rank"])
(0.25, 1)
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from localitymap.errors import InputError, InvalidInput, Report
from localitymap.model.rollup import TOTAL, UNASSIGNED, competition_ranks
from localitymap.paths import data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

Basis = Literal["share", "rate"]


def weights_path(id_or_path: str | Path) -> Path:
    """The file a weights name stands for: a bundled set (``equal``, ``toxic_trio``) or a path."""
    path = Path(id_or_path)
    return data_dir() / "weights" / f"{id_or_path}.csv" if not path.suffix else path


def load_weights(id_or_path: str | Path) -> dict[str, float]:
    """Weights by indicator id from a bundled set (``equal``, ``toxic_trio``) or a CSV file."""
    path = weights_path(id_or_path)
    shown = display_path(path)
    if not path.is_file():
        known = ", ".join(p.stem for p in sorted((data_dir() / "weights").glob("*.csv")))
        raise InputError(
            f"weights {str(id_or_path)!r} not found", hint=f"use {known} or a CSV file path"
        )
    from localitymap.inputs.files import note_input

    note_input(path)  # so no output of this run is written over it
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    if not rows or not {"indicator", "weight"} <= set(rows[0]):
        raise InputError(f"{shown}: a weights file needs the columns indicator and weight")
    report = Report()
    weights: dict[str, float] = {}
    for i, row in enumerate(rows, start=2):
        ind = (row["indicator"] or "").strip()
        try:
            w = float(row["weight"])
        except (TypeError, ValueError):
            report.add(
                f"weight {row['weight']!r} is not a number", file=shown, row=i, field="weight"
            )
            continue
        if w < 0 or not math.isfinite(w):
            report.add(f"weight {w} for {ind} must be 0 or more", file=shown, row=i, field="weight")
        elif ind in weights:
            report.add(f"{ind} is weighted twice", file=shown, row=i)
        else:
            weights[ind] = w
    if report.errors:
        raise InvalidInput(shown, report)
    if not any(weights.values()):
        raise InputError(f"{shown}: every weight is 0", hint="give at least one indicator a weight")
    return weights


def composite(
    table: pd.DataFrame, weights: dict[str, float], *, basis: Basis = "share"
) -> pd.DataFrame:
    """One row per locality: ``index`` (exact, else NaN), ``index_low``/``index_high``, ``rank``
    (1 = highest), ``rank_best``/``rank_worst``, and how it was made (``basis``, indicators used)."""
    import numpy as np
    import pandas as pd

    present = list(dict.fromkeys(table["indicator"]))
    unknown = [i for i in weights if weights[i] > 0 and i not in present]
    if unknown:
        raise InputError(
            f"the weights name indicators that are not in the data: {', '.join(unknown)}",
            hint=f"the data has: {', '.join(present)}",
        )
    used = [i for i in present if weights.get(i, 0) > 0]
    if basis == "rate" and "rate" not in table.columns:
        raise InputError("a rate-based index needs rates", hint="add --rates (with populations)")
    body = table[~table["is_total"] & table["locality"].ne(UNASSIGNED)]
    localities = list(dict.fromkeys(body["locality"]))
    low = np.zeros(len(localities))
    high = np.zeros(len(localities))
    total_weight = sum(weights[i] for i in used)
    for ind in used:
        grp = body[body["indicator"] == ind].set_index("locality").loc[localities]
        if basis == "share":
            lo, hi = grp["share_low"].to_numpy(float), grp["share_high"].to_numpy(float)
        else:
            borough = table[(table["indicator"] == ind) & (table["locality"] == TOTAL)][
                "rate"
            ].iloc[0]
            if not borough or borough != borough:
                raise InputError(f"no borough rate for {ind}: the index cannot be rate-based")
            lo = grp["rate_low"].to_numpy(float) / borough
            hi = grp["rate_high"].to_numpy(float) / borough
        low += weights[ind] * np.nan_to_num(lo, nan=0.0)
        high += weights[ind] * hi  # NaN (unbounded) stays NaN
    low /= total_weight
    high /= total_weight
    rank, best, worst = competition_ranks(low[None, :], high[None, :])
    exact = low == high
    return pd.DataFrame(
        {
            "locality": localities,
            "index": np.where(exact, low, np.nan),
            "index_low": low,
            "index_high": high,
            "rank": rank[0],
            "rank_best": best[0],
            "rank_worst": worst[0],
            "basis": basis,
            "indicators": len(used),
        }
    )
