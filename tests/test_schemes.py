from __future__ import annotations

import pytest

from localitymap.errors import InputError, SchemeError
from localitymap.inputs.schemes import check_scheme, list_schemes, load_scheme

ICN6 = {
    "North West": ["Bensham Manor", "Norbury Park", "Norbury & Pollards Hill", "West Thornton"],
    "North East": ["Crystal Palace & Upper Norwood", "South Norwood", "Thornton Heath", "Woodside"],
    "Central West": [
        "Addiscombe West", "Broad Green", "Fairfield", "Selhurst", "South Croydon", "Waddon",
    ],
    "Central East": ["Addiscombe East", "Park Hill & Whitgift", "Shirley North", "Shirley South"],
    "South West": [
        "Coulsdon Town", "Kenley", "Old Coulsdon", "Purley & Woodcote",
        "Purley Oaks & Riddlesdown", "Sanderstead",
    ],
    "South East": [
        "New Addington North", "New Addington South", "Selsdon & Addington Village",
        "Selsdon Vale & Forestdale",
    ],
}  # fmt: skip


def test_icn6_matches_the_published_localities(register):
    scheme = load_scheme("icn6", register)
    assert list(scheme.localities) == list(ICN6)
    for loc, names in ICN6.items():
        assert sorted(register.name_of(c) for c in scheme.localities[loc]) == sorted(names)
    assert not check_scheme(scheme, register).problems


def test_icn6_records_which_lists_are_published(register):
    notes = load_scheme("icn6", register).locality_notes
    assert notes["Central West"].startswith("Published")
    assert notes["North East"].startswith("Assigned by geography")


def test_areas3_is_a_grouping_of_icn6(register):
    icn6, areas3 = load_scheme("icn6", register), load_scheme("areas3", register)
    assert areas3.based_on == "icn6"
    assert list(areas3.localities) == ["North", "Central", "South"]
    assert set(areas3.localities["North"]) == set(icn6.localities["North West"]) | set(
        icn6.localities["North East"]
    )
    assert sum(len(v) for v in areas3.localities.values()) == 28
    assert not check_scheme(areas3, register).problems


def test_list_schemes_describes_bundled_schemes():
    rows = {r["id"]: r for r in list_schemes()}
    assert rows["icn6"]["localities"] == 6 and rows["icn6"]["wards"] == 28
    assert rows["areas3"]["based_on"] == "icn6"


def test_scheme_by_names_in_a_list(write, register):
    path = write(
        "two.toml",
        'id = "two"\n[localities.A]\nwards = ["Fairfield", "broad green"]\n'
        '[localities.B]\nwards = ["E05011487"]\n',
    )
    scheme = load_scheme(path, register)
    assert scheme.localities == {"A": ("E05011468", "E05011465"), "B": ("E05011487",)}
    report = check_scheme(scheme, register)
    assert len(report.errors) == 25  # the other 25 wards are in no locality
    assert all("is in no locality" in p.message for p in report.errors)


def test_unknown_wards_are_all_reported_with_suggestions(write, register):
    path = write(
        "bad.toml",
        '[localities.A]\nwards = ["Fairfeld", "E05000001"]\n[localities.B]\nwards = ["Wadon"]\n',
    )
    with pytest.raises(SchemeError) as info:
        load_scheme(path, register)
    problems = info.value.report.errors
    assert len(problems) == 3
    assert "did you mean 'Fairfield'" in problems[0].hint
    assert "another authority" in problems[1].hint
    assert "did you mean 'Waddon'" in problems[2].hint


def test_name_beside_code_is_checked(write, register):
    path = write("n.toml", '[localities.A.wards]\nE05011468 = "Broad Green"\n')
    scheme = load_scheme(path, register)  # a wrong name is a warning, the code wins
    assert scheme.localities["A"] == ("E05011468",)


def test_ward_in_two_localities_is_named(write, register):
    path = write(
        "d.toml", '[localities.A]\nwards = ["Fairfield"]\n[localities.B]\nwards = ["Fairfield"]\n'
    )
    report = check_scheme(load_scheme(path, register), register)
    two = [p for p in report.errors if "two localities" in p.message]
    assert len(two) == 1 and "Fairfield (E05011468)" in two[0].message


def test_grouping_errors_are_collected(tmp_path, register):
    (tmp_path / "base.toml").write_text(
        '[localities.X]\nwards = ["Fairfield"]\n[localities.Y]\nwards = ["Waddon"]\n'
        '[localities.Z]\nwards = ["Kenley"]\n'
    )
    (tmp_path / "grp.toml").write_text(
        'based_on = "base"\n[localities.P]\ngroups = ["X", "W"]\n[localities.Q]\ngroups = ["X"]\n'
    )
    with pytest.raises(SchemeError) as info:
        load_scheme(tmp_path / "grp.toml", register)
    messages = [p.message for p in info.value.report.errors]
    assert any("has no locality 'W'" in m for m in messages)
    assert any("'X' of base is used by both 'P' and 'Q'" in m for m in messages)
    assert any("'Y' of base is in no group" in m for m in messages)
    assert any("'Z' of base is in no group" in m for m in messages)


def test_loop_of_based_on_is_refused(tmp_path, register):
    (tmp_path / "a.toml").write_text('id = "a"\nbased_on = "b"\n[localities.P]\ngroups = ["Q"]\n')
    (tmp_path / "b.toml").write_text('id = "b"\nbased_on = "a"\n[localities.Q]\ngroups = ["P"]\n')
    with pytest.raises(InputError, match="loop"):
        load_scheme(tmp_path / "a.toml", register)


def test_csv_lookup_scheme(write, register):
    path = write(
        "lookup.csv",
        "\ufeffWard name,Locality\nFairfield,Town\nWaddon,Town\nKenley,Hills\n\n",
    )
    scheme = load_scheme(path, register)
    assert scheme.id == "lookup"
    assert scheme.localities == {"Town": ("E05011468", "E05011487"), "Hills": ("E05011469",)}


def test_csv_scheme_needs_its_columns(write, register):
    with pytest.raises(InputError, match="needs a ward column and a locality column"):
        load_scheme(write("x.csv", "a,b\n1,2\n"), register)


def test_unknown_scheme_id_lists_bundled_ones():
    with pytest.raises(InputError) as info:
        load_scheme("icn7")
    assert "areas3, icn6" in (info.value.hint or "")


def test_invalid_toml_names_the_file(write):
    with pytest.raises(InputError, match=r"bad\.toml: not a valid TOML"):
        load_scheme(write("bad.toml", "[localities\n"))


def test_to_frame_lists_wards_with_names(register):
    frame = load_scheme("icn6", register).to_frame(register)
    assert list(frame.columns) == ["locality", "ward_code", "ward_name"]
    assert len(frame) == 28 and frame["ward_code"].is_unique
