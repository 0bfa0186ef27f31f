"""Rebuild the real (not illustrative) reference tables shipped in data/.

Run from the repository root with ../shared beside it:

    .venv/bin/python scripts/build_reference_data.py

Writes
- data/wards/croydon_wards_2019.csv: the ward register (code, name, authority, vintage) read from
  the bundled ONS boundary file, so that commands which need no geometry never load it.
- data/wards/croydon_wards_2019_bng.geojson: the same boundaries reprojected to British National
  Grid (EPSG:27700, to the centimetre), so that maps need no reprojection at start-up.
- data/population/croydon_ward_population_mye2019.csv: ONS mid-2019 population by broad age band,
  summed from 2011 LSOAs to the 2018 wards (split LSOAs apportioned by the GLA's weights, rounded
  only at ward level), as the source README prescribes.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
BANDS = [
    "persons_all_ages",
    "persons_0_15",
    "persons_16_29",
    "persons_30_44",
    "persons_45_64",
    "persons_65_plus",
]
LAD_CODE, LAD_NAME, VINTAGE = "E09000008", "Croydon", "WD19"


def build_register() -> dict[str, str]:
    """Write the ward register; return code -> name."""
    geo = json.loads((ROOT / "data/wards/croydon_wards_2019.geojson").read_text("utf-8"))
    wards = sorted(
        (f["properties"]["ward_code"], f["properties"]["ward_name"]) for f in geo["features"]
    )
    out = ROOT / "data/wards/croydon_wards_2019.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ward_code", "ward_name", "lad_code", "lad_name", "vintage"])
        for code, name in wards:
            w.writerow([code, name, LAD_CODE, LAD_NAME, VINTAGE])
    return dict(wards)


def build_population(names: dict[str, str]) -> None:
    """Sum LSOA broad-age populations to wards, apportioning the five split LSOAs."""
    src = SHARED / "real/croydon_lsoa11_mye2019_broad_age.csv"
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(BANDS, 0.0))
    with src.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assignment = row["ward_assignment"]
            if assignment.startswith("split:"):
                parts = [p.split("=") for p in assignment.removeprefix("split:").split(";")]
                shares = {ward: float(share) for ward, share in parts}
            else:
                shares = {assignment: 1.0}
            for ward, share in shares.items():
                for band in BANDS:
                    totals[ward][band] += share * int(row[band])
    unknown = set(totals) - set(names)
    if unknown:
        raise SystemExit(f"population file names wards not in the register: {sorted(unknown)}")
    out = ROOT / "data/population/croydon_ward_population_mye2019.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write(
            "# Source: Office for National Statistics, mid-2019 small-area (LSOA 2011) population "
            "estimates, persons by broad age band; licensed under the Open Government Licence v3.0.\n"
            "# LSOA to ward: Greater London Authority best-fit lookup (split LSOAs by 2019 "
            "population weight), Open Government Licence. Real data, summed to 2018 wards and "
            "rounded at ward level.\n"
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ward_code", "ward_name", *BANDS])
        for code in sorted(names):
            w.writerow([code, names[code], *(round(totals[code][b]) for b in BANDS)])


def build_bng_copy() -> None:
    """The bundled boundaries in EPSG:27700; reprojecting at run time costs ~0.07 s of PROJ set-up."""
    import geopandas as gpd

    wards = gpd.read_file(ROOT / "data/wards/croydon_wards_2019.geojson").to_crs(27700)
    out = ROOT / "data/wards/croydon_wards_2019_bng.geojson"
    out.unlink(missing_ok=True)
    wards.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=2, WRITE_NAME="NO")


if __name__ == "__main__":
    build_population(build_register())
    build_bng_copy()
