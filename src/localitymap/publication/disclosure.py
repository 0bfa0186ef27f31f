"""Small-number disclosure control for public outputs: named policies, primary and secondary
suppression across the ward → locality → borough hierarchy, and an attacker's audit.

A count that could identify a child (1–4 under ``threshold5``) is *primary*-suppressed. Because
localities add up to the borough total (and wards to their locality when wards are published),
one hidden cell in a sum can be recovered by subtraction, so *secondary* cells are hidden too,
until a reader who knows every published figure and every sum cannot narrow any hidden cell to
fewer values than the policy's range claims (four for ``threshold5``: "1 to 4"). What a reader
can work out is computed exactly by :func:`tree_bounds` (bounds propagated through the hierarchy
of sums); :func:`attack`, an integer linear programme, gives the same answer for any system of
sums and is how the tests check it.

An :class:`~localitymap.exercise.Exercise` protects wards, localities and the borough total of
every indicator together, once, and every output takes its figures from that one decision.

Shares, ranks and rates of a hidden cell are hidden with it; those of the other localities are
recomputed from what the output publishes (:func:`public_table`), so they cannot leak it either.

>>> from localitymap import read_indicators, rollup
>>> p = protect(rollup(read_indicators(period="2019-02"), "icn6"), "threshold5")
>>> p.policy.symbol, int(p.summary()["suppressed"])
('[c]', 0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError
from localitymap.model.rollup import UNASSIGNED, add_within_authority, competition_ranks

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from localitymap.inputs.indicators import IndicatorData
    from localitymap.inputs.schemes import Scheme

SHOWN, SUPPRESSED, ROUNDED, NOT_AVAILABLE = "shown", "suppressed", "rounded", "not available"
NA_SYMBOL = "[x]"  # the spreadsheet guidance's "not available"


@dataclass(frozen=True)
class Policy:
    """A disclosure-control rule: counts 1..``threshold`` are hidden behind ``symbol``; other
    counts are rounded to the nearest ``rounding`` (0: not rounded). Zeros are always shown."""

    id: str
    title: str
    threshold: int
    symbol: str
    rounding: int
    description: str

    @property
    def public(self) -> bool:
        """Whether outputs under this policy may be published."""
        return self.threshold > 0 or self.rounding > 0

    @property
    def min_values(self) -> int:
        """How many whole values every hidden count must still be able to take, whatever a
        reader combines: the policy's own claim ("1 to 4" is four values)."""
        return self.threshold


POLICIES: dict[str, Policy] = {
    p.id: p
    for p in (
        Policy(
            "threshold5", "Counts under 5 suppressed", 4, "[c]", 0,
            "Counts of 1 to 4 are shown as [c]; zeros are shown. Further cells are suppressed "
            "where a [c] could otherwise be worked out by subtraction from totals.",
        ),
        Policy(
            "dfe", "DfE convention", 5, "c", 0,
            "Counts of 1 to 5 are shown as c (the GSS symbol DfE releases use for "
            "confidentiality); zeros are shown. DfE's threshold varies between releases; 1 to 5 "
            "is the more cautious common choice. Secondary suppression as for threshold5.",
        ),
        Policy(
            "nhsd", "NHS Digital convention", 7, "*", 5,
            "Counts of 1 to 7 are shown as *; other counts, totals included, are rounded to the "
            "nearest 5, and shares, ranks and rates are worked out from the rounded counts; zeros "
            "are shown. Further cells are suppressed only where rounding would not protect a *. "
            "Because each figure is rounded on its own, figures may not add up to the totals.",
        ),
        Policy(
            "none", "No disclosure control", 0, "", 0,
            "Every count is shown as it is. For internal use only: not for publication.",
        ),
    )
}  # fmt: skip


def get_policy(policy: Policy | str) -> Policy:
    """A policy by id (``threshold5``, ``dfe``, ``nhsd``, ``none``).

    >>> get_policy("nhsd").symbol
    '*'
    """
    if isinstance(policy, Policy):
        return policy
    try:
        return POLICIES[str(policy).strip().lower()]
    except KeyError:
        raise InputError(
            f"unknown disclosure policy {policy!r}",
            hint=f"choose one of {', '.join(POLICIES)}",
        ) from None


def publication_status(policy: Policy | str) -> str:
    """The sentence every output carries about whether it may be published.

    >>> publication_status("none").split(":")[0]
    'NOT FOR PUBLICATION'
    """
    from localitymap.publication.cells import NOT_FOR_PUBLICATION

    p = get_policy(policy)
    if not p.public:
        return NOT_FOR_PUBLICATION
    return (
        "For general release. Small numbers are suppressed to protect children's privacy "
        f"({p.title}; shown as {p.symbol})."
    )


def statement(policy: Policy | str) -> str:
    """The sentence every output carries about its disclosure control."""
    p = get_policy(policy)
    return f"Disclosure control: {p.title}. {p.description}"


@dataclass
class Constraint:
    """``cells[total] == sum(cells[parts])``, by position in the cell arrays."""

    total: int
    parts: list[int]

    @property
    def cells(self) -> list[int]:
        """Total and parts."""
        return [self.total, *self.parts]


# ---------------------------------------------------------------------------------------------
# The engine, on plain arrays: true bounds of each cell, the sums that tie them, the policy.


def primary(low: Sequence[float], high: Sequence[float], policy: Policy) -> list[bool]:
    """Cells whose value could be a small count (1..threshold).

    >>> primary([0, 3, 12, 1], [0, 3, 12, 4], get_policy("threshold5"))
    [False, True, False, True]
    """
    t = policy.threshold
    return [
        t > 0 and lo <= t and (hi >= 1 or math.isnan(hi)) for lo, hi in zip(low, high, strict=True)
    ]


def round_to(value: float, base: int) -> float:
    """Round half up to the nearest ``base`` (GSS rounding: 12.5 -> 15, never banker's rounding).

    >>> round_to(12, 5), round_to(12.5, 5), round_to(8, 5)
    (10, 15, 10)
    """
    return base * math.floor(value / base + 0.5)


def known_bounds(
    low: Sequence[float], high: Sequence[float], status: Sequence[str], policy: Policy
) -> tuple[list[float], list[float]]:
    """What an output lets anyone know about each cell, before combining sums: the value for a
    shown count, its rounding interval for a rounded one, at least 1 for a hidden one (zeros are
    never hidden), nothing for a cell that is not available."""
    half = policy.rounding // 2
    k_low, k_high = [], []
    for lo, hi, st in zip(low, high, status, strict=True):
        if st == SUPPRESSED:
            k_low.append(1.0 if lo >= 1 else 0.0)
            k_high.append(math.inf)
        elif st == NOT_AVAILABLE:
            k_low.append(0.0)
            k_high.append(math.inf)
        elif st == ROUNDED and policy.rounding and hi > 0:
            # A shown rounded count is never one of the hidden small ones.
            floor_ = policy.threshold + 1 if lo > policy.threshold else 0
            k_low.append(float(max(floor_, round_to(lo, policy.rounding) - half)))
            k_high.append(
                float(round_to(hi, policy.rounding) + half) if math.isfinite(hi) else math.inf
            )
        else:
            k_low.append(float(lo))
            k_high.append(float(hi) if math.isfinite(hi) else math.inf)
    return k_low, k_high


def attack(
    k_low: Sequence[float],
    k_high: Sequence[float],
    constraints: Sequence[Constraint],
    targets: Sequence[int],
) -> dict[int, tuple[float, float]]:
    """The smallest and largest whole value each target cell can take, given what is known of
    every cell and that every sum holds: what a determined reader can work out from an output.

    >>> inf = float("inf")
    >>> attack([9, 5, 1], [9, 5, inf], [Constraint(0, [1, 2])], [2])  # 9 = 5 + ?
    {2: (4.0, 4.0)}
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp

    n = len(k_low)
    lo = np.asarray(k_low, dtype=float)
    hi = np.asarray(k_high, dtype=float)
    result: dict[int, tuple[float, float]] = {}
    for comp_cells, comp_cons in _components(n, constraints, targets):
        pos = {c: i for i, c in enumerate(comp_cells)}
        a = np.zeros((len(comp_cons), len(comp_cells)))
        for r, con in enumerate(comp_cons):
            a[r, pos[con.total]] = -1.0
            for p in con.parts:
                a[r, pos[p]] += 1.0
        idx = np.array(comp_cells)
        bounds = Bounds(lo[idx], hi[idx])
        rows = LinearConstraint(a, 0.0, 0.0)
        ones = np.ones(len(comp_cells))
        for t in targets:
            if t not in pos:
                continue
            c = np.zeros(len(comp_cells))
            c[pos[t]] = 1.0
            low_res = milp(c, constraints=rows, bounds=bounds, integrality=ones)
            if low_res.x is None:  # the true values always satisfy every sum
                raise RuntimeError(f"disclosure audit: no solution ({low_res.message})")
            high_res = milp(-c, constraints=rows, bounds=bounds, integrality=ones)
            # Feasible (the minimum exists), so a maximum without a solution is an unbounded one;
            # HiGHS cannot always tell which of the two it is.
            high_end = math.inf if high_res.x is None else float(round(high_res.x[pos[t]]))
            result[t] = (float(round(low_res.x[pos[t]])), high_end)
    for t in targets:
        result.setdefault(t, (k_low[t], k_high[t]))
    return result


def tree_bounds(
    k_low: Sequence[float], k_high: Sequence[float], constraints: Sequence[Constraint]
) -> tuple[list[float], list[float]]:
    """The smallest and largest value of every cell given what is known of each and every sum,
    by propagating bounds through the sums until nothing changes.

    For a hierarchy of sums (each cell the total of at most one sum and a part of at most one,
    as wards, localities and the borough total are) this is exact, and with whole-number bounds
    every whole number between the two ends is possible: the same answer as :func:`attack`'s
    integer programme, in linear time. The tests check the two agree.

    >>> inf = float("inf")
    >>> tree_bounds([9, 5, 1], [9, 5, inf], [Constraint(0, [1, 2])])
    ([9.0, 5.0, 4.0], [9.0, 5.0, 4.0])
    """
    lo = [float(x) for x in k_low]
    hi = [float(x) for x in k_high]
    for _ in range(4 * len(constraints) + 4):
        changed = False
        for con in constraints:
            parts = con.parts
            p_lo = sum(lo[p] for p in parts)
            p_hi = sum(hi[p] for p in parts)
            t = con.total
            new_t_lo, new_t_hi = max(lo[t], p_lo), min(hi[t], p_hi)
            if new_t_lo != lo[t] or new_t_hi != hi[t]:
                lo[t], hi[t], changed = new_t_lo, new_t_hi, True
            n_inf_hi = sum(1 for p in parts if math.isinf(hi[p]))
            finite_hi = sum(hi[p] for p in parts if not math.isinf(hi[p]))
            for p in parts:
                others_lo = p_lo - lo[p]
                if math.isinf(hi[p]):
                    others_hi = finite_hi if n_inf_hi == 1 else math.inf
                else:
                    others_hi = math.inf if n_inf_hi else finite_hi - hi[p]
                new_lo = max(lo[p], lo[t] - others_hi)
                new_hi = min(hi[p], hi[t] - others_lo)
                if new_lo != lo[p] or new_hi != hi[p]:
                    p_lo += new_lo - lo[p]
                    lo[p], hi[p], changed = new_lo, new_hi, True
        if not changed:
            break
    return lo, hi


def _components(
    n: int, constraints: Sequence[Constraint], targets: Sequence[int]
) -> list[tuple[list[int], list[Constraint]]]:
    """The cells and sums linked to each target (an indicator's hierarchy, usually)."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for con in constraints:
        for p in con.parts:
            parent[find(p)] = find(con.total)
    wanted = {find(t) for t in targets}
    out: dict[int, tuple[list[int], list[Constraint]]] = {}
    for con in constraints:
        root = find(con.total)
        if root in wanted:
            out.setdefault(root, ([], []))[1].append(con)
    for i in range(n):
        root = find(i)
        if root in out:
            out[root][0].append(i)
    return list(out.values())


def suppress(
    low: Sequence[float],
    high: Sequence[float],
    constraints: Sequence[Constraint],
    policy: Policy,
    *,
    unknown: Sequence[bool] | None = None,
) -> tuple[list[str], list[bool]]:
    """Each cell's status (``shown``, ``rounded``, ``suppressed`` or ``not available``) and
    whether it is a primary cell.

    Secondary cells are added until no hidden cell can be narrowed, by everything published and
    every sum, to fewer than :attr:`Policy.min_values` whole values (for ``threshold5``, four:
    no reader learns more than "1 to 4" of a small count, or of any other hidden count). The
    complement is a sibling in the same sum (the smallest that gives enough room), the sum's
    total only when no sibling can serve.

    >>> s, _ = suppress([20, 3, 8, 9], [20, 3, 8, 9], [Constraint(0, [1, 2, 3])], get_policy("threshold5"))
    >>> s
    ['shown', 'suppressed', 'suppressed', 'shown']
    """
    n = len(low)
    unknown = list(unknown) if unknown is not None else [False] * n
    is_primary = [p and not u for p, u in zip(primary(low, high, policy), unknown, strict=True)]
    plain = ROUNDED if policy.rounding else SHOWN
    status = [
        NOT_AVAILABLE if u else SUPPRESSED if p else plain
        for p, u in zip(is_primary, unknown, strict=True)
    ]
    if not any(is_primary):
        return status, is_primary
    by_cell: dict[int, list[Constraint]] = {}
    for con in constraints:
        for c in con.cells:
            by_cell.setdefault(c, []).append(con)
    need = policy.min_values
    k_low, k_high = known_bounds(low, high, status, policy)
    # Sums never link indicators, so each hierarchy is settled alone.
    for cells, cons in _components(n, constraints, [i for i in range(n) if is_primary[i]]):
        for _round in range(len(cells) + 1):
            f_low, f_high = tree_bounds(k_low, k_high, cons)
            exposed = [
                c for c in cells
                if status[c] == SUPPRESSED and f_high[c] - f_low[c] + 1 < need
            ]  # fmt: skip
            if not exposed:
                break
            chosen = _complements(exposed, by_cell, low, high, status, need)
            if not chosen:
                raise RuntimeError("disclosure control: a suppressed cell cannot be protected")
            for c in chosen:
                status[c] = SUPPRESSED
                k_low[c], k_high[c] = (1.0 if low[c] >= 1 else 0.0), math.inf
    return status, is_primary


def _complements(
    exposed: list[int],
    by_cell: dict[int, list[Constraint]],
    low: Sequence[float],
    high: Sequence[float],
    status: Sequence[str],
    need: int,
) -> set[int]:
    """The cells to hide this round. A hidden cell pinned from below (the total of a sum whose
    parts are all shown) is widened first, by one of its own parts: a neighbour exposed only
    because of it will be free once it is, and widening that neighbour too would hide a further
    sibling each round, up to the whole indicator. One complement per sum per round."""
    pinned = [
        t for t in exposed
        if any(con.total == t and all(status[c] != SUPPRESSED for c in con.parts)
               for con in by_cell.get(t, []))
    ]  # fmt: skip
    chosen: set[int] = set()
    for t in pinned or exposed:
        mine = by_cell.get(t, [])
        if any(c in chosen for con in mine for c in con.cells):
            continue  # this round already widened a sum of t's; look again first
        below = [con for con in mine if con.total == t] if pinned else mine
        choice = _complement(t, below, low, high, status, need)
        if choice is None and pinned:
            choice = _complement(t, mine, low, high, status, need)
        if choice is not None:
            chosen.add(choice)
    return chosen


def _complement(
    cell: int,
    cons: Sequence[Constraint],
    low: Sequence[float],
    high: Sequence[float],
    status: Sequence[str],
    need: int,
) -> int | None:
    """The cell to hide beside ``cell``: a sibling large enough that the two together leave
    ``need`` values open (the smallest such, to lose least), else the largest sibling; a sum's
    total only when no sibling can serve."""
    best: tuple[tuple[int, int, float], int] | None = None
    for con in cons:
        for c in con.cells:
            if c == cell or status[c] in (SUPPRESSED, NOT_AVAILABLE) or high[c] == 0:
                continue
            is_total = int(c == con.total)
            value = low[c]
            enough = value + low[cell] - 1 >= need
            key = (is_total, int(not enough), value if enough else -value)
            if best is None or key < best[0]:
                best = (key, c)
    return None if best is None else best[1]


# ---------------------------------------------------------------------------------------------
# Tables: a rollup (and its ward figures) in, the published version out.


@dataclass
class Protection:
    """The outcome of :func:`protect`: one row per published cell (``indicator``, ``level`` —
    ward, locality or total — ``area``, ``status``, ``primary``, ``text``) and the policy."""

    policy: Policy
    cells: pd.DataFrame
    wards_published: bool
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        """How many cells were hidden and how many were not available. How many were hidden only
        to protect others is never given: with it, a reader could tell which hidden cells are
        small (when it is 0, every hidden cell is)."""
        c = self.cells
        hidden = c["status"] == SUPPRESSED
        return {
            "cells": len(c),
            "suppressed": int(hidden.sum()),
            "not_available": int((c["status"] == NOT_AVAILABLE).sum()),
        }

    def secondary_count(self) -> int:
        """How many cells were hidden only to protect others. **Internal**: never publish it
        (see :meth:`summary`)."""
        c = self.cells
        return int(((c["status"] == SUPPRESSED) & ~c["primary"]).sum())

    def status_of(self, level: str) -> dict[tuple[str, str], str]:
        """``{(indicator, area): status}`` for one level."""
        c = self.cells[self.cells["level"] == level]
        return dict(zip(zip(c["indicator"], c["area"], strict=True), c["status"], strict=True))


def protect(
    table: pd.DataFrame,
    policy: Policy | str,
    *,
    data: IndicatorData | None = None,
    scheme: Scheme | None = None,
) -> Protection:
    """Decide which cells of a rollup may be published under ``policy``.

    With ``data`` and ``scheme``, ward figures are published too and the ward → locality sums
    join the borough sums; otherwise only localities and the borough total.
    """
    import numpy as np
    import pandas as pd

    pol = get_policy(policy)
    rows: list[dict[str, Any]] = []
    constraints: list[Constraint] = []
    wards_of: dict[str, list[str]] = {}
    if data is not None and scheme is not None:
        wards_of = {loc: list(codes) for loc, codes in scheme.localities.items()}
    ward_values: dict[tuple[str, str], tuple[float, float, str]] = {}
    if wards_of and data is not None:
        v = data.values
        for ind, code, lo, hi, st in zip(
            v["indicator"], v["ward_code"], v["low"], v["high"], v["status"], strict=True
        ):
            ward_values[(ind, code)] = (float(lo), float(hi), str(st))
    for ind, grp in table.groupby("indicator", sort=False):
        recs = grp.to_dict("records")
        total_pos = -1
        loc_pos: list[int] = []
        for rec in recs:
            pos = len(rows)
            rows.append(
                {
                    "indicator": ind,
                    "level": "total" if rec["is_total"] else "locality",
                    "area": rec["locality"],
                    "low": float(rec["count_low"]),
                    "high": float(rec["count_high"]),
                    "unknown": False,
                }
            )
            if rec["is_total"]:
                total_pos = pos
            else:
                loc_pos.append(pos)
            parts = []
            for code in wards_of.get(rec["locality"], []) if not rec["is_total"] else []:
                lo, hi, st = ward_values.get((str(ind), code), (0.0, math.nan, "missing"))
                parts.append(len(rows))
                # A cell the source suppressed without saying how small it is, or left blank, is
                # "not available" ([x]): the privacy symbol would tell readers it is 1 to 4.
                unknown = st == "missing" or (st == "suppressed" and math.isnan(hi))
                rows.append(
                    {
                        "indicator": ind, "level": "ward", "area": code, "low": lo,
                        "high": hi, "unknown": unknown,
                    }
                )  # fmt: skip
            if parts:
                constraints.append(Constraint(pos, parts))
        constraints.append(Constraint(total_pos, loc_pos))
    cells = pd.DataFrame(rows)
    high = cells["high"].fillna(np.inf).tolist()
    status, is_primary = suppress(
        cells["low"].tolist(), high, constraints, pol, unknown=cells["unknown"].tolist()
    )
    cells["status"] = status
    cells["primary"] = is_primary
    k_low, k_high = known_bounds(cells["low"].tolist(), high, status, pol)
    f_low, f_high = tree_bounds(k_low, k_high, constraints)
    hidden = [s == SUPPRESSED for s in status]
    # What anyone can work out of a hidden cell (shares and ranks are recomputed from these).
    cells["known_low"] = [f if h else k for f, k, h in zip(f_low, k_low, hidden, strict=True)]
    cells["known_high"] = [f if h else k for f, k, h in zip(f_high, k_high, hidden, strict=True)]
    cells["text"] = [
        _text(lo, hi, st, pol) for lo, hi, st in zip(cells["low"], high, status, strict=True)
    ]
    return Protection(pol, cells.drop(columns=["unknown"]), bool(wards_of))


def _text(low: float, high: float, status: str, policy: Policy) -> str:
    from localitymap.publication.cells import format_count

    if status == SUPPRESSED:
        return policy.symbol
    if status == NOT_AVAILABLE:
        return NA_SYMBOL
    if status == ROUNDED:
        low = round_to(low, policy.rounding)
        high = round_to(high, policy.rounding) if math.isfinite(high) else math.nan
    return format_count(low, high if math.isfinite(high) else math.nan)


def public_table(table: pd.DataFrame, protection: Protection) -> pd.DataFrame:
    """The rollup as it may be published: hidden counts, shares and ranks blank (``disclosure``
    column = ``suppressed``), rounded counts rounded, and every other locality's share and rank
    recomputed from the published figures only.

    Rates added afterwards (:func:`localitymap.statistics.rates.add_rates`) follow the same rule.
    """
    import numpy as np
    import pandas as pd

    pol = protection.policy
    out = table.copy()
    status = protection.status_of("locality") | protection.status_of("total")
    cells = protection.cells[protection.cells["level"] != "ward"]
    known = {
        (i, a): (lo, hi)
        for i, a, lo, hi in zip(
            cells["indicator"], cells["area"], cells["known_low"], cells["known_high"], strict=True
        )
    }
    keys = list(zip(out["indicator"], out["locality"], strict=True))
    out["disclosure"] = [status.get(k, SHOWN) for k in keys]
    if pol.rounding:
        rounded = out["disclosure"] == ROUNDED
        for col in ("count_low", "count_high"):
            out.loc[rounded, col] = [
                round_to(x, pol.rounding) if math.isfinite(x) else x for x in out.loc[rounded, col]
            ]
    # Bounds anyone can work out from the output: exact where shown, derived where hidden.
    pub_low = np.array(
        [known[k][0] if out["disclosure"].iat[i] == SUPPRESSED else out["count_low"].iat[i]
         for i, k in enumerate(keys)], dtype=float,
    )  # fmt: skip
    pub_high = np.array(
        [known[k][1] if out["disclosure"].iat[i] == SUPPRESSED else out["count_high"].iat[i]
         for i, k in enumerate(keys)], dtype=float,
    )  # fmt: skip
    pub_high[~np.isfinite(pub_high)] = np.nan
    _reshare_rerank(out, pub_low, pub_high)
    shares, ranks = ["share", "share_low", "share_high"], ["rank", "rank_best", "rank_worst"]
    if "authority" in out.columns:  # a region: shares and ranks within each authority too
        add_within_authority(out, pub_low, pub_high)
        shares += ["authority_share_low", "authority_share_high"]
        ranks += ["authority_rank", "authority_rank_best", "authority_rank_worst"]
    hidden = out["disclosure"] == SUPPRESSED
    for col in ("count", "count_low", "count_high", *shares):
        out.loc[hidden, col] = np.nan
    for col in ranks:
        out.loc[hidden, col] = pd.NA
    exact = ~hidden & (out["count_low"] == out["count_high"])
    out["exact"] = exact
    out["count"] = out["count_low"].where(exact)
    out.attrs = {
        **table.attrs,
        "disclosure_policy": pol.id,
        "disclosure_symbol": pol.symbol,
        "disclosure_statement": statement(pol),
        "disclosure_summary": protection.summary(),
    }
    return out


def _reshare_rerank(out: pd.DataFrame, low: np.ndarray, high: np.ndarray) -> None:
    """Shares and ranks from published bounds, per indicator (in place)."""
    import numpy as np

    for _ind, idx in out.groupby("indicator", sort=False).indices.items():
        is_total = out["is_total"].to_numpy()[idx]
        body = idx[~is_total]
        tot = idx[is_total][0]
        t_low, t_high = low[tot], high[tot]
        with np.errstate(divide="ignore", invalid="ignore"):
            s_low = np.where(np.isnan(t_high), 0.0, low[body] / t_high)
            s_high = np.minimum(1.0, np.nan_to_num(high[body], nan=np.inf) / t_low)
        if t_high == 0:
            s_low[:] = s_high[:] = np.nan
        out.loc[out.index[body], "share_low"] = s_low
        out.loc[out.index[body], "share_high"] = s_high
        out.loc[out.index[body], "share"] = np.where(s_low == s_high, s_low, np.nan)
        ranked = out["locality"].to_numpy()[body] != UNASSIGNED
        r_idx = body[ranked]
        rank, best, worst = competition_ranks(low[r_idx][None, :], high[r_idx][None, :])
        out.loc[out.index[r_idx], "rank"] = rank[0]
        out.loc[out.index[r_idx], "rank_best"] = best[0]
        out.loc[out.index[r_idx], "rank_worst"] = worst[0]


def public_wards(protection: Protection, data: IndicatorData) -> pd.DataFrame:
    """Ward figures as they may be published: ``ward_code``, ``ward_name``, ``indicator``,
    ``text`` (the count, or the policy's symbol), ``low``/``high`` (as published: rounded under a
    rounding policy, empty when hidden) and ``status``."""
    import pandas as pd

    c = protection.cells[protection.cells["level"] == "ward"]
    names = dict(zip(data.values["ward_code"], data.values["ward_name"], strict=True))
    pol = protection.policy

    def shown(x: float, status: str) -> float:
        if status not in (SHOWN, ROUNDED) or not math.isfinite(x):
            return math.nan
        return float(round_to(x, pol.rounding)) if pol.rounding else float(x)

    return pd.DataFrame(
        {
            "ward_code": c["area"].to_numpy(),
            "ward_name": [names.get(a, a) for a in c["area"]],
            "indicator": c["indicator"].to_numpy(),
            "text": c["text"].to_numpy(),
            "low": [shown(x, s) for x, s in zip(c["low"], c["status"], strict=True)],
            "high": [shown(x, s) for x, s in zip(c["high"], c["status"], strict=True)],
            "status": c["status"].to_numpy(),
        }
    )


__all__ = [
    "POLICIES",
    "Constraint",
    "Policy",
    "Protection",
    "attack",
    "get_policy",
    "protect",
    "public_table",
    "public_wards",
    "statement",
    "suppress",
    "tree_bounds",
]
