"""Download ward boundaries for one local authority from the ONS Open Geography Portal.

The portal publishes each ward vintage as an ArcGIS feature service, e.g.
``.../Wards_December_2024_Boundaries_UK_BGC/FeatureServer/0``, with fields ``WD24CD, WD24NM,
LAD24CD, LAD24NM``. A query returns at most ``maxRecordCount`` features (2,000 for ONS), so we ask
for the count first, then page with ``resultOffset`` in a stable order until the service stops
saying ``exceededTransferLimit``, and check we got exactly the count.

Only the standard library speaks HTTP here, so the command adds no dependency.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from localitymap import __version__
from localitymap.errors import InputError, LocalityMapError

if TYPE_CHECKING:
    import geopandas as gpd

ONS_SERVICES = "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services"
PAGE_SIZE = 2000
LAD_CODE = re.compile(r"^[EWSN]\d{8}$")


class FetchError(LocalityMapError):
    """The boundary service could not be reached or gave no usable answer."""


@dataclass
class FetchedWards:
    """Ward polygons (EPSG:4326 as served) and where they came from."""

    frame: gpd.GeoDataFrame
    lad_code: str
    lad_name: str
    vintage: str
    url: str
    fetched_at: str
    pages: int

    @property
    def attribution(self) -> str:
        year = self.vintage[2:4]
        return (
            f"Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
            f"Contains OS data © Crown copyright and database right 20{year}."
        )


def service_name(year: int) -> str:
    """The ONS ward service for December of ``year`` (generalised, clipped: BGC)."""
    return f"Wards_December_{year}_Boundaries_UK_BGC"


def _get_json(url: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
    full = f"{url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(full, headers={"User-Agent": f"localitymap/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"the ONS boundary service answered HTTP {exc.code} ({exc.reason})",
            hint="try again later, or check --year / --service",
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(
            f"cannot reach the ONS boundary service ({reason})",
            hint="check the network or proxy, or download the boundaries and pass them with --wards",
        ) from None
    try:
        doc = json.loads(body)
    except ValueError:
        raise FetchError("the ONS boundary service did not answer with JSON") from None
    if isinstance(doc, dict) and "error" in doc:
        err = doc["error"] or {}
        details = "; ".join(map(str, err.get("details") or []))
        raise FetchError(
            f"the ONS boundary service refused the query: {err.get('message', 'unknown error')}"
            + (f" ({details})" if details else ""),
            hint="the ward vintage may not exist under that name: check --year, or give --service",
        )
    return doc  # type: ignore[no-any-return]


def fetch_wards(
    lad: str,
    year: int = 2024,
    *,
    service: str | None = None,
    base_url: str = ONS_SERVICES,
    page_size: int = PAGE_SIZE,
    timeout: float = 60.0,
) -> FetchedWards:
    """All wards of one local authority for one vintage, paged past the record limit.

    ``service`` overrides the service name (or gives a whole layer URL ending in ``/0``).
    """
    import geopandas as gpd

    lad = lad.strip().upper()
    if not LAD_CODE.match(lad):
        raise InputError(
            f"{lad!r} is not a local authority code", hint="e.g. E09000008 for Croydon"
        )
    yy = f"{year % 100:02d}"
    fields = {
        "code": f"WD{yy}CD",
        "name": f"WD{yy}NM",
        "lad": f"LAD{yy}CD",
        "lad_name": f"LAD{yy}NM",
    }
    if service and service.startswith(("http://", "https://")):
        layer = service.rstrip("/")
    else:
        layer = f"{base_url.rstrip('/')}/{service or service_name(year)}/FeatureServer/0"
    url = f"{layer}/query"
    where = f"{fields['lad']}='{lad}'"
    count = _get_json(url, {"where": where, "returnCountOnly": "true", "f": "json"}, timeout).get(
        "count"
    )
    if not isinstance(count, int):
        raise FetchError("the ONS boundary service did not say how many wards match")
    if count == 0:
        raise FetchError(
            f"no wards of {lad} in the {year} ward boundaries",
            hint="check the authority code; authorities created after that year are not in it",
        )
    features: list[dict[str, Any]] = []
    pages = 0
    while True:
        params = {
            "where": where,
            "outFields": ",".join(fields.values()),
            "orderByFields": fields["code"],
            "returnGeometry": "true",
            "outSR": "4326",
            "f": "geojson",
            "resultOffset": str(len(features)),
            "resultRecordCount": str(page_size),
        }
        doc = _get_json(url, params, timeout)
        page = doc.get("features") or []
        pages += 1
        more = bool(
            doc.get("exceededTransferLimit")
            or (doc.get("properties") or {}).get("exceededTransferLimit")
        )
        if more and not page:
            raise FetchError("the ONS boundary service said there was more but sent nothing")
        features.extend(page)
        if not more or len(features) >= count:
            break
    if len(features) != count:
        raise FetchError(
            f"the ONS boundary service reported {count} wards but sent {len(features)}"
        )
    frame = gpd.GeoDataFrame.from_features(features, crs="EPSG:4326")
    missing = [f for f in fields.values() if f not in frame.columns]
    if missing:
        raise FetchError(f"the answer lacks the fields {missing}", hint="check --year or --service")
    if frame[fields["code"]].duplicated().any():
        raise FetchError("the ONS boundary service sent a ward twice (paging was not stable)")
    frame = frame.rename(
        columns={fields["code"]: "ward_code", fields["name"]: "ward_name",
                 fields["lad"]: "lad_code", fields["lad_name"]: "lad_name"}
    )  # fmt: skip
    vintage = f"WD{yy}"
    frame["vintage"] = vintage
    frame = frame[["ward_code", "ward_name", "lad_code", "lad_name", "vintage", "geometry"]]
    return FetchedWards(
        frame=frame.sort_values("ward_code").reset_index(drop=True),
        lad_code=lad,
        lad_name=str(frame["lad_name"].iloc[0]),
        vintage=vintage,
        url=layer,
        fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        pages=pages,
    )


def save_fetched(fetched: FetchedWards, folder: Path, *, force: bool = False) -> tuple[Path, Path]:
    """Write ``<lad>_wards_<vintage>.gpkg`` (EPSG:27700, with an ``about`` table) and the matching
    ward register CSV; return both paths."""
    from localitymap.outputs import write_atomic, write_gpkg

    stem = f"{fetched.lad_code.lower()}_wards_{fetched.vintage.lower()}"
    gpkg, register = folder / f"{stem}.gpkg", folder / f"{stem}.csv"
    meta = {
        "source": fetched.url,
        "vintage": fetched.vintage,
        "authority": f"{fetched.lad_name} ({fetched.lad_code})",
        "fetched_at": fetched.fetched_at,
        "wards": str(len(fetched.frame)),
        "attribution": fetched.attribution,
        "tool": f"localitymap {__version__}",
    }
    write_gpkg(gpkg, {"wards": fetched.frame.to_crs(27700)}, meta, force=force)
    table = fetched.frame.drop(columns="geometry")
    write_atomic(register, table.to_csv(index=False, lineterminator="\n"), force=force)
    return gpkg, register
