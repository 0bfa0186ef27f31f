"""Terminal tables and CSV text for the planning commands: allocate, design, whatif, hand-offs.

Every one carries the advice label, the inputs and the formulas, so a figure read off the screen or
a file can be traced back to what made it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    import pandas as pd

ILLUSTRATIVE = (
    "ILLUSTRATIVE DATA: these figures are invented for demonstration and are not real "
    "children's-services data."
)


def _n(x: float, decimals: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    return f"{x:,.{decimals}f}"


def _range(low: float, high: float, decimals: int = 0) -> str:
    if low == high:
        return _n(low, decimals)
    if math.isinf(high):
        return f"≥{_n(low, decimals)}"
    return f"{_n(low, decimals)}–{_n(high, decimals)}"


def _table(columns: list[tuple[str, str]]) -> Table:
    tab = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in columns:
        tab.add_column(name, justify=justify)  # type: ignore[arg-type]
    return tab


def _notes(attrs: dict[str, Any], extra: list[str] | None = None) -> Text:
    lines = []
    if attrs.get("illustrative"):
        lines.append(ILLUSTRATIVE)
    lines += [f"{name}: {value}" for name, value in attrs.get("inputs", [])]
    lines += [f"Formula: {f}" for f in attrs.get("formulas", [])]
    lines += extra or []
    lines.append(str(attrs.get("advice", "Advice for planning, not a decision.")))
    if attrs.get("status"):
        lines.append(str(attrs["status"]))
    return Text("\n".join(lines), style="dim")


def demand_label(attrs: dict[str, Any]) -> str:
    """``cp_plans + 2 × lac`` from the indicators and weights a demand was made of."""
    weights = attrs.get("weights", {})
    parts = [
        ind if weights.get(ind, 1.0) == 1.0 else f"{weights[ind]:g} × {ind}"
        for ind in attrs.get("indicators", [])
    ]
    return " + ".join(parts)


def allocation_group(result: pd.DataFrame, scheme_name: str) -> Group:
    """Posts per locality: demand, share, quota, posts, caseload, and with the pool deployed."""
    a = result.attrs
    fte = a["unit"] == "FTE"
    d = 1 if fte else 0
    title = Text(
        f"Locality posts: {scheme_name}, {a.get('period') or 'period not stated'} "
        f"({a['staff']:g} {a['unit']}, {a['flex']:.0%} borough pool)",
        style="bold",
    )
    tab = _table([("Locality", "left"), ("Demand", "right"), ("Share", "right"),
                  ("Quota", "right"), ("FTE" if fte else "Posts", "right"), ("Caseload", "right"),
                  ("+ pool", "right"), ("Caseload with pool", "right")])  # fmt: skip
    for r in result.to_dict("records"):
        tab.add_row(
            r["locality"],
            _range(r["demand_low"], r["demand_high"], 1 if a.get("weighted") else 0),
            _range(r["share_low"] * 100, r["share_high"] * 100, 1) + "%",
            _range(r["quota_low"], r["quota_high"], 2),
            _range(float(r["posts_low"]), float(r["posts_high"]), d),
            _range(r["caseload_low"], r["caseload_high"], 1),
            _n(float(r["pool_posts"]), d) if a["exact"] else "",
            _n(r["caseload_with_pool"], 1) if a["exact"] else "",
        )
    tab.add_section()
    tab.add_row("Borough pool", "", "", "", _n(a["pool"], d), "", "", "")
    total_posts = a["allocated"] + a["pool"]
    tab.add_row(
        "Total",
        _range(a["total_demand_low"], a["total_demand_high"]),
        "100.0%",
        "",
        _n(total_posts, d),
        _n(a["total_demand_low"] / total_posts, 1) if a["exact"] else "",
        "",
        "",
    )
    extra = [f"Demand: {demand_label(a)} (cases{', weighted' if a.get('weighted') else ''})."]
    return Group(title, tab, _notes(a, extra))


def need_group(result: pd.DataFrame, scheme_name: str) -> Group:
    """FTE and whole posts each locality needs at a caseload."""
    a = result.attrs
    title = Text(
        f"Posts needed at {a['caseload'].per_fte:g} cases per FTE: {scheme_name}, "
        f"{a.get('period') or 'period not stated'}",
        style="bold",
    )
    tab = _table([("Locality", "left"), ("Demand", "right"), ("FTE needed", "right"),
                  ("Whole posts", "right")])  # fmt: skip
    for r in result.to_dict("records"):
        tab.add_row(
            r["locality"],
            _range(r["demand_low"], r["demand_high"], 1 if a.get("weighted") else 0),
            _range(r["needed_low"], r["needed_high"], 1),
            _range(r["posts_low"], r["posts_high"]),
        )
    tab.add_section()
    tab.add_row(
        "Total",
        _range(float(result["demand_low"].sum()), float(result["demand_high"].sum())),
        _range(a["total_needed_low"], a["total_needed_high"], 1),
        _range(a["total_posts_low"], a["total_posts_high"]),
    )
    extra = [f"Demand: {demand_label(a)} (cases{', weighted' if a.get('weighted') else ''})."]
    return Group(title, tab, _notes(a, extra))


def frame_csv(frame: pd.DataFrame, header: list[str]) -> str:
    """A table as CSV under ``#`` lines (``pandas.read_csv(path, comment="#")`` reads it)."""
    lines = [f"# {h}" for h in header]
    body = frame.to_csv(index=False, lineterminator="\n", float_format="%.6g")
    return "\n".join(lines) + ("\n" if lines else "") + body


def header_lines(attrs: dict[str, Any], title: str) -> list[str]:
    """The ``#`` lines of a planning CSV: title, data status, inputs, formulas, advice."""
    lines = [title]
    if attrs.get("illustrative"):
        lines.append(ILLUSTRATIVE)
    lines += [f"{name}: {value}" for name, value in attrs.get("inputs", [])]
    lines += [f"Formula: {f}" for f in attrs.get("formulas", [])]
    lines.append(str(attrs.get("advice", "Advice for planning, not a decision.")))
    if attrs.get("status"):
        lines.append(str(attrs["status"]))
    return [line.replace("\n", " ") for line in lines]


def comparison_group(
    title: str,
    table: pd.DataFrame,
    stats: dict[str, dict[str, float]],
    moved: pd.DataFrame,
    names: tuple[str, str],
    notes: list[str],
) -> Group:
    """Current and proposed localities side by side, balance figures, and the wards that moved."""
    cur, new = names
    tab = _table([("Locality", "left"), (f"Wards ({cur})", "right"), (f"Demand ({cur})", "right"),
                  (f"Wards ({new})", "right"), (f"Demand ({new})", "right"),
                  ("Change", "right")])  # fmt: skip
    decimals = 0 if all(float(v).is_integer() for v in table["demand_current"].dropna()) else 3
    for r in table.to_dict("records"):
        tab.add_row(
            r["locality"],
            str(r["wards_current"]),
            _n(r["demand_current"], decimals),
            str(r["wards_proposed"]),
            _n(r["demand_proposed"], decimals),
            f"{r['change']:+,.{decimals}f}",
        )
    bal = _table([("Balance", "left"), (cur, "right"), (new, "right")])
    for key, label, fmt in [
        ("max_min_ratio", "Largest ÷ smallest demand", "{:.2f}"),
        ("cv", "Coefficient of variation", "{:.1%}"),
        ("max", "Largest locality demand", "{:,.6g}"),
        ("min", "Smallest locality demand", "{:,.6g}"),
    ]:
        bal.add_row(label, fmt.format(stats["current"][key]), fmt.format(stats["proposed"][key]))
    parts: list[Any] = [Text(title, style="bold"), tab, bal]
    if len(moved):
        mv = _table([("Ward moved", "left"), ("From", "left"), ("To", "left")])
        for r in moved.to_dict("records"):
            mv.add_row(r["ward_name"], r["from"], r["to"])
        parts.append(mv)
    else:
        parts.append(Text("No ward moved."))
    parts.append(Text("\n".join(notes), style="dim"))
    return Group(*parts)


def handoff_group(table: pd.DataFrame, policy: str, symbol: str, threshold: int) -> Group:
    """Hand-off counts per scheme, small counts hidden under the disclosure policy."""
    tab = _table([("Scheme", "left"), ("Moves within borough", "right"),
                  ("Children moving", "right"), ("Hand-offs (moves)", "right"),
                  ("Children handed off", "right"), ("Into / out of borough", "right")])  # fmt: skip

    def shown(n: int) -> str:
        return symbol if 0 < n <= threshold else f"{n:,}"

    for r in table.to_dict("records"):
        tab.add_row(
            r["scheme"],
            shown(r["moves_within"]),
            shown(r["children_moving"]),
            shown(r["handoff_moves"]),
            shown(r["children_handed_off"]),
            f"{shown(r['moves_into'])} / {shown(r['moves_out_of'])}",
        )
    a = table.attrs
    period = f"{a.get('since') or 'the start'} to {a.get('until') or 'the end'} of the history"
    lines = [
        f"Hand-offs: house moves within the borough, {period}, from a ward of one locality to "
        "a ward of another (the cases a locality team would hand to another team).",
        f"Not counted as moves within the borough: {shown(a.get('unlocated', 0))} move(s) with "
        f"an address of unknown location, {shown(a.get('outside', 0))} wholly outside, "
        f"{shown(a.get('undated', 0))} address(es) with no start date.",
    ]
    if threshold:
        lines.append(f"Disclosure control: {policy}; counts of 1 to {threshold} shown as {symbol}.")
    else:
        lines.append("Disclosure control: none (internal use only: not for publication).")
    return Group(Text("Hand-offs between localities", style="bold"), tab,
                 Text("\n".join(lines), style="dim"))  # fmt: skip
