"""Build data/workforce/csww_caseloads_2017_2025.csv from the DfE children's social work
workforce series in ../shared/data/real/benchmarks/.

Run from the repository root with ../shared beside it:

    .venv/bin/python scripts/build_workforce_extract.py

Keeps, for England and every local authority, each reporting year's case-holding FTE, cases and
cases per case-holding FTE, exactly as published (the markers ``x``, not available, and ``u``, low
reliability, are kept as they are, never turned into zeros). Regions and the other workforce
measures are left out: the tool only needs caseloads.
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SOURCE = "real/benchmarks/csww_indicators_2017_to_2025.csv"
OUTPUT = "data/workforce/csww_caseloads_2017_2025.csv"
COLUMNS = ["year", "level", "area_code", "la_number", "area_name", "case_holders_fte", "cases",
           "caseload_fte"]  # fmt: skip
HEADER = [
    "# DfE Children's social work workforce, 2017-2025: caseloads (case-holding social workers) "
    "for England and every local authority.",
    "# Source: dfe-analytical-services/CSC_outcomes_and_enablers, data-raw/, commit 2f5d11a "
    "(csww_indicators_2017_to_2025.csv); built by scripts/build_workforce_extract.py.",
    "# Contains public sector information licensed under the Open Government Licence v3.0 "
    "(Department for Education).",
    "# Markers as published: x = not available, u = low reliability.",
]


def build(shared: Path = SHARED, root: Path = ROOT) -> Path:
    """Write the extract; return its path."""
    rows = []
    with (shared / SOURCE).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            level = r["geographic_level"]
            if level == "National":
                code, number, name = r["country_code"], "", r["country_name"]
            elif level == "Local authority":
                code, number, name = r["new_la_code"], r["old_la_code"], r["la_name"]
            else:
                continue
            rows.append([r["time_period"], level.lower(), code, number, name,
                         r["case_holders_fte"], r["cases"], r["caseload_fte"]])  # fmt: skip
    # England first, then authorities by code, newest year first: the order a reader scans.
    rows.sort(key=lambda r: (r[1] != "national", r[2], r[4], -int(r[0])))
    out = root / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write("\n".join(HEADER) + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return out


if __name__ == "__main__":
    print(f"wrote {build()}")
