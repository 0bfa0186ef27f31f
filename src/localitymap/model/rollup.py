"""Roll ward counts up to localities: count, share of the borough, and rank, per indicator.

Counts are carried as bounds (``count_low``/``count_high``), so a locality holding a suppressed or
missing ward gets a range or a lower bound, not a figure that treats the cell as zero. Locality
counts add up exactly to the borough total; wards the scheme does not place, places twice, or that
the data lacks stop the run unless the caller opts in.

>>> t = rollup(read_indicators(period="2019-02"), load_scheme("icn6"))
>>> row = t[(t.indicator == "cp_plans") & (t.locality == "Central West")].iloc[0]
>>> int(row["count"]), round(row["share"] * 100), int(row["rank"])
(113, 28, 1)
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import SchemeError
from localitymap.inputs.indicators import IndicatorData, read_indicators
from localitymap.inputs.schemes import Scheme, load_scheme, placements

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

log = logging.getLogger(__name__)
TOTAL = "Borough total"
UNASSIGNED = "Unassigned"
#: The ``authority`` of a locality whose wards lie in more than one authority, and of the total.
SEVERAL = "several authorities"
ALL_AUTHORITIES = "all authorities"

#: What a rollup of several authorities adds: each locality's authority, its share of that
#: authority's total and its rank within the authority, as bounds (see :func:`within_authority`).
AUTHORITY_COLUMNS = [
    "authority",
    "authority_share_low",
    "authority_share_high",
    "authority_rank",
    "authority_rank_best",
    "authority_rank_worst",
]

COLUMNS = [
    "indicator",
    "label",
    "domain",
    "locality",
    "is_total",
    "wards",
    "count",
    "count_low",
    "count_high",
    "exact",
    "suppressed_wards",
    "missing_wards",
    "share",
    "share_low",
    "share_high",
    "rank",
    "rank_best",
    "rank_worst",
]


def rollup(
    data: IndicatorData | str | Path | None,
    scheme: Scheme | str | Path,
    *,
    allow_unassigned: bool = False,
    allow_missing_wards: bool = False,
) -> pd.DataFrame:
    """One row per (indicator, locality), plus an ``Unassigned`` row when allowed and needed, and a
    ``Borough total`` row per indicator (``is_total``).

    ``data`` may be read already (:func:`~localitymap.inputs.indicators.read_indicators`) or a path (None:
    the bundled snapshot); ``scheme`` a :class:`Scheme`, a bundled id or a file. Metadata for
    captions (scheme, period, sources, whether the data is illustrative) is in ``.attrs``.

    ``count`` is the exact count or NaN when only bounds are known; ``share`` likewise; ``rank`` is 1
    for the highest, tied localities share a rank, and ``rank_best``/``rank_worst`` give the range
    a rank could take given suppressed cells.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(data, IndicatorData):
        data = read_indicators(data)
    if not isinstance(scheme, Scheme):
        scheme = load_scheme(scheme, data.register)
    locality_of, absent = _assign(data, scheme, allow_unassigned, allow_missing_wards)

    # Matrices indicator x ward. A cell the data lacks counts as missing: 0 to unknown. Plain
    # NumPy rather than groupby: this runs on every CLI call, where pandas' lazy imports dominate.
    ind_ids = [i.id for i in data.indicators]
    wards = list(locality_of)
    localities = [*scheme.localities, *([UNASSIGNED] if UNASSIGNED in locality_of.values() else [])]
    n_ind, n_loc = len(ind_ids), len(localities)
    low = np.zeros((n_ind, len(wards)))
    high = np.full((n_ind, len(wards)), np.nan)
    suppressed = np.zeros((n_ind, len(wards)))
    missing = np.ones((n_ind, len(wards)))
    v = data.values
    ind_index, ward_index = pd.Index(ind_ids), pd.Index(wards)
    ii = ind_index.get_indexer(v["indicator"])
    ww = ward_index.get_indexer(v["ward_code"])
    keep = (ww >= 0) & (ii >= 0)
    ii, ww = ii[keep], ww[keep]
    low[ii, ww] = v["low"].to_numpy()[keep]
    high[ii, ww] = v["high"].to_numpy()[keep]
    # Compared inside pandas: a NumPy copy of the status column is a Python string per value.
    suppressed[ii, ww] = v["status"].eq("suppressed").to_numpy(dtype=bool, na_value=False)[keep]
    missing[ii, ww] = v["status"].eq("missing").to_numpy(dtype=bool, na_value=False)[keep]

    # Ward -> locality as an index; sums per locality by bincount (a dense ward x locality
    # matrix grows with the square of the country).
    loc_pos = {loc: k for k, loc in enumerate(localities)}
    loc_idx = np.array([loc_pos[locality_of[w]] for w in wards], dtype=np.int64)

    def by_locality(m: np.ndarray) -> np.ndarray:
        out = np.empty((m.shape[0], n_loc))
        for k in range(m.shape[0]):
            out[k] = np.bincount(loc_idx, weights=m[k], minlength=n_loc)
        return out

    loc_low = by_locality(low)
    loc_high = by_locality(np.nan_to_num(high))
    loc_high[by_locality(np.isnan(high).astype(float)) > 0] = np.nan
    wards_per_locality = np.bincount(loc_idx, minlength=n_loc)
    tot_low, tot_high = low.sum(axis=1), high.sum(axis=1)

    # Share bounds: the locality as small (large) as it can be against the rest as large (small).
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_high = tot_high[:, None] - loc_high
        rest_low = tot_low[:, None] - loc_low
        share_low = np.nan_to_num(loc_low / (loc_low + rest_high), nan=0.0)
        share_high = np.nan_to_num(loc_high / (loc_high + rest_low), nan=1.0)
    zero_total = tot_high == 0
    share_low[zero_total], share_high[zero_total] = np.nan, np.nan
    ranked = np.array([loc != UNASSIGNED for loc in localities])
    rank, best, worst = competition_ranks(loc_low[:, ranked], loc_high[:, ranked])

    def with_total(loc_values: np.ndarray, total: np.ndarray) -> np.ndarray:
        return np.column_stack([loc_values, total]).ravel()

    def ranks_column(r: np.ndarray) -> pd.arrays.IntegerArray:
        full = np.full((n_ind, n_loc + 1), -1, dtype=np.int64)
        full[:, np.flatnonzero(ranked)] = r
        flat = full.ravel()
        return pd.arrays.IntegerArray(np.where(flat < 0, 0, flat), flat < 0)

    n_rows = n_loc + 1
    count_low = with_total(loc_low, tot_low)
    count_high = with_total(loc_high, tot_high)
    s_low = with_total(share_low, np.where(zero_total, np.nan, 1.0))
    s_high = with_total(share_high, np.where(zero_total, np.nan, 1.0))
    exact = count_low == count_high
    labels = {i.id: i for i in data.indicators}
    per_indicator = np.repeat(np.arange(n_ind), n_rows)  # each row's indicator, by position
    per_locality = np.tile(np.arange(n_rows), n_ind)
    out = pd.DataFrame(
        {
            "indicator": _text(ind_ids, per_indicator),
            "label": _text([labels[i].label for i in ind_ids], per_indicator),
            "domain": _text([labels[i].domain for i in ind_ids], per_indicator),
            "locality": _text([*localities, TOTAL], per_locality),
            "is_total": np.tile([False] * n_loc + [True], n_ind),
            "wards": np.tile([*wards_per_locality.astype(np.int64), len(wards)], n_ind),
            "count": np.where(exact, count_low, np.nan),
            "count_low": count_low,
            "count_high": count_high,
            "exact": exact,
            "suppressed_wards": with_total(by_locality(suppressed), suppressed.sum(1)).astype(
                np.int64
            ),
            "missing_wards": with_total(by_locality(missing), missing.sum(1)).astype(np.int64),
            "share": np.where(exact & (s_low == s_high), s_low, np.nan),
            "share_low": s_low,
            "share_high": s_high,
            "rank": ranks_column(rank),
            "rank_best": ranks_column(best),
            "rank_worst": ranks_column(worst),
        }
    )
    authorities = data.register.authorities
    if len(authorities) > 1:
        # A regional or national register: say which authority each locality belongs to, so
        # tables can give each authority's total beside the grand total (authority_totals).
        lads_of_loc: dict[str, set[str]] = {}
        for w, loc in locality_of.items():
            lads_of_loc.setdefault(loc, set()).add(data.register.authority_of(w))
        name_of_loc = [
            authorities[next(iter(lads_of_loc[loc]))] if len(lads_of_loc.get(loc, ())) == 1
            else SEVERAL for loc in localities
        ]  # fmt: skip
        out.insert(4, "authority", _text([*name_of_loc, ALL_AUTHORITIES], per_locality))
        add_within_authority(out)
    out.attrs.update(_metadata(data, scheme, absent))
    log.info(
        "rolled up %d indicator(s) from %d ward(s) into %d localities of %s",
        n_ind, len(wards), n_loc, scheme.id,
    )  # fmt: skip
    return out


def _text(values: list[str], positions: np.ndarray) -> Any:
    """A text column repeating a few ``values``, taken by position inside pandas' string array:
    NumPy's repeat and tile would make a Python string per row once pandas converts them, some
    megabytes per column for a national table (the dtype is the same either way)."""
    import pandas as pd

    return pd.array(values, dtype="str").take(positions)


def _assign(
    data: IndicatorData, scheme: Scheme, allow_unassigned: bool, allow_missing: bool
) -> tuple[dict[str, str], list[str]]:
    """Ward -> locality for every ward in the data or the scheme; stop on anything unplaced."""
    reg = data.register
    seen, report = placements(scheme, reg)
    if report.errors:
        raise SchemeError(f"scheme {scheme.id} places a ward twice", report=report)
    present = data.wards()
    present_set = set(present)
    unassigned = [c for c in present if c not in seen]
    absent = [c for c in seen if c not in present_set]
    if unassigned and not allow_unassigned:
        names = ", ".join(reg.name_of(c) for c in unassigned)
        raise SchemeError(
            f"{len(unassigned)} ward(s) in the data are in no locality of {scheme.id}: {names}",
            hint="add them to the scheme, or use --allow-unassigned to show them as 'Unassigned'",
        )
    if absent and not allow_missing:
        names = ", ".join(reg.name_of(c) for c in absent)
        raise SchemeError(
            f"{len(absent)} ward(s) of {scheme.id} have no data: {names}",
            hint="add them to the data, or use --allow-missing-wards to count them as unknown "
            "(their localities then show lower bounds)",
        )
    locality_of = {c: seen.get(c, UNASSIGNED) for c in reg.codes if c in seen or c in present_set}
    return locality_of, absent


def competition_ranks(
    low: np.ndarray, high: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Competition ranks per row (1 = highest; ties share a rank), and the best and worst rank
    each column could hold given its bounds (``high`` NaN = unbounded).

    >>> import numpy as np
    >>> [r.tolist() for r in competition_ranks(np.array([[5.0, 5, 9]]), np.array([[5.0, 5, 9]]))]
    [[[2, 2, 1]], [[2, 2, 1]], [[2, 2, 1]]]
    """
    import numpy as np

    hi = np.nan_to_num(high, nan=np.inf)
    n = low.shape[1]
    rank = np.empty(low.shape, dtype=np.int64)
    best = np.empty(low.shape, dtype=np.int64)
    worst = np.empty(low.shape, dtype=np.int64)
    # Counting by binary search in the sorted bounds: n log n per row, not n^2.
    for k in range(low.shape[0]):
        lows, highs = np.sort(low[k]), np.sort(hi[k])
        rank[k] = 1 + n - np.searchsorted(lows, low[k], side="right")  # others strictly above
        best[k] = 1 + n - np.searchsorted(lows, hi[k], side="right")
        worst[k] = 1 + n - np.searchsorted(highs, low[k], side="right")
    # A locality is never above itself except where its upper bound exceeds its own lower bound.
    worst -= (hi > low).astype(int)
    return rank, best, worst


def add_within_authority(
    table: pd.DataFrame, low: np.ndarray | None = None, high: np.ndarray | None = None
) -> None:
    """Add (in place) each locality's share of its authority's total and its rank within the
    authority (1 = highest; ties share a rank), as bounds, from counts between ``low`` and
    ``high`` (default: the table's ``count_low``/``count_high``; NaN high = unbounded). The
    authority's total is the sum of its localities. Empty for the totals, for localities whose
    wards span authorities and for unassigned wards.

    Regional and national analysts compare a locality with the rest of its own authority as
    well as with the whole country: the shares and ranks of the whole table answer the second.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"indicator": ["a"] * 4, "locality": ["N", "S", "E", "Borough total"],
    ...     "authority": ["X", "X", "Y", ALL_AUTHORITIES], "is_total": [False, False, False, True],
    ...     "count_low": [30.0, 10, 5, 45], "count_high": [30.0, 10, 5, 45]})
    >>> add_within_authority(t)
    >>> t["authority_share_low"].round(2).tolist(), t["authority_rank"].tolist()
    ([0.75, 0.25, 1.0, nan], [1, 2, 1, <NA>])
    """
    import numpy as np
    import pandas as pd

    lo = table["count_low"].to_numpy(dtype=float) if low is None else np.asarray(low, float)
    hi = table["count_high"].to_numpy(dtype=float) if high is None else np.asarray(high, float)
    # Compared and grouped inside pandas: no Python string per row (see rollup's _text).
    use = (
        ~table["is_total"].to_numpy(dtype=bool)
        & table["authority"].notna().to_numpy(dtype=bool)
        & (table["authority"] != SEVERAL).to_numpy(dtype=bool)
        & (table["locality"] != UNASSIGNED).to_numpy(dtype=bool)
        & ~np.isnan(lo)
    )
    # One group per indicator and authority, numbered 0..g-1.
    group = (
        table.loc[use, ["indicator", "authority"]]
        .groupby(["indicator", "authority"], sort=False, observed=True)
        .ngroup()
        .to_numpy()
    )
    x, h = lo[use], hi[use]
    unbounded = np.isnan(h)
    h0 = np.nan_to_num(h)
    g_low = np.bincount(group, weights=x)
    g_high = np.bincount(group, weights=h0)
    g_unbounded = np.bincount(group, weights=unbounded.astype(float))
    rest_high = np.where(g_unbounded[group] - unbounded > 0, np.inf, g_high[group] - h0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # As small (large) as it can be against the rest of its authority as large (small);
        # 0/0 gives the widest bounds, as the rollup's own shares do.
        s_low = np.nan_to_num(x / (x + rest_high), nan=0.0)
        s_high = np.where(unbounded, 1.0, np.nan_to_num(h / (h + g_low[group] - x), nan=1.0))
    zero = (g_high[group] == 0) & (g_unbounded[group] == 0)
    s_low[zero] = s_high[zero] = np.nan

    # Competition ranks by binary search in each group's sorted bounds (keys offset by group,
    # so one sorted array serves every group): others strictly above, as competition_ranks.
    top = max(float(np.nanmax(np.concatenate([x, h, [0.0]]))), 0.0) + 2
    h_inf = np.where(unbounded, top - 1, h)
    sorted_low = np.sort(group * top + x)
    sorted_high = np.sort(group * top + h_inf)
    end = np.searchsorted(group[np.argsort(group, kind="stable")], group, side="right")
    rank = 1 + end - np.searchsorted(sorted_low, group * top + x, side="right")
    best = 1 + end - np.searchsorted(sorted_low, group * top + h_inf, side="right")
    worst = 1 + end - np.searchsorted(sorted_high, group * top + x, side="right")
    worst -= (h_inf > x).astype(int)

    n = len(table)
    for col, values in (("authority_share_low", s_low), ("authority_share_high", s_high)):
        full = np.full(n, np.nan)
        full[use] = values
        table[col] = full
    for col, values in (("authority_rank", rank), ("authority_rank_best", best),
                        ("authority_rank_worst", worst)):  # fmt: skip
        whole = np.zeros(n, dtype=np.int64)
        whole[use] = values
        table[col] = pd.arrays.IntegerArray(whole, ~use)


def authority_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Each authority's total per indicator, and the grand total, from a :func:`rollup` of a
    register of several authorities: ``indicator, label, authority, localities, count_low,
    count_high, count, share_low, share_high`` (share of the grand total, as bounds).

    Localities whose wards span authorities are totalled as ``several authorities``. Empty for
    a one-authority rollup (its borough total is the authority's).
    """
    import numpy as np
    import pandas as pd

    cols = ["indicator", "label", "authority", "localities", "count_low", "count_high", "count",
            "share_low", "share_high"]  # fmt: skip
    if "authority" not in table.columns:
        return pd.DataFrame(columns=cols)
    body = table[~table["is_total"]]
    grouped = body.groupby(["indicator", "authority"], sort=False)
    sums = grouped.agg(
        label=("label", "first"), localities=("locality", "size"), count_low=("count_low", "sum")
    )
    # An unbounded locality leaves its authority's total unbounded.
    sums["count_high"] = (
        grouped["count_high"]
        .sum(min_count=1)
        .where(~grouped["count_high"].apply(lambda x: x.isna().any()), np.nan)
    )
    sums = sums.reset_index()
    totals = table[table["is_total"]].set_index("indicator")
    grand = pd.DataFrame({
        "indicator": totals.index, "label": totals["label"].to_numpy(),
        "authority": ALL_AUTHORITIES, "localities": body.groupby("indicator").size()
        .reindex(totals.index).to_numpy(),
        "count_low": totals["count_low"].to_numpy(), "count_high": totals["count_high"].to_numpy(),
    })  # fmt: skip
    out = pd.concat([sums, grand], ignore_index=True)
    tot_low = out["indicator"].map(totals["count_low"])
    tot_high = out["indicator"].map(totals["count_high"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_low"] = out["count_low"] / (out["count_low"] + (tot_high - out["count_high"]))
        out["share_high"] = out["count_high"] / (out["count_high"] + (tot_low - out["count_low"]))
    out["count"] = out["count_low"].where(out["count_low"] == out["count_high"])
    order = {ind: k for k, ind in enumerate(dict.fromkeys(table["indicator"]))}
    out = out.sort_values(["indicator", "authority"], key=lambda c: c.map(order) if c.name ==
                          "indicator" else c.eq(ALL_AUTHORITIES).astype(int).astype(str) + c,
                          kind="stable").reset_index(drop=True)  # fmt: skip
    return out[cols]


def leaders(table: pd.DataFrame) -> pd.DataFrame:
    """Highest and second-highest locality per indicator, from a :func:`rollup` table.

    Tied localities are listed together (``"North East = Central West"``); after a tie for the
    highest, "second" is the next distinct value. ``certain`` is False where suppressed cells
    could change who is highest or second: a locality there whose rank is a range, or another
    that could reach either place (the order further down does not matter here).

    >>> ld = leaders(rollup(read_indicators(period="2019-02"), "icn6")).set_index("indicator")
    >>> ld.loc["adult_mental_health", "highest"]
    'North East = Central West'
    """
    import pandas as pd

    by_indicator: dict[str, list[dict[str, Any]]] = {}
    for rec in table.to_dict("records"):
        if not rec["is_total"] and rec["locality"] != UNASSIGNED:
            by_indicator.setdefault(rec["indicator"], []).append(rec)
    rows: list[dict[str, Any]] = []
    # A locality whose count is suppressed has no rank; when it holds first place no shown
    # locality is named highest (the place shows the suppression symbol instead).
    hidden_mark = str(table.attrs.get("disclosure_symbol") or "suppressed")
    for ind, recs in by_indicator.items():
        shown = [r for r in recs if not pd.isna(r["rank"])]
        first = [r for r in shown if r["rank"] == 1]
        # Competition ranks: second place is rank 2, or the rank after a tie for first.
        place = len(first) + 1 if first else 2
        second = [r for r in shown if r["rank"] == place]
        hidden_second = not second and len(shown) < len(recs) and place <= len(recs)
        rows.append(
            {
                "indicator": ind,
                "label": recs[0]["label"],
                "highest": " = ".join(r["locality"] for r in first) if first else hidden_mark,
                "highest_share": first[0]["share"] if first else float("nan"),
                "second": " = ".join(r["locality"] for r in second)
                if second or not hidden_second
                else hidden_mark,
                "second_share": second[0]["share"] if second else float("nan"),
                "certain": bool(first)
                and all(r["rank_best"] == r["rank_worst"] for r in [*first, *second])
                # Shown ranks' ranges allow for where a suppressed locality could be.
                and not any(
                    r["rank_best"] <= place for r in shown if r not in first and r not in second
                ),
            }
        )
    return pd.DataFrame(rows)


def _metadata(data: IndicatorData, scheme: Scheme, absent: list[str]) -> dict[str, Any]:
    reg = data.register
    return {
        "scheme": scheme.id,
        "scheme_name": scheme.name,
        "scheme_source": public_name(scheme.source),
        "period": data.period or "",
        # File names only: outputs are public, and a local folder is nobody's business.
        "sources": [public_name(x) for x in data.sources],
        "illustrative": data.illustrative,
        "data_notes": list(data.notes),
        "authority": f"{reg.lad_name} ({reg.lad_code})",
        "boundaries": f"{reg.lad_name} wards, {vintage_words(reg.vintage)} ({len(reg)} wards)",
        "wards_without_data": [reg.name_of(c) for c in absent],
        "headline": [
            i.id for i in data.indicators if i.headline.strip().lower() in ("yes", "y", "true", "1")
        ],
    }


def public_name(path: str) -> str:
    """A file as public text may name it: its name, without folders or placeholders.

    >>> public_name("<bundled>/indicators/2019-02/croydon.csv"), public_name("/home/a/b.xlsx")
    ('croydon.csv', 'b.xlsx')
    """
    from pathlib import PurePath

    return PurePath(str(path).replace("\\", "/")).name


def vintage_words(vintage: str) -> str:
    """An ONS boundary vintage in words: ``WD19`` -> ``December 2019 boundaries``.

    >>> vintage_words("WD19"), vintage_words("2022")
    ('December 2019 boundaries', '2022 boundaries')
    """
    import re

    m = re.fullmatch(r"WD(\d\d)", vintage.strip().upper())
    if m:  # ONS ward vintages are named for the December they describe
        return f"December 20{m.group(1)} boundaries"
    return f"{vintage} boundaries" if vintage and vintage != "unknown" else "boundaries"
