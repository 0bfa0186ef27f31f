"""Synthetic national inputs for the scale benchmark, generated at run time (never committed).

England has about 7,000 electoral wards in about 300 authorities. The generator writes, into a
folder of the caller's choosing, what an analyst for a region or for England would have:

- ``register.csv``: every ward with its authority (``ward_code, ward_name, lad_code, lad_name``);
  some ward names repeat across authorities, as real ones do ("Abbey", "Central"...).
- ``scheme.csv``: localities grouped within each authority (``ward,locality``), about 4.7 wards
  each, so 7,000 wards make about 1,500 localities.
- ``population.csv``: ward populations by band (``persons_0_15``, ``persons_16_29``).
- ``catalogue.csv``: the indicators, every fifth a proportion of the 0-15 population.
- ``indicators.csv``: long format ``ward_code, indicator, period, value``; counts drawn from a
  Poisson around a ward-level rate, with about 3% suppressed as ``<5``.

Deterministic for a given seed. Run ``python benchmarks/national.py OUT --wards 7000`` to write
one set by hand.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

WARDS_PER_AUTHORITY = 23
WARDS_PER_LOCALITY = 4.7
COMMON_NAMES = ["Abbey", "Central", "Park", "St Mary's", "Castle", "Riverside", "Town", "Village"]


@dataclass(frozen=True)
class National:
    folder: Path
    wards: int
    localities: int
    authorities: int
    indicators: int
    periods: list[str]

    @property
    def register(self) -> Path:
        return self.folder / "register.csv"

    @property
    def scheme(self) -> Path:
        return self.folder / "scheme.csv"

    @property
    def population(self) -> Path:
        return self.folder / "population.csv"

    @property
    def catalogue(self) -> Path:
        return self.folder / "catalogue.csv"

    @property
    def data(self) -> Path:
        return self.folder / "indicators.csv"


def generate(
    folder: Path, *, wards: int = 7_000, indicators: int = 30, periods: int = 10, seed: int = 2026
) -> National:
    """Write a synthetic national set of inputs into ``folder`` and describe it."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n_auth = max(1, round(wards / WARDS_PER_AUTHORITY))
    # Every authority holds at least one ward; the rest fall at random.
    auth_of = np.sort(np.concatenate([np.arange(n_auth), rng.integers(0, n_auth, wards - n_auth)]))
    codes = [f"E05{900_000 + i:06d}" for i in range(wards)]
    names = []
    for i in range(wards):
        # One ward in twenty has a name another authority also uses.
        names.append(COMMON_NAMES[i % len(COMMON_NAMES)] if i % 20 == 0 else f"Ward {i:05d}")
    lad_codes = [f"E0{7_000_000 + a:07d}" for a in auth_of]
    lad_names = [f"Authority {a:03d}" for a in auth_of]
    pd.DataFrame({"ward_code": codes, "ward_name": names, "lad_code": lad_codes,
                  "lad_name": lad_names, "vintage": "WD24"}).to_csv(
        folder / "register.csv", index=False)  # fmt: skip

    # Localities: consecutive wards of one authority, about 4.7 each.
    locality = []
    for a in range(n_auth):
        members = np.flatnonzero(auth_of == a)
        k = max(1, round(len(members) / WARDS_PER_LOCALITY))
        for j, _ in enumerate(members):
            locality.append(f"Authority {a:03d} L{j * k // len(members) + 1}")
    pd.DataFrame({"ward": codes, "locality": locality}).to_csv(folder / "scheme.csv", index=False)

    young = rng.integers(800, 4_000, wards)
    pd.DataFrame({"ward_code": codes, "ward_name": names, "persons_0_15": young,
                  "persons_16_29": (young * rng.uniform(0.8, 1.4, wards)).astype(int)}).to_csv(
        folder / "population.csv", index=False)  # fmt: skip

    ids = [f"ind_{k:04d}" for k in range(indicators)]
    statistic = ["proportion" if k % 5 == 4 else "rate" for k in range(indicators)]
    pd.DataFrame({"id": ids, "label": [f"Indicator {k}" for k in range(indicators)],
                  "domain": "Synthetic", "unit": "children",
                  "denominator": ["persons_16_29" if k % 7 == 3 else "persons_0_15"
                                  for k in range(indicators)],
                  "statistic": statistic, "description": "", "headline": ""}).to_csv(
        folder / "catalogue.csv", index=False)  # fmt: skip

    period_names = [f"{2015 + p}-03" for p in range(periods)]
    base = rng.uniform(0.002, 0.05, (indicators, 1)) * rng.lognormal(0, 0.4, (1, wards))
    frames = []
    for p, period in enumerate(period_names):
        lam = base * young[None, :] * (1 + 0.02 * p)
        counts = rng.poisson(lam)
        text = counts.astype(str).astype(object)
        text[(counts > 0) & (counts < 5) & (rng.random(counts.shape) < 0.5)] = "<5"
        frames.append(pd.DataFrame({
            "ward_code": np.tile(codes, indicators), "indicator": np.repeat(ids, wards),
            "period": period, "value": text.ravel(),
        }))  # fmt: skip
    with (folder / "indicators.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# ILLUSTRATIVE DATA: synthetic national benchmark inputs, not real demand.\n")
        pd.concat(frames, ignore_index=True).to_csv(fh, index=False, lineterminator="\n")
    return National(folder, wards, len(set(locality)), n_auth, indicators, period_names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--wards", type=int, default=7_000)
    parser.add_argument("--indicators", type=int, default=30)
    parser.add_argument("--periods", type=int, default=10)
    args = parser.parse_args()
    n = generate(args.out, wards=args.wards, indicators=args.indicators, periods=args.periods)
    print(f"{n.wards} wards, {n.localities} localities, {n.authorities} authorities, "
          f"{n.indicators} indicators, {len(n.periods)} periods in {n.folder}")  # fmt: skip


if __name__ == "__main__":
    main()
