"""Locality schemes: which wards make up which locality.

A scheme is a human-edited TOML file (the documented format) or, for convenience, a two-column CSV
lookup exported from a spreadsheet (``ward,locality``). In TOML, a locality lists its wards as a
``code = "name"`` table (names are checked against the register) or as a list of codes or names; or
a scheme is built from another with ``based_on`` and ``groups``::

    id = "areas3"
    based_on = "icn6"
    [localities.North]
    groups = ["North West", "North East"]

>>> s = load_scheme("areas3")
>>> list(s.localities), len(s.localities["North"])
(['North', 'Central', 'South'], 8)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap.errors import UNSAFE_CHARACTERS, InputError, Report, SchemeError, visible
from localitymap.inputs.files import note_input, parse_csv_text, read_text
from localitymap.inputs.wards import WardRegister, load_register, normalise_name
from localitymap.paths import data_dir, display_path

if TYPE_CHECKING:
    import pandas as pd

#: Names the rollup gives its own rows; a locality so named would be shown as one of them.
RESERVED_NAMES = {"borough total": "Borough total", "unassigned": "Unassigned", "total": "Total"}


def locality_name_problems(names: list[str], shown: str, report: Report) -> None:
    """Add an error for each locality name that is empty, reserved (``Unassigned``, ``Borough
    total``), holds control or invisible direction characters, or repeats another up to case.

    >>> r = Report(); locality_name_problems(["North", "unassigned", "NORTH"], "s.toml", r)
    >>> [p.message for p in r.errors]  # doctest: +NORMALIZE_WHITESPACE
    ["locality name 'unassigned' is reserved for the rollup's own 'Unassigned' row",
     "localities 'North' and 'NORTH' differ only in case or spacing"]
    """
    seen: dict[str, str] = {}
    for name in names:
        key = normalise_name(name)
        if not name.strip():
            report.add(
                "a locality has an empty name", file=shown, hint="give every locality a name"
            )
        elif UNSAFE_CHARACTERS.search(name):
            report.add(
                f"locality name {visible(name)!r} holds control or invisible direction characters",
                file=shown,
                hint="delete them: they can hide or reorder the name where it is shown",
            )
        elif key in RESERVED_NAMES:
            report.add(
                f"locality name {name!r} is reserved for the rollup's own "
                f"{RESERVED_NAMES[key]!r} row",
                file=shown,
                hint="rename the locality (e.g. 'Other wards' or 'Whole borough')",
            )
        elif key in seen:
            report.add(
                f"localities {seen[key]!r} and {name!r} differ only in case or spacing",
                file=shown,
                hint="give them distinct names, or merge them",
            )
        seen.setdefault(key, name)


@dataclass(frozen=True)
class Scheme:
    """An ordered mapping of locality name to the ward codes it contains."""

    id: str
    name: str
    localities: dict[str, tuple[str, ...]]
    source: str
    register: str | None = None
    authority: str | None = None
    based_on: str | None = None
    locality_notes: dict[str, str] = field(default_factory=dict)
    #: The file(s) it was read from, its base scheme's included (for provenance).
    paths: tuple[Path, ...] = ()

    def locality_of(self) -> dict[str, str]:
        """Ward code -> locality (a ward listed twice maps to its first locality)."""
        out: dict[str, str] = {}
        for loc, codes in self.localities.items():
            for c in codes:
                out.setdefault(c, loc)
        return out

    def ward_codes(self) -> list[str]:
        """Every ward code in the scheme, in scheme order (duplicates kept)."""
        return [c for codes in self.localities.values() for c in codes]

    def to_frame(self, register: WardRegister | None = None) -> pd.DataFrame:
        """One row per (locality, ward), with ward names when a register is given.

        >>> load_scheme("icn6").to_frame(load_register()).iloc[0].tolist()
        ['North West', 'E05011464', 'Bensham Manor']
        """
        import pandas as pd

        rows = [
            (loc, c, register.name_of(c) if register and c in register else None)
            for loc, codes in self.localities.items()
            for c in codes
        ]
        return pd.DataFrame(rows, columns=["locality", "ward_code", "ward_name"])


def placements(scheme: Scheme, register: WardRegister) -> tuple[dict[str, str], Report]:
    """Ward -> locality as the scheme places them, with a report of wards placed in two
    localities (errors) or listed twice in one (warnings). The one place these are checked.

    >>> where, report = placements(load_scheme("icn6"), load_register())
    >>> where["E05011468"], report.ok
    ('Central West', True)
    """
    report = Report()
    seen: dict[str, str] = {}
    for loc, codes in scheme.localities.items():
        for c in codes:
            if c in seen and seen[c] != loc:
                report.add(
                    f"ward {register.name_of(c)} ({c}) is in two localities: {seen[c]!r} and {loc!r}",
                    file=scheme.source,
                    ward=c,
                    hint="a ward must belong to exactly one locality; remove it from one of them",
                )
            elif c in seen:
                report.add(
                    f"ward {register.name_of(c)} ({c}) is listed twice in {loc!r}",
                    file=scheme.source,
                    ward=c,
                    severity="warning",
                )
            seen.setdefault(c, loc)
    return seen, report


def across_authorities(scheme: Scheme, register: WardRegister) -> Report:
    """A warning when localities hold wards of more than one authority of a regional register:
    legitimate for a region drawn across boundaries, but also what a scheme whose authorities
    each name a locality "North" or "L1" looks like, and its figures would add them together.

    >>> across_authorities(load_scheme("icn6"), load_register()).ok
    True
    """
    report = Report()
    if len(register.authorities) < 2:
        return report
    spans = {
        loc: len({register.authority_of(c) for c in codes})
        for loc, codes in scheme.localities.items()
    }
    wide = {loc: n for loc, n in spans.items() if n > 1}
    if wide:
        named = ", ".join(f"{loc!r} ({n})" for loc, n in list(wide.items())[:5])
        more = f" and {len(wide) - 5} more" if len(wide) > 5 else ""
        report.add(
            f"{len(wide)} locality(ies) hold wards of more than one authority: {named}{more}; "
            "each is counted as one locality across those authorities",
            file=scheme.source,
            hint="if each authority has its own locality of that name, name them apart "
            "(for example 'Sutton North'); a locality drawn across authorities is fine",
            severity="warning",
        )
    return report


def check_scheme(scheme: Scheme, register: WardRegister) -> Report:
    """Coverage problems of a scheme against a register: wards in two localities, wards in no
    locality, empty localities. Unknown wards are caught earlier, when the scheme is read."""
    seen, report = placements(scheme, register)
    report.extend(across_authorities(scheme, register))
    for loc, codes in scheme.localities.items():
        if not codes:
            report.add(f"locality {loc!r} has no wards", file=scheme.source)
    for c in (c for c in register.codes if c not in seen):
        report.add(
            f"ward {register.name_of(c)} ({c}) is in no locality",
            file=scheme.source,
            ward=c,
            hint="add it to a locality, or roll up with --allow-unassigned",
        )
    return report


def list_schemes(folder: Path | None = None) -> list[dict[str, Any]]:
    """The schemes in a folder (default: the bundled ones), as dicts for a listing.

    >>> [s["id"] for s in list_schemes()]
    ['areas3', 'icn6']
    """
    folder = folder or data_dir() / "schemes"
    out = []
    for path in sorted(folder.glob("*.toml")):
        scheme = load_scheme(path)
        out.append(
            {
                "id": scheme.id,
                "name": scheme.name,
                "localities": len(scheme.localities),
                "wards": len(set(scheme.ward_codes())),
                "based_on": scheme.based_on or "",
                "file": display_path(path),
            }
        )
    return out


def scheme_path(id_or_path: str | Path, near: Path | None = None) -> Path:
    """Resolve a scheme id (``icn6``) or a file path. Ids are looked up beside ``near`` (for
    ``based_on``) and then among the bundled schemes."""
    p = Path(id_or_path)
    if p.suffix.lower() in {".toml", ".csv"}:
        return p if p.is_absolute() or near is None or p.exists() else near / p
    folders = [near] if near else []
    folders.append(data_dir() / "schemes")
    for folder in folders:
        candidate = folder / f"{id_or_path}.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(s.stem for s in sorted((data_dir() / "schemes").glob("*.toml")))
    raise InputError(
        f"scheme {str(id_or_path)!r} not found",
        hint=f"use a bundled scheme ({known}) or the path of a .toml or .csv scheme file",
    )


def load_scheme(
    id_or_path: str | Path, register: WardRegister | None = None, *, _chain: tuple[str, ...] = ()
) -> Scheme:
    """Read a scheme by bundled id or path, resolving ward names and ``based_on`` groups.

    Raises :class:`SchemeError` listing every unknown ward or group at once. Coverage (wards left
    out, wards in two localities) is not checked here: see :func:`check_scheme`.
    """
    path = scheme_path(id_or_path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError(f"{shown}: scheme file not found")
    note_input(path)
    if path.suffix.lower() == ".csv":
        return _read_csv_scheme(path, shown, register or load_register())
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{shown}:{line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})",
            hint="save the scheme as UTF-8 (in Notepad: Save as, Encoding UTF-8)",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"{shown}: not a valid TOML scheme file ({exc})",
            hint="see the scheme format in the README, or start from `localitymap schemes show`",
        ) from None
    unsafe = sorted(set(_unsafe_texts(doc)))
    if unsafe:
        raise InputError(
            f"{shown}: {', '.join(repr(visible(t)) for t in unsafe[:3])} "
            "hold control or invisible direction characters",
            hint="delete them: they can hide or reorder text where it is shown",
        )
    sid = str(doc.get("id") or path.stem)
    if sid in _chain:
        raise InputError(
            f"{shown}: schemes are based on each other in a loop: {' -> '.join(_chain)}"
        )
    register = register or load_register(doc.get("wards"))
    locs = doc.get("localities")
    if not isinstance(locs, dict) or not locs:
        raise InputError(
            f"{shown}: no [localities] found",
            hint='add a table per locality, e.g. [localities."North".wards]',
        )
    report = Report()
    locality_name_problems([str(k) for k in locs], shown, report)
    base = None
    if doc.get("based_on"):
        base_path = scheme_path(str(doc["based_on"]), near=path.parent)
        base = load_scheme(base_path, register, _chain=(*_chain, sid))
    localities: dict[str, tuple[str, ...]] = {}
    notes: dict[str, str] = {}
    used_groups: dict[str, str] = {}
    for loc, spec in locs.items():
        if not isinstance(spec, dict):
            report.add(f"locality {loc!r} must be a table with `wards` or `groups`", file=shown)
            continue
        if "source" in spec:
            notes[loc] = str(spec["source"])
        if "groups" in spec:
            localities[loc] = _resolve_groups(loc, spec["groups"], base, used_groups, shown, report)
        elif "wards" in spec:
            localities[loc] = _resolve_wards(loc, spec["wards"], register, shown, report)
        else:
            report.add(f"locality {loc!r} lists neither `wards` nor `groups`", file=shown)
    if base is not None:
        for unused in (b for b in base.localities if b not in used_groups):
            report.add(
                f"locality {unused!r} of {base.id} is in no group, so its wards would be lost",
                file=shown,
                hint="add it to one of the groups",
            )
    if report.errors:
        raise SchemeError(f"{shown}: scheme has {len(report.errors)} problem(s)", report=report)
    return Scheme(
        id=sid,
        name=str(doc.get("name") or sid),
        localities=localities,
        source=shown,
        register=doc.get("wards") or (base.register if base else None),
        authority=doc.get("authority") or (base.authority if base else register.lad_code),
        based_on=base.id if base else None,
        locality_notes=notes,
        paths=(path, *(base.paths if base else ())),
    )


def _unsafe_texts(value: object) -> list[str]:
    """Every key or string in a parsed TOML document that holds an unsafe character."""
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in [*_unsafe_texts(str(k)), *_unsafe_texts(v)]]
    if isinstance(value, list):
        return [t for v in value for t in _unsafe_texts(v)]
    if not isinstance(value, str):
        return []
    # Line breaks and tabs in a multi-line note are layout, not a trick.
    return [value] if UNSAFE_CHARACTERS.search(value.translate({9: 32, 10: 32, 13: 32})) else []


def _resolve_wards(
    loc: str, spec: object, register: WardRegister, shown: str, report: Report
) -> tuple[str, ...]:
    """Ward codes of one locality from a ``code = "name"`` table or a list of codes/names."""
    items: list[tuple[str, str | None]]
    if isinstance(spec, dict):
        items = [(str(k), str(v)) for k, v in spec.items()]
    elif isinstance(spec, list):
        items = [(str(v), None) for v in spec]
    else:
        report.add(f"locality {loc!r}: `wards` must be a table or a list", file=shown)
        return ()
    codes = []
    for key, label in items:
        code = register.match(key)
        if code is None:
            msg, hint = register.unknown_ward_problem(key)
            report.add(f"locality {loc!r}: {msg}", file=shown, ward=key, hint=hint)
            continue
        if label is not None and normalise_name(label) != normalise_name(register.name_of(code)):
            report.add(
                f"locality {loc!r}: {code} is {register.name_of(code)!r} in the register, "
                f"not {label!r}",
                file=shown,
                ward=code,
                severity="warning",
                hint="the code is used; correct the name to keep the file readable",
            )
        codes.append(code)
    return tuple(codes)


def _resolve_groups(
    loc: str,
    groups: object,
    base: Scheme | None,
    used: dict[str, str],
    shown: str,
    report: Report,
) -> tuple[str, ...]:
    """Ward codes of a locality made of localities of the base scheme."""
    if base is None:
        report.add(f"locality {loc!r} uses `groups` but the scheme has no `based_on`", file=shown)
        return ()
    if not isinstance(groups, list):
        report.add(f"locality {loc!r}: `groups` must be a list of {base.id} localities", file=shown)
        return ()
    codes: list[str] = []
    for g in map(str, groups):
        if g not in base.localities:
            report.add(
                f"locality {loc!r}: {base.id} has no locality {g!r}",
                file=shown,
                hint="choose from " + ", ".join(repr(b) for b in base.localities),
            )
        elif g in used:
            report.add(
                f"locality {g!r} of {base.id} is used by both {used[g]!r} and {loc!r}", file=shown
            )
        else:
            used[g] = loc
            codes.extend(base.localities[g])
    return tuple(codes)


def _read_csv_scheme(path: Path, shown: str, register: WardRegister) -> Scheme:
    """A spreadsheet lookup: one row per ward, with a ward (code or name) and a locality column."""
    text, encoding = read_text(path)
    table = parse_csv_text(text, shown, encoding)
    numbered = [(n, r) for n, r in table.rows if any(r)]
    if not numbered:
        raise InputError(f"{shown}: scheme file is empty")
    rows = [r for _, r in numbered]
    header = [normalise_name(h) for h in rows[0]]
    loc_col = next(
        (i for i, h in enumerate(header) if h in {"locality", "locality name", "area"}), None
    )
    ward_col = next(
        (
            i
            for i, h in enumerate(header)
            if h in {"ward code", "ward", "ward name", "wd19cd", "wd22cd"}
        ),
        None,
    )
    if loc_col is None or ward_col is None:
        raise InputError(
            f"{shown}: a CSV scheme needs a ward column and a locality column",
            hint=f"found columns {rows[0]}; name them e.g. 'ward_code' and 'locality'",
        )
    report = Report()
    for row, col, codes in table.cleaned:
        report.add(
            f"column {col + 1} holds control or invisible direction characters ({codes})",
            file=shown,
            row=row,
            hint="delete them: they can hide or reorder the name where it is shown",
        )
    localities: dict[str, list[str]] = {}
    for i, r in numbered[1:]:
        ward = r[ward_col].strip() if ward_col < len(r) else ""
        loc = r[loc_col].strip() if loc_col < len(r) else ""
        if not ward:
            report.add(
                f"row names locality {loc!r} but no ward" if loc else "row has no ward",
                file=shown,
                row=i,
                hint="give the ward's code or name, or delete the row",
            )
            continue
        if not loc:
            report.add("no locality given", file=shown, row=i, ward=ward)
            continue
        code = register.match(ward)
        if code is None:
            msg, hint = register.unknown_ward_problem(ward)
            report.add(msg, file=shown, row=i, ward=ward, hint=hint)
            continue
        localities.setdefault(loc, []).append(code)
    locality_name_problems(list(localities), shown, report)
    if report.errors:
        raise SchemeError(f"{shown}: scheme has {len(report.errors)} problem(s)", report=report)
    return Scheme(
        id=path.stem,
        name=path.stem,
        localities={k: tuple(v) for k, v in localities.items()},
        source=shown,
        authority=register.lad_code,
        paths=(path,),
    )
