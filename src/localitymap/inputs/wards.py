"""The ward register: which wards an authority has, and matching what users type to them.

Users' files name wards by ONS GSS code or by name as typed in a spreadsheet ("Norbury and Pollards
Hill", "NORBURY & POLLARDS HILL"). Matching is by code first, then by a normalised name; when neither
matches, :meth:`WardRegister.closest` offers the nearest valid names for the error message.

>>> reg = load_register()
>>> reg.lad_name, len(reg)
('Croydon', 28)
>>> reg.match("norbury and pollards hill")
'E05011472'
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from localitymap.errors import InputError, Report
from localitymap.paths import data_dir, display_path

DEFAULT_REGISTER = "croydon_wards_2019"
_GSS_WARD = re.compile(r"^[EWSN]\d{8}$")
_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")
_TOTAL_WORDS = {"total", "grand total", "all wards", "borough total", "borough", "all", "la total"}
#: Ward names of an authority's earlier boundaries that the current register no longer has, so
#: a file on old wards is named as such (Croydon's 24 wards of 2002-2018 became 28 in May 2018).
PREVIOUS_WARD_NAMES: dict[str, tuple[str, frozenset[str]]] = {
    "E09000008": (
        "pre-2018 (2002-2018)",
        frozenset({
            "addiscombe", "ashburton", "coulsdon east", "coulsdon west", "croham", "fieldway",
            "heathfield", "new addington", "norbury", "purley", "selsdon and ballards", "shirley",
            "upper norwood",
        }),
    )
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)  # a national file repeats ~7,000 names 300 times each
def normalise_name(name: str) -> str:
    """Fold case, ``&``/``and``, punctuation and spacing so spreadsheet spellings compare equal.

    >>> normalise_name("  Crystal Palace &  Upper-Norwood ")
    'crystal palace and upper norwood'
    """
    s = name.strip().lower().replace("&", " and ")
    s = _PUNCT.sub(" ", s)
    return _SPACE.sub(" ", s).strip()


def looks_like_gss_code(value: str) -> bool:
    """True for a nine-character ONS GSS code such as ``E05011462``."""
    return bool(_GSS_WARD.match(value.strip().upper()))


@dataclass(frozen=True)
class WardRegister:
    """The wards of one authority (or of several, for a region or England) on one boundary
    vintage, in register order.

    With several authorities, ``ward_lads`` holds each ward's ``(lad_code, lad_name)``,
    ``lad_code``/``lad_name`` describe the whole (``"4 authorities"``), and a ward name used in
    more than one authority matches only as ``"Name (Authority)"`` or by its code.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    lad_code: str
    lad_name: str
    vintage: str
    source: str
    path: Path | None = None
    ward_lads: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", dict(zip(self.codes, self.names, strict=True)))
        by_norm: dict[str, str] = {}
        ambiguous: set[str] = set()
        for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True)):
            key = normalise_name(n)
            if key in by_norm and by_norm[key] != c:
                ambiguous.add(key)
            by_norm.setdefault(key, c)
            if self.ward_lads:
                by_norm[normalise_name(f"{n} ({self.ward_lads[i][1]})")] = c
        for key in ambiguous:
            del by_norm[key]
        object.__setattr__(self, "_by_norm", by_norm)
        object.__setattr__(self, "_ambiguous", ambiguous)
        lad_of = {c: lad for c, (lad, _) in zip(self.codes, self.ward_lads, strict=False)}
        object.__setattr__(self, "_lad_of", lad_of)
        # Each authority's own name and code mark its total row (looked up once per cell).
        lads = {normalise_name(n) for n in self.authorities.values()}
        totals = {form for lad in lads for form in (lad, f"{lad} total", f"total {lad}")}
        object.__setattr__(self, "_total_names", totals)
        object.__setattr__(self, "_total_codes", set(self.authorities))

    @property
    def authorities(self) -> dict[str, str]:
        """Authority code -> name, in register order (one entry for a one-authority register).

        >>> load_register().authorities
        {'E09000008': 'Croydon'}
        """
        if not self.ward_lads:
            return {self.lad_code: self.lad_name}
        return dict(self.ward_lads)

    def is_name_of(self, name: str, code: str) -> bool:
        """True when ``name`` is the register name of ward ``code`` (spelling folded), even
        where other authorities have a ward of that name.

        >>> load_register().is_name_of("FAIRFIELD", "E05011468")
        True
        """
        return code in self and normalise_name(name) == normalise_name(self.name_of(code))

    def authority_of(self, code: str) -> str:
        """The authority code of a ward."""
        if not self.ward_lads:
            return self.lad_code
        return self._lad_of.get(code, "")  # type: ignore[attr-defined,no-any-return]

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]

    def name_of(self, code: str) -> str:
        """The register name of a ward code."""
        return self._by_code[code]  # type: ignore[attr-defined,no-any-return]

    def match(self, value: str) -> str | None:
        """The ward code that ``value`` (a code or a name) denotes, or None.

        >>> load_register().match("E05011462")
        'E05011462'
        """
        v = value.strip()
        if v.upper() in self._by_code:  # type: ignore[attr-defined]
            return v.upper()
        return self._by_norm.get(normalise_name(v))  # type: ignore[attr-defined,no-any-return]

    def closest(self, value: str, n: int = 3) -> list[str]:
        """Up to ``n`` ward names nearest to ``value``, best first, for 'did you mean' hints."""
        norm = {normalise_name(name): name for name in self.names}
        hits = difflib.get_close_matches(normalise_name(value), list(norm), n=n, cutoff=0.6)
        return [norm[h] for h in hits]

    def is_total_label(self, value: str) -> bool:
        """True when a ward cell is really a total row (``Total``, ``Croydon``, ``E09000008``...)."""
        if value.strip().upper() in self._total_codes:  # type: ignore[attr-defined]
            return True
        v = normalise_name(value)
        return v in _TOTAL_WORDS or v in self._total_names  # type: ignore[attr-defined]

    def previous_vintage(self, names: list[str]) -> tuple[str, list[str]] | None:
        """The earlier boundaries that unknown ward ``names`` belong to, and those names, when
        the register knows the authority's previous wards.

        >>> load_register().previous_vintage(["Ashburton", "Fairfeld"])
        ('pre-2018 (2002-2018)', ['Ashburton'])
        """
        vintage, old = PREVIOUS_WARD_NAMES.get(self.lad_code, ("", frozenset()))
        hits = [n for n in names if normalise_name(n) in old]
        return (vintage, hits) if hits else None

    def unknown_ward_problem(self, value: str, **where: object) -> tuple[str, str]:
        """Message and hint for a ward that is not in the register."""
        if looks_like_gss_code(value):
            return (
                f"ward code {value.strip()!r} is not one of {self.lad_name}'s {len(self)} wards",
                f"it may be from another authority or boundary vintage (this register is "
                f"{self.vintage}, {self.lad_code})",
            )
        if normalise_name(value) in self._ambiguous:  # type: ignore[attr-defined]
            return (
                f"ward name {value.strip()!r} is used in more than one authority",
                "give its ward code, or its name with the authority, e.g. 'Abbey (Merton)'",
            )
        near = self.closest(value)
        hint = (
            "did you mean " + " or ".join(repr(n) for n in near) + "?"
            if near
            else f"use a ward code or one of the {len(self)} ward names "
            "(`localitymap schemes show` lists them)"
        )
        return f"unknown ward {value.strip()!r}", hint


def register_path(name_or_path: str | Path | None = None) -> Path:
    """Resolve a register id (bundled) or a path to its CSV file."""
    if name_or_path is None:
        name_or_path = DEFAULT_REGISTER
    p = Path(name_or_path)
    if p.suffix.lower() == ".csv" or p.exists():
        return p
    return data_dir() / "wards" / f"{name_or_path}.csv"


def load_register(name_or_path: str | Path | None = None) -> WardRegister:
    """Load a ward register CSV (columns ``ward_code, ward_name, lad_code, lad_name, vintage``).

    With no argument, the bundled Croydon register (28 wards, 2018 boundaries).
    """
    path = register_path(name_or_path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError(f"{shown}: ward register not found", hint="give a register CSV path")
    import io

    from localitymap.inputs.files import clean_cell, read_text

    text, _ = read_text(path)  # UTF-8, UTF-16 or cp1252, as for indicator files
    rows = [
        {k: clean_cell(v)[0] if isinstance(v, str) else "" for k, v in r.items() if k is not None}
        for r in csv.DictReader(io.StringIO(text, newline=""))
    ]
    need = {"ward_code", "ward_name", "lad_code", "lad_name"}
    if not rows or not need <= set(rows[0]):
        raise InputError(
            f"{shown}: not a ward register",
            hint="it needs columns ward_code, ward_name, lad_code, lad_name (vintage optional)",
        )
    report = Report()
    seen: set[str] = set()
    for i, r in enumerate(rows, start=2):
        code = r["ward_code"].strip().upper()
        if not code or not r["ward_name"]:
            report.add(
                "row has no ward code or no ward name",
                file=shown,
                row=i,
                hint="give every ward its code and name",
            )
        if code in seen:
            report.add(f"ward code {code} is listed twice", file=shown, row=i, ward=code)
        seen.add(code)
    report.raise_if_errors(shown)
    lads = dict.fromkeys((r["lad_code"].strip(), r["lad_name"].strip()) for r in rows)
    several = len({code for code, _ in lads}) > 1
    return WardRegister(
        codes=tuple(r["ward_code"].strip().upper() for r in rows),
        names=tuple(r["ward_name"].strip() for r in rows),
        lad_code="several" if several else rows[0]["lad_code"].strip(),
        lad_name=f"{len(lads)} authorities" if several else rows[0]["lad_name"].strip(),
        vintage=(rows[0].get("vintage") or "unknown").strip(),
        source=shown,
        path=path,
        ward_lads=tuple((r["lad_code"].strip(), r["lad_name"].strip()) for r in rows)
        if several
        else (),
    )
