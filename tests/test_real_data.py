"""Real, official Croydon figures from ../shared/data/real (skipped when absent): the shipped ward
population table is re-derived from its LSOA source, and real ward totals go through the reader
and the rollup."""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict

import pytest

from localitymap.inputs.indicators import read_indicators
from localitymap.model.rollup import TOTAL, rollup
from localitymap.paths import data_dir

from .conftest import REPO


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_population_table_matches_its_source(shared_real, tmp_path, monkeypatch):
    build = _load_script("build_reference_data")
    monkeypatch.setattr(build, "ROOT", tmp_path)
    monkeypatch.setattr(build, "SHARED", shared_real.parent)
    (tmp_path / "data" / "wards").mkdir(parents=True)
    (tmp_path / "data" / "population").mkdir(parents=True)
    (tmp_path / "data/wards/croydon_wards_2019.geojson").write_bytes(
        (data_dir() / "wards/croydon_wards_2019.geojson").read_bytes()
    )
    build.build_population(build.build_register())
    for rel in ("population/croydon_ward_population_mye2019.csv", "wards/croydon_wards_2019.csv"):
        assert (tmp_path / "data" / rel).read_text() == (data_dir() / rel).read_text(), rel


def test_shipped_population_totals_are_the_ons_figures():
    with (data_dir() / "population/croydon_ward_population_mye2019.csv").open() as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) == 28
    assert sum(int(r["persons_all_ages"]) for r in rows) == 386_710  # ONS mid-2019, Croydon
    assert sum(int(r["persons_0_15"]) for r in rows) == 85_672


@pytest.fixture(scope="module")
def idaci_long(shared_real, tmp_path_factory):
    """Ward totals of children 0-15 and income-deprived children (IoD2025), as a long CSV that
    names wards as the source does, plus the LSOA-level totals to reconcile with."""
    children: dict[str, int] = defaultdict(int)
    deprived: dict[str, float] = defaultdict(float)
    with (shared_real / "croydon_lsoa21_iod2025_idaci.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            children[r["ward_name"]] += int(r["children_0_15_mid2022"])
            deprived[r["ward_name"]] += float(r["idaci_score"]) * int(r["children_0_15_mid2022"])
    path = tmp_path_factory.mktemp("real") / "idaci.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Ward", "Indicator", "Value"])
        for ward in sorted(children):
            w.writerow([ward.upper(), "Children aged 0-15", children[ward]])
            w.writerow(
                [ward.replace("&", "and"), "Income-deprived children", round(deprived[ward])]
            )
    return path, sum(children.values()), {w: round(v) for w, v in deprived.items()}


def test_real_ward_figures_roll_up_and_reconcile(idaci_long):
    path, total_children, deprived = idaci_long
    data = read_indicators(path)
    assert len(data.wards()) == 28
    assert {i.id for i in data.indicators} == {"children_aged_0_15", "income_deprived_children"}
    t = rollup(data, "icn6")
    tot = t[t.locality == TOTAL].set_index("indicator")["count"]
    assert tot["children_aged_0_15"] == total_children == 80_164  # IoD2025 denominator, Croydon
    assert tot["income_deprived_children"] == sum(deprived.values())
    assert 33_000 < tot["income_deprived_children"] < 34_000  # "about 33,500" per the source README
    body = t[~t.is_total]
    assert body.groupby("indicator")["count"].sum().to_dict() == tot.to_dict()
