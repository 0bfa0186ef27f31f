"""Ward geometry: boundaries, locality shapes, and whether each locality is one connected piece.

Boundaries are held in British National Grid (EPSG:27700) so areas are in square metres and
shared borders in metres. geopandas and shapely are imported inside these functions: commands that
need no geometry never pay for them.

>>> wards = load_boundaries()
>>> len(wards.frame), wards.frame.crs.to_epsg()
(28, 27700)
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError, Report, SchemeError
from localitymap.inputs.schemes import Scheme, placements
from localitymap.inputs.wards import WardRegister, load_register, normalise_name
from localitymap.model.rollup import TOTAL, UNASSIGNED
from localitymap.paths import data_dir, display_path

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

BNG = 27700
#: Borders shorter than this (metres) are corner contacts, not shared boundaries.
DEFAULT_MIN_SHARED = 10.0
#: Gaps up to this (metres) between generalised ward edges still count as a shared border.
SNAP = 1.0
DEFAULT_BOUNDARIES = "croydon_wards_2019.geojson"
#: The same boundaries already in EPSG:27700 (built by scripts/build_reference_data.py, checked by
#: a test): reading it skips PROJ's transformation set-up on every run.
DEFAULT_BOUNDARIES_BNG = "croydon_wards_2019_bng.geojson"
ATTRIBUTION = (
    "Contains National Statistics data © Crown copyright and database right 2019. "
    "Contains OS data © Crown copyright and database right 2019."
)


@dataclass
class Boundaries:
    """Ward polygons (EPSG:27700) indexed by ward code, with the register they define."""

    frame: gpd.GeoDataFrame
    register: WardRegister
    report: Report
    attribution: str = ATTRIBUTION
    path: Path | None = None


def _find_column(columns: list[str], wanted: str | None, patterns: list[str]) -> str | None:
    if wanted is not None:
        for c in columns:
            if normalise_name(c) == normalise_name(wanted):
                return c
        return None
    for pattern in patterns:
        for c in columns:
            if re.fullmatch(pattern, normalise_name(c)):
                return c
    return None


def load_boundaries(
    path: Path | str | None = None,
    *,
    code_column: str | None = None,
    name_column: str | None = None,
    register: WardRegister | None = None,
) -> Boundaries:
    """Read ward boundaries (GeoJSON, GeoPackage, Shapefile; any CRS) into EPSG:27700.

    Invalid polygons are repaired (reported as warnings); wards with no geometry are reported.
    The ward code and name columns are found by their usual names (``WD19CD``, ``ward_code``...)
    or named with ``code_column``/``name_column``. With no path, the bundled Croydon wards.
    """
    import geopandas as gpd
    import shapely

    bundled = path is None
    path = Path(path) if path is not None else data_dir() / "wards" / DEFAULT_BOUNDARIES_BNG
    shown = display_path(path)
    if not path.exists():
        raise InputError(f"{shown}: boundary file not found")
    from localitymap.inputs.files import note_input

    note_input(path)  # so no output of this run is written over it
    layer, about = _gpkg_layers(path)
    try:
        frame = gpd.read_file(path, layer=layer)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise InputError(
            f"{shown}: cannot read boundaries ({type(exc).__name__}: {exc})",
            hint="give a GeoJSON, GeoPackage or Shapefile",
        ) from None
    columns = [c for c in frame.columns if c != frame.geometry.name]
    attributes = frame[columns]  # kept whole: the register reads the authority columns from it
    code_col = _find_column(
        columns, code_column, [r"wd\d\dcd", "ward code", "code", "gss code", "wardcode"]
    )
    name_col = _find_column(
        columns, name_column, [r"wd\d\dnm", "ward name", "name", "ward", "wardname"]
    )
    if code_col is None:
        raise InputError(
            f"{shown}: no ward code column found",
            hint=f"columns are {columns}; name it with --ward-code-column",
        )
    report = Report()
    if frame.crs is None:
        raise InputError(
            f"{shown}: the file states no coordinate reference system",
            hint="save it with its CRS (e.g. EPSG:27700 or EPSG:4326)",
        )
    frame = frame.to_crs(BNG)
    frame["ward_code"] = frame[code_col].astype(str).str.strip().str.upper()
    frame["ward_name"] = frame[name_col].astype(str).str.strip() if name_col else frame["ward_code"]
    dupes = frame["ward_code"][frame["ward_code"].duplicated()].unique().tolist()
    for code in dupes:
        report.add(f"ward {code} has more than one feature", file=shown, ward=code,
                   hint="dissolve its parts into one feature")  # fmt: skip
    report.raise_if_errors(shown)
    empty = frame.geometry.isna() | frame.geometry.is_empty
    for code, name in frame.loc[empty, ["ward_code", "ward_name"]].itertuples(index=False):
        report.add(f"ward {name} ({code}) has no geometry", file=shown, ward=code, severity="warning",
                   hint="it is kept in the register but cannot be mapped")  # fmt: skip
    invalid = ~empty & ~frame.geometry.is_valid
    if invalid.any():
        for code, name in frame.loc[invalid, ["ward_code", "ward_name"]].itertuples(index=False):
            report.add(f"ward {name} ({code}) had invalid geometry and was repaired", file=shown,
                       ward=code, severity="warning")  # fmt: skip
        repaired = shapely.make_valid(frame.geometry[invalid].to_numpy())
        # make_valid can return collections with stray lines; keep only the polygonal part.
        frame.loc[invalid, frame.geometry.name] = [_polygonal(g) for g in repaired]
    frame = frame.set_index("ward_code", drop=False)[
        ["ward_code", "ward_name", frame.geometry.name]
    ]
    frame = frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame
    if bundled or register is None:
        register = _register_for(frame, attributes, path, bundled, columns, shown)
    else:
        unknown = [c for c in frame["ward_code"] if c not in register]
        if unknown:
            raise InputError(
                f"{shown}: {len(unknown)} ward(s) are not in the register: {unknown[:5]}"
            )
    attribution = ATTRIBUTION if bundled else about.get("attribution", f"Boundaries: {path.name}")
    return Boundaries(
        frame=frame, register=register, report=report, attribution=attribution, path=path
    )


def _gpkg_layers(path: Path) -> tuple[str | None, dict[str, str]]:
    """For a GeoPackage: the ward layer to read (``wards`` if present) and its ``about`` table."""
    if path.suffix.lower() != ".gpkg":
        return None, {}
    import pyogrio

    layers = [(str(n), g) for n, g in pyogrio.list_layers(path)]
    spatial = [n for n, g in layers if g is not None]
    layer = "wards" if "wards" in spatial else (spatial[0] if spatial else None)
    about: dict[str, str] = {}
    if any(n == "about" for n, _ in layers):
        table = pyogrio.read_dataframe(path, layer="about")
        about = dict(zip(table["key"].astype(str), table["value"].astype(str), strict=True))
    return layer, about


def _polygonal(geom: Any) -> Any:
    import shapely

    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _register_for(
    frame: gpd.GeoDataFrame,
    src: pd.DataFrame,
    path: Path,
    bundled: bool,
    columns: list[str],
    shown: str,
) -> WardRegister:
    """The bundled register for the bundled file; otherwise one read from the file itself."""
    if bundled:
        return load_register()
    lad_code_col = _find_column(columns, None, [r"lad\d\dcd", "lad code", "la code"])
    lad_name_col = _find_column(columns, None, [r"lad\d\dnm", "lad name", "la name"])
    lad_codes = sorted(set(src[lad_code_col].astype(str))) if lad_code_col else []
    vintage_match = [re.fullmatch(r"wd(\d\d)cd", normalise_name(c)) for c in columns]
    vintage = next((f"WD{m.group(1)}" for m in vintage_match if m), f"file {path.name}")
    if "vintage" in src.columns and src["vintage"].nunique() == 1:
        vintage = str(src["vintage"].iloc[0])
    return WardRegister(
        codes=tuple(frame["ward_code"]),
        names=tuple(frame["ward_name"]),
        lad_code=lad_codes[0] if len(lad_codes) == 1 else "unknown",
        lad_name=str(src[lad_name_col].iloc[0])
        if lad_name_col and len(lad_codes) == 1
        else path.stem,
        vintage=vintage,
        source=shown,
    )


def shared_borders(frame: gpd.GeoDataFrame, snap: float = SNAP) -> dict[tuple[str, str], float]:
    """Length in metres of the border each pair of wards shares (pairs with none are absent).

    Generalised boundaries leave sub-metre gaps between neighbours, so a border counts where one
    ward's edge runs within ``snap`` metres of the other.
    """
    import shapely

    geoms = frame.geometry.to_numpy()
    codes = frame["ward_code"].tolist()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(shapely.buffer(geoms, snap), predicate="intersects")
    out: dict[tuple[str, str], float] = {}
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        near = shapely.intersection(shapely.boundary(geoms[j]), shapely.buffer(geoms[i], snap))
        length = float(shapely.length(near))
        if length > 0:
            out[(codes[i], codes[j])] = length
    return out


def check_contiguity(
    scheme: Scheme, boundaries: Boundaries, min_shared: float = DEFAULT_MIN_SHARED
) -> Report:
    """Each locality must be one connected group of wards sharing borders of at least
    ``min_shared`` metres. Islands are reported by ward name."""
    reg = boundaries.register
    borders = shared_borders(boundaries.frame)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for (a, b), length in borders.items():
        if length >= min_shared:
            neighbours[a].add(b)
            neighbours[b].add(a)
    report = Report()
    for loc, codes in scheme.localities.items():
        members = [c for c in dict.fromkeys(codes) if c in boundaries.frame.index]
        parts = _components(members, neighbours)
        if len(parts) <= 1:
            continue
        parts.sort(key=len, reverse=True)
        for island in parts[1:]:
            names = ", ".join(reg.name_of(c) for c in island)
            report.add(
                f"locality {loc!r} is not contiguous: {names} touch(es) no other ward of {loc!r} "
                f"along {min_shared:g} m or more",
                file=scheme.source,
                ward=island[0],
                hint="move the ward(s) to a neighbouring locality, or lower --min-shared if the "
                "contact is real",
            )
    return report


def _components(members: list[str], neighbours: dict[str, set[str]]) -> list[list[str]]:
    todo, parts = set(members), []
    for start in members:
        if start not in todo:
            continue
        part, stack = [], [start]
        todo.discard(start)
        while stack:
            ward = stack.pop()
            part.append(ward)
            for n in neighbours[ward] & todo:
                todo.discard(n)
                stack.append(n)
        parts.append(sorted(part, key=members.index))
    return parts


def ward_layer(table: pd.DataFrame, data_values: pd.DataFrame, scheme: Scheme,
               boundaries: Boundaries) -> gpd.GeoDataFrame:  # fmt: skip
    """Wards with their locality and, per indicator, ``{id}`` (exact count), ``{id}_low`` and
    ``{id}_high`` columns."""
    import geopandas as gpd
    import pandas as pd

    frame = boundaries.frame
    locality_of = _locality_of(table, scheme, boundaries)
    out = frame[["ward_code", "ward_name"]].copy()
    out["locality"] = out["ward_code"].map(locality_of)
    wide = {}
    for ind, grp in data_values.groupby("indicator", sort=False):
        g = grp.set_index("ward_code")
        exact = g["low"].where(g["low"] == g["high"])
        wide[ind] = exact
        wide[f"{ind}_low"] = g["low"]
        wide[f"{ind}_high"] = g["high"]
    values = pd.DataFrame(wide).reindex(out.index)
    return gpd.GeoDataFrame(
        pd.concat([out, values], axis=1), geometry=frame.geometry, crs=frame.crs
    )


def locality_layer(table: pd.DataFrame, scheme: Scheme, boundaries: Boundaries) -> gpd.GeoDataFrame:
    """One polygon per locality (wards dissolved) carrying the rollup's figures per indicator:
    ``{id}`` count, ``{id}_low``/``{id}_high``, ``{id}_share`` (with ``_low``/``_high``) and
    ``{id}_rank``.

    Refuses, naming the wards, when the scheme leaves wards of the boundary file out or places a
    ward twice; area and counts are conserved (checked).
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    frame = boundaries.frame
    locality_of = _locality_of(table, scheme, boundaries)
    # The rollup is indicator-major with the same localities (then the total) for each
    # indicator, so each column reshapes to indicators x localities without pandas indexing.
    localities = list(dict.fromkeys(table["locality"]))
    n_loc = len(localities)
    indicators = list(dict.fromkeys(table["indicator"]))
    body = [i for i, loc in enumerate(localities) if loc != TOTAL]
    order = [localities[i] for i in body]

    def grid(column: str) -> np.ndarray:
        values = table[column].to_numpy(dtype="float64", na_value=np.nan)
        return values.reshape(len(indicators), n_loc)[:, body]

    shapes = []
    for loc in order:
        members = [c for c, lo in locality_of.items() if lo == loc]
        shapes.append(shapely.union_all(frame.geometry.loc[members].to_numpy(), grid_size=0.01))
    total_area = float(frame.geometry.area.sum())
    dissolved = float(sum(s.area for s in shapes))
    # Ward overlaps in the source (under 1 m² each here) are merged by the union; a larger loss
    # would mean a ward was dropped.
    if abs(dissolved - total_area) > 1e-3 * total_area:
        raise SchemeError(
            f"locality shapes cover {dissolved:.0f} m² but the wards {total_area:.0f} m²"
        )
    wide: dict[str, Any] = {"locality": order, "wards": grid("wards")[0].astype(np.int64)}
    columns = {
        "": "count", "_low": "count_low", "_high": "count_high", "_share": "share",
        "_share_low": "share_low", "_share_high": "share_high", "_rank": "rank",
    }  # fmt: skip
    grids = {suffix: grid(column) for suffix, column in columns.items()}
    for k, ind in enumerate(indicators):
        for suffix, values in grids.items():
            wide[f"{ind}{suffix}"] = values[k]
    out = gpd.GeoDataFrame(pd.DataFrame(wide), geometry=shapes, crs=frame.crs)
    out["area_km2"] = out.geometry.area / 1e6
    return out


def _locality_of(table: pd.DataFrame, scheme: Scheme, boundaries: Boundaries) -> dict[str, str]:
    """Ward -> locality for every ward of the boundary file, refusing gaps and doubles by name."""
    reg = boundaries.register
    seen, report = placements(scheme, reg)
    unassigned_allowed = UNASSIGNED in set(table["locality"])
    for c in boundaries.frame.index:
        if c not in seen:
            if unassigned_allowed:
                seen[c] = UNASSIGNED
            else:
                report.add(f"ward {reg.name_of(c)} ({c}) is in no locality", ward=c, file=scheme.source,
                           hint="add it to the scheme, or use --allow-unassigned")  # fmt: skip
    missing_geometry = [c for c in seen if c not in boundaries.frame.index]
    for c in missing_geometry:
        report.add(f"ward {c} of the scheme has no boundary", ward=c, file=scheme.source)
    if report.errors:
        raise SchemeError(f"cannot draw localities of {scheme.id}", report=report)
    return {c: seen[c] for c in boundaries.frame.index}


def change_layer(changes: pd.DataFrame, scheme: Scheme, boundaries: Boundaries) -> gpd.GeoDataFrame:
    """Locality polygons carrying what changed per indicator (from
    :func:`localitymap.statistics.compare.compare`): ``{id}_before``, ``_after``, ``_change``,
    ``_share_change_pp``, ``_rank_change``, ``_direction`` and ``_trend``."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    _, report = placements(scheme, boundaries.register)
    if report.errors:
        raise SchemeError(f"cannot draw localities of {scheme.id}", report=report)
    body = changes[~changes["is_total"] & changes["presence"].eq("both")]
    order = [loc for loc in dict.fromkeys(body["locality"]) if loc in scheme.localities]
    shapes = [
        shapely.union_all(
            boundaries.frame.geometry.loc[list(scheme.localities[loc])].to_numpy(), grid_size=0.01
        )
        for loc in order
    ]
    wide: dict[str, list[Any]] = {"locality": order}
    columns = {"before": "count_before", "after": "count_after", "change": "change",
               "share_change_pp": "share_change_pp", "rank_change": "rank_change",
               "direction": "direction", "trend": "trend"}  # fmt: skip
    for ind, grp in body.groupby("indicator", sort=False):
        g = grp.set_index("locality")
        for suffix, column in columns.items():
            values = g[column].reindex(order)
            numeric = suffix == "rank_change"  # nullable Int64 -> float, so GIS software reads it
            wide[f"{ind}_{suffix}"] = (
                values.astype("Float64").astype(float).tolist() if numeric else values.tolist()
            )
    return gpd.GeoDataFrame(pd.DataFrame(wide), geometry=shapes, crs=boundaries.frame.crs)
