"""The members' dashboard (:class:`localitymap.publication.dashboard.Dashboard`) as one
self-contained, accessible HTML file, and the same content as an XLSX workbook.

The HTML has no scripts, no links out, no web fonts and no external images: it opens from an
email attachment or a shared drive. Charts are inline SVG with a text alternative; RAG ratings
say their rating in words and with a shape as well as a colour (WCAG 2.2 AA: contrast at least
4.5:1, not colour alone); tables have captions and header scopes; it prints on A4 landscape.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from localitymap import __version__

if TYPE_CHECKING:
    from localitymap.publication.dashboard import Dashboard, Point, Row

#: RAG colours (GOV.UK palette) with the text colour each needs for 4.5:1 contrast or more.
RAG_COLOURS = {
    "green": ("#00703c", "#ffffff"),
    "amber": ("#ffdd00", "#0b0c0c"),
    "red": ("#b10e1e", "#ffffff"),
}
RAG_SHAPES = {"green": "●", "amber": "▲", "red": "■"}
JUDGED_COLOURS = {"better": "#00703c", "worse": "#b10e1e"}

_CSS = """
:root { color-scheme: light; }
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; background: #ffffff;
  margin: 1.5rem; line-height: 1.4; font-size: 15px; }
a { color: #1d70b8; }
a:focus, [tabindex]:focus { outline: 3px solid #ffdd00; box-shadow: 0 0 0 5px #0b0c0c; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #ffdd00; color: #0b0c0c; padding: .3rem; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; margin: 1.6rem 0 .4rem; border-top: 2px solid #0b0c0c; padding-top: .4rem; }
.subtitle { font-size: 1.1rem; margin: 0 0 .4rem; }
.status { font-weight: bold; }
.warning { border-left: 6px solid #b10e1e; padding: .4rem .8rem; font-weight: bold; background: #ffffff; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: .3rem 0 .6rem; font-size: 13px; }
caption { text-align: left; font-weight: bold; font-size: 1rem; padding: .3rem 0; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { border-bottom: 2px solid #0b0c0c; vertical-align: bottom; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.rag { display: inline-block; padding: .1rem .4rem; font-weight: bold; white-space: nowrap; }
.rag-green { background: #00703c; color: #ffffff; }
.rag-amber { background: #ffdd00; color: #0b0c0c; }
.rag-red { background: #b10e1e; color: #ffffff; }
.better { color: #00703c; font-weight: bold; }
.worse { color: #b10e1e; font-weight: bold; }
.small { font-size: .85em; }
.flag { font-weight: bold; }
svg { vertical-align: middle; }
.notes li { margin-bottom: .25rem; }
.loc td { white-space: nowrap; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 11px; }
  table { font-size: 10px; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
  .skip { display: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def spark_svg(
    points: list[Point], label: str, lo: float, hi: float, w: int = 110, h: int = 30
) -> str:
    """A sparkline of ``points`` on the scale ``lo``..``hi``, with ``label`` as its text
    alternative (hidden points leave a gap)."""
    n = len(points)
    span = (hi - lo) or 1.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = 6 + (w - 12) * (i / (n - 1) if n > 1 else 0.5)
        y = h - 5 - (h - 10) * (v - lo) / span
        return round(x, 1), round(y, 1)

    parts = [
        f'<svg role="img" aria-label="{_e(label)}" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{_e(label)}</title>",
        f'<line x1="2" y1="{h - 2}" x2="{w - 2}" y2="{h - 2}" stroke="#b1b4b6" stroke-width="1"/>',
    ]
    run: list[str] = []
    for i, p in enumerate(points):
        if p.value is None:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{" ".join(run)}"/>'
                )
            run = []
            continue
        x, y = xy(i, p.value)
        run.append(f"{x},{y}")
        last = i == n - 1
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{3 if last else 2}" fill="{"#0b0c0c" if last else "#1d70b8"}"/>'
        )
    if len(run) > 1:
        parts.append(
            f'<polyline fill="none" stroke="#1d70b8" stroke-width="2" points="{" ".join(run)}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_words(row: Row, points: list[Point] | None = None, who: str = "") -> str:
    pts = points if points is not None else row.series
    series = "; ".join(f"{p.period} {p.text}" for p in pts)
    return f"Trend of {row.label}{' in ' + who if who else ''} ({row.unit}): {series}"


def _scale(values: list[float | None]) -> tuple[float, float]:
    xs = [v for v in values if v is not None]
    if not xs:
        return 0.0, 1.0
    lo, hi = min(xs), max(xs)
    pad = (hi - lo) * 0.1 or max(abs(hi) * 0.1, 1.0)
    return lo - pad, hi + pad


def _rag_html(row: Row) -> str:
    if not row.rag:
        return f'<span class="small">{_e(row.rag_words)}</span>'
    return (
        f'<span class="rag rag-{row.rag}"><span aria-hidden="true">{RAG_SHAPES[row.rag]}</span> '
        f"{_e(row.rag_words)}</span>"
    )


def _direction_html(row: Row) -> str:
    if not row.direction:
        return f'<span class="small">{_e(row.direction_words)}</span>'
    from localitymap.publication.dashboard import ARROWS

    judged = (
        "better"
        if row.direction_words.endswith("better")
        else ("worse" if row.direction_words.endswith("worse") else "")
    )
    cls = f' class="{judged}"' if judged else ""
    arrow = f'<span aria-hidden="true">{ARROWS[row.direction]}</span>'
    return f"<span{cls}>{arrow} {_e(row.direction_words)}</span>"


def _unit_line(r: Row) -> str:
    return "count" if r.unit == "count" else f"{r.unit}; count {r.count_text}"


def _main_table(d: Dashboard) -> list[str]:
    latest, prev = d.periods[-1], (d.periods[-2] if len(d.periods) > 1 else "")
    head = [
        "Indicator", f"Latest ({latest})", f"Previous ({prev})" if prev else "Previous",
        "Direction of travel", "Target", "RAG rating", "Trend", "Three-year average",
        f"Published ({d.published_by})", "England", "Neighbours' average", "Quartile band", "Small numbers",
    ]  # fmt: skip
    out = [
        '<div class="scroll" role="region" aria-labelledby="cap-main" tabindex="0">',
        "<table>",
        f'<caption id="cap-main">Table 1: Indicators against targets, {_e(latest)}: borough '
        "figures from the locality exercise, with published benchmarks</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for r in d.rows:
        lo, hi = _scale([p.value for p in r.series])
        c = r.context
        published = f"{c.value} ({c.year})" if c else "No published measure"
        cells = [
            f'<th scope="row">{_e(r.label)}<br><span class="small">{_e(_unit_line(r))}</span></th>',
            f'<td class="num">{_e(r.latest.text)}</td>',
            f'<td class="num">{_e(r.previous.text) if r.previous else ".."}</td>',
            f"<td>{_direction_html(r)}</td>",
            f"<td>{_e(r.target_text)}</td>",
            f"<td>{_rag_html(r)}</td>",
            f"<td>{spark_svg(r.series, trend_words(r), lo, hi)}</td>",
            f'<td class="num">{_e(r.three_year)}</td>',
            f'<td class="num">{_e(published)}</td>',
            f'<td class="num">{_e(c.england) if c else ""}</td>',
            f'<td class="num">{_e(c.neighbours_average) if c else ""}'
            + (f'<br><span class="small">range {_e(c.neighbours_range)}</span>' if c else "")
            + "</td>",
            f"<td>{_e(c.band or 'n/a') if c else ''}</td>",
            f'<td class="flag">{_e(r.small)}</td>' if r.small else "<td>None</td>",
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _locality_table(d: Dashboard) -> list[str]:
    out = [
        '<div class="scroll" role="region" aria-labelledby="cap-loc" tabindex="0">',
        '<table class="loc">',
        f'<caption id="cap-loc">Table 2: Each locality\'s latest figure and trend, '
        f"{_e(d.periods[0])} to {_e(d.periods[-1])} (one scale per indicator)</caption>",
        '<thead><tr><th scope="col">Indicator</th>'
        + "".join(f'<th scope="col">{_e(loc)}</th>' for loc in d.localities)
        + "</tr></thead>",
        "<tbody>",
    ]
    for r in d.rows:
        lo, hi = _scale([p.value for pts in r.localities.values() for p in pts])
        cells = [f'<th scope="row">{_e(r.label)}<br><span class="small">{_e(r.unit)}</span></th>']
        for loc in d.localities:
            pts = r.localities.get(loc, [])
            if not pts:
                cells.append("<td>..</td>")
                continue
            svg = spark_svg(pts, trend_words(r, pts, loc), lo, hi, w=80, h=26)
            cells.append(f'<td class="num">{_e(pts[-1].text)}<br>{svg}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _benchmark_table(d: Dashboard) -> list[str]:
    rows = [r for r in d.rows if r.context]
    if not rows:
        return []
    c0 = rows[0].context
    assert c0 is not None
    who = c0.authority or d.authority
    head = ["Indicator", "Published measure", "Year", who, "England", c0.region_name or "Region",
            "Neighbours' average", "Neighbours' range", "Quartile band"]  # fmt: skip
    out = [
        '<div class="scroll" role="region" aria-labelledby="cap-bench" tabindex="0">',
        "<table>",
        f'<caption id="cap-bench">Table 3: {_e(who)}\'s published figures beside England, '
        f"{_e(c0.region_name or 'its region')} and its statistical neighbours (DfE)</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_e(h)}</th>' for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for r in rows:
        c = r.context
        assert c is not None
        vals = [c.description, c.year, c.value, c.england, c.region, c.neighbours_average,
                c.neighbours_range, c.band or "n/a"]  # fmt: skip
        out.append(
            f'<tr><th scope="row">{_e(r.label)}</th><td>{_e(vals[0])}</td>'
            + "".join(f'<td class="num">{_e(v)}</td>' for v in vals[1:])
            + "</tr>"
        )
    out += ["</tbody>", "</table>", "</div>"]
    return out


def to_html(d: Dashboard) -> str:
    """The dashboard as one self-contained HTML page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="localitymap {_e(__version__)}">',
        f"<title>{_e(d.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the dashboard</a>',
        "<header>",
        f"<h1>{_e(d.title)}</h1>",
        f'<p class="subtitle">{_e(d.subtitle)}</p>',
        f'<p class="status">{_e(d.status)}</p>',
    ]
    if d.warning:
        out.append(f'<p class="warning" role="note">{_e(d.warning)}</p>')
    counts = {k: sum(r.rag == k for r in d.rows) for k in ("red", "amber", "green")}
    rated = sum(counts.values())
    summary = (
        f"{rated} of {len(d.rows)} indicators have a target: {counts['red']} off target (red), "
        f"{counts['amber']} near target (amber), {counts['green']} on target (green)."
    )
    out += ["</header>", '<main id="main">', "<section>", "<h2>Indicators against targets</h2>",
            f"<p>{_e(summary)}</p>", *_main_table(d), "</section>",
            "<section>", "<h2>Localities</h2>",
            "<p>Each locality's latest figure, with its trend over the periods the exercise holds. "
            "Each row shares one scale, so the localities can be compared.</p>",
            *_locality_table(d), "</section>"]  # fmt: skip
    bench = _benchmark_table(d)
    if bench:
        out += ["<section>", "<h2>Published benchmarks</h2>", *bench, "</section>"]
    out += ["<section>", "<h2>Notes</h2>", '<ul class="notes">']
    out += [f"<li>{_e(n)}</li>" for n in d.notes]
    out += ["</ul>", "</section>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def to_xlsx(d: Dashboard) -> bytes:
    """The same content as a workbook (cover, notes, one table per sheet)."""
    from localitymap.publication.dashboard import to_document
    from localitymap.renderers.documents import to_xlsx as document_xlsx

    return document_xlsx(to_document(d))


def render_dashboard(d: Dashboard, fmt: str) -> str | bytes:
    """``html`` or ``xlsx``."""
    if fmt == "html":
        return to_html(d)
    if fmt == "xlsx":
        return to_xlsx(d)
    raise ValueError(f"unknown dashboard format {fmt!r}")
