"""Case-level records (one row per child, case or episode) read in chunks, and where each one is.

A file may be CSV, XLSX or Parquet. Only the columns needed are read (a location, an optional
category, an optional person id), so other case fields never enter memory, and the file is read a
chunk at a time, so memory stays flat however long it is. Every chunk is indexed by the row number
a spreadsheet shows (the header is row 1): messages and rejects name rows, never their contents.

A location is, in this order of preference per row: easting/northing (EPSG:27700, metres),
latitude/longitude (WGS84, transformed to British National Grid), or a postcode (resolved offline
by :mod:`localitymap.inputs.postcodes`). Columns are found by their usual names or named by the
caller.

>>> cols = find_case_columns(["Child ID", "Postcode", "Plan type"], category="plan type")
>>> cols.used(), cols.has_location
(['Postcode', 'Plan type', 'Child ID'], True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from localitymap.errors import InputError
from localitymap.paths import display_path

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from localitymap.inputs.postcodes import PostcodeDirectory

CHUNK_ROWS = 250_000
#: British National Grid's extent (metres), with a margin; coordinates outside are not GB.
BNG_EXTENT = (-10_000.0, -10_000.0, 710_000.0, 1_300_000.0)

_PATTERNS: dict[str, list[str]] = {
    "postcode": [r"postcode", r"post_code", r".*_postcode", r"postcode_.*", r"pcd[s78]?", r"zip"],
    "easting": [r"easting", r".*_easting", r"oseast1m", r"east1m", r"x", r"bng_x"],
    "northing": [r"northing", r".*_northing", r"osnrth1m", r"north1m", r"y", r"bng_y"],
    "latitude": [r"lat", r"latitude", r".*_latitude", r".*_lat"],
    "longitude": [r"lon", r"long", r"lng", r"longitude", r".*_longitude", r".*_lon"],
    "person_id": [r"person_id", r".*_person_id", r"child_id", r".*la_child_id", r"person"],
}


@dataclass(frozen=True)
class CaseColumns:
    """Which header holds each role (None when the file has no such column)."""

    postcode: str | None = None
    easting: str | None = None
    northing: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    category: str | None = None
    person_id: str | None = None

    def used(self) -> list[str]:
        """The headers to read, nothing else."""
        return [v for f in fields(self) if (v := getattr(self, f.name)) is not None]

    @property
    def has_location(self) -> bool:
        """Whether any location (postcode, easting/northing, latitude/longitude) can be read."""
        return bool(
            self.postcode or (self.easting and self.northing) or (self.latitude and self.longitude)
        )


def _key(header: str) -> str:
    return re.sub(r"[\s\-./]+", "_", str(header).strip().lower())


def find_case_columns(headers: list[str], **named: str | None) -> CaseColumns:
    """Find each role's column by its usual names; ``named`` (role=header, case-insensitive)
    overrides. A named column that is missing is an :class:`InputError`.
    """
    keys = {h: _key(h) for h in headers}
    found: dict[str, str | None] = {}
    for role in (
        "postcode",
        "easting",
        "northing",
        "latitude",
        "longitude",
        "category",
        "person_id",
    ):
        wanted = named.get(role)
        if wanted:
            hit = next((h for h, k in keys.items() if k == _key(wanted)), None)
            if hit is None:
                raise InputError(
                    f"no column {wanted!r} for the {role.replace('_', ' ')}",
                    hint=f"columns are {list(headers)[:20]}",
                )
            found[role] = hit
            continue
        found[role] = None
        for pattern in _PATTERNS.get(role, []):
            hit = next((h for h, k in keys.items() if re.fullmatch(pattern, k)), None)
            if hit is not None:
                found[role] = hit
                break
    return CaseColumns(**found)


def read_headers(path: Path, sheet: str | None = None) -> list[str]:
    """The header row of a CSV, XLSX or Parquet file."""
    return list(next(read_chunks(path, None, chunk_rows=1, sheet=sheet, headers_only=True)).columns)


def estimate_rows(path: Path) -> int | None:
    """Roughly how many records the file holds (exact for Parquet), for a progress bar."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
        if suffix in (".xlsx", ".xlsm"):
            return None
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
        lines = head.count(b"\n")
        return int(size / (len(head) / lines)) if lines > 1 else None
    except (OSError, ImportError, ValueError):
        return None


def read_chunks(
    path: Path,
    columns: list[str] | None,
    *,
    chunk_rows: int = CHUNK_ROWS,
    sheet: str | None = None,
    headers_only: bool = False,
) -> Iterator[pd.DataFrame]:
    """The file's ``columns`` ``chunk_rows`` rows at a time: text (numbers from Parquet), missing
    for empty cells, each chunk indexed by spreadsheet row number (header = row 1)."""
    shown = display_path(path)
    if not path.is_file():
        raise InputError(f"{shown}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            yield from _parquet_chunks(path, columns, chunk_rows, headers_only)
        elif suffix in (".xlsx", ".xlsm"):
            yield from _xlsx_chunks(path, columns, chunk_rows, sheet, headers_only, shown)
        elif suffix == ".xls":
            raise InputError(f"{shown}: old .xls workbooks are not read", hint="save it as .xlsx")
        else:
            yield from _csv_chunks(path, columns, chunk_rows, headers_only)
    except ImportError as exc:
        raise InputError(
            f"{shown}: cannot read {suffix} files here ({exc.name} is not installed)",
            hint="install localitymap[parquet], or save the table as CSV",
        ) from None
    except (ValueError, OSError, UnicodeError) as exc:
        # The message of a parser error can quote a cell, so only its type is shown.
        raise InputError(
            f"{shown}: cannot read the file ({type(exc).__name__})",
            hint="check it is a CSV, XLSX or Parquet table with one header row",
        ) from None


def _csv_chunks(
    path: Path, columns: list[str] | None, chunk_rows: int, headers_only: bool
) -> Iterator[pd.DataFrame]:
    import pandas as pd

    encoding = "utf-8-sig"
    with path.open("rb") as fh:
        try:
            fh.read(1 << 20).decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < (1 << 20) - 4:  # not just a character cut at the sample's end
                encoding = "cp1252"
    # Plain Python strings (object), not pandas' string dtype: with pyarrow installed that
    # dtype would convert every cell to Arrow and back, doubling the cost of a chunk.
    options = {"dtype": object, "encoding": encoding, "encoding_errors": "replace",
               "keep_default_na": False, "na_values": [""], "comment": None}  # fmt: skip
    if headers_only:
        yield pd.read_csv(path, nrows=0, **options)
        return
    start = 2
    reader = pd.read_csv(path, usecols=columns, chunksize=chunk_rows, **options)
    with reader:
        for chunk in reader:
            chunk.index = pd.RangeIndex(start, start + len(chunk), name="row")
            start += len(chunk)
            yield chunk


def _parquet_chunks(
    path: Path, columns: list[str] | None, chunk_rows: int, headers_only: bool
) -> Iterator[pd.DataFrame]:
    import pandas as pd
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    if headers_only:
        yield pd.DataFrame(columns=pf.schema_arrow.names)
        return
    start = 2
    for batch in pf.iter_batches(batch_size=chunk_rows, columns=columns):
        chunk = batch.to_pandas().astype(object)
        chunk = chunk.where(chunk.notna(), None)
        chunk.index = pd.RangeIndex(start, start + len(chunk), name="row")
        start += len(chunk)
        yield chunk


def _xlsx_chunks(
    path: Path,
    columns: list[str] | None,
    chunk_rows: int,
    sheet: str | None,
    headers_only: bool,
    shown: str,
) -> Iterator[pd.DataFrame]:
    import openpyxl
    import pandas as pd

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise InputError(f"{shown}: no sheet {sheet!r}", hint=f"sheets are {wb.sheetnames}")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [("" if v is None else str(v)) for v in next(rows, [])]
        if headers_only:
            yield pd.DataFrame(columns=header)
            return
        wanted = [header.index(c) for c in (columns or header)]
        names = [header[i] for i in wanted]
        buffer: list[list[object]] = []
        start = 2

        def flush() -> pd.DataFrame:
            frame = pd.DataFrame(buffer, columns=names, dtype=object)
            frame = frame.map(lambda v: None if v is None or v == "" else str(v))
            frame.index = pd.RangeIndex(start, start + len(frame), name="row")
            return frame

        for values in rows:
            buffer.append([values[i] if i < len(values) else None for i in wanted])
            if len(buffer) >= chunk_rows:
                yield flush()
                start += len(buffer)
                buffer = []
        if buffer:
            yield flush()
    finally:
        wb.close()


def locate(
    chunk: pd.DataFrame,
    cols: CaseColumns,
    directory: PostcodeDirectory | None,
    *,
    postcodes: pd.Series | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Easting, northing (NaN where unknown) and reason code (:mod:`localitymap.inputs.reasons`;
    0 where a location was found) for each row of ``chunk``; ``postcodes`` overrides the postcode
    column (the SSD adapter)."""
    import numpy as np
    import pandas as pd

    from localitymap.inputs import reasons as R

    n = len(chunk)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    reason = np.full(n, R.NO_LOCATION, dtype=np.int8)
    todo = np.ones(n, dtype=bool)

    def numbers(col: str) -> np.ndarray:
        return pd.to_numeric(chunk[col], errors="coerce").to_numpy("float64", na_value=np.nan)

    def given(col: str) -> np.ndarray:
        return chunk[col].notna().to_numpy()

    pairs: list[tuple[str, str, bool]] = []
    if cols.easting and cols.northing:
        pairs.append((cols.easting, cols.northing, False))
    if cols.latitude and cols.longitude:
        pairs.append((cols.longitude, cols.latitude, True))
    for xcol, ycol, wgs84 in pairs:
        present = todo & (given(xcol) | given(ycol))
        if not present.any():
            continue
        px, py = numbers(xcol)[present], numbers(ycol)[present]
        if wgs84:
            ok = (np.abs(py) <= 90) & (np.abs(px) <= 180)
            px, py = _to_bng(np.where(ok, px, np.nan), np.where(ok, py, np.nan))
        x0, y0, x1, y1 = BNG_EXTENT
        ok = np.isfinite(px) & np.isfinite(py) & (px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)
        rows = np.flatnonzero(present)
        x[rows[ok]], y[rows[ok]] = px[ok], py[ok]
        reason[rows] = np.where(ok, R.PLACED, R.INVALID_COORDINATES)
        todo[rows] = False
    pcs = postcodes if postcodes is not None else (chunk[cols.postcode] if cols.postcode else None)
    if pcs is not None and directory is not None:
        # Rows whose coordinates were unusable fall back to their postcode when they have one.
        retry = todo
        if pairs:
            retry = todo | ((reason == R.INVALID_COORDINATES) & pcs.notna().to_numpy())
        if retry.any():
            found = directory.resolve(pcs.to_numpy(dtype=object)[retry])
            x[retry], y[retry], reason[retry] = found.easting, found.northing, found.code
    return x, y, reason


def _to_bng(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    t = Transformer.from_crs(4326, 27700, always_xy=True)
    return t.transform(lon, lat, errcheck=False)


ProgressFn = Callable[[int], None]
