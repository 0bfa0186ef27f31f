"""Roll ward counts up to localities: count, share of the borough, and rank, per indicator.

Counts are carried as bounds (``count_low``/``count_high``), so a locality holding a suppressed or
missing ward gets a range or a lower bound, not a figure that treats the cell as zero. Locality
counts add up exactly to the borough total; wards the scheme does not place, places twice, or that
the data lacks stop the run unless the caller opts in.

>>> t = rollup(read_indicators(), load_scheme("icn6"))
>>> row = t[(t.indicator == "cp_plans") & (t.locality == "Central West")].iloc[0]
>>> int(row["count"]), round(row["share"] * 100), int(row["rank"])
(113, 28, 1)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import Report, SchemeError
from localitymap.indicators import IndicatorData, read_indicators
from localitymap.schemes import Scheme, load_scheme

if TYPE_CHECKING:
    import pandas as pd

TOTAL = "Borough total"
UNASSIGNED = "Unassigned"

COLUMNS = [
    "indicator", "label", "domain", "locality", "is_total", "wards",
    "count", "count_low", "count_high", "exact", "suppressed_wards", "missing_wards",
    "share", "share_low", "share_high", "rank", "rank_best", "rank_worst",
]  # fmt: skip


def rollup(
    data: IndicatorData | str | Path | None,
    scheme: Scheme | str | Path,
    *,
    allow_unassigned: bool = False,
    allow_missing_wards: bool = False,
) -> pd.DataFrame:
    """One row per (indicator, locality), plus an ``Unassigned`` row when allowed and needed, and a
    ``Borough total`` row per indicator (``is_total``).

    ``data`` may be read already (:func:`~localitymap.indicators.read_indicators`) or a path (None:
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

    v = data.values
    # Every (ward, indicator) the scheme needs but the data lacks counts as missing: 0 to unknown.
    grid = pd.MultiIndex.from_product(
        [[i.id for i in data.indicators], list(locality_of)], names=["indicator", "ward_code"]
    )
    v = v.set_index(["indicator", "ward_code"]).reindex(grid).reset_index()
    gap = v["status"].isna()
    v.loc[gap, ["low", "status"]] = [0.0, "missing"]
    v["locality"] = v["ward_code"].map(locality_of)
    v["is_suppressed"] = v["status"].eq("suppressed")
    v["is_missing"] = v["status"].eq("missing")

    order = [*scheme.localities, *([UNASSIGNED] if UNASSIGNED in locality_of.values() else [])]
    keys = ["indicator", "locality"]
    g = v.groupby(keys, sort=False)
    loc = pd.DataFrame(
        {
            "wards": g["ward_code"].count(),
            "count_low": g["low"].sum(),
            "count_high": g["high"]
            .sum(min_count=1)
            .where(~g["high"].apply(lambda s: s.isna().any())),
            "suppressed_wards": g["is_suppressed"].sum(),
            "missing_wards": g["is_missing"].sum(),
        }
    ).reset_index()
    tot = (
        loc.groupby("indicator", sort=False)
        .agg(
            wards=("wards", "sum"),
            count_low=("count_low", "sum"),
            count_high=("count_high", lambda s: s.sum() if s.notna().all() else np.nan),
            suppressed_wards=("suppressed_wards", "sum"),
            missing_wards=("missing_wards", "sum"),
        )
        .reset_index()
    )
    tot["locality"] = TOTAL
    tot_low = loc["indicator"].map(tot.set_index("indicator")["count_low"])
    tot_high = loc["indicator"].map(tot.set_index("indicator")["count_high"])

    # Share bounds: the locality as small (large) as it can be against the rest as large (small).
    rest_low, rest_high = tot_low - loc["count_low"], tot_high - loc["count_high"]
    with np.errstate(divide="ignore", invalid="ignore"):
        loc["share_low"] = (loc["count_low"] / (loc["count_low"] + rest_high)).fillna(0.0)
        loc["share_high"] = (loc["count_high"] / (loc["count_high"] + rest_low)).fillna(1.0)
    zero_total = tot_high.eq(0)
    loc.loc[zero_total, ["share_low", "share_high"]] = np.nan
    tot["share_low"] = tot["share_high"] = 1.0

    loc["is_total"] = False
    tot["is_total"] = True
    out = pd.concat([loc, tot], ignore_index=True)
    out["exact"] = out["count_low"].eq(out["count_high"])
    out["count"] = out["count_low"].where(out["exact"])
    out["share"] = out["share_low"].where(out["exact"] & out["share_low"].eq(out["share_high"]))
    _rank(out)

    labels = {i.id: i for i in data.indicators}
    out["label"] = out["indicator"].map(lambda i: labels[i].label)
    out["domain"] = out["indicator"].map(lambda i: labels[i].domain)
    pos = {name: i for i, name in enumerate([*order, TOTAL])}
    ind_pos = {i.id: n for n, i in enumerate(data.indicators)}
    out = out.sort_values(
        ["indicator", "locality"],
        key=lambda s: s.map(ind_pos) if s.name == "indicator" else s.map(pos),
    ).reset_index(drop=True)[COLUMNS]
    for col in ("wards", "suppressed_wards", "missing_wards"):
        out[col] = out[col].astype("int64")
    out.attrs.update(_metadata(data, scheme, absent))
    return out


def _assign(
    data: IndicatorData, scheme: Scheme, allow_unassigned: bool, allow_missing: bool
) -> tuple[dict[str, str], list[str]]:
    """Ward -> locality for every ward in the data or the scheme; stop on anything unplaced."""
    reg = data.register
    report = Report()
    seen: dict[str, str] = {}
    for name, codes in scheme.localities.items():
        for c in codes:
            if c in seen and seen[c] != name:
                report.add(
                    f"ward {reg.name_of(c)} ({c}) is in two localities: {seen[c]!r} and {name!r}",
                    file=scheme.source, ward=c,
                    hint="fix the scheme: each ward must be in exactly one locality",
                )  # fmt: skip
            seen.setdefault(c, name)
    if report.errors:
        raise SchemeError(f"scheme {scheme.id} places a ward twice", report=report)
    present = data.wards()
    unassigned = [c for c in present if c not in seen]
    absent = [c for c in seen if c not in set(present)]
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
    locality_of = {c: seen.get(c, UNASSIGNED) for c in reg.codes if c in seen or c in present}
    return locality_of, absent


def _rank(out: pd.DataFrame) -> None:
    """Competition ranks among the localities of each indicator (1 = highest; ties share a rank),
    with the best and worst rank a locality could hold given its bounds."""
    import numpy as np

    out["rank"] = out["rank_best"] = out["rank_worst"] = np.nan
    ranked = ~out["is_total"] & out["locality"].ne(UNASSIGNED)
    for _, idx in out[ranked].groupby("indicator", sort=False).groups.items():
        lo = out.loc[idx, "count_low"].to_numpy()
        hi = out.loc[idx, "count_high"].fillna(np.inf).to_numpy()
        others_low = lo[None, :]
        others_high = hi[None, :]
        not_self = ~np.eye(len(lo), dtype=bool)
        out.loc[idx, "rank"] = 1 + ((others_low > lo[:, None]) & not_self).sum(axis=1)
        out.loc[idx, "rank_best"] = 1 + ((others_low > hi[:, None]) & not_self).sum(axis=1)
        out.loc[idx, "rank_worst"] = 1 + ((others_high > lo[:, None]) & not_self).sum(axis=1)
    for col in ("rank", "rank_best", "rank_worst"):
        out[col] = out[col].astype("Int64")


def leaders(table: pd.DataFrame) -> pd.DataFrame:
    """Highest and second-highest locality per indicator, from a :func:`rollup` table.

    Tied localities are listed together (``"North East = Central West"``); after a tie for the
    highest, "second" is the next distinct value. ``certain`` is False where suppressed cells
    could change the order.

    >>> ld = leaders(rollup(None, "icn6")).set_index("indicator")
    >>> ld.loc["adult_mental_health", "highest"]
    'North East = Central West'
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    body = table[~table["is_total"] & table["locality"].ne(UNASSIGNED)]
    for ind, grp in body.groupby("indicator", sort=False):
        ranks = sorted(grp["rank"].dropna().unique())
        first = grp[grp["rank"] == ranks[0]] if ranks else grp.iloc[:0]
        second = grp[grp["rank"] == ranks[1]] if len(ranks) > 1 else grp.iloc[:0]
        rows.append(
            {
                "indicator": ind,
                "label": grp["label"].iloc[0],
                "highest": " = ".join(first["locality"]),
                "highest_share": first["share"].iloc[0] if len(first) else float("nan"),
                "second": " = ".join(second["locality"]),
                "second_share": second["share"].iloc[0] if len(second) else float("nan"),
                "certain": bool((grp["rank_best"] == grp["rank_worst"]).all()),
            }
        )
    return pd.DataFrame(rows)


def _metadata(data: IndicatorData, scheme: Scheme, absent: list[str]) -> dict[str, Any]:
    reg = data.register
    return {
        "scheme": scheme.id,
        "scheme_name": scheme.name,
        "scheme_source": scheme.source,
        "period": data.period or "",
        "sources": list(data.sources),
        "illustrative": data.illustrative,
        "data_notes": list(data.notes),
        "authority": f"{reg.lad_name} ({reg.lad_code})",
        "boundaries": f"{reg.lad_name} wards, {reg.vintage} ({len(reg)} wards)",
        "wards_without_data": [reg.name_of(c) for c in absent],
    }
