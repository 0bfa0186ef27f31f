"""Public-health standard statistics for counts of children: rates with confidence intervals,
proportions, comparison with the rest of the borough, and funnel-plot limits.

Methods match those of the Fingertips tools (PHEindicatormethods):

- **Rates** (per 10,000 by default): exact Poisson limits from the chi-squared distribution for
  counts below 10, Byar's approximation from 10 up. The method is recorded per row.
- **Proportions** (indicators the catalogue marks ``statistic = proportion``): percentages with
  Wilson score intervals, compared with the rest of the borough by Fisher's exact test.
- **Comparison with the rest of the borough** (the borough without the locality, so an area is
  never compared with a total that contains it): the exact conditional test for two Poisson rates,
  given the combined count the locality's count is binomial with p = its share of the population.
- **Funnel limits** around the borough value, as Fingertips draws them: Poisson prediction
  limits around the count expected at each population size (continuous chi-squared scale) for
  rates, binomial limits in percent for proportions.

>>> rate_ci(42, 3100)
RateCI(rate=135.48387096774192, lower=97.63..., upper=183.14..., method='Byar')
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Comparison = Literal["higher", "similar", "lower", "uncertain", "not compared"]
#: The two confidence levels public-health profiles use, and their two-sided normal quantiles.
LEVELS = {0.95: 1.959963984540054, 0.998: 3.090232306167813}
BYAR_FROM = 10


@dataclass(frozen=True)
class RateCI:
    rate: float
    lower: float
    upper: float
    method: str

    def __repr__(self) -> str:  # short, stable digits for doctests and messages
        return (
            f"RateCI(rate={self.rate!r}, lower={self.lower:.2f}..., upper={self.upper:.2f}..., "
            f"method={self.method!r})"
        )


def _z(level: float) -> float:
    if level in LEVELS:
        return LEVELS[level]
    from scipy.stats import norm

    return float(norm.ppf(1 - (1 - level) / 2))


def count_limits(observed: float, level: float = 0.95) -> tuple[float, float, str]:
    """Confidence limits for a Poisson count: exact below 10, Byar's from 10 up.

    >>> [round(x, 4) for x in count_limits(3)[:2]]
    [0.6187, 8.7673]
    """
    if observed < 0 or not math.isfinite(observed):
        raise ValueError(f"a count must be 0 or more, not {observed}")
    z = _z(level)
    if observed < BYAR_FROM:
        from scipy.stats import chi2

        alpha = 1 - level
        lower = 0.0 if observed == 0 else float(chi2.ppf(alpha / 2, 2 * observed)) / 2
        upper = float(chi2.ppf(1 - alpha / 2, 2 * observed + 2)) / 2
        return lower, upper, "exact Poisson"
    o = observed
    lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    upper = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lower, upper, "Byar"


def rate_ci(
    observed: float, denominator: float, level: float = 0.95, multiplier: float = 10_000
) -> RateCI:
    """A rate per ``multiplier`` with its confidence interval.

    >>> r = rate_ci(9, 2500)
    >>> round(r.rate, 2), round(r.lower, 2), round(r.upper, 2), r.method
    (36.0, 16.46, 68.34, 'exact Poisson')
    """
    if denominator <= 0:
        raise ValueError(f"a denominator must be above 0, not {denominator}")
    lower, upper, method = count_limits(observed, level)
    scale = multiplier / denominator
    return RateCI(observed * scale, lower * scale, upper * scale, method)


def wilson_ci(
    observed: float, denominator: float, level: float = 0.95
) -> tuple[float, float, float]:
    """A proportion with its Wilson score interval, as fractions.

    >>> [round(x * 100, 2) for x in wilson_ci(5, 120)]
    [4.17, 1.79, 9.38]
    """
    if denominator <= 0 or observed < 0 or observed > denominator:
        raise ValueError(f"need 0 <= observed <= denominator, got {observed}/{denominator}")
    z = _z(level)
    p = observed / denominator
    centre = 2 * observed + z * z
    spread = z * math.sqrt(z * z + 4 * observed * (1 - p))
    scale = 2 * (denominator + z * z)
    return p, (centre - spread) / scale, (centre + spread) / scale


def compare_with_rest(
    observed: float,
    population: float,
    rest_observed: float,
    rest_population: float,
    level: float = 0.95,
) -> Comparison:
    """Whether an area's rate is significantly higher or lower than the rest's (exact test).

    Given the combined count, the area's count is binomial with p = its share of the combined
    population when the two rates are equal; a two-sided p-value below 1 - level is significant.

    >>> compare_with_rest(60, 10_000, 100, 40_000), compare_with_rest(30, 10_000, 100, 40_000)
    ('higher', 'similar')
    """
    if population <= 0 or rest_population <= 0:
        return "not compared"
    total = observed + rest_observed
    if total == 0:
        return "similar"
    from scipy.stats import binomtest

    share = population / (population + rest_population)
    p_value = binomtest(round(observed), round(total), share).pvalue
    if p_value >= 1 - level:
        return "similar"
    return "higher" if observed / population > rest_observed / rest_population else "lower"


def compare_proportions(
    observed: float,
    population: float,
    rest_observed: float,
    rest_population: float,
    level: float = 0.95,
) -> Comparison:
    """Whether an area's proportion differs significantly from the rest's (Fisher's exact test).

    >>> compare_proportions(60, 1_000, 100, 4_000), compare_proportions(30, 1_000, 100, 4_000)
    ('higher', 'similar')
    """
    if population <= 0 or rest_population <= 0:
        return "not compared"
    from scipy.stats import fisher_exact

    a, b = round(observed), round(rest_observed)
    table = [[a, round(population) - a], [b, round(rest_population) - b]]
    if min(min(row) for row in table) < 0:
        return "not compared"
    if fisher_exact(table).pvalue >= 1 - level:
        return "similar"
    return "higher" if observed / population > rest_observed / rest_population else "lower"


def compare_bounded(
    low: float, high: float, population: float, rest_low: float, rest_high: float,
    rest_population: float, level: float = 0.95, test: Callable[..., Comparison] | None = None,
) -> Comparison:  # fmt: skip
    """:func:`compare_with_rest` (or ``test``) when counts are only known within bounds.

    The area's wards and the rest's are different cells, so both extremes can happen: the area
    as small as it can be against the rest as large, and the other way round. A verdict holds
    only if it is the same at both; an unbounded count (NaN) leaves it uncertain.

    >>> compare_bounded(58, 61, 10_000, 100, 100, 40_000), compare_bounded(20, 70, 10_000, 100, 100, 40_000)
    ('higher', 'uncertain')
    """
    test = test or compare_with_rest
    if low == high and rest_low == rest_high:
        return test(low, population, rest_low, rest_population, level)
    if not all(math.isfinite(v) for v in (low, high, rest_low, rest_high)):
        return "uncertain"
    smallest = test(low, population, rest_high, rest_population, level)
    largest = test(high, population, rest_low, rest_population, level)
    return smallest if smallest == largest else "uncertain"


def funnel_count_limits(expected: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Poisson prediction limits, as counts, around each ``expected`` count (array-like).

    The lower limit is the count ``O`` with P(X <= O | m) = alpha/2 and the upper the count with
    P(X >= O | m) = alpha/2, taken on the continuous scale where the Poisson tail is a chi-squared
    probability: P(X >= O | m) = P(chi2(2O) <= 2m) and P(X <= O | m) = P(chi2(2O + 2) > 2m). So
    the limits are the degrees of freedom solving those equations (``chdtriv``), halved. This is
    the funnel of Fingertips and PHEindicatormethods (their tables are bisected to 2^-24 in
    m / (O + 1 + m); these are exact).

    >>> lower, upper = funnel_count_limits([5.5705, 100.0], 0.95)
    >>> [round(float(x), 2) for x in lower], [round(float(x), 2) for x in upper]
    ([1.0, 80.39], [11.11, 120.56])
    """
    import numpy as np
    from scipy.special import chdtriv

    m = np.asarray(expected, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = np.where(m > 0, chdtriv(1 - alpha / 2, 2 * m) / 2 - 1, 0.0)
        upper = np.where(m > 0, chdtriv(alpha / 2, 2 * m) / 2, 0.0)
    # chdtriv gives no answer where the limit would be below zero events (tiny m).
    lower = np.where(np.isfinite(lower), np.maximum(lower, 0.0), 0.0)
    return lower, upper


def funnel_limits(
    borough_rate: float, denominators: Any, level: float, multiplier: float = 10_000,
    *, proportion: bool = False,
) -> tuple[list[float], list[float]]:  # fmt: skip
    """Lower and upper funnel limits (rates per ``multiplier``, or percentages) at each
    population size, as Fingertips and PHEindicatormethods draw them.

    Rates: Poisson prediction limits (:func:`funnel_count_limits`) around the count expected at
    the borough rate (``borough_rate`` per person). Proportions (``proportion=True``,
    ``borough_rate`` a fraction): binomial limits p +- z sqrt(p(1 - p) / n), within 0-100%.

    >>> [round(x, 2) for x in funnel_limits(0.8, [50], 0.95, proportion=True)[0]]
    [68.91]
    """
    import numpy as np

    n = np.asarray(denominators, dtype=float)
    if proportion:
        p = float(borough_rate)
        spread = _z(level) * np.sqrt(p * (1 - p) / n)
        lower = np.clip(p - spread, 0.0, 1.0) * 100
        upper = np.clip(p + spread, 0.0, 1.0) * 100
        return lower.tolist(), upper.tolist()
    lo, hi = funnel_count_limits(borough_rate * n, level)
    return (lo / n * multiplier).tolist(), (hi / n * multiplier).tolist()


TREND_POINTS = 5
TREND_LEVEL = 0.998


@functools.lru_cache(maxsize=8)
def _chi2_critical(level: float) -> float:
    """The chi-squared (1 df) critical value: once per level, not once per locality; SciPy is
    imported only when a trend can be tested at all."""
    from scipy.stats import chi2

    return float(chi2.ppf(level, 1))


def recent_trend(
    counts: list[float], denominators: list[float] | None = None, *, proportion: bool = False,
    level: float = TREND_LEVEL,
) -> str:  # fmt: skip
    """The recent-trend verdict over the last five points, as public-health profiles report it.

    A chi-squared test for linear trend with one degree of freedom: for rates (counts over
    population, or plain counts when no denominators) the Poisson score test; for proportions the
    Cochran-Armitage test. Returns ``increasing``, ``decreasing``, ``no significant change``, or
    ``cannot be calculated`` with fewer than five points or unknown values.

    >>> recent_trend([10, 14, 19, 25, 33], [1000] * 5)
    'increasing'
    >>> recent_trend([10, 11, 9, 10, 11], [1000] * 5), recent_trend([10, 12], [1000, 1000])
    ('no significant change', 'cannot be calculated')
    """
    if len(counts) < TREND_POINTS:
        return "cannot be calculated"
    obs = [float(c) for c in counts[-TREND_POINTS:]]
    dens = [float(d) for d in (denominators or [1.0] * len(counts))[-TREND_POINTS:]]
    if any(not math.isfinite(v) for v in [*obs, *dens]) or min(dens) <= 0:
        return "cannot be calculated"
    x = list(range(1, TREND_POINTS + 1))
    total_o, total_n = sum(obs), sum(dens)
    if total_o == 0:
        return "no significant change"
    if proportion:
        p = total_o / total_n
        u = sum(xi * (o - n * p) for xi, o, n in zip(x, obs, dens, strict=True))
        sxx = sum(n * xi * xi for xi, n in zip(x, dens, strict=True))
        sx = sum(n * xi for xi, n in zip(x, dens, strict=True))
        var = p * (1 - p) * (sxx - sx * sx / total_n)
    else:
        expected = [n * total_o / total_n for n in dens]
        u = sum(xi * (o - e) for xi, o, e in zip(x, obs, expected, strict=True))
        ex = sum(xi * e for xi, e in zip(x, expected, strict=True))
        var = sum(xi * xi * e for xi, e in zip(x, expected, strict=True)) - ex * ex / total_o
    if var <= 0:
        return "no significant change"
    if u * u / var <= _chi2_critical(level):
        return "no significant change"
    return "increasing" if u > 0 else "decreasing"


def recent_trends(
    counts: Any, denominators: Any = None, proportion: Any = False, *, level: float = TREND_LEVEL
) -> Any:
    """:func:`recent_trend` for many series at once: ``counts`` (and ``denominators``, default 1)
    are arrays of shape (series, 5), oldest point first; ``proportion`` a bool per series (or one
    for all). Returns an object array of verdicts, each the one :func:`recent_trend` gives.

    Sums are taken point by point in the order :func:`recent_trend` adds them, so every statistic
    is the same double and no verdict can flip at the critical value.

    >>> import numpy as np
    >>> recent_trends(np.array([[10, 14, 19, 25, 33], [10, 11, 9, 10, 11.0]]), np.full((2, 5), 1e3))
    array(['increasing', 'no significant change'], dtype=object)
    """
    import numpy as np

    obs = np.asarray(counts, dtype=float)
    if obs.ndim != 2 or obs.shape[1] != TREND_POINTS:
        raise ValueError(f"counts must have shape (series, {TREND_POINTS}), not {obs.shape}")
    dens = None if denominators is None else np.asarray(denominators, dtype=float)
    prop = np.broadcast_to(np.asarray(proportion, dtype=bool), obs.shape[:1])
    out = np.full(len(obs), "cannot be calculated", dtype=object)
    valid = np.isfinite(obs).all(axis=1)
    if dens is not None:
        with np.errstate(invalid="ignore"):
            valid &= np.isfinite(dens).all(axis=1) & (dens.min(axis=1, initial=np.inf) > 0)
    total_o = _running_sum(obs)
    total_n = _running_sum(dens) if dens is not None else np.full(len(obs), float(TREND_POINTS))
    zero = valid & (total_o == 0)
    out[zero] = "no significant change"
    tested = valid & ~zero
    if not tested.any():
        return out
    if not tested.all():
        rows = np.flatnonzero(tested)
        obs, total_o, total_n, prop = obs[rows], total_o[rows], total_n[rows], prop[rows]
        dens = dens[rows] if dens is not None else None
    o, t_o, t_n = obs, total_o, total_n

    def n(k: int) -> Any:  # the denominators of point k (1 for plain counts)
        return 1.0 if dens is None else dens[:, k]

    # Point by point, one column at a time (no series x points temporaries), each sum in the
    # order recent_trend adds its terms.
    with np.errstate(divide="ignore", invalid="ignore"):
        # Proportions: the Cochran-Armitage test.
        p = t_o / t_n
        u_prop = sxx = sx = 0.0
        for k in range(TREND_POINTS):
            xi = float(k + 1)
            u_prop = u_prop + xi * (o[:, k] - n(k) * p)
            sxx = sxx + n(k) * xi * xi
            sx = sx + n(k) * xi
        var_prop = p * (1 - p) * (sxx - sx * sx / t_n)
        # Rates: the Poisson score test.
        u_rate = ex = exx = 0.0
        for k in range(TREND_POINTS):
            xi = float(k + 1)
            expected = n(k) * t_o / t_n
            u_rate = u_rate + xi * (o[:, k] - expected)
            ex = ex + xi * expected
            exx = exx + (xi * xi) * expected
        var_rate = exx - ex * ex / t_o
        u = np.where(prop, u_prop, u_rate)
        var = np.where(prop, var_prop, var_rate)
        stat = u * u / var
    words = np.array(["decreasing", "increasing", "no significant change"], dtype=object)
    verdict = words[(u > 0).astype(np.int64)]  # the rows share the three word objects
    verdict[(var <= 0) | (stat <= _chi2_critical(level))] = words[2]
    out[tested] = verdict
    return out


def _running_sum(a: Any) -> Any:
    """Row sums added left to right, as Python's ``sum`` adds (NumPy may pair terms up)."""
    total = a[:, 0].copy()
    for k in range(1, a.shape[1]):
        total += a[:, k]
    return total


# Array versions of the tests above, for tables of thousands of localities. They follow SciPy's
# definitions step by step (the two-sided p-value sums every outcome no more likely than the one
# observed, found by binary search on the far side of the mode), so every p-value equals the one
# ``binomtest`` / ``fisher_exact`` gives for the same cell; tests check that they agree.


def _search(f: Callable[[Any, Any], Any], d: Any, lo: Any, hi: Any) -> Any:
    """Per element, the index ``i`` in ``[lo, hi]`` with ``f(i) <= d < f(i + 1)`` (``f``
    ascending), by the same bisection as SciPy's binomial and Fisher tests. ``f(x, mask)``
    evaluates the function of the elements selected by ``mask`` at ``x``."""
    import numpy as np

    lo, hi = lo.astype(float).copy(), hi.astype(float).copy()
    out = np.full(lo.shape, np.nan)
    active = np.ones(lo.shape, dtype=bool)
    while True:
        m = active & (lo < hi)
        if not m.any():
            break
        mid = lo + (hi - lo) // 2
        val = np.full(lo.shape, np.nan)
        val[m] = f(mid[m], m)
        lt, gt = m & (val < d), m & (val > d)
        eq = m & ~lt & ~gt
        lo[lt], hi[gt] = mid[lt] + 1, mid[gt] - 1
        out[eq], active[eq] = mid[eq], False
    if active.any():
        at_lo = f(lo[active], active)
        out[active] = np.where(at_lo <= d[active], lo[active], lo[active] - 1)
    return out


def binom_two_sided_p(k: Any, n: Any, p: Any) -> Any:
    """Two-sided exact binomial p-values for arrays (``scipy.stats.binomtest(k, n, p).pvalue``).

    >>> [round(float(x), 6) for x in binom_two_sided_p([3, 10], [20, 20], [0.5, 0.5])]
    [0.002577, 1.0]
    """
    import numpy as np
    from scipy.stats import binom

    k, n, p = (np.asarray(a, dtype=float) for a in (k, n, p))
    k, n, p = np.broadcast_arrays(k, n, p)
    d = binom.pmf(k, n, p)
    rerr = 1 + 1e-7
    pn = p * n
    out = np.ones(k.shape)
    below, above = k < pn, k > pn
    if below.any():
        nb, pb, db = n[below], p[below], d[below]
        ix = _search(lambda x, m: -binom.pmf(x, nb[m], pb[m]), -db * rerr, np.ceil(pn[below]), nb)
        y = nb - ix + (db * rerr == binom.pmf(ix, nb, pb)).astype(int)
        out[below] = binom.cdf(k[below], nb, pb) + binom.sf(nb - y, nb, pb)
    if above.any():
        na, pa, da = n[above], p[above], d[above]
        ix = _search(lambda x, m: binom.pmf(x, na[m], pa[m]), da * rerr,
                     np.zeros(na.shape), np.floor(pn[above]))  # fmt: skip
        y = ix + 1
        out[above] = binom.cdf(y - 1, na, pa) + binom.sf(k[above] - 1, na, pa)
    return np.minimum(1.0, out)


def fisher_two_sided_p(a: Any, b: Any, c: Any, d: Any) -> Any:
    """Two-sided Fisher exact p-values for 2x2 tables ``[[a, b], [c, d]]`` given as arrays
    (``scipy.stats.fisher_exact(table).pvalue``); 1 where a row or column is empty.

    >>> [round(float(x), 6) for x in fisher_two_sided_p([8, 5], [2, 5], [1, 5], [5, 5])]
    [0.034965, 1.0]
    """
    import numpy as np
    from scipy.stats import hypergeom

    a, b, c, d = (np.asarray(x, dtype=np.int64) for x in (a, b, c, d))
    a, b, c, d = np.broadcast_arrays(a, b, c, d)
    out = np.ones(a.shape)
    live = ~((a + c == 0) | (b + d == 0) | (a + b == 0) | (c + d == 0))
    if not live.any():
        return out
    a, n1, n2, n = a[live], (a + b)[live], (c + d)[live], (a + c)[live]
    total = n1 + n2
    mode = ((n + 1) * (n1 + 1) / (n1 + n2 + 2)).astype(np.int64)
    pexact = hypergeom.pmf(a, total, n1, n)
    pmode = hypergeom.pmf(mode, total, n1, n)
    gamma = 1 + 1e-14
    res = np.ones(a.shape)
    same = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14
    low = ~same & (a < mode)
    high = ~same & ~low
    if low.any():
        t, m1, nn, pe = total[low], n1[low], n[low], pexact[low]
        plower = hypergeom.cdf(a[low], t, m1, nn)
        edge = hypergeom.pmf(nn, t, m1, nn) > pe * gamma
        guess = _search(lambda x, m: -hypergeom.pmf(x, t[m], m1[m], nn[m]), -pe * gamma,
                        mode[low], nn)  # fmt: skip
        res[low] = np.where(edge, plower, plower + hypergeom.sf(guess, t, m1, nn))
    if high.any():
        t, m1, nn, pe = total[high], n1[high], n[high], pexact[high]
        pupper = hypergeom.sf(a[high] - 1, t, m1, nn)
        edge = hypergeom.pmf(0, t, m1, nn) > pe * gamma
        guess = _search(lambda x, m: hypergeom.pmf(x, t[m], m1[m], nn[m]), pe * gamma,
                        np.zeros(t.shape), mode[high])  # fmt: skip
        res[high] = np.where(edge, pupper, pupper + hypergeom.cdf(guess, t, m1, nn))
    out[live] = np.minimum(res, 1.0)
    return out


def count_limit_arrays(observed: Any, level: float = 0.95, *, upper: bool = False) -> Any:
    """:func:`count_limits` for an array of counts: the lower (or ``upper``) limits only.

    >>> [round(float(x), 4) for x in count_limit_arrays([3, 42], 0.95)]
    [0.6187, 30.2667]
    """
    import numpy as np
    from scipy.stats import chi2

    o = np.asarray(observed, dtype=float)
    z = _z(level)
    alpha = 1 - level
    out = np.empty(o.shape)
    exact = o < BYAR_FROM
    oe, ob = o[exact], o[~exact]

    def cube(x: Any) -> Any:
        # NumPy's vectorised power can differ from C pow in the last bit; the scalar method
        # uses pow, and the tables must not change by a bit.
        return np.array([v**3 for v in x.tolist()], dtype=float)

    with np.errstate(divide="ignore", invalid="ignore"):
        if upper:
            out[exact] = chi2.ppf(1 - alpha / 2, 2 * oe + 2) / 2
            o1 = ob + 1
            out[~exact] = o1 * cube(1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1)))
        else:
            out[exact] = np.where(oe == 0, 0.0, chi2.ppf(alpha / 2, 2 * oe) / 2)
            out[~exact] = ob * cube(1 - 1 / (9 * ob) - z / (3 * np.sqrt(ob)))
    return out


def wilson_arrays(observed: Any, denominator: Any, level: float = 0.95) -> tuple[Any, Any]:
    """:func:`wilson_ci`'s lower and upper limits (fractions) for arrays.

    >>> [round(float(x[0]) * 100, 2) for x in wilson_arrays([5], [120])]
    [1.79, 9.38]
    """
    import numpy as np

    x, n = np.asarray(observed, dtype=float), np.asarray(denominator, dtype=float)
    z = _z(level)
    p = x / n
    centre = 2 * x + z * z
    spread = z * np.sqrt(z * z + 4 * x * (1 - p))
    scale = 2 * (n + z * z)
    return (centre - spread) / scale, (centre + spread) / scale


def _verdicts(p_value: Any, higher: Any, levels: tuple[float, ...]) -> dict[float, Any]:
    import numpy as np

    word = np.where(higher, "higher", "lower").astype(object)
    return {lvl: np.where(p_value >= 1 - lvl, "similar", word).astype(object) for lvl in levels}


def _test_arrays(
    obs: Any, pop: Any, rest: Any, rest_pop: Any, proportion: Any, levels: tuple[float, ...]
) -> dict[float, Any]:
    """:func:`compare_with_rest` (rates) or :func:`compare_proportions` (where ``proportion``)
    on arrays, each p-value computed once for all ``levels``."""
    import numpy as np

    n = len(obs)
    out = {lvl: np.full(n, "not compared", dtype=object) for lvl in levels}
    with np.errstate(divide="ignore", invalid="ignore"):
        higher = obs / pop > rest / rest_pop
    valid = (pop > 0) & (rest_pop > 0)
    rate = valid & ~proportion
    if rate.any():
        total = obs[rate] + rest[rate]
        zero = total == 0
        share = pop[rate] / (pop[rate] + rest_pop[rate])
        p_value = np.ones(total.shape)
        nz = ~zero
        p_value[nz] = binom_two_sided_p(np.round(obs[rate][nz]), np.round(total[nz]), share[nz])
        for lvl, words in _verdicts(p_value, higher[rate], levels).items():
            words[zero] = "similar"
            out[lvl][rate] = words
    prop = valid & proportion
    if prop.any():
        a, b = np.round(obs[prop]), np.round(rest[prop])
        c1, c2 = np.round(pop[prop]) - a, np.round(rest_pop[prop]) - b
        fine = (a >= 0) & (b >= 0) & (c1 >= 0) & (c2 >= 0)
        p_value = np.ones(a.shape)
        p_value[fine] = fisher_two_sided_p(a[fine], c1[fine], b[fine], c2[fine])
        for lvl, words in _verdicts(p_value, higher[prop], levels).items():
            words[~fine] = "not compared"
            out[lvl][prop] = words
    return out


def compare_bounded_arrays(
    low: Any, high: Any, population: Any, rest_low: Any, rest_high: Any, rest_population: Any,
    proportion: Any, levels: tuple[float, ...] = (0.95, 0.998),
) -> dict[float, Any]:  # fmt: skip
    """:func:`compare_bounded` for arrays of localities, at each of ``levels``: Fisher's test
    where ``proportion``, the exact Poisson test elsewhere.

    >>> import numpy as np
    >>> v = compare_bounded_arrays(np.array([58.0, 20]), np.array([61.0, 70]), np.array([1e4, 1e4]),
    ...     np.array([100.0, 100]), np.array([100.0, 100]), np.array([4e4, 4e4]), np.array([False] * 2))
    >>> v[0.95].tolist()
    ['higher', 'uncertain']
    """
    import numpy as np

    arrays = [np.asarray(a, dtype=float) for a in (low, high, population, rest_low, rest_high,
                                                    rest_population)]  # fmt: skip
    low, high, pop, rest_low, rest_high, rest_pop = arrays
    proportion = np.asarray(proportion, dtype=bool)
    n = len(low)
    out = {lvl: np.full(n, "uncertain", dtype=object) for lvl in levels}
    exact = (low == high) & (rest_low == rest_high)
    finite = np.isfinite(low) & np.isfinite(high) & np.isfinite(rest_low) & np.isfinite(rest_high)
    if exact.any():
        e = exact
        for lvl, words in _test_arrays(low[e], pop[e], rest_low[e], rest_pop[e],
                                       proportion[e], levels).items():  # fmt: skip
            out[lvl][e] = words
    bounded = ~exact & finite
    if bounded.any():
        b = bounded
        smallest = _test_arrays(low[b], pop[b], rest_high[b], rest_pop[b], proportion[b], levels)
        largest = _test_arrays(high[b], pop[b], rest_low[b], rest_pop[b], proportion[b], levels)
        for lvl in levels:
            same = smallest[lvl] == largest[lvl]
            out[lvl][b] = np.where(same, smallest[lvl], "uncertain")
    return out
