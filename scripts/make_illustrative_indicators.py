"""Generate the ILLUSTRATIVE indicator snapshots shipped in data/indicators/ (2019-02, 2020-02).

The figures are invented. They are built so that the findings Croydon published from its February
2019 data-mapping exercise hold under the icn6 scheme (see LOCALITY_SHARES), and they are spread
across wards in proportion to the real ONS mid-2019 child population with seeded random variation,
so ward values look plausible for a borough of about 95,000 children. Nothing here is real demand
data. Run from the repository root:

    .venv/bin/python scripts/make_illustrative_indicators.py
"""

from __future__ import annotations

import csv
import random
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
ORDER = ["North West", "North East", "Central West", "Central East", "South West", "South East"]

# Borough total and locality shares (in ORDER) per indicator. The shares encode the published
# findings: Central West highest for every service indicator (28% of CP plans, 27% of LAC);
# South East second for early help, C&F assessments, EHC plans, exclusions and NEETs; North West
# second for CIN, LAC, children with disabilities and persistent absentees; domestic abuse highest
# in Central West and South East, then North East; adult mental health equal highest in North East
# and Central West; parental substance misuse highest in Central East, then Central West.
LOCALITY_SHARES: dict[str, tuple[int, tuple[float, ...]]] = {
    "early_help": (2150, (0.16, 0.15, 0.27, 0.12, 0.11, 0.19)),
    "cf_assessments": (980, (0.17, 0.16, 0.26, 0.12, 0.11, 0.18)),
    "cp_plans": (405, (0.16, 0.18, 0.28, 0.12, 0.11, 0.15)),
    "cin_plans": (1290, (0.19, 0.17, 0.26, 0.12, 0.10, 0.16)),
    "lac": (810, (0.19, 0.16, 0.27, 0.13, 0.10, 0.15)),
    "cwd": (640, (0.19, 0.17, 0.24, 0.13, 0.12, 0.15)),
    "ehc_plans": (2950, (0.17, 0.16, 0.23, 0.13, 0.12, 0.19)),
    "send_support": (8900, (0.18, 0.19, 0.24, 0.12, 0.11, 0.16)),
    "persistent_absentees": (5230, (0.19, 0.16, 0.25, 0.12, 0.11, 0.17)),
    "exclusions": (1120, (0.17, 0.15, 0.26, 0.12, 0.10, 0.20)),
    "neet": (410, (0.16, 0.15, 0.27, 0.11, 0.10, 0.21)),
    "domestic_abuse": (1640, (0.16, 0.18, 0.24, 0.11, 0.10, 0.21)),
    # 1,200 x 0.22 = 264 exactly, so the tie at the top is exact, not an accident of rounding.
    "adult_mental_health": (1200, (0.17, 0.22, 0.22, 0.13, 0.11, 0.15)),
    "parental_substance_misuse": (760, (0.13, 0.17, 0.21, 0.24, 0.10, 0.15)),
}


# February 2020 (also ILLUSTRATIVE): totals grow a little and some localities move, so that
# `localitymap compare 2019-02 2020-02` has real changes to show: South East overtakes Central West
# for NEETs and exclusions, North East passes North West for CIN plans, and looked-after children
# rise by 6%. "Young carers" is recorded from 2020 only (not in the catalogue), so one indicator is
# present in one period only.
LOCALITY_SHARES_2020: dict[str, tuple[int, tuple[float, ...]]] = {
    "early_help": (2240, (0.16, 0.15, 0.26, 0.12, 0.11, 0.20)),
    "cf_assessments": (1015, (0.17, 0.16, 0.25, 0.12, 0.11, 0.19)),
    "cp_plans": (392, (0.15, 0.19, 0.27, 0.12, 0.11, 0.16)),
    "cin_plans": (1330, (0.17, 0.19, 0.26, 0.12, 0.10, 0.16)),
    "lac": (859, (0.18, 0.16, 0.27, 0.13, 0.10, 0.16)),
    "cwd": (655, (0.19, 0.17, 0.24, 0.13, 0.12, 0.15)),
    "ehc_plans": (3180, (0.17, 0.16, 0.23, 0.13, 0.12, 0.19)),
    "send_support": (9050, (0.18, 0.19, 0.24, 0.12, 0.11, 0.16)),
    "persistent_absentees": (5410, (0.19, 0.16, 0.24, 0.12, 0.11, 0.18)),
    "exclusions": (1090, (0.17, 0.15, 0.23, 0.12, 0.09, 0.24)),
    "neet": (395, (0.16, 0.15, 0.23, 0.11, 0.10, 0.25)),
    "domestic_abuse": (1720, (0.16, 0.18, 0.24, 0.11, 0.10, 0.21)),
    "adult_mental_health": (1260, (0.17, 0.22, 0.21, 0.13, 0.11, 0.16)),
    "parental_substance_misuse": (745, (0.13, 0.17, 0.21, 0.24, 0.10, 0.15)),
    "Young carers": (310, (0.16, 0.17, 0.25, 0.12, 0.12, 0.18)),
}
SNAPSHOTS = {"2019-02": (LOCALITY_SHARES, 20190228), "2020-02": (LOCALITY_SHARES_2020, 20200229)}


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights (largest remainder), conserving the total."""
    raw = [total * w / sum(weights) for w in weights]
    floors = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - floors[i], reverse=True)
    for i in by_remainder[: total - sum(floors)]:
        floors[i] += 1
    return floors


def write_snapshot(
    period: str, shares: dict[str, tuple[int, tuple[float, ...]]], seed: int
) -> None:
    scheme = tomllib.loads((ROOT / "data/schemes/icn6.toml").read_text("utf-8"))
    wards_of = {loc: list(scheme["localities"][loc]["wards"]) for loc in ORDER}
    with (ROOT / "data/population/croydon_ward_population_mye2019.csv").open(encoding="utf-8") as f:
        pop = {r["ward_code"]: r for r in csv.DictReader(line for line in f if line[0] != "#")}
    rng = random.Random(seed)
    values: dict[str, dict[str, int]] = {code: {} for code in pop}
    for ind, (total, locality_shares) in shares.items():
        assert abs(sum(locality_shares) - 1) < 1e-9, ind
        band = "persons_16_29" if ind == "neet" else "persons_0_15"
        for loc, loc_total in zip(ORDER, apportion(total, list(locality_shares)), strict=True):
            codes = wards_of[loc]
            weights = [int(pop[c][band]) * rng.lognormvariate(0, 0.25) for c in codes]
            for code, v in zip(codes, apportion(loc_total, weights), strict=True):
                values[code][ind] = v
    out = ROOT / f"data/indicators/{period}/croydon_indicators_{period}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    year, month = period.split("-")
    with out.open("w", newline="", encoding="utf-8") as fh:
        fh.write(
            "# ILLUSTRATIVE DATA: invented figures for demonstration, not real Croydon demand.\n"
            + (
                "# They are shaped so that the published February 2019 locality findings hold; do not "
                "quote them as facts.\n"
                if period == "2019-02"
                else f"# A made-up {MONTHS[int(month) - 1]} {year} refresh of the 2019 snapshot, for "
                "showing change over time; do not quote them as facts.\n"
            )
            + f"# period: {period}\n"
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["ward_code", "ward_name", *shares])
        for code in sorted(pop):
            w.writerow([code, pop[code]["ward_name"], *(values[code][i] for i in shares)])


def main() -> None:
    for period, (shares, seed) in SNAPSHOTS.items():
        write_snapshot(period, shares, seed)


if __name__ == "__main__":
    main()
