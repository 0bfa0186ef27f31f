"""National scale: localitymap's library against a hand-written pandas script doing the same work,
measured in one run on synthetic inputs generated for it (:mod:`national`, never committed).

At 7,000 wards in ~1,500 localities x 30 indicators x 10 periods it times ``rollup``, ``rollup``
with rates (limits and comparisons with the rest), and ``compare`` with the recent trend over the
10 periods, each against a pandas baseline computing the same figures by groupby (exact limits
from SciPy's distributions on arrays; two-sided tail p-values). Time is the median of interleaved
runs; peak memory is tracemalloc's peak over the work (inputs already loaded), measured in
separate runs so the tracing does not slow the timed ones. Then the report (XLSX, HTML, DOCX, no
disclosure control) at 7,000 wards, the disclosure control itself at 7,000 wards, and the growth
of each step from 700 to 7,000 wards, from 100 to 1,000 indicators and from 10 to 100 periods
(linear: x10 the input, x10 +-30% the time or less).

Reading the files is timed and printed beside pandas.read_csv, but is not in the ratios: the
reader checks every cell and names each problem (file, row, column), which read_csv does not.
Exit status 1 when a target is missed. ``BENCH_QUICK=1`` runs a smaller set.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from national import National, generate

QUICK = os.environ.get("BENCH_QUICK") == "1"
REPEATS = 3
WARDS = 1_400 if QUICK else 7_000
TARGETS = {"rollup": 3.0, "rollup --rates": 4.0, "compare + trend": 4.0}
MEMORY_TARGET = 3.0
REPORT_TARGET = 60.0


# ---------------------------------------------------------------- inputs
def load(n: National) -> dict[str, Any]:
    """Everything both sides need, read once: localitymap's objects and the baseline's frames."""
    import pandas as pd

    from localitymap.inputs.indicators import load_catalogue, read_indicators
    from localitymap.inputs.schemes import load_scheme
    from localitymap.inputs.wards import load_register
    from localitymap.statistics.rates import read_population

    reg = load_register(n.register)
    cat = load_catalogue(n.catalogue)
    t = time.perf_counter()
    periods = [read_indicators(n.folder / f"indicators_{p}.csv", register=reg, catalogue=cat)
               for p in n.periods]  # fmt: skip
    read = time.perf_counter() - t
    t = time.perf_counter()
    for p in n.periods:
        pd.read_csv(n.folder / f"indicators_{p}.csv")
    read_base = time.perf_counter() - t
    scheme = load_scheme(n.scheme, reg)
    pop = read_population(n.population, register=reg)
    frames = [d.values[["ward_code", "indicator", "low", "high", "status"]].copy() for d in periods]
    return {
        "data": periods, "scheme": scheme, "pop": pop, "read": read, "read_base": read_base,
        "base": {"values": frames, "lookup": pd.read_csv(n.scheme),
                 "pop": pd.read_csv(n.population), "catalogue": pd.read_csv(n.catalogue)},
    }  # fmt: skip


# ---------------------------------------------------------------- localitymap
def ours_rollup(x: dict[str, Any]) -> Any:
    from localitymap.model.rollup import rollup

    return rollup(x["data"][-1], x["scheme"])


def ours_rates(x: dict[str, Any]) -> Any:
    from localitymap.model.rollup import rollup
    from localitymap.statistics.rates import add_rates

    d = x["data"][-1]
    return add_rates(rollup(d, x["scheme"]), d, x["scheme"], x["pop"])


def ours_compare(x: dict[str, Any]) -> Any:
    from localitymap.model.rollup import rollup
    from localitymap.statistics.compare import compare

    tables = [rollup(d, x["scheme"]) for d in x["data"]]
    return compare(tables[0], tables[-1], tables)


def ours_protect(x: dict[str, Any]) -> Any:
    from localitymap.model.rollup import rollup
    from localitymap.publication.disclosure import protect

    d = x["data"][-1]
    return protect(rollup(d, x["scheme"]), "threshold5", data=d, scheme=x["scheme"])


def ours_every_period(x: dict[str, Any]) -> Any:
    from localitymap.model.rollup import rollup

    return [rollup(d, x["scheme"]) for d in x["data"]]


# ---------------------------------------------------------------- the hand-written baseline
def _sums(b: dict[str, Any], values: Any) -> Any:
    """Per (indicator, locality): count bounds, share of the total, rank (1 = highest)."""
    look = dict(zip(b["lookup"]["ward"], b["lookup"]["locality"], strict=True))
    v = values.assign(locality=values["ward_code"].map(look))
    g = v.groupby(["indicator", "locality"], sort=False).agg(
        low=("low", "sum"), high=("high", "sum")
    )
    g = g.reset_index()
    total = g.groupby("indicator")["low"].transform("sum")
    g["share"] = g["low"] / total
    g["rank"] = g.groupby("indicator")["low"].rank(method="min", ascending=False)
    return g


def base_rollup(x: dict[str, Any]) -> Any:
    return _sums(x["base"], x["base"]["values"][-1])


def base_rates(x: dict[str, Any]) -> Any:
    import numpy as np
    from scipy.stats import beta, binom, chi2, hypergeom

    b = x["base"]
    g = _sums(b, b["values"][-1])
    cat = b["catalogue"].set_index("id")
    look = dict(zip(b["lookup"]["ward"], b["lookup"]["locality"], strict=True))
    pop = b["pop"].assign(locality=b["pop"]["ward_code"].map(look))
    by_loc = pop.groupby("locality")[["persons_0_15", "persons_16_29"]].sum()
    band = g["indicator"].map(cat["denominator"])
    n = np.where(band == "persons_0_15", g["locality"].map(by_loc["persons_0_15"]),
                 g["locality"].map(by_loc["persons_16_29"]))  # fmt: skip
    prop = (g["indicator"].map(cat["statistic"]) == "proportion").to_numpy()
    o = g["low"].to_numpy()
    g["rate"] = o / n * np.where(prop, 100, 10_000)
    for level in (0.95, 0.998):
        a = 1 - level
        g[f"lcl_{level}"] = np.where(prop, beta.ppf(a / 2, o, n - o + 1),
                                     chi2.ppf(a / 2, 2 * o) / 2)  # fmt: skip
        g[f"ucl_{level}"] = np.where(prop, beta.ppf(1 - a / 2, o + 1, n - o),
                                     chi2.ppf(1 - a / 2, 2 * o + 2) / 2)  # fmt: skip
    tot = g.groupby("indicator")["low"].transform("sum").to_numpy()
    tot_n = np.where(band == "persons_0_15", by_loc["persons_0_15"].sum(),
                     by_loc["persons_16_29"].sum())  # fmt: skip
    share = n / tot_n
    p_rate = 2 * np.minimum(binom.cdf(o, tot, share), binom.sf(o - 1, tot, share))
    p_prop = 2 * np.minimum(hypergeom.cdf(o, tot_n, n, tot), hypergeom.sf(o - 1, tot_n, n, tot))
    g["p"] = np.minimum(1, np.where(prop, p_prop, p_rate))
    return g


def base_compare(x: dict[str, Any]) -> Any:
    import numpy as np
    from scipy.stats import chi2

    b = x["base"]
    tables = [_sums(b, v).assign(t=k) for k, v in enumerate(b["values"])]
    first, last = tables[0], tables[-1]
    ch = last.merge(first, on=["indicator", "locality"], suffixes=("", "_before"))
    ch["change"] = ch["low"] - ch["low_before"]
    ch["rank_change"] = ch["rank_before"] - ch["rank"]
    # Recent trend: the Poisson score test over the last five periods.
    series = np.stack([t["low"].to_numpy() for t in tables[-5:]], axis=1)
    xs = np.arange(1, 6)
    expected = series.sum(axis=1, keepdims=True) / 5
    u = (xs * (series - expected)).sum(axis=1)
    var = (xs * xs * expected).sum(axis=1) - (xs * expected).sum(axis=1) ** 2 / np.maximum(
        series.sum(axis=1), 1
    )
    stat = np.where(var > 0, u * u / np.where(var > 0, var, 1), 0)
    ch["trend"] = np.where(stat > chi2.ppf(0.998, 1), np.sign(u), 0)
    return ch


# ---------------------------------------------------------------- measuring
def timed(fn: Callable[[dict[str, Any]], Any], x: dict[str, Any]) -> float:
    t = time.perf_counter()
    fn(x)
    return time.perf_counter() - t


def peak(fn: Callable[[dict[str, Any]], Any], x: dict[str, Any]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(x)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6


def ratio_case(name: str, ours: Any, base: Any, x: dict[str, Any]) -> tuple[float, float, bool]:
    ours(x), base(x)  # warm: imports and caches are not what is measured
    t_ours, t_base = [], []
    for _ in range(REPEATS):
        t_base.append(timed(base, x))
        t_ours.append(timed(ours, x))
    mo, mb = statistics.median(t_ours), statistics.median(t_base)
    m_ours, m_base = peak(ours, x), peak(base, x)
    ok = mo / mb <= TARGETS[name] and m_ours / m_base <= MEMORY_TARGET
    print(f"  {name:<16} {mo:7.2f} s vs {mb:6.2f} s  x{mo / mb:5.2f} (target x{TARGETS[name]:.0f})"
          f"   memory {m_ours:7.0f} MB vs {m_base:6.0f} MB  x{m_ours / m_base:4.2f}"
          f" (target x{MEMORY_TARGET:.0f})  {'ok' if ok else 'MISSED'}")  # fmt: skip
    return mo, mb, ok


def growth_case(
    name: str, ours: Any, small: dict[str, Any], big: dict[str, Any], what: str
) -> bool:
    """Time ``ours`` on inputs ten times apart; linear is x10, and up to x13 is within target."""
    ours(small), ours(big)  # warm
    t_small = statistics.median(timed(ours, small) for _ in range(REPEATS))
    t_big = statistics.median(timed(ours, big) for _ in range(REPEATS))
    good = t_big / t_small <= 13
    print(f"  {name:<16} {what}: {t_small:.3f} s -> {t_big:.3f} s  "
          f"x{t_big / t_small:4.1f}  {'ok' if good else 'MISSED'}")  # fmt: skip
    return good


def make(root: Path, name: str, **kw: Any) -> National:
    n = generate(root / name, **kw)
    # One file per period, as analysts keep them: each read parses only its own period.
    import pandas as pd

    frame = pd.read_csv(n.data, comment="#", dtype=str)
    for p, part in frame.groupby("period"):
        part.to_csv(n.folder / f"indicators_{p}.csv", index=False)
    n.data.unlink()
    return n


def report_seconds(x: dict[str, Any]) -> dict[str, float]:
    from localitymap.model.rollup import rollup
    from localitymap.publication.report import build_report
    from localitymap.renderers.documents import render_document
    from localitymap.statistics.rates import add_rates

    d, scheme = x["data"][-1], x["scheme"]
    out = {}
    t = time.perf_counter()
    table = add_rates(rollup(d, scheme), d, scheme, x["pop"])
    doc = build_report(table, d, scheme, None)
    out["build"] = time.perf_counter() - t
    for fmt in ("xlsx", "html", "docx"):
        t = time.perf_counter()
        render_document(doc, fmt)
        out[fmt] = time.perf_counter() - t
    return out


def main() -> int:
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(
            f"Generating synthetic national inputs ({WARDS:,} wards, 30 indicators, 10 periods)..."
        )
        big = make(root, "big", wards=WARDS, indicators=30, periods=10)
        print(
            f"  {big.wards:,} wards, {big.localities:,} localities, {big.authorities} authorities"
        )
        x = load(big)
        print(f"  read {len(big.periods)} period files in {x['read']:.1f} s, pandas.read_csv "
              f"{x['read_base']:.2f} s (the reader checks every cell and names each problem; "
              "not in the ratios)")  # fmt: skip
        print("Ratios to the pandas baseline, same run:")
        times_big = {}
        for name, ours, base in [("rollup", ours_rollup, base_rollup),
                                 ("rollup --rates", ours_rates, base_rates),
                                 ("compare + trend", ours_compare, base_compare)]:  # fmt: skip
            mo, _, good = ratio_case(name, ours, base, x)
            times_big[name] = mo
            ok &= good
        rep = report_seconds(x)
        total = sum(rep.values())
        good = total <= REPORT_TARGET
        ok &= good
        print(f"  report at {big.wards:,} wards: build {rep['build']:.1f} s, XLSX {rep['xlsx']:.1f} s, "
              f"HTML {rep['html']:.1f} s, DOCX {rep['docx']:.1f} s; total {total:.1f} s "
              f"(target {REPORT_TARGET:.0f} s)  {'ok' if good else 'MISSED'}")  # fmt: skip
        prot = ours_protect(x)
        times_big["disclosure"] = statistics.median(timed(ours_protect, x) for _ in range(REPEATS))
        cells = len(prot.cells)
        hidden = int((prot.cells["status"] == "suppressed").sum())
        print(f"  disclosure control (threshold5, wards + localities + total) at {big.wards:,} "
              f"wards: {times_big['disclosure']:.1f} s for {cells:,} cells, {hidden:,} hidden "
              "(exact bounds through the tree of sums: linear in cells)")  # fmt: skip
        del x

        print("Growth (x10 the input; linear is x10, +30% allowed):")
        small = make(root, "small", wards=WARDS // 10, indicators=30, periods=10)
        xs = load(small)
        for name, ours in [("rollup", ours_rollup), ("rollup --rates", ours_rates),
                           ("compare + trend", ours_compare),
                           ("disclosure", ours_protect)]:  # fmt: skip
            ours(xs)
            t_small = statistics.median(timed(ours, xs) for _ in range(REPEATS))
            growth = times_big[name] / t_small
            good = growth <= 13
            ok &= good
            print(f"  {name:<16} {WARDS // 10:,} -> {WARDS:,} wards: {t_small:.3f} s -> "
                  f"{times_big[name]:.3f} s  x{growth:4.1f}  {'ok' if good else 'MISSED'}")  # fmt: skip
        del xs
        few = make(root, "few", wards=700, indicators=100, periods=2)
        many = make(root, "many", wards=700, indicators=1_000, periods=2)
        xf, xm = load(few), load(many)
        for name, ours in [("rollup", ours_rollup), ("rollup --rates", ours_rates),
                           ("compare + trend", ours_compare)]:  # fmt: skip
            ok &= growth_case(name, ours, xf, xm, "100 -> 1,000 indicators")
        del xm
        # Periods: the same 700 wards and 30 indicators over 10 and 100 periods.
        short = make(root, "short", wards=700, indicators=30, periods=10)
        long_ = make(root, "long", wards=700, indicators=30, periods=100)
        xp, xq = load(short), load(long_)
        for name, ours in [("rollup of every period", ours_every_period),
                           ("compare + trend", ours_compare)]:  # fmt: skip
            ok &= growth_case(name, ours, xp, xq, "10 -> 100 periods")
        del xp, xq
        xm = load(many)
        rf, rm = report_seconds(xf), report_seconds(xm)
        growth = sum(rm.values()) / sum(rf.values())
        good = growth <= 13
        ok &= good
        print(f"  report           100 -> 1,000 indicators: {sum(rf.values()):.1f} s -> "
              f"{sum(rm.values()):.1f} s  x{growth:4.1f}  {'ok' if good else 'MISSED'}")  # fmt: skip
    print("all within target" if ok else "SOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
