"""Schemes and catalogues that would mislabel or hide rows: reserved, duplicate and crafted names,
spreadsheet lookups in Windows encodings or with short rows."""

from __future__ import annotations

import json

import pytest

from localitymap.errors import InputError, SchemeError
from localitymap.inputs.indicators import load_catalogue
from localitymap.inputs.schemes import load_scheme

from .corpus import CODES, NAMES, write


def _toml(names: list[str]) -> str:
    """A scheme with one locality per name, the 28 wards dealt out in turn."""
    return "".join(
        f'[localities."{n}"]\nwards = {json.dumps(CODES[i :: len(names)])}\n'
        for i, n in enumerate(names)
    )


def _errors(exc: SchemeError) -> list[str]:
    return [p.one_line() for p in exc.report.ordered() if p.severity == "error"]


SCHEME_CASES = {
    "unassigned-locality": (["North", "Unassigned"], [
        "s.toml: locality name 'Unassigned' is reserved for the rollup's own 'Unassigned' row; "
        "rename the locality (e.g. 'Other wards' or 'Whole borough')"]),
    "borough-total-locality": (["BOROUGH  total", "South"], [
        "s.toml: locality name 'BOROUGH  total' is reserved for the rollup's own 'Borough total' "
        "row; rename the locality (e.g. 'Other wards' or 'Whole borough')"]),
    "names-equal-up-to-case": (["North", "north", "South"], [
        "s.toml: localities 'North' and 'north' differ only in case or spacing; give them distinct "
        "names, or merge them"]),
    "bidi-in-locality-name": (["North\\u202eWest", "South"], [
        "s.toml: 'North<U+202E>West' hold control or invisible direction characters; delete "
        "them: they can hide or reorder text where it is shown"]),
    "empty-name": (["", "South"], [
        "s.toml: a locality has an empty name; give every locality a name"]),
}  # fmt: skip


@pytest.mark.parametrize("name", list(SCHEME_CASES))
def test_toml_scheme_names_are_checked(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    localities, expected = SCHEME_CASES[name]
    path = write(tmp_path, "s.toml", _toml(localities))
    with pytest.raises((SchemeError, InputError)) as info:
        load_scheme(path)
    exc = info.value
    got = _errors(exc) if isinstance(exc, SchemeError) and exc.report.errors else [exc.one_line()]
    assert got == expected


def test_cp1252_csv_lookup_is_read(tmp_path):
    rows = ["ward_name,locality"] + [
        f"{n},{'Nord-Est café' if i % 2 else 'Sud'}" for i, n in enumerate(NAMES)
    ]
    path = write(tmp_path, "lookup.csv", "\r\n".join(rows) + "\r\n", encoding="cp1252")
    scheme = load_scheme(path)
    assert {k: len(v) for k, v in scheme.localities.items()} == {"Sud": 14, "Nord-Est café": 14}


def test_utf16_semicolon_lookup_is_read(tmp_path):
    rows = ["ward_code;locality"] + [f"{c};{'A' if i < 10 else 'B'}" for i, c in enumerate(CODES)]
    path = write(tmp_path, "lookup.csv", "\ufeff" + "\n".join(rows) + "\n", encoding="utf-16-le")
    assert {k: len(v) for k, v in load_scheme(path).localities.items()} == {"A": 10, "B": 18}


def test_short_rows_in_a_lookup_are_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = ["locality,ward_code"] + [f"A,{c}" for c in CODES[:27]] + ["B"]
    path = write(tmp_path, "lookup.csv", "\n".join(rows) + "\n")
    with pytest.raises(SchemeError) as info:
        load_scheme(path)
    assert _errors(info.value) == [
        "lookup.csv:29: row names locality 'B' but no ward; give the ward's code or name, or "
        "delete the row"
    ]


def test_reserved_name_in_a_lookup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = ["ward_code,locality"] + [
        f"{c},{'Unassigned' if i else 'A'}" for i, c in enumerate(CODES)
    ]
    with pytest.raises(SchemeError) as info:
        load_scheme(write(tmp_path, "lookup.csv", "\n".join(rows) + "\n"))
    assert _errors(info.value) == [
        "lookup.csv: locality name 'Unassigned' is reserved for the rollup's own 'Unassigned' "
        "row; rename the locality (e.g. 'Other wards' or 'Whole borough')"
    ]


def test_control_characters_in_a_lookup_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    hidden = "No\x1b[8mrth"
    rows = ["ward_code,locality"] + [f"{c},{'North' if i else hidden}" for i, c in enumerate(CODES)]
    with pytest.raises(SchemeError) as info:
        load_scheme(write(tmp_path, "lookup.csv", "\n".join(rows) + "\n"))
    assert _errors(info.value) == [
        "lookup.csv:2: column 2 holds control or invisible direction characters (U+001B); "
        "delete them: they can hide or reorder the name where it is shown"
    ]


def test_toml_scheme_in_windows_encoding_names_the_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = 'name = "Localities"\n# café\n' + _toml(["A", "B"])
    with pytest.raises(InputError) as info:
        load_scheme(write(tmp_path, "s.toml", text, encoding="cp1252"))
    assert info.value.one_line() == (
        "s.toml:2: not UTF-8 text (byte 0xe9); save the scheme as UTF-8 (in Notepad: Save as, "
        "Encoding UTF-8)"
    )


CATALOGUE_HEAD = "id,label,domain,unit,denominator,description,headline\n"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("a,Referrals,,,,,\nb,referrals ,,,,,\n",
         "indicators 'a' and 'b' have the same label 'referrals'; give each indicator its own "
         "label: tables, workbooks and reports show indicators by label"),
        ("a,Referrals,,,,,\nA,Assessments,,,,,\n",
         "indicators 'a' and 'A' have the same id 'A'; give each indicator its own id"),
        ("a,,,,,,\n", "an entry has no id or no label (data row 1); give every indicator an id "
         "and a label"),
    ],
)  # fmt: skip
def test_catalogue_refuses_entries_that_would_collapse(tmp_path, monkeypatch, rows, expected):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as info:
        load_catalogue(write(tmp_path, "cat.csv", CATALOGUE_HEAD + rows))
    assert info.value.one_line().startswith("cat.csv: ") and expected in info.value.one_line()


def test_catalogue_labels_lose_control_characters(tmp_path):
    cat = load_catalogue(
        write(tmp_path, "cat.csv", CATALOGUE_HEAD + "a,Refer\u202erals\x07,,,,,\n")
    )
    assert [i.label for i in cat] == ["Referrals"]


REGISTER_HEAD = "ward_code,ward_name,lad_code,lad_name,vintage\n"


def test_register_in_windows_encoding_with_crafted_names(tmp_path):
    from localitymap.inputs.wards import load_register

    text = REGISTER_HEAD + (
        "E05000001,Saint-Étienne\u00a0Ward,E09000099,Testshire\x1b[2J,WD23\n"
        "E05000002,Beta & Gamma,E09000099,Testshire\x1b[2J,WD23\n"
    )
    reg = load_register(write(tmp_path, "reg.csv", text.replace("\u00a0", " "), encoding="cp1252"))
    assert reg.names == ("Saint-Étienne Ward", "Beta & Gamma") and reg.lad_name == "Testshire"


def test_register_with_a_short_row_names_it(tmp_path, monkeypatch):
    from localitymap.errors import InvalidInput
    from localitymap.inputs.wards import load_register

    monkeypatch.chdir(tmp_path)
    text = REGISTER_HEAD + "E05000001,Alpha,E09000099,Testshire,WD23\nE05000002\n"
    with pytest.raises(InvalidInput) as info:
        load_register(write(tmp_path, "reg.csv", text))
    assert [p.one_line() for p in info.value.report.errors] == [
        "reg.csv:3: row has no ward code or no ward name; give every ward its code and name"
    ]
