"""Exports of a rollup: CSV and JSON (tidy, one row per indicator and locality, for machines),
Markdown and XLSX (wide tables with captions, for people), and the atomic file writer they share.

Outputs are deterministic: the same inputs give the same bytes (no timestamps in CSV/JSON/MD).

>>> from localitymap import read_indicators, rollup
>>> text = to_csv(rollup(read_indicators(period="2019-02"), "icn6"))
>>> text.splitlines()[0]
'# localitymap rollup: Integrated Care Networks (six localities), period 2019-02'
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from localitymap import __version__
from localitymap.model.rollup import AUTHORITY_COLUMNS, COLUMNS
from localitymap.outputs import (  # noqa: F401 (re-exported where callers found them)
    write_atomic,
    write_gpkg,
    written_digest,
)
from localitymap.publication.cells import caption
from localitymap.publication.tables import View, wide
from localitymap.renderers.safety import csv_frame, markdown_text

if TYPE_CHECKING:
    import pandas as pd

Format = Literal["csv", "json", "md", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "json", "md", "xlsx")
GEO_FORMATS: tuple[str, ...] = ("geojson", "gpkg")
SHARE_DIGITS = 6
RATE_DIGITS = 4
#: A cover fact the exercise did not give: the file says only this (the analyst is told on
#: stderr how to fill it in, see ``cli._common.cover_gaps``), never an instruction to its reader.
UNSTATED = "Not stated."
EXPORT_COLUMNS = ["period", *COLUMNS]


def tidy(table: pd.DataFrame) -> pd.DataFrame:
    """The rollup as exported: integer counts, shares rounded to 6 places, rates (when added by
    :func:`localitymap.statistics.rates.add_rates`) to 4, a period column, and a ``disclosure`` column
    (``shown``, ``rounded`` or ``suppressed``: hidden figures are left empty)."""
    from localitymap.statistics.rates import RATE_COLUMNS

    t = table.copy()
    t.insert(0, "period", table.attrs.get("period", ""))
    for col in ("count", "count_low", "count_high"):
        t[col] = t[col].round().astype("Int64")
    for col in ("share", "share_low", "share_high"):
        t[col] = t[col].round(SHARE_DIGITS)
    rate_cols = [c for c in RATE_COLUMNS if c in t.columns]
    for col in rate_cols:
        if t[col].dtype.kind == "f":
            t[col] = t[col].round(RATE_DIGITS)
    if "disclosure" not in t.columns:
        t["disclosure"] = "shown"
    # A region's rollup: each locality's authority, and its share and rank within it.
    authority = [c for c in AUTHORITY_COLUMNS if c in t.columns]
    for col in ("authority_share_low", "authority_share_high"):
        if col in t.columns:
            t[col] = t[col].round(SHARE_DIGITS)
    return t[[*EXPORT_COLUMNS, *authority, "disclosure", *rate_cols]]


def _preamble(table: pd.DataFrame) -> list[str]:
    a = table.attrs
    head = f"localitymap rollup: {a.get('scheme_name')}"
    if a.get("period"):
        head += f", period {a['period']}"
    return [head, *caption(a), f"localitymap {__version__}"]


def to_csv(table: pd.DataFrame) -> str:
    """Tidy CSV, preceded by ``#`` comment lines stating the scheme, period and data status."""
    buf = io.StringIO()
    for line in _preamble(table):
        buf.write(f"# {line}\n")
    csv_frame(tidy(table)).to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def figures_csv(figures: pd.DataFrame, status: str) -> str:
    """The table behind a chart as CSV: ``#`` lines with the chart's title and publication status,
    then one row per point or area.

    >>> import pandas as pd
    >>> print(figures_csv(pd.DataFrame({"area": ["A"], "count": [3]}), "Internal."), end="")
    # Internal.
    area,count
    A,3
    """
    buf = io.StringIO()
    for line in [*figures.attrs.get("caption", []), status]:
        buf.write(f"# {line}\n")
    figures.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _jsonable(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return _jsonable(value.item())
    if str(value) == "<NA>":
        return None
    return value


def to_json(table: pd.DataFrame) -> str:
    """``{"meta": {...}, "rows": [...], "leaders": [...]}`` with nulls for unknown values."""
    from localitymap.model.rollup import leaders

    t = tidy(table)
    rows = [{k: _jsonable(v) for k, v in rec.items()} for rec in t.to_dict(orient="records")]
    ld = [{k: _jsonable(v) for k, v in rec.items()} for rec in leaders(table).to_dict("records")]
    meta = {**table.attrs, "caption": caption(table.attrs), "tool": f"localitymap {__version__}"}
    doc = {"meta": meta, "rows": rows, "leaders": ld}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _md_escape(text: str) -> str:
    return markdown_text(str(text)).replace("|", "\\|")


def _md_table(df: pd.DataFrame, index_name: str) -> list[str]:
    cols = [index_name, *map(str, df.columns)]
    lines = ["| " + " | ".join(map(_md_escape, cols)) + " |"]
    lines.append("|" + "|".join([":---", *["---:"] * len(df.columns)]) + "|")
    for idx, row in df.iterrows():
        lines.append("| " + " | ".join(_md_escape(x) for x in [idx, *row.tolist()]) + " |")
    return lines


def to_markdown(table: pd.DataFrame, view: View = "all") -> str:
    """A Markdown section: title, data warning, the wide table, the leaders table, notes."""
    from localitymap.model.rollup import leaders
    from localitymap.publication.cells import format_share

    a = table.attrs
    lines = [
        f"## Locality demand: {_md_escape(str(a.get('scheme_name')))}"
        + (f", {a['period']}" if a.get("period") else "")
    ]
    lines.append("")
    if a.get("illustrative"):
        lines += [f"> **{caption(a)[0]}**", ""]
    lines += _md_table(wide(table, view), "Indicator")
    lines.append("")
    lines.append(f"*Table: count · share of borough · rank, by locality ({a.get('scheme_name')}).*")
    lines.append("")
    ld = leaders(table)
    lines += ["### Highest and second-highest locality", ""]
    lines += ["| Indicator | Highest | Share | Second | Share |", "|:---|:---|---:|:---|---:|"]
    for r in ld.itertuples():
        flag = "" if r.certain else " (uncertain)"
        lines.append(
            f"| {_md_escape(r.label)} | {_md_escape(r.highest)}{flag} | "
            f"{format_share(r.highest_share, r.highest_share, 0)} | {_md_escape(r.second)} | "
            f"{format_share(r.second_share, r.second_share, 0)} |"
        )
    from localitymap.publication.findings import findings_markdown

    lines += ["", *map(markdown_text, findings_markdown(table).rstrip("\n").split("\n"))]
    lines += ["", "### Notes", ""]
    lines += [f"- {_md_escape(x)}" for x in caption(a)[1 if a.get("illustrative") else 0 :]]
    lines.append(f"- Produced by localitymap {__version__}.")
    return "\n".join(lines) + "\n"


def to_xlsx(table: pd.DataFrame) -> bytes:
    """A workbook to the guidance on releasing statistics in spreadsheets
    (:mod:`localitymap.renderers.workbook`): Cover, Contents, Notes, then Counts, Shares, Ranks,
    Highest (and Rates) as named tables, one row per indicator and locality, numbers stored as
    numbers and ranges in their own columns."""
    from localitymap.publication.cells import disclosure_line, period_label
    from localitymap.publication.disclosure import get_policy
    from localitymap.publication.report import cover_facts, rollup_tables
    from localitymap.renderers.workbook import marking, sheets_from_tables, write_workbook

    a = table.attrs
    period = period_label(str(a.get("period") or "")) or "Not stated."
    title = f"Locality demand: {a.get('scheme_name')}" + (f", {period}" if a.get("period") else "")
    lines = caption(a)
    warning = lines[0] if a.get("illustrative") else ""
    notes = lines[1:] if warning else lines
    tables = rollup_tables(table)
    facts = cover_facts(a)
    about = (
        f"Counts of children and young people known to children's services, by indicator, for "
        f"each locality of {a.get('scheme_name')} in "
        f"{str(a.get('authority', '')).split(' (')[0] or 'the authority'}, with each locality's "
        "share of the borough total, its rank and the highest and second-highest locality"
        + (", and rates per head of the population." if "rate" in table.columns else ".")
    )
    cover = [
        ("About these data", about),
        ("Period", period),
        ("Source", facts["source"]),
        ("Status", disclosure_line(a)),
        ("Publication date", facts["publication_date"] or UNSTATED),
        ("Contact", facts["contact"] or UNSTATED),
        ("Produced by", f"localitymap {__version__}"),
    ]
    return write_workbook(
        title=title,
        subject=str(a.get("scheme_name")),
        warning=warning,
        cover=cover,
        notes=notes,
        sheets=sheets_from_tables(tables, {t.sheet: notes for t in tables}),
        mark=marking(
            public=get_policy(str(a.get("disclosure_policy") or "none")).public,
            illustrative=bool(a.get("illustrative")),
        ),
    )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a document of millions of cells is built: each of
    its passes walks every cell object made so far (a fifth of a national workbook's time).
    Building makes no cyclic garbage; collection resumes afterwards.

    >>> with gc_paused():
    ...     pass
    """
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def workbook_bytes(wb: Any) -> bytes:
    """The workbook as bytes, with fixed document and entry times so equal inputs give equal files,
    and every text cell stored as text (never a formula: see :mod:`localitymap.renderers.safety`)."""
    import datetime as dt

    from localitymap.renderers.safety import text_stays_text

    text_stays_text(wb)
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    wb.properties.creator = "localitymap"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip_times(buf.getvalue())


def fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip (an XLSX) with fixed entry and document times: openpyxl stamps the current
    time, which would make the same rollup give a different file every second."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' at save time
                payload = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", payload
                )
            dst.writestr(fixed, payload)
    return out.getvalue()


def render(table: pd.DataFrame, fmt: str, view: View = "all") -> str | bytes:
    """The rollup in one export format (text for csv/json/md, bytes for xlsx)."""
    if fmt == "csv":
        return to_csv(table)
    if fmt == "json":
        return to_json(table)
    if fmt == "md":
        return to_markdown(table, view)
    if fmt == "xlsx":
        return to_xlsx(table)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def geo_metadata(table: pd.DataFrame, attribution: str) -> dict[str, str]:
    """What a geographic export says about itself: data status, scheme, period, boundaries."""
    a = table.attrs
    return {
        "caption": " ".join(caption(a)),
        "illustrative": "yes" if a.get("illustrative") else "no",
        "scheme": str(a.get("scheme_name")),
        "period": str(a.get("period", "")),
        "boundaries": str(a.get("boundaries", "")),
        "attribution": attribution,
        "tool": f"localitymap {__version__}",
    }


def to_geojson(layer: Any, meta: dict[str, str]) -> str:
    """A layer as RFC 7946 GeoJSON (WGS84), with a ``localitymap`` member stating its provenance."""
    doc = json.loads(layer.to_crs(4326).to_json(drop_id=True, na="null"))
    doc["localitymap"] = meta
    return json.dumps(doc, ensure_ascii=False) + "\n"
