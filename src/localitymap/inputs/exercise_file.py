"""The exercise file: one TOML file (``localitymap.toml``) that names everything an exercise is
made from, so next February's refresh is one edited line (the data path) and a rerun.

Paths in the file are relative to the file's own folder. Options given on the command line
override the file. :func:`init_text` writes a commented file for the bundled Croydon exercise.

>>> s = parse_exercise(init_text(), Path("localitymap.toml"))
>>> s.scheme, s.disclosure, s.authority
('icn6', 'threshold5', 'London Borough of Croydon')
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from localitymap.errors import InputError

FILE_NAME = "localitymap.toml"

#: Keys of each table and what they become; anything else is refused by name, because a misspelt
#: key silently ignored would make a refresh use the wrong inputs.
_EXERCISE_KEYS = {
    "title", "authority", "period", "previous_period", "scheme", "disclosure", "output_folder",
}  # fmt: skip
_INPUT_KEYS = {
    "data", "register", "wards", "ward_code_column", "ward_name_column", "population", "per",
    "catalogue", "sheet", "ward_column", "suppressed_range", "allow_unassigned",
    "allow_missing_wards",
}  # fmt: skip
_PATH_KEYS = {"data", "register", "wards", "population", "catalogue", "output_folder"}
_PUBLICATION_KEYS = {"source", "contact", "publication_date", "author"}
_INDICATOR_KEYS = {"label", "short_label", "denominator", "statistic", "description", "unit"}
_TARGET_KEYS = {"target", "tolerance", "polarity", "unit"}


@dataclass
class ExerciseSettings:
    """What an exercise is made from. ``None`` means "not stated": the built-in default applies
    (bundled Croydon data, the latest period, the ward register of the data)."""

    scheme: str | None = None
    data: Path | None = None
    period: str | None = None
    previous_period: str | None = None
    register: Path | None = None
    wards: Path | None = None
    ward_code_column: str | None = None
    ward_name_column: str | None = None
    population: Path | None = None
    per: float | None = None
    catalogue: Path | None = None
    sheet: str | None = None
    ward_column: str | None = None
    suppressed_range: str | None = None
    allow_unassigned: bool | None = None
    allow_missing_wards: bool | None = None
    disclosure: str | None = None
    title: str | None = None
    authority: str | None = None
    output_folder: Path | None = None
    #: Labels, short labels, denominators for indicators (in or outside the catalogue).
    indicators: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Targets per indicator id, for dashboards: target, tolerance, polarity.
    targets: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Cover-sheet facts for public outputs: source, contact, publication_date, author.
    publication: dict[str, str] = field(default_factory=dict)
    #: The file these settings came from, and the SHA-256 of its bytes.
    path: Path | None = None
    sha256: str | None = None

    def merged(self, **overrides: Any) -> ExerciseSettings:
        """These settings with every override that is not None put in their place.

        >>> ExerciseSettings(scheme="icn6").merged(scheme="areas3", period=None).scheme
        'areas3'
        """
        names = {f.name for f in fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise TypeError(f"unknown exercise settings: {', '.join(sorted(unknown))}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return ExerciseSettings(**values)


def find_exercise_file(folder: Path | None = None) -> Path | None:
    """``localitymap.toml`` in ``folder`` (default: the working folder), if there is one."""
    candidate = (folder or Path.cwd()) / FILE_NAME
    return candidate if candidate.is_file() else None


def read_exercise(path: Path) -> ExerciseSettings:
    """Read an exercise file; an error names the file, the key and what to do.

    Relative paths in it are taken from the file's folder, so the folder can be moved or shared.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"{path.name}: exercise file not found",
            hint="make one with `localitymap init`, or give --exercise FILE",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path.name}: not UTF-8 text", hint="save it as UTF-8") from None
    settings = parse_exercise(text, path)
    settings.sha256 = hashlib.sha256(raw).hexdigest()
    return settings


def parse_exercise(text: str, path: Path) -> ExerciseSettings:
    """Settings from the text of an exercise file at ``path`` (for relative paths and messages)."""
    name = path.name
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{name}: not valid TOML ({exc})", hint="fix the line it names") from None
    known_tables = {"exercise", "inputs", "publication", "indicators", "targets"}
    for key in doc:
        if key not in known_tables:
            raise InputError(
                f"{name}: unknown table or key [{key}]",
                hint=f"use the tables {', '.join(sorted(known_tables))}",
            )
    folder = path.parent
    values: dict[str, Any] = {}
    for table, keys in (("exercise", _EXERCISE_KEYS), ("inputs", _INPUT_KEYS)):
        section = _table(doc, table, name)
        for key, value in section.items():
            if key not in keys:
                raise InputError(
                    f"{name}: unknown key {key!r} in [{table}]",
                    hint=f"use one of {', '.join(sorted(keys))}",
                )
            values[key] = _value(key, value, table, name, folder)
    publication = _table(doc, "publication", name)
    for key, value in publication.items():
        if key not in _PUBLICATION_KEYS or not isinstance(value, str):
            raise InputError(
                f"{name}: [publication] {key!r} must be one of "
                f"{', '.join(sorted(_PUBLICATION_KEYS))}, as text"
            )
    indicators = _nested(doc, "indicators", _INDICATOR_KEYS, name)
    targets = _nested(doc, "targets", _TARGET_KEYS, name)
    for ind, spec in targets.items():
        if "target" not in spec or not isinstance(spec["target"], int | float):
            raise InputError(f"{name}: [targets.{ind}] needs a numeric target")
        if spec.get("polarity", "low") not in ("low", "high"):
            raise InputError(
                f"{name}: [targets.{ind}] polarity must be low or high (which is better)"
            )
    return ExerciseSettings(
        **values,
        indicators={k: {kk: str(vv) for kk, vv in v.items()} for k, v in indicators.items()},
        targets=targets,
        publication=dict(publication),
        path=path,
    )


def _table(doc: dict[str, Any], key: str, name: str) -> dict[str, Any]:
    section = doc.get(key, {})
    if not isinstance(section, dict):
        raise InputError(f"{name}: [{key}] must be a table")
    return section


def _nested(doc: dict[str, Any], key: str, allowed: set[str], name: str) -> dict[str, Any]:
    out = {}
    for ind, spec in _table(doc, key, name).items():
        if not isinstance(spec, dict):
            raise InputError(f"{name}: [{key}.{ind}] must be a table of keys")
        bad = set(spec) - allowed
        if bad:
            raise InputError(
                f"{name}: unknown key {sorted(bad)[0]!r} in [{key}.{ind}]",
                hint=f"use {', '.join(sorted(allowed))}",
            )
        out[str(ind)] = dict(spec)
    return out


def _value(key: str, value: Any, table: str, name: str, folder: Path) -> Any:
    if key in ("allow_unassigned", "allow_missing_wards"):
        if not isinstance(value, bool):
            raise InputError(f"{name}: [{table}] {key} must be true or false")
        return value
    if key == "per":
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 1:
            raise InputError(f"{name}: [{table}] per must be a number of at least 1")
        return float(value)
    if not isinstance(value, str):
        raise InputError(f"{name}: [{table}] {key} must be text (in quotes)")
    if value.strip() == "":
        return None  # an empty value means the default, as if the line were not there
    if key in _PATH_KEYS:
        p = Path(value).expanduser()
        return p if p.is_absolute() else folder / p
    return value.strip()


def init_text() -> str:
    """A commented exercise file for the bundled Croydon exercise."""
    return _INIT


_INIT = """\
# localitymap exercise file: what this exercise is made from.
# Every localitymap command run in this folder reads it; options on the command line override it.
# Next year: point `data` at the new file (and `period`), then rerun the same commands.
# Paths are relative to this file's folder. An empty value ("") means the built-in default.

[exercise]
title = "Children's services demand by locality"
authority = "London Borough of Croydon"   # name, LA number or GSS code (E09000008)
period = ""                # e.g. "2020-02"; empty: the latest period in the data
previous_period = ""       # e.g. "2019-02", for `compare` and dashboards; empty: the one before
scheme = "icn6"            # a bundled scheme id (icn6, areas3) or a scheme file (.toml, .csv)
# Small-number disclosure control applied to every output of this exercise, once, so that no
# combination of outputs reveals a hidden count: threshold5 (1-4 hidden as [c]), dfe (1-5 as c),
# nhsd (1-7 as *, others rounded to 5), or none (internal use only: outputs say NOT FOR PUBLICATION).
disclosure = "threshold5"
output_folder = "outputs"  # where `localitymap report` writes when no -o is given

[inputs]
data = ""                  # ward counts: a CSV/XLSX file or a folder; empty: bundled illustrative data
register = ""              # ward register CSV; empty: the register of the bundled Croydon wards
wards = ""                 # ward boundaries (GeoJSON/GeoPackage/Shapefile); empty: bundled
population = ""            # ward populations by age band; empty: ONS mid-2019 Croydon
catalogue = ""             # indicator catalogue CSV; empty: bundled
suppressed_range = ""      # what a bare suppression marker (*, c, x) stands for, e.g. "1-4"
per = 10000                # rates per this many children

[publication]
source = "Children, Families and Education data-mapping exercise"
contact = ""               # e.g. "performance@example.gov.uk"
publication_date = ""      # e.g. "2027-03-01"

# Labels and denominators for indicators outside the catalogue (or to relabel one in it), by the
# id localitymap gives the column (its header in lower case, words joined by _):
[indicators.young_carers]
label = "Young carers"
short_label = "Young carers"
denominator = "persons_0_15"

# Targets for dashboards (per 10,000, or % for proportions); polarity: which way is better.
# [targets.cp_plans]
# target = 45.0
# tolerance = 5.0
# polarity = "low"
"""
