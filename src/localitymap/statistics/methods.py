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
    from scipy.stats import chi2

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
    if u * u / var <= float(chi2.ppf(level, 1)):
        return "no significant change"
    return "increasing" if u > 0 else "decreasing"
