"""How a comparison of two periods is shown: a terminal grid (indicators down, localities across,
each cell the counts before and after with the change and rank movement) and tidy exports."""

from __future__ import annotations

import io
import json
import math
from typing import TYPE_CHECKING, Any

from localitymap import __version__

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Group

MARK = {"up": "▲", "down": "▼", "same": "=", "uncertain": "?"}
TREND = {"increasing": "↑ increasing", "decreasing": "↓ decreasing", "no significant change": "→ no change",
         "cannot be calculated": "n/a"}  # fmt: skip


def _n(x: Any) -> str:
    return "?" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:,.0f}"


def cell(rec: dict[str, Any]) -> str:
    """``86→99`` over ``+13 ▲ #2→1`` (or the one period it appears in)."""
    if rec["presence"] != "both":
        return f"({rec['presence']})"
    change = rec["change"]
    if change == change:
        delta = f"{change:+,.0f}"
    else:
        delta = f"{rec['change_low']:+,.0f} to {rec['change_high']:+,.0f}"
    text = f"{_n(rec['count_before'])}→{_n(rec['count_after'])}\n{delta} {MARK.get(rec['direction'], '')}"
    ranked = (
        not rec["is_total"]
        and rec["rank_before"] is not None
        and rec["rank_before"] == rec["rank_before"]
    )
    if ranked and rec["rank_before"] != rec["rank_after"]:
        text += f" #{rec['rank_before']}→{rec['rank_after']}"
    if rec.get("ci_change") in ("higher", "lower"):
        text += " *"
    return text


def caption_lines(changes: pd.DataFrame) -> list[str]:
    a = changes.attrs
    lines = []
    if a.get("illustrative"):
        lines.append(
            "ILLUSTRATIVE DATA: these figures are invented for demonstration and are not real."
        )
    if a.get("status"):
        lines.append(str(a["status"]))
    lines.append(f"Localities: {a.get('scheme_name')}. Periods: {a.get('period_before')} → "
                 f"{a.get('period_after')}. Boundaries: {a.get('boundaries')}.")  # fmt: skip
    lines.append(
        "Change: ▲ up, ▼ down, = same, ? a range (suppressed cells). Share: percentage points of the "
        "borough total. Rank: 1 = highest. * = the 95% confidence intervals of the rates do not "
        "overlap (with --rates)."
    )
    periods = a.get("trend_periods", 0)
    if periods >= 5:
        lines.append(
            "Trend: the recent-trend test (chi-squared for trend) on the last 5 periods, 99.8% level."
        )
    else:
        lines.append(
            f"Trend: cannot be calculated ({periods} periods; the recent-trend test needs 5)."
        )
    for key, when in (
        ("only_before", a.get("period_before")),
        ("only_after", a.get("period_after")),
    ):
        if a.get(key):
            lines.append(f"Only in {when}: {', '.join(a[key])} (listed, not compared).")
    if a.get("disclosure_statement"):
        lines.append(str(a["disclosure_statement"]))
    return lines


def changes_table(changes: pd.DataFrame) -> Group:
    """One narrow table per indicator (localities down): readable at 100 columns."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    a = changes.attrs
    before, after = str(a.get("period_before")), str(a.get("period_after"))
    parts: list[Any] = [
        Text(f"What changed: {a.get('scheme_name')}, {before} → {after}", style="bold"),
        Text(""),
    ]
    for label, grp in changes.groupby("label", sort=False):
        recs = grp.to_dict("records")
        if recs[0]["presence"] != "both":
            continue  # listed in the caption instead
        tab = Table(title=str(label), box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        show_trend = a.get("trend_periods", 0) >= 5
        names = ["Locality", before, after, "Change", "Change %", "Share (pp)", "Rank"]
        for name in [*names, *(["Trend"] if show_trend else [])]:
            tab.add_column(name, justify="left" if name in ("Locality", "Trend") else "right")
        for r in recs:
            if r["is_total"]:
                tab.add_section()
            change = f"{r['change']:+,.0f}" if r["change"] == r["change"] else (
                f"{r['change_low']:+,.0f}…{r['change_high']:+,.0f}")  # fmt: skip
            pct = "" if r["change_pct"] != r["change_pct"] else f"{r['change_pct']:+.1f}%"
            pp_value = r["share_change_pp"]
            pp = "" if r["is_total"] or pp_value != pp_value else (
                f"{pp_value:+.1f}" if abs(pp_value) >= 0.05 else "0.0")  # fmt: skip
            rank = ""
            if (
                not r["is_total"]
                and r["rank_before"] is not None
                and r["rank_before"] == r["rank_before"]
            ):
                rank = (
                    f"{r['rank_before']}→{r['rank_after']}"
                    if r["rank_before"] != r["rank_after"]
                    else "same"
                )
            star = " *" if r.get("ci_change") in ("higher", "lower") else ""
            cells = [r["locality"], _n(r["count_before"]), _n(r["count_after"]),
                     f"{change} {MARK.get(r['direction'], '')}{star}", pct, pp, rank]  # fmt: skip
            if show_trend:
                cells.append(TREND.get(r["trend"], r["trend"]))
            tab.add_row(*cells)
        parts += [tab, Text("")]
    parts.append(Text("\n".join(caption_lines(changes)), style="dim"))
    return Group(*parts)


def _tidy(changes: pd.DataFrame) -> pd.DataFrame:
    t = changes.copy()
    t.insert(0, "period_after", changes.attrs.get("period_after", ""))
    t.insert(0, "period_before", changes.attrs.get("period_before", ""))
    for col in ("count_before", "count_after", "change", "change_low", "change_high"):
        t[col] = t[col].round().astype("Int64")
    for col in ("share_before", "share_after"):
        t[col] = t[col].round(6)
    for col in ("change_pct", "share_change_pp", "rate_before", "rate_after"):
        t[col] = t[col].round(4)
    return t


def to_csv(changes: pd.DataFrame) -> str:
    from localitymap.renderers.safety import csv_frame

    buf = io.StringIO()
    for line in [*caption_lines(changes), f"localitymap {__version__}"]:
        buf.write(f"# {line}\n")
    csv_frame(_tidy(changes)).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def to_json(changes: pd.DataFrame) -> str:
    from localitymap.renderers.export import _jsonable

    rows = [{k: _jsonable(v) for k, v in r.items()} for r in _tidy(changes).to_dict("records")]
    meta = {
        **changes.attrs,
        "caption": caption_lines(changes),
        "tool": f"localitymap {__version__}",
    }
    return json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False) + "\n"


def to_markdown(changes: pd.DataFrame) -> str:
    from localitymap.renderers.export import _md_escape

    a = changes.attrs
    recs = changes.to_dict("records")
    localities = list(dict.fromkeys(r["locality"] for r in recs))
    grid: dict[str, dict[str, dict[str, Any]]] = {}
    for r in recs:
        grid.setdefault(r["label"], {})[r["locality"]] = r
    lines = [
        f"## What changed: {a.get('scheme_name')}, {a.get('period_before')} → {a.get('period_after')}",
        "",
    ]
    if a.get("illustrative"):
        lines += [f"> **{caption_lines(changes)[0]}**", ""]
    lines.append("| Indicator | " + " | ".join(map(_md_escape, localities)) + " |")
    lines.append("|:---|" + "|".join(["---:"] * len(localities)) + "|")
    for label, cells in grid.items():
        values = [
            _md_escape(cell(cells[loc]).replace("\n", " ")) if loc in cells else ""
            for loc in localities
        ]
        lines.append(f"| {_md_escape(label)} | " + " | ".join(values) + " |")
    lines += ["", *[f"- {x}" for x in caption_lines(changes)[1 if a.get("illustrative") else 0 :]]]
    return "\n".join(lines) + "\n"


# Number formats of the changes sheet's numeric columns (the rest are text).
_KINDS = {
    "count_before": "count", "count_after": "count", "change": "count", "change_low": "count",
    "change_high": "count", "change_pct": "rate", "share_before": "share", "share_after": "share",
    "share_change_pp": "rate", "rank_before": "rank", "rank_after": "rank", "rank_change": "rank",
    "rate_before": "rate", "rate_after": "rate",
}  # fmt: skip


def to_xlsx(changes: pd.DataFrame) -> bytes:
    """The changes to the guidance on releasing statistics in spreadsheets (as the rollup and
    report workbooks): Cover, Contents, Notes, and the tidy changes as one named table, with
    ``[c]`` where a count is suppressed and ``[x]`` where a figure is not available."""
    from localitymap.publication.cells import disclosure_line
    from localitymap.publication.disclosure import get_policy
    from localitymap.renderers.export import UNSTATED, _jsonable
    from localitymap.renderers.workbook import Sheet, marking, write_workbook

    a = changes.attrs
    lines = caption_lines(changes)
    warning = lines[0] if a.get("illustrative") else ""
    notes = lines[1:] if warning else lines
    t = _tidy(changes)
    columns = list(t.columns)
    kinds = [_KINDS.get(c, "text") for c in columns]
    rows = []
    for rec in t.to_dict("records"):
        row = []
        for col, kind in zip(columns, kinds, strict=True):
            v = _jsonable(rec[col])
            if isinstance(v, bool):
                v = "yes" if v else "no"
            if v is None or v == "":
                side = "after" if col.endswith("_after") else "before"
                hidden = rec.get(f"disclosure_{side}") == "suppressed" and kind == "count"
                v = "[c]" if hidden else "[x]"
            row.append(v)
        rows.append(row)
    title = (
        f"What changed: {a.get('scheme_name')}, {a.get('period_before')} to {a.get('period_after')}"
    )
    sheet = Sheet("Changes", f"Table 1: {title}", columns, rows, kinds, notes)
    publication = {k: str(v) for k, v in dict(a.get("publication") or {}).items() if v}
    cover = [
        ("About these data", "Counts of children and young people known to children's services "
                             "by indicator and locality in two periods, and how each changed."),
        ("Period", f"{a.get('period_before')} and {a.get('period_after')}"),
        ("Source", publication.get("source", "") or "; ".join(map(str, a.get("sources", [])))),
        ("Status", str(a.get("status") or disclosure_line(a))),
        ("Publication date", publication.get("publication_date") or UNSTATED),
        ("Contact", publication.get("contact") or UNSTATED),
        ("Produced by", f"localitymap {__version__}"),
    ]  # fmt: skip
    return write_workbook(
        title=title, subject=str(a.get("scheme_name", "")), warning=warning, cover=cover,
        notes=notes, sheets=[sheet],
        mark=marking(public=get_policy(str(a.get("disclosure_policy") or "none")).public,
                     illustrative=bool(a.get("illustrative"))),
    )  # fmt: skip


def render(changes: pd.DataFrame, fmt: str) -> str | bytes:
    return {"csv": to_csv, "json": to_json, "md": to_markdown, "xlsx": to_xlsx}[fmt](changes)
