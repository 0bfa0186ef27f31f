from __future__ import annotations

import pytest

from localitymap.errors import InputError, InvalidInput
from localitymap.inputs.wards import load_register, looks_like_gss_code, normalise_name


def test_bundled_register_is_croydons_28_wards(register):
    assert (register.lad_code, register.lad_name, register.vintage) == (
        "E09000008",
        "Croydon",
        "WD19",
    )
    assert len(register) == 28
    assert register.codes[0] == "E05011462" and register.codes[-1] == "E05011489"
    assert register.name_of("E05011468") == "Fairfield"


@pytest.mark.parametrize(
    "typed, code",
    [
        ("E05011472", "E05011472"),
        ("e05011472 ", "E05011472"),
        ("Norbury & Pollards Hill", "E05011472"),
        ("norbury and pollards hill", "E05011472"),
        ("NORBURY AND POLLARDS-HILL", "E05011472"),
        ("  Crystal Palace &Upper Norwood", "E05011467"),
        ("Selsdon Vale and Forestdale", "E05011481"),
        ("Fairfield.", "E05011468"),
        ("Fairfeld", None),
        ("Norbury", None),
    ],
)
def test_match_by_code_then_tolerant_name(register, typed, code):
    assert register.match(typed) == code


def test_normalise_name_folds_ampersand_punctuation_case_and_spaces():
    assert normalise_name(" Park Hill &  Whitgift ") == "park hill and whitgift"
    assert normalise_name("ward_code") == "ward code"


def test_closest_names_suggest_the_intended_ward(register):
    assert register.closest("Adiscombe West")[0] == "Addiscombe West"
    assert register.closest("Thornton Hth")[0] == "Thornton Heath"


def test_unknown_code_is_explained_as_another_authority(register):
    message, hint = register.unknown_ward_problem("E05000123")
    assert "not one of Croydon's 28 wards" in message
    assert "another authority" in hint and "E09000008" in hint


def test_unknown_name_hint_lists_closest(register):
    message, hint = register.unknown_ward_problem("Sandersted")
    assert message == "unknown ward 'Sandersted'"
    assert hint.startswith("did you mean 'Sanderstead'")
    assert "Selhurst" not in hint


@pytest.mark.parametrize(
    "label", ["Total", "GRAND TOTAL", "Croydon", "Croydon total", "E09000008", "All wards"]
)
def test_total_labels_are_recognised(register, label):
    assert register.is_total_label(label)


@pytest.mark.parametrize("label", ["Fairfield", "South Croydon", "Totals Ward"])
def test_wards_are_not_total_labels(register, label):
    assert not register.is_total_label(label)


def test_gss_code_shape():
    assert looks_like_gss_code("E05011462") and looks_like_gss_code("w05000001")
    assert not looks_like_gss_code("E0501146") and not looks_like_gss_code("Fairfield")


def test_register_with_duplicate_code_reports_row(write):
    path = write(
        "reg.csv",
        "ward_code,ward_name,lad_code,lad_name\nE1,A,X,Auth\nE2,B,X,Auth\nE1,C,X,Auth\n",
    )
    with pytest.raises(InvalidInput) as info:
        load_register(path)
    (problem,) = info.value.report.errors
    assert problem.row == 4 and "E1 is listed twice" in problem.message


def test_register_without_columns_says_what_it_needs(write):
    with pytest.raises(InputError, match="not a ward register") as info:
        load_register(write("reg.csv", "code,name\nE1,A\n"))
    assert "ward_code, ward_name, lad_code, lad_name" in (info.value.hint or "")


def test_register_for_another_authority_works(write):
    reg = load_register(
        write(
            "reg.csv",
            "ward_code,ward_name,lad_code,lad_name,vintage\n"
            "E05000001,Alpha,E09000099,Testshire,WD23\nE05000002,Beta & Gamma,E09000099,Testshire,WD23\n",
        )
    )
    assert reg.lad_name == "Testshire" and reg.match("beta and gamma") == "E05000002"
    assert reg.is_total_label("Testshire")
