"""Public-health statistics: the reference values from the issue, each checked against an
independent computation, and invariants over many counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.stats import norm, poisson

from localitymap.statistics.methods import (
    compare_bounded,
    compare_with_rest,
    count_limits,
    funnel_limits,
    rate_ci,
    recent_trend,
    recent_trends,
    wilson_ci,
)

# (observed, denominator, level) -> (rate, lower, upper) per 10,000, as published in the issue
REFERENCE = [
    (0, 2500, 0.95, (0.00, 0.00, 14.76)),
    (3, 2500, 0.95, (12.00, 2.47, 35.07)),
    (9, 2500, 0.95, (36.00, 16.46, 68.34)),
    (10, 2500, 0.95, (40.00, 19.15, 73.57)),
    (42, 3100, 0.95, (135.48, 97.63, 183.14)),
    (42, 3100, 0.998, (135.48, 79.85, 213.45)),
]


@pytest.mark.parametrize("observed, n, level, expected", REFERENCE)
def test_rates_match_the_reference_values(observed, n, level, expected):
    r = rate_ci(observed, n, level)
    assert (round(r.rate, 2), round(r.lower, 2), round(r.upper, 2)) == expected
    assert r.method == ("exact Poisson" if observed < 10 else "Byar")


def _exact_poisson_by_root_finding(observed: int, level: float) -> tuple[float, float]:
    """Exact limits found by inverting the Poisson CDF: an independent route to the same answer
    as the chi-squared quantiles the library uses."""
    alpha = 1 - level
    upper = brentq(lambda mu: poisson.cdf(observed, mu) - alpha / 2, 1e-9, 10 * observed + 50)
    lower = (
        0.0
        if observed == 0
        else brentq(lambda mu: poisson.sf(observed - 1, mu) - alpha / 2, 1e-9, 10 * observed + 50)
    )
    return lower, upper


@pytest.mark.parametrize("observed", [0, 1, 3, 9])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_exact_limits_agree_with_inverting_the_poisson_cdf(observed, level):
    lower, upper, method = count_limits(observed, level)
    ref_lower, ref_upper = _exact_poisson_by_root_finding(observed, level)
    assert method == "exact Poisson"
    assert lower == pytest.approx(ref_lower, abs=1e-6) and upper == pytest.approx(
        ref_upper, rel=1e-6
    )


@pytest.mark.parametrize("observed", [10, 42, 100, 1000])
def test_byar_approximates_the_exact_limits(observed):
    lower, upper, method = count_limits(observed, 0.95)
    ref_lower, ref_upper = _exact_poisson_by_root_finding(observed, 0.95)
    assert method == "Byar"
    assert lower == pytest.approx(ref_lower, rel=0.01) and upper == pytest.approx(
        ref_upper, rel=0.01
    )


def _wilson_by_solving(observed: int, n: int, level: float) -> tuple[float, float]:
    """Wilson limits are where |p_hat - p| = z * sqrt(p(1-p)/n): solve for p on each side."""
    z = norm.ppf(1 - (1 - level) / 2)
    p_hat = observed / n

    def score(p):
        return abs(p_hat - p) - z * math.sqrt(p * (1 - p) / n)

    lower = 0.0 if observed == 0 else brentq(score, 1e-12, p_hat)
    upper = 1.0 if observed == n else brentq(score, p_hat, 1 - 1e-12)
    return lower, upper


@pytest.mark.parametrize(
    "observed, n, expected", [(5, 120, (4.17, 1.79, 9.38)), (42, 3100, (1.355, 1.004, 1.826))]
)
def test_wilson_matches_the_reference_and_an_independent_solution(observed, n, expected):
    p, lower, upper = wilson_ci(observed, n)
    digits = 3 if observed == 42 else 2
    assert (
        round(p * 100, digits),
        round(lower * 100, digits),
        round(upper * 100, digits),
    ) == expected
    ref = _wilson_by_solving(observed, n, 0.95)
    assert lower == pytest.approx(ref[0], rel=1e-9) and upper == pytest.approx(ref[1], rel=1e-9)


@given(st.integers(0, 5000), st.integers(1, 10**6), st.sampled_from([0.95, 0.998]))
def test_interval_contains_the_rate_and_widens_with_confidence(observed, n, level):
    r = rate_ci(observed, n, level)
    assert r.lower <= r.rate <= r.upper
    wider = rate_ci(observed, n, 0.998)
    assert wider.lower <= rate_ci(observed, n, 0.95).lower + 1e-9


@given(st.integers(0, 300), st.integers(0, 300), st.integers(0, 60))
def test_bounded_verdict_is_only_given_when_every_realisation_agrees(low, rest, extra):
    high = low + extra
    verdict = compare_bounded(low, high, 10_000, rest, rest, 30_000)
    realised = {
        compare_with_rest(x, 10_000, rest, 30_000)
        for x in range(low, high + 1, max(1, extra // 7 or 1))
    }
    realised |= {compare_with_rest(high, 10_000, rest, 30_000)}
    if verdict != "uncertain":
        assert realised == {verdict}


def test_comparison_with_the_rest_of_the_borough():
    assert compare_with_rest(60, 10_000, 100, 40_000) == "higher"  # 60 vs 25 per 10,000
    assert compare_with_rest(5, 10_000, 100, 40_000) == "lower"
    assert compare_with_rest(25, 10_000, 100, 40_000) == "similar"
    assert compare_with_rest(0, 10_000, 0, 40_000) == "similar"
    # A difference significant at 95% need not be at 99.8%
    levels = {lvl: compare_with_rest(40, 10_000, 100, 40_000, lvl) for lvl in (0.95, 0.998)}
    assert levels == {0.95: "higher", 0.998: "similar"}


def test_funnel_limits_narrow_as_populations_grow():
    lower, upper = funnel_limits(0.005, [1_000, 10_000, 100_000], 0.95)
    assert all(lo < 50 < hi for lo, hi in zip(lower, upper, strict=True))
    widths = [hi - lo for lo, hi in zip(lower, upper, strict=True)]
    assert widths == sorted(widths, reverse=True)
    lo998, hi998 = funnel_limits(0.005, [10_000], 0.998)
    assert lo998[0] < lower[1] and hi998[0] > upper[1]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError):
        rate_ci(3, 0)
    with pytest.raises(ValueError):
        count_limits(-1)
    with pytest.raises(ValueError):
        wilson_ci(5, 4)


# A count or denominator; -1 stands for an unknown value (rare, so most series are tested).
_point = st.integers(-1, 400).map(lambda v: math.nan if v < 0 else float(v))
_denominator = st.one_of(
    st.integers(-1, 5_000).map(lambda v: math.nan if v < 0 else float(v)), st.floats(0.5, 1e5)
)


@given(
    st.lists(
        st.tuples(
            st.lists(_point, min_size=5, max_size=5),
            st.lists(_denominator, min_size=5, max_size=5),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
@settings(deadline=None)  # the first example may import SciPy for the critical value
def test_the_trend_of_many_series_at_once_is_each_series_own_verdict(series, plain):
    """recent_trends (the arrays compare uses at national scale) gives every series exactly
    recent_trend's verdict: same tests, same sums in the same order, same edge cases."""
    import numpy as np

    counts = np.array([c for c, _, _ in series])
    dens = None if plain else np.array([d for _, d, _ in series])
    prop = np.array([p for _, _, p in series])
    got = recent_trends(counts, dens, prop)
    expected = [
        recent_trend(c, None if plain else d, proportion=p) for c, d, p in series
    ]  # fmt: skip
    assert got.tolist() == expected


def test_the_trend_of_many_series_keeps_verdicts_either_side_of_the_critical_value():
    """A last point climbing past the 99.8% critical value: the array and the one-series
    verdicts flip at the same count (31 -> 32 for a rate, 29 -> 30 for a proportion)."""
    import numpy as np

    rows = np.array([[12, 12, 12, 12, last] for last in (29, 30, 31, 32)], dtype=float)
    dens = np.full(rows.shape, 100.0)
    flat, up = "no significant change", "increasing"
    assert recent_trends(rows, dens, False).tolist() == [flat, flat, flat, up]
    assert recent_trends(rows, dens, True).tolist() == [flat, up, up, up]
    for prop in (False, True):
        assert recent_trends(rows, dens, prop).tolist() == [
            recent_trend(r, d, proportion=prop)
            for r, d in zip(rows.tolist(), dens.tolist(), strict=True)
        ]
    with pytest.raises(ValueError):
        recent_trends(np.ones((3, 4)))
