"""Charts for committee papers: the funnel plot of rates against population size.

Drawn with matplotlib's object API like the maps, saved deterministically by
:func:`localitymap.renderers.maps.save`. Marker shapes as well as position say higher (▲), lower
(▼) or within the limits (●), so the chart reads in greyscale; a point beyond the 99.8% limit is
filled, one beyond only the 95% limit hollow. Labels are placed one by one where they overlap no
other label, point or line; axes carry thousands separators.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MARKERS = {"higher": ("^", "#08306b"), "lower": ("v", "#6baed6"), "similar": ("o", "#4d4d4d")}
LEGEND = {
    ("higher", True): "above the 99.8% limit",
    ("higher", False): "above the 95% limit only",
    ("lower", True): "below the 99.8% limit",
    ("lower", False): "below the 95% limit only",
    ("similar", False): "within the 95% limits",
}
# Offsets (points) tried for a label, nearest first: right, left, above, below, then diagonals.
CANDIDATES = [
    (6, 0, "left", "center"), (-6, 0, "right", "center"), (0, 7, "center", "bottom"),
    (0, -7, "center", "top"), (6, 6, "left", "bottom"), (-6, 6, "right", "bottom"),
    (6, -6, "left", "top"), (-6, -6, "right", "top"), (12, 12, "left", "bottom"),
    (-12, 12, "right", "bottom"), (12, -12, "left", "top"), (-12, -12, "right", "top"),
    (0, 18, "center", "bottom"), (0, -18, "center", "top"), (20, 20, "left", "bottom"),
    (-20, 20, "right", "bottom"), (20, -20, "left", "top"), (-20, -20, "right", "top"),
    (0, 30, "center", "bottom"), (0, -30, "center", "top"),
    *((dx, dy, "left" if dx > 0 else "right" if dx < 0 else "center",
       "bottom" if dy > 0 else "top" if dy < 0 else "center")
      for r in (32, 45, 60) for dx, dy in ((r, 0), (-r, 0), (0, -r), (0, r), (r, -r), (-r, -r),
                                           (r, r), (-r, r))),
]  # fmt: skip


def _beyond(x: float, lo: float, hi: float, grid: list[float], limit: tuple[list[float], list[float]],
            position: str) -> bool:  # fmt: skip
    """Whether a point already outside the 95% limits is outside the 99.8% ones too."""
    import numpy as np

    lower = float(np.interp(x, grid, limit[0]))
    upper = float(np.interp(x, grid, limit[1]))
    if position == "higher":
        return lo > upper
    if position == "lower":
        return math.isfinite(hi) and hi < lower
    return False


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
    to_label = []
    outer = limits.get(0.998)
    for p in sorted(points, key=lambda p: p["denominator"]):
        marker, colour = MARKERS[p["position"]]
        x, lo, hi = p["denominator"], p["rate_low"], p["rate_high"]
        far = outer is not None and _beyond(x, lo, hi, grid, outer, p["position"])
        if math.isfinite(hi) and hi != lo:
            ax.plot([x, x], [lo, hi], color=colour, linewidth=2, solid_capstyle="butt")
        y = lo if not math.isfinite(hi) or hi == lo else (lo + hi) / 2
        key = (p["position"], far)
        label = None if key in seen else LEGEND[key]
        seen.add(key)
        hollow = p["position"] != "similar" and not far
        ax.plot(
            [x],
            [y],
            marker=marker,
            color=colour,
            markerfacecolor="white" if hollow else colour,
            markeredgewidth=1.4,
            markersize=7,
            linestyle="none",
            label=label,
            zorder=5,
        )
        if label_all or p["position"] != "similar":
            to_label.append((str(p["name"]), x, y))
    ax.set_xlabel(x_label, fontsize=8)
    ax.set_ylabel(y_label, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlim(grid[0], grid[-1])
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: f"{v:,.0f}" if v == int(v) else f"{v:,.1f}")
    )
    _place_labels(fig, ax, to_label)
    fig.legend(loc="upper left", bbox_to_anchor=(0.75, 0.84), fontsize=7, frameon=False)
    fig.text(0.03, 0.965, title, fontsize=12, fontweight="bold", va="top")
    import textwrap

    fig.text(0.03, 0.915, textwrap.fill(subtitle, 105), fontsize=8, color="#444444", va="top")
    _footer(fig, footer, illustrative)
    return fig


def _place_labels(fig: Figure, ax: Any, items: list[tuple[str, float, float]]) -> None:
    """Each label at the first of :data:`CANDIDATES` where it overlaps no placed label, no
    point and no line, inside the axes; failing that, where it overlaps least."""
    from itertools import pairwise

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    if not items:
        return
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    ax.set_ylim(*ax.get_ylim())  # fix the limits the labels are placed against
    # Lines and points as display coordinates, sampled densely enough to catch any crossing.
    samples = []
    for line in ax.get_lines():
        # Each line's own transform: the borough line (axhline) is in axes fractions along x.
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        if len(xy) > 1:
            # a sample every two pixels or so along each segment
            dense = [
                np.linspace(a, b, max(2, int(np.hypot(*(b - a)) // 2) + 1)) for a, b in pairwise(xy)
            ]
            samples.append(np.vstack(dense))
        else:
            samples.append(xy)
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    leaders: list[Any] = []  # sample points along the leader lines drawn so far

    def inside(xy: Any, box: Any) -> bool:
        return bool(((xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1)
                     & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)).any())  # fmt: skip

    for name, x, y in items:
        best = None
        point = ax.transData.transform((x, y))
        for dx, dy, ha, va in CANDIDATES:
            # A label set further off gets a thin leader line to its point.
            leader = (
                {
                    "arrowstyle": "-",
                    "color": "#777777",
                    "linewidth": 0.6,
                    "shrinkA": 1,
                    "shrinkB": 4,
                }
                if max(abs(dx), abs(dy)) >= 12
                else None
            )
            text = ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points",
                               fontsize=6.5, ha=ha, va=va, zorder=6, arrowprops=leader)  # fmt: skip
            text.update_positions(renderer)
            # The words only (Text's extent; the Annotation's would include the leader line).
            box = Text.get_window_extent(text, renderer).expanded(1.04, 1.15)
            # Another label is the worst thing to cover, then leaving the axes, then lines.
            hits = 1000 * sum(box.overlaps(b) for b in placed)
            # then each line or point it covers (counted once, however long the crossing)
            hits += 10 * sum(inside(xy, box) for xy in samples)
            # A leader line must not cross a label, nor a label another leader.
            line = None
            if leader is not None:
                centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
                line = np.linspace(point, centre, 30)[3:]
                hits += 1000 * sum(inside(line, b) for b in placed)
                # nor another leader (two crossing leaders make it unclear which name is whose)
                hits += 1000 * sum(_crosses(line[0], line[-1], o[0], o[-1]) for o in leaders)
            hits += 1000 * sum(inside(other, box) for other in leaders)
            hits += 500 * int(not (frame.x0 <= box.x0 and box.x1 <= frame.x1
                                   and frame.y0 <= box.y0 and box.y1 <= frame.y1))  # fmt: skip
            if best is None or hits < best[0]:
                if best is not None:
                    best[1].remove()
                best = (hits, text, box, line)
            else:
                text.remove()
            if hits == 0:
                break
        assert best is not None
        placed.append(best[2])
        if best[3] is not None:
            leaders.append(best[3][: int(len(best[3]) * 0.8)])  # up to the label's edge


def _crosses(a: Any, b: Any, c: Any, d: Any) -> bool:
    """Whether segment a-b crosses segment c-d (strictly: touching ends do not count).

    >>> _crosses((0, 0), (2, 2), (0, 2), (2, 0)), _crosses((0, 0), (1, 0), (0, 1), (1, 1))
    (True, False)
    """

    def side(p: Any, q: Any, r: Any) -> float:
        return float((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]))

    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0
