"""The shipped DfE workforce extract: rebuilt from its source, and the published facts."""

from __future__ import annotations

import csv
import importlib.util

import pytest

from localitymap.errors import InputError
from localitymap.inputs.workforce import caseload, latest, read_workforce, workforce_path
from tests.conftest import REPO

FACTS = {  # (area code, year): (case-holding FTE, cases, cases per FTE), as published
    ("E09000008", "2025"): ("180.6", "3448", "19.1"),
    ("E92000001", "2025"): ("21105.4", "321661", "15.2"),
}
CASELOADS = {("E09000008", "2024"): 16.0, ("E09000008", "2023"): 17.6}


def test_extract_holds_the_published_facts():
    rows = read_workforce()
    for (code, year), expected in FACTS.items():
        hit = [r for r in rows if r["area_code"] == code and r["year"] == year]
        assert len(hit) == 1
        got = (hit[0]["case_holders_fte"], hit[0]["cases"], hit[0]["caseload_fte"])
        assert got == expected
    for (code, year), per in CASELOADS.items():
        hit = [r for r in rows if r["area_code"] == code and r["year"] == year]
        assert float(hit[0]["caseload_fte"]) == per
    assert {r["level"] for r in rows} == {"national", "local authority"}
    years = {r["year"] for r in rows}
    assert years == {str(y) for y in range(2017, 2026)}
    assert (
        len({r["area_code"] for r in rows if r["year"] == "2025"}) == 152
    )  # 151 authorities + England


def test_source_holds_the_published_facts(shared_real):
    with (shared_real / "benchmarks/csww_indicators_2017_to_2025.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    croydon = {r["time_period"]: r for r in rows if r["new_la_code"] == "E09000008"}
    assert (croydon["2025"]["case_holders_fte"], croydon["2025"]["cases"]) == ("180.6", "3448")
    assert float(croydon["2025"]["caseload_fte"]) == 19.1
    assert float(croydon["2024"]["caseload_fte"]) == 16.0
    assert float(croydon["2023"]["caseload_fte"]) == 17.6
    england = [
        r for r in rows if r["geographic_level"] == "National" and r["time_period"] == "2025"
    ]
    assert float(england[0]["caseload_fte"]) == 15.2


def test_extract_rebuilds_byte_for_byte_from_its_source(shared_real, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_workforce_extract", REPO / "scripts" / "build_workforce_extract.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    out = build.build(shared=shared_real.parent, root=tmp_path)
    assert out.read_bytes() == workforce_path().read_bytes()


def test_markers_are_never_read_as_zero():
    rows = read_workforce()
    marked = {(r["area_name"], r["year"]): r["caseload_fte"] for r in rows
              if r["caseload_fte"] in ("x", "u")}  # fmt: skip
    assert marked[("Kensington and Chelsea", "2025")] == "x"
    assert marked[("Birmingham", "2024")] == "u"
    # Kensington and Chelsea published no 2025 figure: the latest is 2024's, not a zero for 2025.
    latest_kc = latest("E09000020")
    assert latest_kc.year == 2024 and latest_kc.per_fte > 0


def test_caseload_parses_numbers_and_names():
    assert caseload("19.1").per_fte == 19.1 and caseload("19.1").year is None
    eng = caseload("England")
    assert (eng.per_fte, eng.year, eng.cases, eng.fte) == (15.2, 2025, 321_661, 21_105.4)
    croydon = caseload("authority", lad_code="E09000008")
    assert (croydon.per_fte, croydon.year, croydon.area_name) == (19.1, 2025, "Croydon")
    assert "Croydon, 2025" in croydon.describe() and "DfE" in croydon.describe()
    for bad in ("0", "-3", "lots"):
        with pytest.raises(InputError):
            caseload(bad)
    with pytest.raises(InputError, match="no published caseload"):
        caseload("authority", lad_code="E09999999")
