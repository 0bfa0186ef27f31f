"""Manifests beside outputs, `verify`, and byte-identical outputs for identical inputs."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.paths import data_dir
from localitymap.publication.manifest import manifest_path, sha256, verify

runner = CliRunner()


@pytest.fixture
def copied_data(tmp_path):
    """A user's own copy of the 2019 data, so a test can change an input."""
    src = data_dir() / "indicators/2019-02/croydon_indicators_2019-02.csv"
    dst = tmp_path / "counts.csv"
    shutil.copy(src, dst)
    return dst


def test_rollup_writes_a_manifest_with_every_input(tmp_path, copied_data):
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["rollup", "-s", "areas3", "-d", str(copied_data), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(manifest_path(out).read_text())
    roles = {i["role"]: i for i in doc["inputs"]}
    assert set(roles) == {"data", "scheme", "ward register", "catalogue"}
    assert roles["data"]["path"] == "counts.csv" and roles["data"]["sha256"] == sha256(copied_data)
    assert sum(i["role"] == "scheme" for i in doc["inputs"]) == 2  # areas3 and the icn6 it groups
    assert doc["output"] == {"path": "r.csv", "sha256": sha256(out)}
    assert doc["scheme"]["id"] == "areas3" and len(doc["scheme"]["sha256"]) == 64
    assert doc["periods"] == ["2019-02"] and doc["boundaries"].startswith(
        "Croydon wards, December 2019"
    )
    assert (
        doc["command"][1] == "rollup"
        and doc["command"][doc["command"].index("--scheme") + 1] == "areas3"
        and doc["illustrative_data"] is True
    )
    assert doc["created"].endswith("Z") and doc["disclosure_policy"] == "none"


def test_verify_says_current_then_not(tmp_path, copied_data):
    out = tmp_path / "r.json"
    assert (
        runner.invoke(
            app, ["rollup", "-s", "icn6", "-d", str(copied_data), "-o", str(out)]
        ).exit_code
        == 0
    )
    ok = runner.invoke(app, ["verify", str(manifest_path(out))])
    assert ok.exit_code == 0 and "current: r.json still matches its inputs" in ok.stdout
    copied_data.write_text(copied_data.read_text().replace("Fairfield,", "Fairfield,1", 1))
    stale = runner.invoke(app, ["verify", str(manifest_path(out))])
    assert stale.exit_code == 3
    assert "  changed  data" in stale.stdout and "not current" in stale.stdout
    out.unlink()
    gone = verify(manifest_path(out))
    assert not gone["current"] and gone["checks"][0] == {
        "role": "output",
        "path": "r.json",
        "status": "missing",
    }


def test_manifests_for_maps_geopackages_and_comparisons(tmp_path):
    png, gpkg, cmp = tmp_path / "m.png", tmp_path / "l.gpkg", tmp_path / "c.md"
    assert (
        runner.invoke(
            app, ["map", "-s", "icn6", "-i", "lac", "-o", str(png), "--dpi", "72"]
        ).exit_code
        == 0
    )
    assert {i["role"] for i in json.loads(manifest_path(png).read_text())["inputs"]} >= {
        "boundaries",
        "data",
    }
    assert runner.invoke(app, ["rollup", "-s", "icn6", "-o", str(gpkg)]).exit_code == 0
    assert verify(manifest_path(gpkg))["current"]
    assert (
        runner.invoke(
            app, ["compare", "2019-02", "2020-02", "-s", "icn6", "-o", str(cmp)]
        ).exit_code
        == 0
    )
    doc = json.loads(manifest_path(cmp).read_text())
    assert (
        doc["periods"] == ["2019-02", "2020-02"]
        and sum(i["role"] == "data" for i in doc["inputs"]) == 2
    )


def test_bad_manifest_is_a_clear_error(write):
    result = runner.invoke(app, ["verify", str(write("x.manifest.json", "{}"))])
    assert result.exit_code == 1 and "not a localitymap manifest" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_same_inputs_give_byte_identical_outputs(tmp_path, fmt):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    for out in (first, second):
        assert (
            runner.invoke(app, ["rollup", "-s", "icn6", "--rates", "-o", str(out)]).exit_code == 0
        )
    assert first.read_bytes() == second.read_bytes()
    assert runner.invoke(
        app, ["compare", "2019-02", "2020-02", "-s", "icn6", "-f", fmt]
    ).stdout == (
        runner.invoke(app, ["compare", "2019-02", "2020-02", "-s", "icn6", "-f", fmt]).stdout
    )


def test_composite_and_validate_outputs_get_manifests(tmp_path):
    comp, report = tmp_path / "c.csv", tmp_path / "v.csv"
    assert (
        runner.invoke(app, ["composite", "-s", "icn6", "-f", "csv", "-o", str(comp)]).exit_code == 0
    )
    roles = {i["role"] for i in json.loads(manifest_path(comp).read_text())["inputs"]}
    assert {"weights", "data", "scheme"} <= roles
    assert (
        runner.invoke(
            app, ["validate", "data/indicators/2019-02", "-f", "csv", "-o", str(report)]
        ).exit_code
        == 0
    )
    assert verify(manifest_path(report))["current"]
