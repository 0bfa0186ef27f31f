"""`wards fetch` against a local HTTP server that answers like the ONS ArcGIS feature service:
a count query, then GeoJSON pages flagged with exceededTransferLimit, and its error bodies."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.inputs.fetch import FetchError, fetch_wards, save_fetched, service_name
from localitymap.model.geo import load_boundaries
from localitymap.paths import data_dir

SERVICE = service_name(2024)


def _croydon_features() -> list[dict]:
    """The bundled Croydon wards, renamed to the fields a WD24 ONS service carries."""
    doc = json.loads((data_dir() / "wards/croydon_wards_2019.geojson").read_text())
    out = []
    for i, f in enumerate(doc["features"], start=1):
        props = {"WD24CD": f["properties"]["ward_code"], "WD24NM": f["properties"]["ward_name"],
                 "LAD24CD": "E09000008", "LAD24NM": "Croydon"}  # fmt: skip
        out.append({"type": "Feature", "id": i, "geometry": f["geometry"], "properties": props})
    return out


class FakeONS(BaseHTTPRequestHandler):
    """Answers /<service>/FeatureServer/0/query as the ArcGIS REST API does (f=json / f=geojson)."""

    features: ClassVar[list[dict]] = _croydon_features()
    max_records = 10  # the real service allows 2,000; a small limit forces paging here
    mode = "ok"
    requests: ClassVar[list[dict]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).requests.append(q)
        if not url.path.endswith(f"/{SERVICE}/FeatureServer/0/query"):
            return self._send(
                200, {"error": {"code": 400, "message": "Invalid URL", "details": ["Invalid URL"]}}
            )
        if self.mode == "http500":
            return self._send(500, {"message": "Internal Server Error"})
        if self.mode == "error":
            return self._send(200, {"error": {"code": 400, "message": "Unable to complete operation.",
                                              "details": ["Invalid query parameters."]}})  # fmt: skip
        lad = q["where"].split("'")[1]
        rows = [f for f in self.features if f["properties"]["LAD24CD"] == lad]
        if q.get("returnCountOnly") == "true":
            return self._send(200, {"count": len(rows)})
        rows.sort(key=lambda f: f["properties"][q["orderByFields"]])
        offset, limit = int(q["resultOffset"]), min(int(q["resultRecordCount"]), self.max_records)
        page = rows[offset : offset + limit]
        more = offset + limit < len(rows)
        if self.mode == "empty_more":
            page, more = [], True
        body = {"type": "FeatureCollection", "features": page}
        if more:
            body["properties"] = {"exceededTransferLimit": True}
        return self._send(200, body)


@pytest.fixture
def ons():
    FakeONS.mode, FakeONS.requests = "ok", []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeONS)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/arcgis/rest/services"
    server.shutdown()
    server.server_close()


def test_fetch_pages_past_the_record_limit(ons):
    fetched = fetch_wards("E09000008", 2024, base_url=ons)
    assert fetched.pages == 3  # 10 + 10 + 8
    assert len(fetched.frame) == 28 and fetched.frame["ward_code"].is_unique
    assert (fetched.lad_name, fetched.vintage) == ("Croydon", "WD24")
    queries = [q for q in FakeONS.requests if "resultOffset" in q]
    assert [q["resultOffset"] for q in queries] == ["0", "10", "20"]
    assert all(
        q["outSR"] == "4326" and q["f"] == "geojson" and q["orderByFields"] == "WD24CD"
        for q in queries
    )
    assert queries[0]["where"] == "LAD24CD='E09000008'"


def test_fetched_files_work_as_boundaries_and_register(ons, tmp_path):
    fetched = fetch_wards("E09000008", 2024, base_url=ons)
    gpkg, register = save_fetched(fetched, tmp_path)
    assert gpkg.name == "e09000008_wards_wd24.gpkg" and register.name == "e09000008_wards_wd24.csv"
    b = load_boundaries(gpkg)
    assert (
        len(b.frame) == 28 and b.register.vintage == "WD24" and b.register.lad_code == "E09000008"
    )
    assert b.attribution.startswith("Source: Office for National Statistics")
    assert b.frame.geometry.area.sum() / 1e6 == pytest.approx(86.53, abs=0.02)
    assert register.read_text().splitlines()[0] == "ward_code,ward_name,lad_code,lad_name,vintage"
    with pytest.raises(Exception, match="already exists"):
        save_fetched(fetched, tmp_path)


def test_unknown_authority_and_service_errors(ons):
    with pytest.raises(FetchError, match="no wards of E09000099"):
        fetch_wards("E09000099", 2024, base_url=ons)
    with pytest.raises(FetchError, match="refused the query: Invalid URL") as info:
        fetch_wards("E09000008", 2019, base_url=ons)  # a service name that does not exist
    assert "--year" in info.value.hint
    FakeONS.mode = "error"
    with pytest.raises(FetchError, match="Invalid query parameters"):
        fetch_wards("E09000008", 2024, base_url=ons)
    FakeONS.mode = "http500"
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch_wards("E09000008", 2024, base_url=ons)
    FakeONS.mode = "empty_more"
    with pytest.raises(FetchError, match="said there was more but sent nothing"):
        fetch_wards("E09000008", 2024, base_url=ons)


def test_unreachable_service_is_one_clear_line():
    with pytest.raises(FetchError, match="cannot reach the ONS boundary service") as info:
        fetch_wards(
            "E09000008", 2024, base_url="http://127.0.0.1:9/arcgis/rest/services", timeout=2
        )
    assert "--wards" in info.value.hint


def test_bad_authority_code_is_refused_before_any_request():
    with pytest.raises(Exception, match="not a local authority code"):
        fetch_wards("Croydon")


def test_wards_fetch_cli(ons, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["wards", "fetch", "--lad", "E09000008", "--out-dir", str(tmp_path)],
        env={"LOCALITYMAP_ONS_URL": ons},
    )
    assert result.exit_code == 0, result.stderr
    assert "fetched 28 wards of Croydon (E09000008), WD24, in 3 page(s)" in result.stderr
    gpkg = tmp_path / "e09000008_wards_wd24.gpkg"
    assert result.stdout.splitlines()[0] == str(gpkg)
    rolled = runner.invoke(app, ["rollup", "-s", "icn6", "--wards", str(gpkg), "-f", "json"])
    assert rolled.exit_code == 0, rolled.stderr
    assert (
        json.loads(rolled.stdout)["meta"]["boundaries"]
        == "Croydon wards, December 2024 boundaries (28 wards)"
    )
    offline = runner.invoke(
        app, ["wards", "fetch", "--lad", "E09000008", "--out-dir", str(tmp_path)],
        env={"LOCALITYMAP_ONS_URL": "http://127.0.0.1:9/x"},
    )  # fmt: skip
    assert offline.exit_code == 1 and "Traceback" not in offline.stderr
    assert offline.stderr.startswith("error: cannot reach the ONS boundary service")
    assert gpd.read_file(gpkg, layer="wards").crs.to_epsg() == 27700
