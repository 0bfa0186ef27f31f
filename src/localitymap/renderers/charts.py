"""Charts for committee papers: the funnel plot of rates against population size.

Drawn with matplotlib's object API like the maps, saved deterministically by
:func:`localitymap.renderers.maps.save`. Marker shapes as well as position say higher (▲), lower
(▼) or within the limits (●), so the chart reads in greyscale.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MARKERS = {"higher": ("^", "#08306b"), "lower": ("v", "#6baed6"), "similar": ("o", "#4d4d4d")}
LEGEND = {
    "higher": "above the 95% limit",
    "lower": "below the 95% limit",
    "similar": "within the limits",
}


def draw_funnel(
    points: list[dict[str, Any]],
    borough_rate: float,
    limits: dict[float, tuple[list[float], list[float]]],
    grid: list[float],
    *,
    title: str,
    subtitle: str,
    x_label: str,
    y_label: str,
    footer: list[str],
    illustrative: bool,
    label_all: bool = True,
) -> Figure:
    """``points``: dicts with ``name``, ``denominator``, ``rate_low``, ``rate_high`` and
    ``position`` (higher / lower / similar against the limits). With many points, pass
    ``label_all=False`` to name only those outside the limits."""
    from matplotlib.figure import Figure

    from localitymap.renderers.maps import _footer

    fig = Figure(figsize=(7.0, 5.6))
    ax = fig.add_axes((0.11, 0.22, 0.62, 0.62))
    ax.axhline(
        borough_rate, color="black", linewidth=1.0, label=f"Borough rate ({borough_rate:.1f})"
    )
    styles = {0.95: ("--", "95% limits"), 0.998: (":", "99.8% limits")}
    for level, (lower, upper) in sorted(limits.items()):
        style, name = styles.get(level, ("-.", f"{level:.1%} limits"))
        ax.plot(grid, lower, style, color="#555555", linewidth=1.0, label=name)
        ax.plot(grid, upper, style, color="#555555", linewidth=1.0)
    seen = set()
    for p in sorted(points, key=lambda p: p["denominator"]):
        marker, colour = MARKERS[p["position"]]
        x, lo, hi = p["denominator"], p["rate_low"], p["rate_high"]
        if math.isfinite(hi) and hi != lo:
            ax.plot([x, x], [lo, hi], color=colour, linewidth=2, solid_capstyle="butt")
        y = lo if not math.isfinite(hi) or hi == lo else (lo + hi) / 2
        label = None if p["position"] in seen else LEGEND[p["position"]]
        seen.add(p["position"])
        ax.plot(
            [x],
            [y],
            marker=marker,
            color=colour,
            markersize=7,
            linestyle="none",
            label=label,
            zorder=5,
        )
        if label_all or p["position"] != "similar":
            ax.annotate(p["name"], (x, y), xytext=(5, 3), textcoords="offset points", fontsize=6.5)
    ax.set_xlabel(x_label, fontsize=8)
    ax.set_ylabel(y_label, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlim(grid[0], grid[-1])
    fig.legend(loc="upper left", bbox_to_anchor=(0.75, 0.84), fontsize=7, frameon=False)
    fig.text(0.03, 0.965, title, fontsize=12, fontweight="bold", va="top")
    import textwrap

    fig.text(0.03, 0.915, textwrap.fill(subtitle, 105), fontsize=8, color="#444444", va="top")
    _footer(fig, footer, illustrative)
    return fig
