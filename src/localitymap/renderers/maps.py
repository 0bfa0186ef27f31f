"""Choropleth maps of localities or wards for committee papers (PNG, SVG, PDF).

Drawn with matplotlib's object API (no pyplot, so nothing global and less start-up). Choices:

- Palette: ColorBrewer YlGnBu, whose lightness rises steadily from class to class, so maps read
  in greyscale print and for colour-blind readers.
- Classes: equal intervals with rounded break points (e.g. 40–60–80), at most five, stated in the
  legend. A locality whose range (from suppressed wards) spans classes is hatched, not coloured.
- Ward outlines thin and grey under bold locality outlines; locality names and values labelled on
  a white halo; a scale bar, a north arrow, the data period, "illustrative data" where it applies
  and the ONS attribution line.
- Deterministic: the same input gives the same bytes (fixed fonts, no dates or software tags).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from localitymap.publication.cells import period_label  # noqa: F401 (drawn here, named there)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Value = Literal["count", "share"]
FORMATS = ("png", "svg", "pdf")
PALETTE = "YlGnBu"
UNCERTAIN_COLOUR = "#d9d9d9"
SUPPRESSED_HATCH = "..."
A4_PORTRAIT = (8.27, 11.69)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip


@dataclass(frozen=True)
class Classes:
    """Class break points (``len(breaks) - 1`` classes) and one colour per class."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    as_percent: bool

    def index(self, value: float) -> int:
        """The class a value falls in (the top break belongs to the last class)."""
        for i in range(len(self.breaks) - 1):
            if value < self.breaks[i + 1]:
                return max(i, 0)
        return len(self.breaks) - 2

    def label(self, i: int) -> str:
        lo, hi = self.breaks[i], self.breaks[i + 1]
        joiner = "to" if i == len(self.breaks) - 2 else "to under"  # the top class is closed
        return f"{_fmt(lo, self.as_percent)} {joiner} {_fmt(hi, self.as_percent)}"


def _fmt(x: float, as_percent: bool) -> str:
    if as_percent:
        return f"{x * 100:.0f}%" if abs(x * 100 - round(x * 100)) < 1e-9 else f"{x * 100:.1f}%"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.1f}"


def nice_breaks(values: Sequence[float], max_classes: int = 5) -> tuple[float, ...]:
    """Equal-interval breaks on a rounded step (1, 2, 2.5 or 5 × 10^n) covering the values; the
    top class includes its upper break.

    >>> nice_breaks([44, 49, 61, 65, 73, 113])
    (40.0, 60.0, 80.0, 100.0, 120.0)
    >>> nice_breaks([0.108, 0.279])
    (0.1, 0.15, 0.2, 0.25, 0.3)
    """
    finite = [float(v) for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return (0.0, 1.0)
    lo, hi = min(finite), max(finite)
    if hi == lo:
        return (lo, lo + 1.0) if lo >= 0 else (lo - 1.0, lo + 1.0)
    raw = (hi - lo) / max_classes
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))

    def covering(step: float) -> list[float]:
        start = math.floor(lo / step + 1e-9) * step
        out = [start, start + step]
        while out[-1] < hi - 1e-12:
            out.append(out[-1] + step)
        return out

    breaks = covering(step)
    while len(breaks) - 1 > max_classes:  # rounding the start down can add a class: widen the step
        step = next(m * mag for m in (1, 2, 2.5, 5, 10, 20, 25, 50) if m * mag > step)
        breaks = covering(step)
    return tuple(float(round(b, 10)) for b in breaks)


def make_classes(values: Sequence[float], as_percent: bool, max_classes: int = 5) -> Classes:
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    # Never more classes than distinct values: three localities do not need five colours.
    breaks = nice_breaks(values, min(max_classes, max(len(set(values)), 2)))
    n = len(breaks) - 1
    cmap = mpl.colormaps[PALETTE]
    positions = [0.12 + 0.8 * i / max(n - 1, 1) for i in range(n)] if n > 1 else [0.5]
    return Classes(breaks, tuple(to_hex(cmap(p)) for p in positions), as_percent)


def _paths(geom: Any) -> Any:
    """A shapely (Multi)Polygon as one matplotlib Path, holes included."""
    import numpy as np
    import shapely
    from matplotlib.path import Path

    verts, codes = [], []
    for poly in shapely.get_parts(geom):
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            verts.append(xy)
            c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            codes.append(c)
    if not verts:
        return Path(np.zeros((1, 2)), [Path.MOVETO])
    return Path(np.concatenate(verts), np.concatenate(codes))


def _draw_shapes(ax: Axes, geoms: Sequence[Any], faces: Sequence[str], *, edge: str, width: float,
                 hatches: Sequence[str] | None = None, z: int = 1) -> None:  # fmt: skip
    """All shapes of a layer as one collection (hatched ones as a second): one artist draws far
    faster than one patch per shape, and the axes limits are set once, explicitly."""
    from matplotlib.collections import PathCollection

    hatches = hatches or [""] * len(geoms)
    for hatch in sorted(set(hatches)):
        idx = [i for i, h in enumerate(hatches) if h == hatch]
        collection = PathCollection(
            [_paths(geoms[i]) for i in idx],
            facecolors=[faces[i] for i in idx],
            edgecolors=edge,
            linewidths=width,
            hatch=hatch or None,
            zorder=z,
            joinstyle="round",
        )
        ax.add_collection(collection, autolim=False)


def _outline(ax: Axes, geoms: Sequence[Any], colour: str, width: float, z: int) -> None:
    _draw_shapes(ax, geoms, ["none"] * len(geoms), edge=colour, width=width, z=z)


# A translucent white box behind labels: as legible as a halo, and the label stays real text in
# SVG and PDF (a path-effect halo turns text into outlines that screen readers cannot read).
_LABEL_BOX = {
    "boxstyle": "round,pad=0.15",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.72,
}


def _fill(
    values_low: Sequence[float], values_high: Sequence[float], classes: Classes
) -> tuple[list[str], list[str], bool]:
    """Face colour and hatch per shape; hatch where a bounded value could fall in several classes."""
    faces, hatches, any_uncertain = [], [], False
    for lo, hi in zip(values_low, values_high, strict=True):
        if lo is None or not math.isfinite(lo):  # hidden by disclosure control
            faces.append("white")
            hatches.append(SUPPRESSED_HATCH)
            continue
        same = hi is not None and math.isfinite(hi) and classes.index(lo) == classes.index(hi)
        if same:
            faces.append(classes.colours[classes.index(lo)])
            hatches.append("")
        else:
            faces.append(UNCERTAIN_COLOUR)
            hatches.append("////")
            any_uncertain = True
    return faces, hatches, any_uncertain


def _legend(fig: Figure, classes: Classes, title: str, uncertain: bool, anchor: tuple[float, float],
            fontsize: float = 7.5, hidden: str = "", used: set[int] | None = None) -> None:  # fmt: skip
    """The class legend in its own space beside the map, so it never hides part of it; only
    the classes some shape falls in (``used``) are listed."""
    import textwrap

    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#333333", linewidth=0.5, label=classes.label(i))
               for i, c in enumerate(classes.colours) if used is None or i in used]  # fmt: skip
    if uncertain:
        handles.append(Patch(facecolor=UNCERTAIN_COLOUR, hatch="////", edgecolor="#333333",
                             linewidth=0.5, label="range spans classes\n(suppressed cells)"))  # fmt: skip
    if hidden:
        handles.append(_hidden_patch(hidden))
    title = "\n".join(textwrap.fill(part, 24) for part in title.split("\n"))
    fig.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=anchor,
               fontsize=fontsize, title_fontsize=fontsize, frameon=False, handlelength=1.6,
               alignment="left")  # fmt: skip


def _hidden_patch(symbol: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor="white", hatch=SUPPRESSED_HATCH, edgecolor="#333333", linewidth=0.5,
                 label=f"{symbol} suppressed\n(small numbers)")  # fmt: skip


def _scale_bar(ax: Axes, frame_bounds: Sequence[float]) -> None:
    minx, miny, maxx, _ = frame_bounds
    width = maxx - minx
    # A round length at most a quarter of the map's width (an area under 2 km across too).
    steps = (50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05)
    km = next((k for k in steps if k * 1000 <= width / 4), steps[-1])
    x0, y0 = maxx - km * 1000 - width * 0.03, miny + width * 0.02
    ax.plot(
        [x0, x0 + km * 1000], [y0, y0], color="black", linewidth=2, solid_capstyle="butt", zorder=9
    )
    ax.text(x0 + km * 1000 / 2, y0 + width * 0.012, f"{km:g} km", ha="center", va="bottom",
            fontsize=7, zorder=9, bbox=_LABEL_BOX)  # fmt: skip


def _north_arrow(ax: Axes) -> None:
    ax.annotate("N", xy=(0.96, 0.97), xytext=(0.96, 0.89), xycoords="axes fraction", ha="center",
                va="center", fontsize=9, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})  # fmt: skip


def _footer(
    fig: Figure, lines: list[str], illustrative: bool, y: float = 0.012, size: float = 7.5
) -> float:
    """Source lines at the foot of the page (at least 7 pt where the figure prints at its own
    size), and the data warning above them when it applies. Returns the top of what it wrote,
    as a fraction of the figure's height, so a map can sit above it."""
    import textwrap

    width = int(fig.get_figwidth() * 125 / size)  # characters that fit across at this size
    text = "\n".join(textwrap.fill(line, width) for line in lines)
    fig.text(
        0.03, y, text, fontsize=size, va="bottom", ha="left", color="#222222", linespacing=1.35
    )
    # Line height in points -> a fraction of this figure's height, so any page size works.
    block = (text.count("\n") + 1) * size * 1.35 / 72 / fig.get_figheight()
    top = y + block
    if illustrative:
        fig.text(0.03, top + 0.01,
                 "ILLUSTRATIVE DATA: invented figures, not real children's-services data",
                 fontsize=max(8, size), fontweight="bold", va="bottom", ha="left", color="black")  # fmt: skip
        top += 0.01 + max(8, size) * 1.35 / 72 / fig.get_figheight()
    return top


def _frame_axes(ax: Axes, bounds: Sequence[float], pad: float = 0.03) -> None:
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    ax.set_xlim(minx - dx, maxx + dx)
    ax.set_ylim(miny - dy, maxy + dy)
    ax.set_aspect("equal")
    ax.set_axis_off()


def share_digits(shares: Sequence[float], classes: Classes | None) -> int:
    """One number of decimals for every share label of a map: the fewest with which no label
    reads as another class than its colour (29.95% is not shown as 30%).

    >>> c = Classes((0.1, 0.2, 0.3), ("a", "b"), True)
    >>> share_digits([0.15, 0.1999], c), share_digits([0.15, 0.25], c)
    (2, 0)
    """
    finite = [v for v in shares if v is not None and math.isfinite(v)]
    for digits in range(3):
        if classes is None or all(
            classes.index(round(v * 100, digits) / 100) == classes.index(v) for v in finite
        ):
            return digits
    return 2


def _value_text(
    row: Any,
    ind: str,
    value: Value,
    classes: Classes | None = None,
    symbol: str = "",
    digits: int | None = None,
) -> str:
    """The label for one shape: its count (or range), or its share with just enough decimals that
    the label never reads as another class than its colour (29.95% is not shown as 30%); the
    disclosure ``symbol`` where the figure is hidden."""
    lo, hi = row[f"{ind}_low"], row[f"{ind}_high"]
    if not math.isfinite(lo):
        return symbol
    if value == "share":
        share = row.get(f"{ind}_share")
        if share is None or not math.isfinite(share):
            low, high = row.get(f"{ind}_share_low"), row.get(f"{ind}_share_high")
            if low is None or high is None or not math.isfinite(low) or not math.isfinite(high):
                return ""
            d = 0 if digits is None else digits
            return f"{low * 100:.{d}f}–{high * 100:.{d}f}%"
        if digits is None:
            digits = share_digits([share], classes)
        return f"{share * 100:.{digits}f}%"
    if math.isfinite(hi) and lo == hi:
        return f"{lo:,.0f}"
    return f"{lo:,.0f}–{hi:,.0f}" if math.isfinite(hi) else f"≥{lo:,.0f}"


def _value_bounds(
    layer: gpd.GeoDataFrame, ind: str, value: Value
) -> tuple[list[float], list[float]]:
    """Lower and upper bound of the mapped value per shape (equal where it is exact)."""
    if value == "count":
        return layer[f"{ind}_low"].tolist(), layer[f"{ind}_high"].tolist()
    if f"{ind}_share_low" in layer:
        return layer[f"{ind}_share_low"].tolist(), layer[f"{ind}_share_high"].tolist()
    # Ward layer: share of the borough, as small (large) as the ward can be against the rest.
    low, high = layer[f"{ind}_low"], layer[f"{ind}_high"]
    t_low, t_high = low.sum(), high.sum(min_count=len(high))
    lo = (low / (low + (t_high - high))).fillna(0.0)
    hi = (high / (high + (t_low - low))).fillna(1.0)
    return lo.tolist(), hi.tolist()


#: Above this many localities a map names none of them (the boxes would cover the picture): the
#: colour key reads the map, the table gives the figures, and the map says so.
LABEL_LIMIT = 36


def unlabelled_note(n: int) -> str:
    """What a map too crowded to label says instead.

    >>> unlabelled_note(1500)
    '1,500 localities: too many to label; read colours by the key, figures in the table.'
    """
    return f"{n:,} localities: too many to label; read colours by the key, figures in the table."


def draw_map(
    localities: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    indicator: str,
    label: str,
    *,
    level: Literal["locality", "ward"] = "locality",
    value: Value = "count",
    title_suffix: str = "",
    subtitle: str = "",
    footer: list[str],
    illustrative: bool,
    symbol: str = "",
) -> Figure:
    """One choropleth on a page-width figure: map on the left, legend in its own column.
    ``symbol`` labels shapes whose figure disclosure control hides."""
    from matplotlib.figure import Figure

    fill_layer = localities if level == "locality" else wards
    low, high = _value_bounds(fill_layer, indicator, value)
    if value == "share":
        low, high = _shown(low), _shown(high)
    classes = make_classes(
        [v for v in [*low, *high] if v is not None and math.isfinite(v)], value == "share"
    )
    faces, hatches, uncertain = _fill(low, high, classes)
    used = _used_classes(low, high, classes)
    digits = (
        share_digits(_shown(fill_layer[f"{indicator}_share"].tolist()), classes)
        if value == "share" and f"{indicator}_share" in fill_layer
        else None
    )

    fig = Figure(figsize=(7.0, 7.8))
    # The map sits above its footer, however many lines the sources take.
    # The map prints about 14.5 cm wide in the Word report: 8.8 pt here is over 7 pt on paper.
    foot = _footer(fig, footer, illustrative, size=8.8) + 0.015
    ax = fig.add_axes((0.01, foot, 0.70, 0.89 - foot))
    _draw_shapes(ax, list(fill_layer.geometry), faces, edge="none", width=0, hatches=hatches, z=1)
    _outline(ax, list(wards.geometry), "#7a7a7a", 0.35, z=2)
    _outline(ax, list(localities.geometry), "#111111", 1.3, z=3)
    labelled = len(localities) <= LABEL_LIMIT
    if not labelled:
        subtitle = f"{subtitle} {unlabelled_note(len(localities))}".strip()
    for _, row in localities.iterrows() if labelled else ():
        if level == "ward" and "ward_name" in wards:
            break  # the ward key names the localities; labels here would hide ward numbers
        pt = row.geometry.representative_point()
        text = row["locality"]
        if level == "locality":
            text += "\n" + _value_text(row, indicator, value, classes, symbol, digits)
        ax.text(pt.x, pt.y, text, ha="center", va="center", fontsize=7.5, fontweight="bold",
                zorder=6, bbox=_LABEL_BOX, linespacing=1.15)  # fmt: skip
    if level == "ward" and "ward_name" in wards:
        _ward_key(fig, ax, wards)
    unit = "share of borough total" if value == "share" else "count"
    hidden = symbol if any(not math.isfinite(v) for v in low) else ""
    _legend(fig, classes, f"{label} ({unit}) by {level}\nEqual intervals", uncertain, (0.72, 0.86),
            hidden=hidden, used=used)  # fmt: skip
    _frame_axes(ax, fill_layer.total_bounds)
    _scale_bar(ax, fill_layer.total_bounds)
    _north_arrow(ax)
    fig.text(
        0.03, 0.965, f"{label} by {level}{title_suffix}", fontsize=13, fontweight="bold", va="top"
    )
    if subtitle:
        fig.text(0.03, 0.925, subtitle, fontsize=8.5, color="#444444", va="top")
    return fig


def _ward_key(fig: Figure, ax: Axes, wards: gpd.GeoDataFrame) -> None:
    """Number each ward on the map and list the numbers with the ward names beside it, under
    their localities, so a councillor finds their own ward (28 names would not fit on the
    shapes themselves)."""
    keys = ["locality", "ward_name"] if "locality" in wards else ["ward_name"]
    order = wards.sort_values(keys)
    size = 6.3
    step = size * 1.2 / 72 / fig.get_figheight()
    y = 0.655  # under the legend (five classes and two hatch keys at most), above the footer
    fig.text(0.72, y, "Wards", fontsize=7.5, fontweight="bold", va="top", ha="left")
    y -= step * 1.4
    locality = None
    for k, (_, row) in enumerate(order.iterrows(), start=1):
        pt = row.geometry.representative_point()
        ax.text(pt.x, pt.y, str(k), ha="center", va="center", fontsize=6.5, zorder=7,
                bbox={**_LABEL_BOX, "pad": 0.15})  # fmt: skip
        if "locality" in row and row["locality"] != locality:
            locality = row["locality"]
            fig.text(0.72, y, str(locality), fontsize=size, fontweight="bold", va="top")
            y -= step
        fig.text(0.725, y, f"{k:>2}  {row['ward_name']}", fontsize=size, va="top", ha="left")
        y -= step


def _shown(shares: Sequence[float]) -> list[float]:
    """Shares as their labels show them (0.1%): a shape is coloured by the figure printed on it,
    so every label of a map can share one precision and still match its colour."""
    return [round(v, 3) if v is not None and math.isfinite(v) else v for v in shares]


def _used_classes(low: Sequence[float], high: Sequence[float], classes: Classes) -> set[int]:
    """The classes some shape is coloured with (exact figures, whose low equals high)."""
    return {
        classes.index(lo)
        for lo, hi in zip(low, high, strict=True)
        if lo is not None and math.isfinite(lo) and lo == hi
    }


def draw_small_multiples(
    localities: gpd.GeoDataFrame,
    wards: gpd.GeoDataFrame,
    indicators: list[tuple[str, str]],
    *,
    title: str,
    footer: list[str],
    illustrative: bool,
    symbol: str = "",
) -> Figure:
    """Every indicator's share by locality on one A4 page, one shared classification."""
    from matplotlib.figure import Figure

    shares = [
        v
        for ind, _ in indicators
        for col in (f"{ind}_share_low", f"{ind}_share_high")
        for v in _shown(localities[col].tolist())
        if math.isfinite(v)
    ]
    classes = make_classes(shares, as_percent=True)
    digits = share_digits(
        [v for ind, _ in indicators for v in _shown(localities[f"{ind}_share"].tolist())]
        if all(f"{ind}_share" in localities for ind, _ in indicators)
        else [],
        classes,
    )
    used: set[int] = set()
    n = len(indicators) + 1  # one panel is the key naming the localities
    cols = 4
    rows = math.ceil(n / cols)
    fig = Figure(figsize=A4_PORTRAIT)
    top, bottom = 0.93, 0.14
    height = (top - bottom) / rows
    width = 0.94 / cols
    uncertain_any = hidden_any = False
    for k in range(n):
        r, c = divmod(k, cols)
        ax = fig.add_axes((0.03 + c * width, top - (r + 1) * height, width * 0.96, height * 0.86))
        _outline(ax, list(wards.geometry), "#9a9a9a", 0.2, z=2)
        _outline(ax, list(localities.geometry), "#111111", 0.7, z=3)
        if k < len(indicators):
            ind, label = indicators[k]
            faces, hatches, uncertain = _fill(
                _shown(localities[f"{ind}_share_low"].tolist()),
                _shown(localities[f"{ind}_share_high"].tolist()),
                classes,
            )
            uncertain_any |= uncertain
            used |= _used_classes(
                _shown(localities[f"{ind}_share_low"].tolist()),
                _shown(localities[f"{ind}_share_high"].tolist()),
                classes,
            )
            hidden_any |= SUPPRESSED_HATCH in hatches
            _draw_shapes(
                ax, list(localities.geometry), faces, edge="none", width=0, hatches=hatches, z=1
            )
            for _, row in localities.iterrows() if len(localities) <= LABEL_LIMIT else ():
                pt = row.geometry.representative_point()
                text = _value_text(row, ind, "share", classes, symbol, digits)
                ax.text(pt.x, pt.y, text, ha="center", va="center",
                        fontsize=5.5, zorder=6, bbox=_LABEL_BOX)  # fmt: skip
            ax.set_title(label, fontsize=7.5, fontweight="bold", pad=2)
        else:
            labelled = len(localities) <= LABEL_LIMIT
            for _, row in localities.iterrows() if labelled else ():
                pt = row.geometry.representative_point()
                ax.text(pt.x, pt.y, row["locality"].replace(" ", "\n"), ha="center", va="center",
                        fontsize=5, fontweight="bold", zorder=6, bbox=_LABEL_BOX)  # fmt: skip
            key = "Key: localities" if labelled else unlabelled_note(len(localities))
            ax.set_title(key, fontsize=7.5 if labelled else 5, fontweight="bold", pad=2, wrap=True)
            _frame_axes(ax, localities.total_bounds, pad=0.02)
            _scale_bar(ax, localities.total_bounds)
            _north_arrow(ax)
            continue
        _frame_axes(ax, localities.total_bounds, pad=0.02)
    legend_ax = fig.add_axes((0.03, bottom - 0.075, 0.94, 0.07))
    legend_ax.set_axis_off()
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=c, edgecolor="#333333", linewidth=0.5, label=classes.label(i))
               for i, c in enumerate(classes.colours) if i in used]  # fmt: skip
    if uncertain_any:
        handles.append(Patch(facecolor=UNCERTAIN_COLOUR, hatch="////", edgecolor="#333333",
                             linewidth=0.5, label="not shown exactly (suppressed cells)"))  # fmt: skip
    if hidden_any and symbol:
        handles.append(_hidden_patch(symbol))
    legend_ax.legend(handles=handles, loc="center", ncol=min(len(handles), 3), fontsize=7,
                     title="Share of the borough total (equal intervals, one scale for all panels)",
                     title_fontsize=7.5, frameon=False)  # fmt: skip
    fig.text(0.03, 0.975, title, fontsize=12, fontweight="bold", va="top")
    _footer(fig, footer, illustrative)
    return fig


def save(fig: Figure, fmt: str, dpi: int = 200) -> bytes:
    """The figure as PNG, SVG or PDF bytes, free of dates and software tags (deterministic)."""
    import matplotlib as mpl

    if fmt not in FORMATS:
        raise ValueError(f"unknown map format {fmt!r}; choose from {', '.join(FORMATS)}")
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    }[fmt]
    buf = io.BytesIO()
    # svg.fonttype none keeps text as text: searchable, readable by screen readers, editable.
    with mpl.rc_context({"svg.hashsalt": "localitymap", "svg.fonttype": "none", "font.family": "DejaVu Sans",
                         "hatch.linewidth": 0.6, "pdf.fonttype": 42}):  # fmt: skip
        # zlib level 3: a quarter faster than the default 6 for flat-colour maps, ~10% larger.
        extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
        from localitymap.renderers.safety import library_warnings_logged

        with library_warnings_logged(f"{fmt} figure"):
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor="white", **extra)
    return buf.getvalue()
