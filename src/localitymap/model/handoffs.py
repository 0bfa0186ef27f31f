"""Hand-offs: children whose house move within the borough crosses a locality boundary.

When a family moves from a ward of one locality to a ward of another, the locality team holding
the child's case hands it to another team. Buckinghamshire counts fewer such hand-offs as success;
comparing them between the current and a proposed scheme shows what redrawing the lines would do.

The input is an address history: one row per (child, address), with ``person_id``, ``start``,
``end`` (empty while current) and either ``ward_code`` or ``easting``/``northing`` (British
National Grid), as the SSD ``ssd_address`` table gives (see :mod:`localitymap.inputs.addresses`).
Addresses are ordered by start date per child; each change of address is a move, dated by the
new address's start. A move counts as *within the borough* when both addresses fall in wards of
the register; moves into or out of the borough (or with no location) are counted separately, never
dropped. Only counts leave this module: no child's identifier or address is ever returned.

>>> import pandas as pd
>>> from localitymap import load_scheme
>>> h = pd.DataFrame({"person_id": ["a", "a", "b", "b"],
...     "start": ["2023-01-01", "2024-03-01", "2023-05-01", "2024-06-01"], "end": None,
...     "ward_code": ["E05011464", "E05011468", "E05011464", "E05011473"]})
>>> r = count_handoffs(moves(h), load_scheme("icn6"))
>>> r["moves_within"], r["handoff_moves"], r["children_handed_off"]
(2, 1, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from localitymap.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries

#: The ward of an address located outside every ward of the boundaries (or of another authority).
OUTSIDE = "OUTSIDE"


def locate(history: pd.DataFrame, boundaries: Boundaries) -> pd.DataFrame:
    """Fill ``ward_code`` from ``easting``/``northing`` (EPSG:27700) where it is empty: the ward
    whose polygon holds the point; a point in no ward (outside the borough) gets ``OUTSIDE``."""
    import geopandas as gpd
    import pandas as pd

    out = history.copy()
    if "ward_code" not in out:
        out["ward_code"] = pd.NA
    need = out["ward_code"].isna()
    if {"easting", "northing"} <= set(out.columns):
        need &= out["easting"].notna() & out["northing"].notna()
    else:
        need &= False
    if need.any():
        pts = gpd.GeoDataFrame(
            index=out.index[need],
            geometry=gpd.points_from_xy(out.loc[need, "easting"], out.loc[need, "northing"]),
            crs=27700,
        )
        wards = boundaries.frame[["ward_code", "geometry"]].reset_index(drop=True)
        hit = gpd.sjoin(pts, wards, how="left", predicate="within")
        hit = hit[~hit.index.duplicated(keep="first")]  # a point on a shared edge: the first ward
        found = hit["ward_code"].reindex(out.index[need])
        out.loc[need, "ward_code"] = found.fillna(OUTSIDE)
    return out


def moves(
    history: pd.DataFrame,
    *,
    since: str | None = None,
    until: str | None = None,
    wards: set[str] | None = None,
) -> pd.DataFrame:
    """Each child's changes of address, dated by the new address's start, between ``since`` and
    ``until`` (inclusive, ISO dates). Columns ``person_id``, ``date``, ``from_ward``, ``to_ward``,
    ``kind`` (``within``: both ends in the borough's wards; ``into``, ``out_of``, ``outside``:
    neither end in the borough; ``unlocated``: an end with no location). ``wards`` (the
    register's codes) decides what is in the borough; by default any ward code but ``OUTSIDE`` is.
    Kept in the library only: callers report counts, never these rows.
    """
    import pandas as pd

    need = {"person_id", "start", "ward_code"}
    missing = need - set(history.columns)
    if missing:
        raise InputError(
            f"address history lacks column(s) {', '.join(sorted(missing))}",
            hint="it needs person_id, start, end and ward_code (or easting and northing)",
        )
    h = history[["person_id", "start", "ward_code"]].copy()
    h["start"] = pd.to_datetime(h["start"], errors="coerce")
    undated = int(h["start"].isna().sum())
    h = h[h["start"].notna()]
    h["ward_code"] = h["ward_code"].astype("string").str.strip().str.upper().replace("", pd.NA)
    h = h.sort_values(["person_id", "start"], kind="stable")
    prev = h.groupby("person_id", sort=False)["ward_code"].shift(1)
    first = ~h["person_id"].duplicated()
    m = pd.DataFrame(
        {
            "person_id": h["person_id"],
            "date": h["start"],
            "from_ward": prev,
            "to_ward": h["ward_code"],
        }
    )[~first]
    if since:
        m = m[m["date"] >= pd.Timestamp(since)]
    if until:
        m = m[m["date"] <= pd.Timestamp(until)]
    located_from, located_to = m["from_ward"].notna(), m["to_ward"].notna()
    inside_from = located_from & (m["from_ward"] != OUTSIDE)
    inside_to = located_to & (m["to_ward"] != OUTSIDE)
    if wards is not None:
        inside_from &= m["from_ward"].isin(wards)
        inside_to &= m["to_ward"].isin(wards)
    kind = pd.Series("unlocated", index=m.index)
    kind[located_from & located_to] = "outside"
    kind[inside_from & inside_to] = "within"
    kind[located_from & ~inside_from & inside_to] = "into"
    kind[inside_from & located_to & ~inside_to] = "out_of"
    m["kind"] = kind
    m = m.reset_index(drop=True)
    m.attrs.update({"since": since, "until": until, "undated": undated})
    return m


def count_handoffs(moved: pd.DataFrame, scheme: Scheme) -> dict[str, object]:
    """Counts for one scheme: moves within the borough, those crossing a locality boundary
    (``handoff_moves``), children with at least one (``children_handed_off``), children who moved
    within the borough, moves into/out of the borough and unlocated, and the flows between
    localities (``flows``: a DataFrame ``from``, ``to``, ``moves``)."""
    import pandas as pd

    where = scheme.locality_of()
    within = moved[moved["kind"] == "within"]
    unplaced = sorted(set(within["from_ward"]).union(within["to_ward"]) - set(where))
    if unplaced:
        raise InputError(
            f"{len(unplaced)} ward(s) of the address history are in no locality of {scheme.id}: "
            + ", ".join(unplaced[:5]),
            hint="use a scheme that covers every ward",
        )
    src = within["from_ward"].map(where)
    dst = within["to_ward"].map(where)
    cross = src != dst
    flows = (
        pd.DataFrame({"from": src[cross], "to": dst[cross]})
        .value_counts()
        .rename("moves")
        .reset_index()
        .sort_values(["moves", "from", "to"], ascending=[False, True, True], kind="stable")
        .reset_index(drop=True)
    )
    counts = moved["kind"].value_counts()
    return {
        "scheme": scheme.id,
        "moves_within": len(within),
        "children_moving": int(within["person_id"].nunique()),
        "handoff_moves": int(cross.sum()),
        "children_handed_off": int(within.loc[cross, "person_id"].nunique()),
        "moves_into": int(counts.get("into", 0)),
        "moves_out_of": int(counts.get("out_of", 0)),
        "moves_outside": int(counts.get("outside", 0)),
        "moves_unlocated": int(counts.get("unlocated", 0)),
        "flows": flows,
    }


def handoff_table(moved: pd.DataFrame, schemes: list[Scheme]) -> pd.DataFrame:
    """One row per scheme with the counts of :func:`count_handoffs` (flows left out)."""
    import pandas as pd

    rows = []
    for s in schemes:
        c = count_handoffs(moved, s)
        c.pop("flows")
        rows.append(c)
    out = pd.DataFrame(rows)
    kinds = moved["kind"].value_counts()
    out.attrs.update(moved.attrs)
    out.attrs.update(
        {"unlocated": int(kinds.get("unlocated", 0)), "outside": int(kinds.get("outside", 0))}
    )
    return out
