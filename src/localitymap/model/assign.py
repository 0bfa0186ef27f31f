"""Points to wards: vectorised point-in-polygon in British National Grid (EPSG:27700).

Coordinates stay plain float arrays throughout; no shapely Point is ever made. The points are
pre-filtered by bounding box: with few wards each ward compares the coordinate arrays with its
box; with many, points are binned once into a uniform grid (cell about a typical ward's extent) and
sorted by cell, so each ward sees only the points in the cells its box touches. Candidates are then
tested by shapely 2 against the *prepared* ward polygon, a whole array at a time.

**Boundary rule.** Each point is counted once: it belongs to the **first ward in ward-code order
whose polygon covers it** (interior or boundary; shapely's ``intersects_xy``). Wards tile the
authority, so a point inside a ward has only that ward; a point exactly on the edge or vertex
shared by E05011462 and E05011463 counts for E05011462; a point exactly on the borough's outer
edge counts for the one ward it touches; where bad boundary data makes polygons overlap, the first
ward in code order wins too. (``contains_xy`` alone would drop boundary points; testing every
ward with ``intersects_xy`` would count them twice.)

A point in no ward gets ``-1`` ("outside the exercise's wards").

>>> import numpy as np
>>> from localitymap.model.geo import load_boundaries
>>> index = WardIndex.from_frame(load_boundaries().frame)
>>> x = np.array([532000.0, 0.0, np.nan]); y = np.array([165000.0, 0.0, 1.0])
>>> [index.codes[i] if i >= 0 else None for i in index.locate(x, y)]
['E05011487', None, None]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError
from localitymap.inputs import reasons as _R
from localitymap.paths import display_path

if TYPE_CHECKING:
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from localitymap.inputs.postcodes import PostcodeDirectory

OUTSIDE = -1
#: Up to this many wards, each ward scans the points' coordinates directly (a few vectorised
#: comparisons per ward beat sorting the points into a grid).
FEW_WARDS = 128
#: Grid cell side as a share of the median ward extent: smaller cells send fewer far points to
#: each ward, at the cost of more runs per ward (1.0 measured best on ~7,000 Voronoi wards).
CELL_FACTOR = 1.0
#: Points placed per block: bounds the temporary arrays whatever the input's length.
BLOCK = 1 << 20


@dataclass
class WardIndex:
    """Ward polygons ready for :meth:`locate`: codes sorted, geometries prepared, bounds cached."""

    codes: list[str]
    geometries: Any  # numpy array of shapely geometries, prepared
    bounds: np.ndarray  # (n, 4): xmin, ymin, xmax, ymax
    cell: float

    @classmethod
    def from_frame(cls, frame: gpd.GeoDataFrame, code_column: str = "ward_code") -> WardIndex:
        """From a GeoDataFrame in EPSG:27700 (as :func:`localitymap.model.geo.load_boundaries`
        gives); wards without geometry are left out (they can receive no point)."""
        import numpy as np
        import shapely

        if frame.crs is not None and frame.crs.to_epsg() != 27700:
            frame = frame.to_crs(27700)
        keep = ~(frame.geometry.isna() | frame.geometry.is_empty)
        frame = frame[keep.to_numpy()]
        codes = frame[code_column].astype(str).to_numpy()
        order = np.argsort(codes, kind="stable")
        geoms = np.asarray(frame.geometry.to_numpy()[order], dtype=object)
        geoms = shapely.from_wkb(shapely.to_wkb(geoms))  # own copies: preparing mutates them
        shapely.prepare(geoms)
        bounds = shapely.bounds(geoms)
        extent = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        cell = float(np.median(extent)) if len(extent) else 1.0
        return cls([str(c) for c in codes[order]], geoms, bounds, max(cell * CELL_FACTOR, 1.0))

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The ward position (into :attr:`codes`) of each point, or ``-1`` when in no ward.

        ``x``/``y`` are eastings/northings in metres; NaN or infinite coordinates get ``-1``.
        Points are placed a block at a time, so the memory used beyond the inputs stays small.
        """
        import numpy as np

        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        result = np.full(len(x), OUTSIDE, dtype="int32")
        if not len(x) or not self.codes:
            return result
        place = self._by_bounds if len(self.codes) <= FEW_WARDS else self._by_grid
        for start in range(0, len(x), BLOCK):
            bx, by = x[start : start + BLOCK], y[start : start + BLOCK]
            lo, hi = self.bounds[:, :2].min(axis=0), self.bounds[:, 2:].max(axis=0)
            inside = np.isfinite(bx) & np.isfinite(by)
            inside &= (bx >= lo[0]) & (bx <= hi[0]) & (by >= lo[1]) & (by <= hi[1])
            cand = np.flatnonzero(inside)
            if len(cand):
                result[start + cand] = place(bx[cand], by[cand])
        return result

    def _by_bounds(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Few wards: each ward tests the points inside its bounding box not yet placed."""
        import numpy as np
        import shapely

        found = np.full(len(x), OUTSIDE, dtype="int32")
        # Wards in code order, a placed point never tested again: the boundary rule above.
        for w, (x0, y0, x1, y1) in enumerate(self.bounds):
            idx = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1) & (found < 0))
            if len(idx):
                found[idx[shapely.intersects_xy(self.geometries[w], x[idx], y[idx])]] = w
        return found

    def _by_grid(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Many wards: points sorted into grid cells, so each ward sees only nearby points."""
        import numpy as np
        import shapely

        lo = self.bounds[:, :2].min(axis=0)
        hi = self.bounds[:, 2:].max(axis=0)
        ncols = int((hi[0] - lo[0]) // self.cell) + 1
        nrows = int((hi[1] - lo[1]) // self.cell) + 1
        cell_id = ((y - lo[1]) // self.cell).astype("int64") * ncols
        cell_id += ((x - lo[0]) // self.cell).astype("int64")
        order = np.argsort(cell_id)  # order within a cell does not matter
        starts = np.zeros(nrows * ncols + 1, dtype="int64")
        np.cumsum(np.bincount(cell_id, minlength=nrows * ncols), out=starts[1:])
        del cell_id
        sx, sy = x[order], y[order]
        found = np.full(len(x), OUTSIDE, dtype="int32")
        cells = ((self.bounds - np.tile(lo, 2)) // self.cell).astype("int64")
        for w, (c0, r0, c1, r1) in enumerate(cells):
            # One contiguous run of sorted points per grid row the ward's box spans.
            runs = [(starts[r * ncols + c0], starts[r * ncols + c1 + 1]) for r in range(r0, r1 + 1)]
            runs = [(a, b) for a, b in runs if b > a]
            if not runs:
                continue
            if len(runs) == 1:
                idx = np.arange(*runs[0])
            else:
                idx = np.concatenate([np.arange(a, b) for a, b in runs])
            x0, y0, x1, y1 = self.bounds[w]
            px, py = sx[idx], sy[idx]
            keep = (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1) & (found[idx] < 0)
            idx = idx[keep]
            if len(idx):
                found[idx[shapely.intersects_xy(self.geometries[w], px[keep], py[keep])]] = w
        out = np.empty_like(found)
        out[order] = found
        return out

    def count(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, int]:
        """Points per ward (in :attr:`codes` order) and the number in no ward.

        >>> import numpy as np, geopandas as gpd, shapely
        >>> frame = gpd.GeoDataFrame({"ward_code": ["B", "A"]}, crs=27700,
        ...     geometry=[shapely.box(1, 0, 2, 1), shapely.box(0, 0, 1, 1)])
        >>> counts, outside = WardIndex.from_frame(frame).count(
        ...     np.array([0.5, 1.0, 1.5, 3.0]), np.array([0.5, 0.5, 0.5, 0.5]))
        >>> counts.tolist(), outside   # (1.0, 0.5) is on the shared edge: ward A, first in order
        ([2, 1], 1)
        """
        import numpy as np

        where = self.locate(x, y)
        counts = np.bincount(where[where >= 0], minlength=len(self.codes))
        return counts, int((where < 0).sum())


@dataclass
class ExerciseWards:
    """The exercise's wards ready for :meth:`WardIndex.locate`: index, names, boundary file, and
    the warnings reading the boundaries gave (repaired geometry...)."""

    index: WardIndex
    names: dict[str, str]
    path: Path | None
    warnings: list[str]


def exercise_wards(exercise: Any) -> ExerciseWards:
    """The wards of an :class:`~localitymap.exercise.Exercise`, through a cache.

    Reading boundaries needs geopandas, pyogrio and pyproj (about 0.4 s of a run before any
    work); the validated, British-National-Grid polygons are kept as WKB in the cache folder
    (:func:`localitymap.inputs.postcodes.cache_dir`), keyed by the SHA-256 of the boundary and
    register files, the column options and the code that reads them, so any change rebuilds it.
    """
    import hashlib

    from localitymap.inputs.postcodes import cache_dir
    from localitymap.model import geo
    from localitymap.paths import data_dir

    s = exercise.settings
    path = (
        Path(s.wards) if s.wards is not None else data_dir() / "wards" / geo.DEFAULT_BOUNDARIES_BNG
    )
    digest = hashlib.sha256()
    for part in (
        path,
        Path(s.register) if s.register else None,
        Path(geo.__file__),
        Path(__file__),
    ):
        digest.update(part.read_bytes() if part is not None and part.is_file() else b"-")
    digest.update(f"{s.ward_code_column}|{s.ward_name_column}".encode())
    folder = cache_dir()
    cached = folder / f"wards-{digest.hexdigest()[:32]}.npz" if folder is not None else None
    found = _read_wards(cached) if cached is not None else None
    if found is not None:
        return ExerciseWards(found[0], found[1], path, found[2])
    b = exercise.boundaries
    warnings = [p.one_line() for p in b.report.problems if p.severity != "error"]
    index = WardIndex.from_frame(b.frame)
    names = dict(zip(b.frame["ward_code"], b.frame["ward_name"], strict=True))
    if cached is not None:
        _write_wards(cached, index, names, warnings)
    return ExerciseWards(index, names, b.path, warnings)


def _write_wards(path: Path, index: WardIndex, names: dict[str, str], warnings: list[str]) -> None:
    import json
    import os
    import tempfile

    import numpy as np
    import shapely

    wkb = shapely.to_wkb(index.geometries)
    sizes = np.array([len(w) for w in wkb], dtype=np.int64)
    meta = json.dumps({"codes": index.codes, "names": [names.get(c, c) for c in index.codes],
                       "warnings": warnings, "cell": index.cell})  # fmt: skip
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, meta=np.frombuffer(meta.encode(), dtype=np.uint8), sizes=sizes,
                     wkb=np.frombuffer(b"".join(wkb), dtype=np.uint8))  # fmt: skip
        Path(tmp).replace(path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _read_wards(path: Path) -> tuple[WardIndex, dict[str, str], list[str]] | None:
    import json

    import numpy as np
    import shapely

    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            sizes, blob = z["sizes"], z["wkb"].tobytes()
    except (OSError, ValueError, KeyError):
        return None  # damaged: read the boundaries again
    ends = np.cumsum(sizes)
    geoms = shapely.from_wkb([blob[e - n : e] for e, n in zip(ends, sizes, strict=True)])
    shapely.prepare(geoms)
    codes = list(meta["codes"])
    index = WardIndex(codes, geoms, shapely.bounds(geoms), float(meta["cell"]))
    return index, dict(zip(codes, meta["names"], strict=True)), list(meta["warnings"])


# ---------------------------------------------------------------------------------------------
# Records to ward counts: the whole `assign` job as a library call.

OUTSIDE_WARDS = _R.LABELS[_R.OUTSIDE_WARDS]
NO_ADDRESS = _R.LABELS[_R.NO_ADDRESS]
NO_PERSON = _R.LABELS[_R.NO_PERSON]
UNCATEGORISED = "uncategorised"
#: More distinct values than this in a category column means it is not a category (perhaps an id
#: or a name): refused rather than turned into hundreds of columns of case-level text.
MAX_CATEGORIES = 60


@dataclass
class Assignment:
    """What :func:`assign_records` found: ward counts and where every input row went.

    ``counts`` is indexed by ward code (every ward of the boundaries, zeros included) with
    ``ward_name`` and one integer column per category (or the one indicator). ``reasons`` maps
    ``assigned`` and each reason a row was not placed to a row count; they add up to ``rows``.
    ``rejects`` holds the row number and reason of every row not placed (and, when asked for,
    the fields read). ``notes`` are counted facts worth stating (several valid addresses...).
    """

    counts: pd.DataFrame
    reasons: dict[str, int]
    rows: int
    rejects: pd.DataFrame
    notes: dict[str, int]
    unit: str = "rows"

    def summary(self) -> pd.DataFrame:
        """``reason, rows`` with ``assigned`` first and the input total last; it reconciles."""
        import pandas as pd

        from localitymap.inputs.reasons import LABELS

        order = [LABELS[0], *(r for r in LABELS[1:] if self.reasons.get(r))]
        counts = [self.reasons.get(r, 0) for r in order]
        return pd.DataFrame(
            {"reason": [*order, f"input {self.unit}"], "rows": [*counts, self.rows]}
        )

    @property
    def reconciles(self) -> bool:
        """Whether the assigned and every reason add up to the input rows."""
        return sum(self.reasons.values()) == self.rows


def assign_records(
    cases: Path | str | None,
    index: WardIndex,
    names: dict[str, str] | None = None,
    *,
    directory: PostcodeDirectory | None = None,
    columns: dict[str, str | None] | None = None,
    category: str | None = None,
    indicator: str = "cases",
    ssd_address: Path | str | None = None,
    as_at: str | None = None,
    address_types: list[str] | None = None,
    keep_fields: bool = False,
    sheet: str | None = None,
    chunk_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Assignment:
    """Count case records per ward of ``index``; account for every row that is not placed.

    ``cases`` is a CSV/XLSX/Parquet file of records; ``columns`` names its columns by role
    (``postcode``, ``easting``, ``northing``, ``latitude``, ``longitude``, ``person_id``) where
    they are not found by their usual names. With ``category`` (a column), counts are split into
    one column per value; otherwise one column named ``indicator``. With ``ssd_address`` and
    ``as_at``, each record's location is its person's SSD address valid on that date (see
    :func:`localitymap.inputs.ssd.address_as_at`); without ``cases`` the people of the address
    table are counted. ``directory`` resolves postcodes (default: the bundled ONS directory,
    loaded only if a postcode is needed). ``progress`` is called with the rows done so far.

    Raises :class:`~localitymap.errors.InputError` naming the file when it has no location
    column or a category column with too many values. No cell value is ever part of a message.
    """
    import numpy as np
    import pandas as pd

    from localitymap.inputs import cases as cs
    from localitymap.inputs import reasons as R
    from localitymap.inputs.indicators import slugify
    from localitymap.inputs.postcodes import PostcodeDirectory

    names = names or {}
    named = dict(columns or {})
    if category:
        named["category"] = category
    chunk_rows = chunk_rows or cs.CHUNK_ROWS
    lazy: list[PostcodeDirectory] = [directory] if directory is not None else []

    def get_directory() -> PostcodeDirectory:
        if not lazy:
            lazy.append(PostcodeDirectory.from_package())
        return lazy[0]

    notes: dict[str, int] = {}
    people: pd.DataFrame | None = None
    if ssd_address is not None:
        from localitymap.inputs.ssd import address_as_at, read_ssd_address

        if as_at is None:
            raise InputError("an as-at date is needed with the SSD address table",
                             hint="give --as-at YYYY-MM-DD")  # fmt: skip
        addresses = read_ssd_address(ssd_address)
        chosen, counted = address_as_at(addresses, as_at, address_types=address_types)
        notes.update({f"ssd {k}": v for k, v in counted.items()})
        if addresses.attrs.get("unreadable_dates"):
            notes["ssd unreadable dates (read as open)"] = int(addresses.attrs["unreadable_dates"])
        people = chosen.set_index("person_id")
        if cases is None:
            # Each person in the address table is one record, numbered by their first row.
            firsts = addresses.reset_index().dropna(subset=["person_id"])
            firsts = firsts.drop_duplicates("person_id")[["row", "person_id"]].set_index("row")
            del addresses
            chunks: Any = iter([firsts])
            cols = cs.CaseColumns(person_id="person_id")
            unit = "people"
        else:
            del addresses
    if cases is not None:
        path = Path(cases)
        headers = cs.read_headers(path, sheet)
        cols = cs.find_case_columns(headers, **named)
        if people is None:
            cols = replace(cols, person_id=None)  # not needed, so not read
        if people is not None and cols.person_id is None:
            raise InputError(
                f"{display_path(path)}: no person id column to join to the SSD address table",
                hint="name it with --person-column",
            )
        if people is None and not cols.has_location:
            raise InputError(
                f"{display_path(path)}: no location column found (postcode, easting/northing or "
                "latitude/longitude)",
                hint=f"columns are {headers[:20]}; name one with --postcode-column",
            )
        if category and cols.category is None:  # pragma: no cover - find_case_columns raises
            raise InputError(f"no category column {category!r}")
        chunks = cs.read_chunks(path, None if keep_fields else cols.used(), chunk_rows=chunk_rows,
                                sheet=sheet)  # fmt: skip
        unit = "rows"
    elif people is None:
        raise InputError("nothing to assign", hint="give a cases file or --ssd-address")

    n_wards = len(index.codes)
    totals: dict[str, np.ndarray] = {}
    tally = np.zeros(len(R.LABELS), dtype=np.int64)
    labels = np.asarray(R.LABELS, dtype=object)
    reject_parts: list[pd.DataFrame] = []
    rows = 0
    for chunk in chunks:
        override = None
        missing_person = np.zeros(len(chunk), dtype=bool)
        no_address = np.zeros(len(chunk), dtype=bool)
        if people is not None:
            ids = chunk[cols.person_id].astype("string").str.strip()
            missing_person = (ids.isna() | (ids == "")).to_numpy()
            pos = people.index.get_indexer(ids.fillna("").to_numpy(object))
            no_address = (pos < 0) & ~missing_person
            found = pos >= 0
            sub = people.iloc[pos[found]]
            loc = pd.DataFrame(index=chunk.index, columns=["easting", "northing", "postcode"])
            loc = loc.astype({"easting": "float64", "northing": "float64", "postcode": object})
            loc.loc[found, ["easting", "northing"]] = sub[["easting", "northing"]].to_numpy()
            loc.loc[found, "postcode"] = sub["postcode"].to_numpy(object)
            override = loc["postcode"]
            x, y, reason = cs.locate(loc, cs.CaseColumns(easting="easting", northing="northing"),
                                     get_directory(), postcodes=override)  # fmt: skip
        else:
            needs_pc = cols.postcode is not None
            x, y, reason = cs.locate(chunk, cols, get_directory() if needs_pc else None)
        reason[missing_person] = R.NO_PERSON
        reason[no_address] = R.NO_ADDRESS
        where = np.full(len(chunk), OUTSIDE, dtype=np.int32)
        placed = reason == R.PLACED
        where[placed] = index.locate(x[placed], y[placed])
        reason[placed & (where < 0)] = R.OUTSIDE_WARDS
        placed &= where >= 0
        if cols.category is not None:
            cats = chunk[cols.category].astype(object)
            cats = cats.where(cats.isna(), cats.astype(str).str.strip())
            cats = cats.mask(cats == "").fillna(UNCATEGORISED).to_numpy(object)
            # Every category seen gets a column, even one whose rows were all rejected.
            codes, uniques = pd.factorize(cats)
            flat = np.bincount(codes[placed] * n_wards + where[placed],
                               minlength=len(uniques) * n_wards).reshape(len(uniques), n_wards)  # fmt: skip
            for k, value in enumerate(uniques):
                totals[value] = totals.get(value, 0) + flat[k]
            if len(totals) > MAX_CATEGORIES:
                raise InputError(
                    f"column {cols.category!r} has more than {MAX_CATEGORIES} distinct values",
                    hint="is it a category? choose a column such as the plan or service type",
                )
        else:
            totals[indicator] = totals.get(indicator, 0) + np.bincount(
                where[placed], minlength=n_wards
            )
        tally += np.bincount(reason, minlength=len(R.LABELS))
        bad = ~placed
        if bad.any():
            part = pd.DataFrame({"row": chunk.index.to_numpy()[bad],
                                 "reason": pd.Series(labels[reason[bad]], dtype=object)})  # fmt: skip
            if keep_fields:
                kept = chunk[bad.tolist()].reset_index(drop=True)
                part = pd.concat([part, kept], axis=1)
            reject_parts.append(part)
        rows += len(chunk)
        if progress is not None:
            progress(rows)
    counts = pd.DataFrame(index=pd.Index(index.codes, name="ward_code"))
    counts["ward_name"] = [names.get(c, c) for c in index.codes]
    if cols.category is not None:
        used: set[str] = set()
        for value in sorted(totals, key=lambda v: (v == UNCATEGORISED, str(v).lower())):
            col = slugify(str(value))
            while col in used or col in ("ward_code", "ward_name"):
                col += "_"
            used.add(col)
            counts[col] = np.asarray(totals[value], dtype=np.int64)
    else:
        counts[indicator] = np.asarray(totals.get(indicator, np.zeros(n_wards)), dtype=np.int64)
    rejects = (
        pd.concat(reject_parts, ignore_index=True)
        if reject_parts
        else pd.DataFrame({"row": pd.Series(dtype="int64"), "reason": pd.Series(dtype=object)})
    )
    reasons = {R.LABELS[k]: int(v) for k, v in enumerate(tally) if v}
    return Assignment(counts, reasons, rows, rejects, notes, unit)
