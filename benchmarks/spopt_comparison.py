"""How PySAL's spopt regionalisation compares with ``localitymap design`` on balancing demand.

Not part of ``make bench`` and not a dependency: run it in an environment where spopt is installed
(``pip install spopt``) to repeat the evaluation behind localitymap's own algorithm:

    python benchmarks/spopt_comparison.py

It prints, for six regions of Croydon's 28 wards balanced on CP plans + looked-after children
(bundled February 2020 data), each method's largest ÷ smallest region demand and its run time.
"""

from __future__ import annotations

import time


def main() -> None:
    import numpy as np
    from libpysal.weights import W
    from spopt.region import AZP, RegionKMeansHeuristic, Skater

    from localitymap import load_scheme, read_indicators
    from localitymap.model.design import adjacency, balance, locality_totals, partition, ward_demand
    from localitymap.model.geo import load_boundaries

    boundaries = load_boundaries()
    graph = adjacency(boundaries)
    demand = ward_demand(read_indicators(), ["cp_plans", "lac"])
    codes = list(boundaries.frame.index)
    frame = boundaries.frame.reset_index(drop=True)
    frame["demand"] = [demand[c] for c in codes]
    w = W({i: [codes.index(n) for n in graph.neighbours[c]] for i, c in enumerate(codes)})
    icn6 = balance(list(locality_totals(load_scheme("icn6"), demand).values()))
    print(f"icn6 (current scheme): {icn6['max_min_ratio']:.2f} : 1")
    models = {
        "spopt SKATER": lambda: Skater(frame, w, ["demand"], n_clusters=6, floor=3),
        "spopt AZP": lambda: AZP(frame, w, ["demand"], 6),
        "spopt region k-means": lambda: RegionKMeansHeuristic(frame[["demand"]].to_numpy(), 6, w),
    }
    for name, make in models.items():
        start = time.perf_counter()
        model = make()
        model.solve()
        sums = frame.groupby(np.asarray(model.labels_))["demand"].sum().tolist()
        took = time.perf_counter() - start
        print(f"{name}: {balance(sums)['max_min_ratio']:.2f} : 1 ({took:.2f} s)")
    start = time.perf_counter()
    groups = partition(demand, graph, 6, seed=0)
    took = time.perf_counter() - start
    sums = [sum(demand[c] for c in g) for g in groups]
    print(f"localitymap design: {balance(sums)['max_min_ratio']:.2f} : 1 ({took:.2f} s)")


if __name__ == "__main__":
    main()
