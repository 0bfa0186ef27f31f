"""Address histories for counting hand-offs: one row per (child, address).

A CSV or XLSX with a child identifier, the address's start and end dates, and where it is: a ward
(code or name) or an easting and northing (British National Grid). Column names are recognised in
their usual spellings (``person_id``/``child_id``, ``start``/``start_date``/
``address_start_date``, ``ward_code``/``ward``, ``easting``/``x``...). An SSD ``ssd_address``
extract is read by :func:`localitymap.inputs.ssd.read_ssd_address` (wards then come from its
eastings and northings).

Problems are reported by file, row and column, never with the child's identifier.

>>> import io, pandas as pd
>>> text = "child_id,start_date,end_date,ward\\n1,2024-01-02,,Waddon\\n"
>>> h = read_address_history(io.StringIO(text))
>>> h[["start", "ward_code"]].iloc[0].tolist()
['2024-01-02', 'E05011487']
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from localitymap.errors import InputError, Report
from localitymap.inputs.wards import (
    WardRegister,
    load_register,
    looks_like_gss_code,
    normalise_name,
)

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["person_id", "start", "end", "ward_code", "easting", "northing"]
_ALIASES = {
    "person_id": ["person id", "child id", "la child id", "id", "addr person id", "person"],
    "start": ["start", "start date", "address start date", "addr address start date", "from"],
    "end": ["end", "end date", "address end date", "addr address end date", "to"],
    "ward_code": ["ward code", "ward", "ward name", "wd19cd", "wd22cd", "wd23cd", "wd24cd"],
    "easting": ["easting", "x", "addr address easting"],
    "northing": ["northing", "y", "addr address northing"],
}
OUTSIDE = "OUTSIDE"


def _read_table(source: Path | IO[str], shown: str) -> pd.DataFrame:
    import pandas as pd

    if isinstance(source, Path) and source.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(source, dtype=str)
    try:
        return pd.read_csv(source, dtype=str, comment="#", encoding="utf-8-sig"
                           if isinstance(source, Path) else None, keep_default_na=False)  # fmt: skip
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"{shown}: cannot read the address history ({exc})") from None


def read_address_history(
    source: Path | str | IO[str], register: WardRegister | None = None
) -> pd.DataFrame:
    """The address history as ``person_id, start, end, ward_code, easting, northing`` (text dates
    as given, ISO expected; ward names resolved to codes; a ward code of another authority becomes
    ``OUTSIDE``, a move out of the borough).
    """
    import pandas as pd

    register = register or load_register()
    path = Path(source) if isinstance(source, str) else source
    shown = str(path) if isinstance(path, Path) else "<address history>"
    if isinstance(path, Path) and not path.is_file():
        raise InputError(f"{shown}: address history not found")
    raw = _read_table(path, shown)
    norm = {normalise_name(c): c for c in raw.columns}
    if any(n.startswith("addr ") for n in norm) and "ward code" not in norm:
        return _read_ssd(path, shown)
    found = {}
    for col, names in _ALIASES.items():
        hit = next((norm[n] for n in names if n in norm), None)
        if hit is not None:
            found[col] = hit
    has_place = "ward_code" in found or {"easting", "northing"} <= set(found)
    if "person_id" not in found or "start" not in found or not has_place:
        raise InputError(
            f"{shown}: an address history needs a child identifier, a start date and a ward (or "
            "easting and northing)",
            hint=f"found columns {list(raw.columns)}; name them person_id, start, end, ward_code",
        )
    out = pd.DataFrame({col: raw[found[col]] if col in found else None for col in COLUMNS})
    out = out.replace({"": None})
    report = Report()
    dates = pd.to_datetime(out["start"], errors="coerce", format="mixed")
    for i in out.index[dates.isna()]:
        report.add("no valid start date", file=shown, row=int(i) + 2, field=found["start"],
                   hint="give dates as YYYY-MM-DD")  # fmt: skip
    codes = []
    for i, value in out["ward_code"].items():
        if value is None or pd.isna(value):
            codes.append(None)
            continue
        code = register.match(str(value))
        if code is None and looks_like_gss_code(str(value)):
            code = OUTSIDE  # another authority's ward: the child moved in or out of the borough
        if code is None:
            msg, hint = register.unknown_ward_problem(str(value))
            report.add(msg, file=shown, row=int(i) + 2, field=found["ward_code"], hint=hint)
        codes.append(code)
    out["ward_code"] = codes
    for col in ("easting", "northing"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
    report.raise_if_errors(shown)
    out.attrs["path"] = shown
    return out


def _read_ssd(path: Path | IO[str], shown: str) -> pd.DataFrame:
    from localitymap.inputs.ssd import read_ssd_address

    if not isinstance(path, Path):
        raise InputError(f"{shown}: give the SSD extract as a file")
    frame = read_ssd_address(path)
    if "ward_code" not in frame:
        frame["ward_code"] = None
    frame.attrs["path"] = shown
    return frame
