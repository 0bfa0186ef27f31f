"""Sizing locality teams: posts in proportion to demand, or the posts a caseload needs.

Two questions a service planner asks of locality demand:

- **Allocation** (:func:`allocate`): with ``staff`` posts, keep a ``flex`` share as a borough-wide
  pool (the "80/20 approach") and give the rest to localities in proportion to their demand,
  rounded to whole posts (or tenths of an FTE) by the largest-remainder method, so the posts add
  up exactly. Each locality's caseload per worker follows, and the caseload it would carry if the
  pool were deployed, a post at a time, to whichever locality is busiest.
- **Need** (:func:`posts_needed`): the FTE each locality needs to hold its cases at a given caseload
  (a number, or a published one: see :mod:`localitymap.inputs.workforce`).

Demand is one indicator or a weighted sum of several (a weighted-caseload scheme: a child
protection plan may count for more than a child in need plan). Suppressed ward counts make a
locality's demand a range; the posts then become ranges too (never a figure that treats the hidden
cells as zero). Every result carries its inputs and formulas in ``.attrs`` so each figure can be
traced. This is advice for planning, not a decision.

>>> import pandas as pd
>>> demand = pd.DataFrame({"locality": ["A", "B", "C"], "low": [50.0, 30, 20], "high": [50.0, 30, 20]})
>>> a = allocate(demand, staff=10, flex=0.2)
>>> a[["locality", "quota", "posts", "caseload", "pool_posts", "caseload_with_pool"]]
  locality  quota  posts  caseload  pool_posts  caseload_with_pool
0        A    4.0      4      12.5           1                10.0
1        B    2.4      2      15.0           1                10.0
2        C    1.6      2      10.0           0                10.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from localitymap.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.workforce import Caseload

#: Outputs carry this label wherever they are shown.
ADVICE = "Advice for planning, not a decision."
#: Posts are whole; with ``fte`` they are counted in tenths of a full-time equivalent.
FTE_STEP = 0.1


def largest_remainder(quotas: Sequence[float], total: int) -> list[int]:
    """Whole numbers, each the floor or ceiling of its quota, adding up to exactly ``total``
    (Hamilton's method). Ties for the last units go to the larger quota, then the earlier item.

    >>> largest_remainder([2.5, 2.5, 5.0], 10)
    [3, 2, 5]
    """
    if total < 0:
        raise ValueError("total must be 0 or more")
    if not quotas:
        if total:
            raise ValueError("no quotas to share a non-zero total")
        return []
    floors = [math.floor(q + 1e-9) for q in quotas]  # 2.9999999 from float division is 3
    left = total - sum(floors)
    if left < 0 or left > len(quotas):
        raise ValueError(f"quotas add up to {sum(quotas)}, too far from {total}")
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), -quotas[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def locality_demand(
    table: pd.DataFrame, indicators: Sequence[str], weights: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Each locality's demand from a rollup table: the (weighted) sum of the chosen indicators'
    counts, as bounds ``low``/``high`` (``high`` is infinite where a count is unbounded; a count
    hidden by disclosure control, with both bounds blank, counts as 0 to infinity).

    >>> from localitymap import read_indicators, rollup
    >>> d = locality_demand(rollup(read_indicators(period="2019-02"), "icn6"), ["cp_plans", "lac"])
    >>> d.set_index("locality").loc["Central West", ["low", "high"]].tolist()
    [332.0, 332.0]
    """
    import numpy as np
    import pandas as pd

    if not indicators:
        raise InputError("no demand indicators given", hint="e.g. --demand cp_plans,cin_plans,lac")
    present = list(dict.fromkeys(table["indicator"]))
    weights = dict(weights or {})
    missing = [i for i in indicators if i not in present]
    if missing:
        raise InputError(
            f"indicator(s) {', '.join(missing)} not in the data",
            hint=f"choose from {', '.join(present)}",
        )
    body = table[~table["is_total"] & table["indicator"].isin(indicators)]
    localities = list(dict.fromkeys(body["locality"]))
    low = pd.Series(0.0, index=localities)
    high = pd.Series(0.0, index=localities)
    for ind in indicators:
        w = float(weights.get(ind, 1.0))
        if w < 0:
            raise InputError(f"weight of {ind} is negative ({w:g})", hint="weights are 0 or more")
        g = body[body["indicator"] == ind].set_index("locality")
        # A count hidden by disclosure control (both bounds blank) could be anything: 0 to ∞.
        low += w * g["count_low"].astype(float).fillna(0.0).reindex(localities)
        high += w * g["count_high"].astype(float).fillna(np.inf).reindex(localities)
    out = pd.DataFrame({"locality": localities, "low": low.to_numpy(), "high": high.to_numpy()})
    out.attrs["indicators"] = list(indicators)
    out.attrs["weights"] = {i: float(weights.get(i, 1.0)) for i in indicators}
    out.attrs["period"] = table.attrs.get("period")
    out.attrs["illustrative"] = table.attrs.get("illustrative", False)
    return out


def _units(value: float, step: float) -> int:
    units = value / step
    if abs(units - round(units)) > 1e-6:
        what = "whole posts" if step == 1 else f"steps of {step:g} FTE"
        raise InputError(f"{value:g} is not in {what}", hint="round it, or use --fte")
    return round(units)


def _share_bounds(low: list[float], high: list[float]) -> tuple[list[float], list[float]]:
    """Each locality's share of the total at its lowest (its low, the others high) and highest."""
    s_low, s_high = [], []
    for i, (lo, hi) in enumerate(zip(low, high, strict=True)):
        # Summed afresh, not total minus own: inf - inf would be NaN.
        others_high = sum(h for j, h in enumerate(high) if j != i)
        others_low = sum(v for j, v in enumerate(low) if j != i)
        s_low.append(lo / (lo + others_high) if lo > 0 else 0.0)
        if math.isinf(hi):
            s_high.append(1.0)
        else:
            s_high.append(hi / (hi + others_low) if hi > 0 else 0.0)
    return s_low, s_high


def _deploy_pool(demand: list[float], posts: list[int], pool: int) -> list[int]:
    """The pool, a unit at a time, to whichever locality then has the highest caseload (ties to
    the earlier one): the caseload each would carry if the pool went to the busiest."""
    given = [0] * len(demand)
    for _ in range(pool):
        loads = [d / (p + g) if p + g > 0 else math.inf if d > 0 else 0.0
                 for d, p, g in zip(demand, posts, given, strict=True)]  # fmt: skip
        given[max(range(len(loads)), key=lambda i: (loads[i], -i))] += 1
    return given


def allocate(
    demand: pd.DataFrame, staff: float, flex: float = 0.2, *, fte: bool = False
) -> pd.DataFrame:
    """Posts per locality in proportion to demand, keeping ``flex`` of them as a borough pool.

    ``demand`` has ``locality``, ``low``, ``high`` (from :func:`locality_demand`). The pool is
    ``staff × flex`` rounded half up to a whole post (to 0.1 FTE with ``fte``); the other posts
    go to localities by the largest-remainder method on their quotas, so locality posts plus the
    pool add up exactly to ``staff``. Columns: ``demand`` (exact, else NaN) with ``demand_low``/
    ``demand_high``, ``share`` (and bounds), ``quota``, ``posts`` (exact, else NaN) with
    ``posts_low``/``posts_high``, ``caseload`` (demand per post, and bounds), ``pool_posts`` and
    ``caseload_with_pool`` (the pool deployed to the busiest localities). ``.attrs`` holds the
    inputs, the formulas and the advice label.
    """
    import numpy as np
    import pandas as pd

    if not 0 <= flex < 1:
        raise InputError(f"flex {flex:g} must be at least 0 and below 1", hint="e.g. --flex 0.2")
    if staff <= 0:
        raise InputError(f"staff {staff:g} must be more than 0", hint="e.g. --staff 67")
    step = FTE_STEP if fte else 1.0
    total_units = _units(staff, step)
    pool_units = math.floor(total_units * flex + 0.5)
    alloc_units = total_units - pool_units
    low = demand["low"].astype(float).tolist()
    high = demand["high"].astype(float).tolist()
    if any(lo < 0 for lo in low) or any(hi < lo for lo, hi in zip(low, high, strict=True)):
        raise InputError("demand must be 0 or more, with low ≤ high")
    exact = low == high
    if sum(high) == 0:
        raise InputError("every locality has zero demand: nothing to allocate by")
    s_low, s_high = _share_bounds(low, high)
    q_low = [alloc_units * s for s in s_low]
    q_high = [alloc_units * s for s in s_high]
    n = len(low)
    if exact:
        units = largest_remainder(q_low, alloc_units)
        u_low = u_high = units
        pool_given = _deploy_pool(low, units, pool_units)
    else:
        u_low = [math.floor(q + 1e-9) for q in q_low]
        u_high = [min(alloc_units, math.ceil(q - 1e-9)) for q in q_high]
        pool_given = [0] * n
    out = pd.DataFrame({"locality": demand["locality"].tolist()})
    out["demand"] = low if exact else [np.nan] * n
    out["demand_low"], out["demand_high"] = low, high
    out["share"] = s_low if exact else [np.nan] * n
    out["share_low"], out["share_high"] = s_low, s_high
    out["quota"] = [q * step for q in q_low] if exact else [np.nan] * n
    out["quota_low"] = [q * step for q in q_low]
    out["quota_high"] = [q * step for q in q_high]
    posts_low = [u * step for u in u_low]
    posts_high = [u * step for u in u_high]
    out["posts"] = posts_low if exact else [np.nan] * n
    out["posts_low"], out["posts_high"] = posts_low, posts_high

    def per(d: float, p: float) -> float:
        return d / p if p > 0 else (math.inf if d > 0 else 0.0)

    out["caseload_low"] = [per(d, p) for d, p in zip(low, posts_high, strict=True)]
    out["caseload_high"] = [per(d, p) for d, p in zip(high, posts_low, strict=True)]
    out["caseload"] = out["caseload_low"] if exact else np.nan
    out["pool_posts"] = [g * step for g in pool_given] if exact else [np.nan] * n
    with_pool = [per(d, (u + g) * step) for d, u, g in zip(low, u_low, pool_given, strict=True)]
    out["caseload_with_pool"] = with_pool if exact else [np.nan] * n
    if not fte:
        for col in ("posts", "posts_low", "posts_high", "pool_posts"):
            out[col] = out[col].round().astype("Int64")
    pool = pool_units * step
    allocated = alloc_units * step
    total_demand = sum(low) if exact else None
    unit = "FTE" if fte else "posts"
    out.attrs.update(demand.attrs)
    out.attrs.update(
        {
            "mode": "allocate",
            "advice": ADVICE,
            "staff": staff,
            "flex": flex,
            "pool": pool,
            "allocated": allocated,
            "unit": unit,
            "exact": exact,
            "total_demand": total_demand,
            "total_demand_low": sum(low),
            "total_demand_high": sum(high),
            "inputs": [
                ("staff", f"{staff:g} {unit}"),
                ("flex (borough pool)", f"{flex:g} of staff = {pool:g} {unit}"),
                ("to localities", f"{staff:g} − {pool:g} = {allocated:g} {unit}"),
                ("total demand", _fmt_range(sum(low), sum(high))),
            ],
            "formulas": [
                f"pool = staff × flex, rounded half up {'to 0.1 FTE' if fte else 'to a whole post'}"
                f" = {staff:g} × {flex:g} → {pool:g} {unit}",
                f"quota = {allocated:g} × locality demand ÷ total demand",
                f"posts = quota rounded by largest remainder "
                f"({'to 0.1 FTE' if fte else 'whole posts'}; they add up to {allocated:g})",
                "caseload = locality demand ÷ posts",
                "with pool: the pool's posts go one at a time to the locality with the highest "
                "caseload; caseload = demand ÷ (posts + pool posts)",
            ],
        }
    )
    if not exact:
        out.attrs["formulas"].append(
            "demand is a range (suppressed wards): shares, quotas, posts and caseloads are the "
            "lowest and highest they could be"
        )
    return out


def posts_needed(demand: pd.DataFrame, caseload: Caseload, *, fte: bool = True) -> pd.DataFrame:
    """The FTE each locality needs to hold its demand at ``caseload`` cases per FTE.

    Columns ``needed_fte`` (exact, else NaN) with ``needed_low``/``needed_high`` (``high`` infinite
    when demand is unbounded), and ``posts`` (whole posts: each locality's need rounded up, with
    bounds). ``.attrs`` holds the caseload and its source, inputs and formulas.

    >>> import pandas as pd
    >>> from localitymap.inputs.workforce import caseload
    >>> d = pd.DataFrame({"locality": ["Borough"], "low": [3448.0], "high": [3448.0]})
    >>> round(float(posts_needed(d, caseload("19.1"))["needed_fte"].iloc[0]), 1)
    180.5
    """
    import numpy as np

    low = demand["low"].astype(float)
    high = demand["high"].astype(float)
    exact = bool((low == high).all())
    out = demand[["locality"]].copy().reset_index(drop=True)
    out["demand"] = low.where(low == high).to_numpy()
    out["demand_low"], out["demand_high"] = low.to_numpy(), high.to_numpy()
    out["needed_low"] = (low / caseload.per_fte).to_numpy()
    out["needed_high"] = (high / caseload.per_fte).to_numpy()
    out["needed_fte"] = out["needed_low"].where(out["needed_low"] == out["needed_high"])
    out["posts_low"] = np.ceil(out["needed_low"] - 1e-9)
    out["posts_high"] = np.ceil(out["needed_high"] - 1e-9)
    out["posts"] = out["posts_low"].where(out["posts_low"] == out["posts_high"])
    total_low, total_high = float(out["needed_low"].sum()), float(out["needed_high"].sum())
    out.attrs.update(demand.attrs)
    out.attrs.update(
        {
            "mode": "need",
            "advice": ADVICE,
            "fte": fte,
            "caseload": caseload,
            "exact": exact,
            "total_needed_low": total_low,
            "total_needed_high": total_high,
            "total_posts_low": float(out["posts_low"].sum()),
            "total_posts_high": float(out["posts_high"].sum()),
            "inputs": [
                ("caseload", caseload.describe()),
                ("total demand", _fmt_range(float(low.sum()), float(high.sum()))),
            ],
            "formulas": [
                f"FTE needed = locality demand ÷ {caseload.per_fte:g} cases per FTE",
                "whole posts = FTE needed rounded up, locality by locality",
            ],
        }
    )
    return out


def _fmt_range(low: float, high: float) -> str:
    if low == high:
        return f"{low:,.10g}"
    return f"≥{low:,.10g}" if math.isinf(high) else f"{low:,.10g}–{high:,.10g}"
