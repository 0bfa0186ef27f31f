'''The Standard Safeguarding Dataset's address table (``ssd_address``) and who lived where on a date.

The SSD (data-to-insight/ssd-data-model) holds one row per person per address: ``addr_person_id``,
``addr_address_type``, ``addr_address_start_date``, ``addr_address_end_date``,
``addr_address_postcode`` (spaces removed) and ``addr_address_json``, a JSON object whose keys
include ``UPRN``, ``EASTING`` and ``NORTHING`` (empty strings when unknown). Columns are found by
their SSD names or by their stems (``person_id``, ``start_date``...), so a renamed export still reads.

:func:`read_ssd_address` returns a plain table; :func:`address_as_at` applies the as-at rule:
an address is valid on ``date`` when ``start <= date < end``; a missing end is open (still
current), a missing start is open too (valid from the beginning). When several addresses of one
person are valid, the one with the **latest start** is used (ties: the later row in the file), and
the number of people this happened to is returned as a note, not hidden.

>>> import io, pandas as pd
>>> text = (
...     "addr_table_id,addr_person_id,addr_address_type,addr_address_start_date,"
...     "addr_address_end_date,addr_address_postcode,addr_address_json\\n"
...     '1,P1,Home,2018-01-01,2019-01-31,CR02AB,'
...     '"{""UPRN"": """", ""EASTING"": ""532000"", ""NORTHING"": ""165000""}"\\n'
...     '2,P1,Home,2019-01-31,,CR76AA,"{""UPRN"": ""1"", ""EASTING"": """", ""NORTHING"": """"}"\\n'
... )
>>> a = read_ssd_address(io.StringIO(text))
>>> list(a.columns)
['person_id', 'address_type', 'start', 'end', 'postcode', 'easting', 'northing', 'uprn']
>>> chosen, notes = address_as_at(a, "2019-02-28")
>>> chosen[["person_id", "postcode"]].to_dict("records"), notes["several valid"]
([{'person_id': 'P1', 'postcode': 'CR76AA'}], 0)
'''

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, TYPE_CHECKING

from localitymap.errors import InputError
from localitymap.paths import display_path

if TYPE_CHECKING:
    import pandas as pd

#: Output column -> patterns (on lower-cased header names) tried in order.
_STEMS: dict[str, list[str]] = {
    "person_id": [r"addr_person_id", r".*person_id", r"person", r"child_id", r".*la_?child_?id"],
    "address_type": [r"addr_address_type", r".*address_type", r"type"],
    "start": [r"addr_address_start_date", r".*start(_date)?", r".*from(_date)?"],
    "end": [r"addr_address_end_date", r".*end(_date)?", r".*to_date"],
    "postcode": [r"addr_address_postcode", r".*postcode", r"pcd.*"],
    "json": [r"addr_address_json", r".*address_json", r".*json"],
    "easting": [r"(.*_)?easting", r"x"],
    "northing": [r"(.*_)?northing", r"y"],
    "uprn": [r"(.*_)?uprn"],
}
COLUMNS = ["person_id", "address_type", "start", "end", "postcode", "easting", "northing", "uprn"]


def _key_pattern(key: str) -> str:
    # The SSD writes JSON with quoted keys; its documentation shows them unquoted ({ UPRN: "" }),
    # and hand-made extracts use either, so the key may or may not be quoted.
    return rf"""["']?{key}["']?\s*:\s*["']?\s*([-+0-9.eE]*)"""


def find_columns(headers: list[str]) -> dict[str, str]:
    """Map each SSD role (``person_id``, ``start``...) to the header that holds it.

    >>> find_columns(["addr_person_id", "addr_address_start_date", "Postcode"])
    {'person_id': 'addr_person_id', 'start': 'addr_address_start_date', 'postcode': 'Postcode'}
    """
    from localitymap.inputs.files import match_columns

    return match_columns(headers, _STEMS)


def read_ssd_address(path: Path | str | IO[str]) -> pd.DataFrame:
    """Read an ``ssd_address`` extract (CSV, XLSX or Parquet) into one row per address.

    Returns a DataFrame with columns ``person_id`` (text), ``address_type`` (text),
    ``start`` and ``end`` (datetime64; NaT when empty or unreadable), ``postcode`` (text as given),
    ``easting``, ``northing`` (float; NaN when absent) and ``uprn`` (text). Its index, named
    ``row``, is each record's row in the file as a spreadsheet shows it (the header is row 1), so
    messages can name rows without quoting them. Easting/northing/UPRN come from separate columns
    when the extract has them, else from ``addr_address_json``. ``attrs["unreadable_dates"]``
    counts dates given but not readable (they are treated as missing, i.e. open).

    Raises :class:`InputError` naming the file when it has no person id column, or neither a
    postcode nor coordinates. No cell content ever appears in a message.
    """
    import numpy as np
    import pandas as pd

    shown = "<stream>" if not isinstance(path, str | Path) else display_path(path)
    frame = _read_any(path, shown)
    roles = find_columns([str(c) for c in frame.columns])
    if "person_id" not in roles:
        raise InputError(
            f"{shown}: no person id column (addr_person_id) found",
            hint="name the column addr_person_id as the SSD does",
        )
    has_xy = ("easting" in roles and "northing" in roles) or "json" in roles
    if "postcode" not in roles and not has_xy:
        raise InputError(
            f"{shown}: no postcode, easting/northing or addr_address_json column found",
            hint="an ssd_address extract needs addr_address_postcode or addr_address_json",
        )
    n = len(frame)
    out = pd.DataFrame(index=pd.RangeIndex(2, n + 2, name="row"))

    def text(role: str) -> pd.Series:
        if role not in roles:
            return pd.Series(pd.NA, index=out.index, dtype="string")
        s = frame[roles[role]].astype("string").str.strip()
        s.index = out.index
        return s.mask(s == "")

    out["person_id"] = text("person_id")
    out["address_type"] = text("address_type")
    unreadable = 0
    for role in ("start", "end"):
        raw = text(role)
        parsed = pd.to_datetime(raw, errors="coerce", dayfirst=_dayfirst(raw), format="mixed")
        unreadable += int((raw.notna() & parsed.isna()).sum())
        out[role] = parsed.astype("datetime64[ns]")
    out["postcode"] = text("postcode")
    json_text = text("json") if "json" in roles else None
    for role, key in (("easting", "EASTING"), ("northing", "NORTHING"), ("uprn", "UPRN")):
        if role in roles:
            value = text(role)
        elif json_text is not None:
            value = json_text.str.extract(_key_pattern(key), flags=re.IGNORECASE, expand=False)
            value = value.mask(value == "")
        else:
            value = pd.Series(pd.NA, index=out.index, dtype="string")
        if role == "uprn":
            out[role] = value.astype("string")
        else:
            out[role] = pd.to_numeric(value, errors="coerce").astype("float64")
    out.loc[
        ~np.isfinite(out["easting"]) | ~np.isfinite(out["northing"]), ["easting", "northing"]
    ] = np.nan
    out.attrs["unreadable_dates"] = unreadable
    out.attrs["path"] = shown
    return out[COLUMNS]


def _dayfirst(values: pd.Series) -> bool:
    """UK extracts write 28/02/2019; ISO dates (2019-02-28) are read the same either way."""
    sample = values.dropna().head(50)
    return bool(sample.str.match(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}").any())


def _read_any(path: Path | str | IO[str], shown: str) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(path, str | Path):
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{shown}: file not found")
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(p, dtype=str, keep_default_na=False)
        if suffix == ".parquet":
            return pd.read_parquet(p).astype("string")
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding_errors="replace")
    except ImportError as exc:
        raise InputError(f"{shown}: cannot read {suffix} files here ({exc.name} is missing)",
                         hint="install localitymap[parquet], or save the table as CSV") from None  # fmt: skip
    except (ValueError, OSError) as exc:
        raise InputError(f"{shown}: cannot read the address table ({type(exc).__name__})") from None


def address_as_at(
    addresses: pd.DataFrame, date: str | pd.Timestamp, *, address_types: list[str] | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Each person's address valid on ``date``: ``start <= date < end``, open ends allowed.

    ``addresses`` is what :func:`read_ssd_address` returns. With ``address_types``, only those
    types (case-insensitive) are considered. Returns one row per person who has a valid address
    (same columns, index ``row`` of the chosen address) and counts: ``people`` (distinct person
    ids in the table), ``with address``, ``several valid`` (people with more than one valid
    address; the latest start was used, ties going to the later row), ``open start`` (chosen
    addresses with no start date), and ``no person id`` (address rows without one, ignored).

    >>> import pandas as pd
    >>> a = pd.DataFrame({"person_id": ["A", "A", "B"], "address_type": ["Home"] * 3,
    ...     "start": pd.to_datetime(["2018-01-01", "2019-01-01", "2019-03-01"]),
    ...     "end": pd.to_datetime(["2019-06-01", None, None]), "postcode": ["X", "Y", "Z"],
    ...     "easting": float("nan"), "northing": float("nan"), "uprn": None},
    ...     index=pd.Index([2, 3, 4], name="row"))
    >>> chosen, notes = address_as_at(a, "2019-02-28")
    >>> chosen["postcode"].tolist(), notes["several valid"], notes["people"]
    (['Y'], 1, 2)
    """
    import pandas as pd

    when = pd.Timestamp(date)
    has_id = addresses["person_id"].notna()
    frame = addresses[has_id]
    people = int(frame["person_id"].nunique())
    if address_types:
        wanted = {t.strip().lower() for t in address_types}
        frame = frame[frame["address_type"].str.lower().isin(wanted).fillna(False)]
    valid = (frame["start"].isna() | (frame["start"] <= when)) & (
        frame["end"].isna() | (when < frame["end"])
    )
    cands = frame[valid.to_numpy()]
    per_person = cands.groupby("person_id", sort=False).size()
    # Latest start wins; NaT (open start) sorts first, so a dated start beats an open one.
    order = cands.assign(_row=cands.index.to_numpy()).sort_values(
        ["person_id", "start", "_row"], na_position="first", kind="stable"
    )
    chosen = order.groupby("person_id", sort=False).tail(1).drop(columns="_row")
    notes = {
        "people": people,
        "with address": len(chosen),
        "several valid": int((per_person > 1).sum()),
        "open start": int(chosen["start"].isna().sum()),
        "no person id": int((~has_id).sum()),
    }
    return chosen.sort_index(), notes
