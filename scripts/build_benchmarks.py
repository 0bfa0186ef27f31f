"""Rebuild the authority benchmark extract shipped in data/benchmarks/ from DfE's LAIT data.

Run from the repository root with ../shared beside it:

    .venv/bin/python scripts/build_benchmarks.py

Reads ``../shared/data/real/benchmarks/`` (see its README) and writes
- data/benchmarks/measures.csv: the LAIT measures named in the catalogue's ``benchmark`` column,
  with the data dictionary's description, polarity, decimals, year type and quartile flag;
- data/benchmarks/values.csv: every area's published value of those measures (from 2015), as text
  rounded to the dictionary's decimals; suppression and availability markers (c, x, ..) kept;
- data/benchmarks/areas.csv: every LAIT area (authorities, regions, England) with its DfE LA
  number, GSS code (from the workforce file's codes) and region;
- data/benchmarks/neighbours.csv: the May 2025 statistical neighbours, ten per authority.
Deterministic: the same sources give byte-identical files (a test checks when ../shared is present).
"""

from __future__ import annotations

import csv
import gzip
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "real" / "benchmarks"
OUT = ROOT / "data" / "benchmarks"
FIRST_YEAR = 2015
DEFAULT_DPS = 1  # the dictionary's NA: LAIT shows one decimal place
FACTORS = "c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"
# Authorities created in 2021 and 2023, after the last year either DfE file names them with a code
# (ONS register of local authority codes).
LATER_CODES = {"940": "E06000061", "941": "E06000062", "942": "E06000063", "943": "E06000064"}
MARKERS = {"c", "x", "..", "z", "low", "u", "k"}


def catalogue_measures() -> list[str]:
    """LAIT measure codes named in the catalogue's ``benchmark`` column, in catalogue order."""
    with (ROOT / "data/indicators/catalogue.csv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return [r["benchmark"].strip() for r in rows if (r.get("benchmark") or "").strip()]


def dictionary(measures: list[str]) -> dict[str, dict[str, str]]:
    """The first data-dictionary row of each wanted measure (the dictionary repeats a few)."""
    out: dict[str, dict[str, str]] = {}
    with (SOURCE / "lait_data_dictionary.csv").open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            m = r["Measure_short"].strip()
            if m in measures and m not in out:
                out[m] = r
    missing = [m for m in measures if m not in out]
    if missing:
        raise SystemExit(f"not in the LAIT data dictionary: {', '.join(missing)}")
    return out


def decimals(text: str) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else DEFAULT_DPS


def rounded(text: str, dps: int) -> str:
    """``66.099999999999994`` -> ``66.1`` (half away from zero, as published); markers kept."""
    text = (text or "").strip()
    if not text or text.upper() == "NA":
        return ".."
    if text.lower() in MARKERS:
        return text.lower()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return ".."
    return str(value.quantize(Decimal(1).scaleb(-dps), rounding=ROUND_HALF_UP))


def polarity(text: str) -> str:
    """``High`` or ``Low`` (which end is good); ``-`` where neither (the dictionary's - or NA)."""
    text = (text or "").strip().capitalize()
    return text if text in ("High", "Low") else "-"


def start_year(label: str) -> int | None:
    digits = label.strip()[:4]
    return int(digits) if digits.isdigit() else None


def gss_codes() -> dict[str, str]:
    """DfE LA number -> GSS code, from the workforce file (its latest year for each authority)."""
    codes: dict[str, tuple[str, str]] = {}
    for name in ("csww_indicators_2017_to_2025.csv", FACTORS):
        with (SOURCE / name).open(encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
        for r in rows:
            level, key, year = r["geographic_level"], r["old_la_code"], r["time_period"]
            if level == "Local authority" and key.isdigit():
                if key not in codes or year > codes[key][0]:
                    codes[key] = (year, r["new_la_code"])
            elif level == "Regional" and r["region_name"]:
                codes[r["region_name"].lower()] = ("", r["region_code"])
            elif level == "National":
                codes["england"] = ("", r["country_code"])
    return {k: v[1] for k, v in codes.items()} | LATER_CODES


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main() -> None:
    measures = catalogue_measures()
    meta = dictionary(measures)
    OUT.mkdir(parents=True, exist_ok=True)
    write(
        OUT / "measures.csv",
        ["measure", "description", "polarity", "dps", "year_type", "no_quartile"],
        [
            [m, meta[m]["Measure"].strip(), polarity(meta[m]["Polarity"]),
             str(decimals(meta[m]["dps"])), meta[m]["Year_Type"].strip(),
             "yes" if meta[m]["No_Quartile"].strip() not in ("", "NA") else ""]
            for m in measures
        ],
    )  # fmt: skip

    values: list[list[str]] = []
    areas: dict[str, tuple[str, str]] = {}
    with gzip.open(SOURCE / "lait_bds_long_2025.csv.gz", "rt", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh):
            number = str(int(float(r["LA Number"])))
            region = (r["Region"] or "").strip()
            areas.setdefault(
                number, (r["LA and Regions"].strip(), "" if region == "NA" else region)
            )
            m = r["Short Desc"].strip()
            year = start_year(r["Years"])
            if m not in meta or year is None or year < FIRST_YEAR:
                continue
            values.append([m, r["Years"].strip(), number,
                           rounded(r["Values"], decimals(meta[m]["dps"]))])  # fmt: skip
    values.sort(key=lambda v: (measures.index(v[0]), v[1], int(v[2])))
    write(OUT / "values.csv", ["measure", "year", "la_number", "value"], values)

    codes = gss_codes()
    area_rows = []
    for number, (name, region) in sorted(areas.items(), key=lambda kv: int(kv[0])):
        if region:
            level, code = "local authority", codes.get(number, "")
        elif name == "England":
            level, code = "england", codes.get("england", "")
        else:
            level, code = "region", codes.get(name.lower(), "")
        area_rows.append([number, name, code, region, level])
    write(OUT / "areas.csv", ["la_number", "name", "gss_code", "region", "level"], area_rows)

    from openpyxl import load_workbook

    wb = load_workbook(SOURCE / "sn_may_2025.xlsx", read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header = [str(c).strip() if c is not None else "" for c in rows[2]]
    neighbours = []
    for row in rows[3:]:
        if row[0] is None:
            continue
        la = str(int(row[0]))
        for pos in range(1, 11):
            i = header.index(f"SN{pos}")
            neighbours.append([la, str(pos), str(int(row[i])), str(row[i + 1]).strip()])
    neighbours.sort(key=lambda r: (int(r[0]), int(r[1])))
    write(OUT / "neighbours.csv", ["la_number", "position", "neighbour", "closeness"], neighbours)
    print(f"wrote {len(measures)} measures, {len(values)} values, {len(area_rows)} areas, "
          f"{len(neighbours)} neighbour pairs to {OUT}")  # fmt: skip


if __name__ == "__main__":
    main()
