"""Writers for a :class:`~localitymap.publication.report.Document`: Word (python-docx), one self-contained
HTML file, and an accessible Excel workbook (openpyxl). Heavy imports stay inside each writer.

- DOCX: named styles rather than direct formatting (Title, Heading 1, Caption, List Bullet and a
  few of our own: "Table Text", "Table Number", "Table Heading", "Data Warning"); real Word tables
  whose header row repeats on each page and carries the table caption as its accessible title;
  captions numbered with Word's SEQ fields; alt text on every picture; wide tables on a landscape
  page.
- HTML: one file, images inlined as data URIs, no scripts or external assets; tables with
  ``<caption>``, ``<th scope>``; prints on A4.
- XLSX (UK government guidance on releasing statistics in spreadsheets): a Cover sheet with
  contents, a Notes sheet, one table per sheet marked as an Excel table (so its header row is
  known to screen readers), title in A1, no merged cells, numbers stored as numbers and hidden
  figures as the policy's symbol.

All three are deterministic: the same report gives the same bytes.
"""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING, Any

from localitymap import __version__

if TYPE_CHECKING:
    from localitymap.publication.report import Cell, Document, Figure, Table

FORMATS = ("docx", "html", "xlsx")
NUMBER_FORMATS = {"count": "#,##0", "share": "0.0%", "rate": "#,##0.0", "rank": "0"}


def render_document(doc: Document, fmt: str) -> bytes:
    """The report as ``docx``, ``html`` or ``xlsx`` bytes."""
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(doc)
    raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


# --- Word ---------------------------------------------------------------------------------------


def to_docx(doc: Document) -> bytes:
    """The report as a Word document."""
    import datetime as dt

    from docx import Document as new_docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from localitymap.publication.report import Figure, Paragraph, Table
    from localitymap.renderers.export import fixed_zip_times

    d = new_docx()
    _docx_styles(d)
    props = d.core_properties
    props.title, props.author, props.last_modified_by = doc.title, "localitymap", "localitymap"
    props.subject = doc.subtitle
    props.created = props.modified = props.last_printed = dt.datetime(2000, 1, 1)
    props.revision = 1
    props.comments = doc.status
    page = d.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Cm(2.0))

    d.add_paragraph(doc.title, style="Title")
    d.add_paragraph(doc.subtitle, style="Subtitle")
    d.add_paragraph(doc.status, style="Status")
    if doc.warning:
        d.add_paragraph(doc.warning, style="Data Warning")
    for section in doc.sections:
        # A section with a wide table goes on landscape pages, its heading included.
        wide = any(isinstance(b, Table) and b.wide for b in section.blocks)
        if wide:
            _docx_orientation(d, WD_ORIENT.LANDSCAPE)
        d.add_heading(section.title, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                style = {"bullet": "List Bullet", "warning": "Data Warning"}.get(
                    block.style, "Normal"
                )
                d.add_paragraph(block.text, style=style)
            elif isinstance(block, Figure):
                _docx_figure(d, block, Cm(16.5))
            elif isinstance(block, Table):
                _docx_table(d, block, doc.symbol, _text_width(d.sections[-1]))
        if wide:
            _docx_orientation(d, WD_ORIENT.PORTRAIT)
    buf = io.BytesIO()
    d.save(buf)
    return fixed_zip_times(buf.getvalue())


def _docx_styles(d: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    styles = d.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)

    def add(name: str, base: str, size: float, *, bold: bool = False, colour: str | None = None,
            right: bool = False, after: float | None = None) -> None:  # fmt: skip
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles[base]
        st.font.size = Pt(size)
        st.font.bold = bold
        if colour:
            st.font.color.rgb = RGBColor.from_string(colour)
        if right:
            st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if after is not None:
            st.paragraph_format.space_after = Pt(after)
            st.paragraph_format.space_before = Pt(0)

    add("Status", "Normal", 11, bold=True)
    add("Data Warning", "Normal", 11, bold=True, colour="9C0006")
    add("Table Text", "Normal", 8.5, after=0)
    add("Table Number", "Table Text", 8.5, right=True, after=0)
    add("Table Heading", "Table Text", 8.5, bold=True, after=0)
    add("Table Note", "Normal", 8.5, colour="404040", after=2)
    # For wide (landscape) tables: the same, smaller.
    add("Table Text Small", "Table Text", 7, after=0)
    add("Table Number Small", "Table Number", 7, right=True, after=0)
    add("Table Heading Small", "Table Heading", 7, bold=True, after=0)
    styles["Caption"].font.size = Pt(10)
    styles["Caption"].font.color.rgb = RGBColor.from_string("1F1F1F")
    styles["Caption"].paragraph_format.keep_with_next = True


def _docx_caption(d: Any, label: str, text: str) -> None:
    """A Word caption: "Table 3: ..." with a SEQ field, so Word lists and renumbers it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    number, _, rest = text.partition(": ")
    p = d.add_paragraph(style="Caption")
    p.add_run(f"{label} ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ {label} \\* ARABIC ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = number.split()[-1]
    run.append(t)
    field.append(run)
    p._p.append(field)
    p.add_run(f": {rest}")


def _docx_figure(d: Any, fig: Figure, width: Any) -> None:
    d.add_picture(io.BytesIO(fig.image("png")), width=width)
    pic = d.inline_shapes[-1]
    # Alt text lives on the drawing's docPr: descr is what screen readers read.
    pic._inline.docPr.set("descr", fig.alt)
    pic._inline.docPr.set("title", fig.caption)
    d.paragraphs[-1].paragraph_format.keep_with_next = True
    _docx_caption(d, "Figure", fig.caption)


def _text_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _docx_table(d: Any, table: Table, symbol: str, width: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    _docx_caption(d, "Table", table.caption)
    t = d.add_table(rows=1 + len(table.rows), cols=len(table.header))
    t.style = d.styles["Table Grid"]
    t.autofit = False
    # Fixed column widths across the text width: the row-label column(s) wide enough for names,
    # the figures sharing the rest. Wide tables get narrow cell margins and a smaller font.
    labels = 2 if table.wide else 1
    label_width = int(Cm(2.6 if table.wide else 4.2))
    rest = (width - labels * label_width) // max(1, len(table.header) - labels)
    widths = [label_width] * labels + [rest] * (len(table.header) - labels)
    # The grid once per column; each cell's width row by row below. (Column.cells rebuilds the
    # whole table's cell list on every call: rows x columns^2 for a national table.)
    for col, w in zip(t.columns, widths, strict=True):
        col.width = w
    if table.wide:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            m = OxmlElement(f"w:{side}")
            m.set(qn("w:w"), "40")
            m.set(qn("w:type"), "dxa")
            margins.append(m)
        t._tbl.tblPr.append(margins)
    # The caption as the table's accessible title, and the header row repeated on each page.
    tbl_pr = t._tbl.tblPr
    for tag, value in (
        ("w:tblCaption", table.caption),
        ("w:tblDescription", _describe(table, symbol)),
    ):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        tbl_pr.append(el)
    header_row = t.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    small = " Small" if table.wide else ""
    # Style ids looked up once: python-docx resolves a style object by name on every assignment.
    ids = {
        name: d.styles[name + small].style_id
        for name in ("Table Heading", "Table Text", "Table Number")
    }
    for cell, text, w in zip(header_row.cells, table.header, widths, strict=True):
        cell.width = w
        cell.paragraphs[0].text = text
        cell.paragraphs[0]._p.style = ids["Table Heading"]
    for row, cells in zip(t.rows[1:], table.rows, strict=True):
        cant_split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant_split)
        for k, (cell, c) in enumerate(zip(row.cells, cells, strict=True)):
            cell.width = widths[k]
            para = cell.paragraphs[0]
            para.text = c.text
            style = (
                "Table Text"
                if k == 0 or (c.kind == "text" and not _numeric_text(c))
                else "Table Number"
            )
            para._p.style = ids[style]
    for note in table.notes:
        d.add_paragraph(note, style="Table Note")


def _numeric_text(c: Cell) -> bool:
    text = c.text.strip()
    return bool(text) and (text[0].isdigit() or text[0] in "≥[*" or text in ("c", "x"))


def _docx_orientation(d: Any, orientation: Any) -> None:
    from docx.enum.section import WD_SECTION

    current = d.sections[-1]
    new = d.add_section(WD_SECTION.NEW_PAGE)
    new.orientation = orientation
    if (current.page_width > current.page_height) != (orientation == 1):
        new.page_width, new.page_height = current.page_height, current.page_width


def _describe(table: Table, symbol: str) -> str:
    first = table.header[0].lower()
    text = f"{len(table.rows)} rows by {first}, columns: {', '.join(table.header[1:])}."
    if symbol:
        text += f" {symbol} marks a suppressed figure."
    return text


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.45;
       color: #0b0c0c; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 2rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #0b0c0c; }
.subtitle { font-size: 1.2rem; color: #3d3d3d; margin-top: 0; }
.status { font-weight: bold; border-left: 6px solid #1d70b8; padding: .4rem .8rem; background: #f3f7fb; }
.warning { font-weight: bold; color: #9c0006; border-left: 6px solid #9c0006; padding: .4rem .8rem;
           background: #fdf2f2; }
table { border-collapse: collapse; margin: .5rem 0 .3rem; font-size: .85rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .4rem; caption-side: top; }
th, td { border: 1px solid #b1b4b6; padding: .25rem .45rem; vertical-align: top; }
thead th { background: #f3f2f1; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { text-align: left; font-weight: normal; }
.table-note { font-size: .8rem; color: #3d3d3d; margin: .1rem 0; }
.wide { overflow-x: auto; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #dddddd; }
figcaption { font-weight: bold; font-size: .9rem; }
footer { margin-top: 2rem; font-size: .8rem; color: #505a5f; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               table, figure { break-inside: avoid; } .wide { overflow: visible; } }
@page { size: A4; margin: 1.8cm; }
""".strip()


def to_html(doc: Document) -> str:
    """The report as one self-contained HTML page (images inline, no scripts, no links out)."""
    from localitymap.publication.report import Figure, Paragraph, Table

    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="localitymap {e(__version__)}">',
        f"<title>{e(doc.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{e(doc.title)}</h1>",
        f'<p class="subtitle">{e(doc.subtitle)}</p>',
        f'<p class="status">{e(doc.status)}</p>',
    ]
    if doc.warning:
        out.append(f'<p class="warning" role="note">{e(doc.warning)}</p>')
    out += ["</header>", "<main>"]
    for section in doc.sections:
        out.append(f"<section>\n<h2>{e(section.title)}</h2>")
        bullets: list[str] = []
        for block in section.blocks:
            if isinstance(block, Paragraph) and block.style == "bullet":
                bullets.append(f"<li>{e(block.text)}</li>")
                continue
            if bullets:
                out += ["<ul>", *bullets, "</ul>"]
                bullets = []
            if isinstance(block, Paragraph):
                cls = ' class="warning"' if block.style == "warning" else ""
                out.append(f"<p{cls}>{e(block.text)}</p>")
            elif isinstance(block, Figure):
                data = base64.b64encode(block.image("svg")).decode("ascii")
                out += [
                    "<figure>",
                    f'<img src="data:image/svg+xml;base64,{data}" alt="{e(block.alt)}">',
                    f"<figcaption>{e(block.caption)}</figcaption>",
                    "</figure>",
                ]
            elif isinstance(block, Table):
                out.append(_html_table(block))
        if bullets:
            out += ["<ul>", *bullets, "</ul>"]
        out.append("</section>")
    out += [
        "</main>",
        f"<footer><p>Produced by localitymap {e(__version__)}.</p></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


def _html_table(table: Table) -> str:
    e = html.escape
    rows = [f'<div class="{"wide" if table.wide else "table"}">', "<table>"]
    rows.append(f"<caption>{e(table.caption)}</caption>")
    rows.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{e(h)}</th>' for h in table.header)
        + "</tr></thead>"
    )
    rows.append("<tbody>")
    for cells in table.rows:
        parts = [f'<th scope="row">{e(cells[0].text)}</th>']
        for c in cells[1:]:
            cls = ' class="num"' if c.kind != "text" or _numeric_text(c) else ""
            parts.append(f"<td{cls}>{e(c.text)}</td>")
        rows.append("<tr>" + "".join(parts) + "</tr>")
    rows += ["</tbody>", "</table>"]
    rows += [f'<p class="table-note">{e(n)}</p>' for n in table.notes]
    rows.append("</div>")
    return "\n".join(rows)


# --- Excel --------------------------------------------------------------------------------------


def to_xlsx(doc: Document) -> bytes:
    """The report as a workbook: Cover (with contents), Notes, then one table per sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.table import Table as XlTable
    from openpyxl.worksheet.table import TableStyleInfo

    from localitymap.renderers.export import workbook_bytes

    wb = Workbook()
    cover = wb.active
    cover.title = "Cover"
    tables = doc.tables()
    lines: list[tuple[str, Any]] = [
        (doc.title, Font(bold=True, size=16)),
        (doc.subtitle, Font(size=12)),
        (doc.status, Font(bold=True)),
    ]
    if doc.warning:
        lines.append((doc.warning, Font(bold=True, color="9C0006")))
    lines.append(("This workbook holds the report's tables, one per sheet, and its notes. Figures "
                  "(maps) are in the Word and HTML versions.", None))  # fmt: skip
    if doc.symbol:
        lines.append((f"{doc.symbol} marks a figure suppressed to protect children's privacy "
                      "(see the Notes sheet).", None))  # fmt: skip
    lines.append((f"Produced by localitymap {__version__}.", None))
    for i, (text, font) in enumerate(lines, start=1):
        cover.cell(row=i, column=1, value=text)
        if font is not None:
            cover.cell(row=i, column=1).font = font
    start = len(lines) + 2
    cover.cell(row=start, column=1, value="Contents").font = Font(bold=True, size=13)
    header = start + 1
    cover.cell(row=header, column=1, value="Sheet")
    cover.cell(row=header, column=2, value="Contents")
    contents = [("Notes", "Data sources, methods, disclosure control and symbols")]
    contents += [(t.sheet, t.caption) for t in tables]
    for k, (sheet, what) in enumerate(contents, start=header + 1):
        cell = cover.cell(row=k, column=1, value=sheet)
        cell.hyperlink = f"#'{sheet}'!A1"
        cell.style = "Hyperlink"
        cover.cell(row=k, column=2, value=what)
    _xl_table(cover, "Contents", header, header + len(contents), 2, XlTable, TableStyleInfo)
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 100

    notes = wb.create_sheet("Notes")
    notes["A1"] = "Notes"
    notes["A1"].font = Font(bold=True, size=14)
    notes["A2"] = "This worksheet contains one table of numbered notes."
    notes.append(["Note number", "Note text"])
    for k, note in enumerate(doc.notes, start=1):
        notes.append([f"[note {k}]", note])
        notes.cell(row=notes.max_row, column=2).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
    _xl_table(notes, "Notes", 3, notes.max_row, 2, XlTable, TableStyleInfo)
    notes.column_dimensions["A"].width = 14
    notes.column_dimensions["B"].width = 110

    for n, table in enumerate(tables, start=1):
        ws = wb.create_sheet(table.sheet)
        ws["A1"] = table.caption
        ws["A1"].font = Font(bold=True, size=14)
        intro = ["This worksheet contains one table. Notes are on the Notes sheet.", *table.notes]
        if doc.symbol:
            intro.append(f"{doc.symbol}: suppressed to protect children's privacy.")
        for k, line in enumerate(intro, start=2):
            ws.cell(row=k, column=1, value=line)
        head = len(intro) + 2
        for j, h in enumerate(table.header, start=1):
            ws.cell(row=head, column=j, value=h)
        for i, cells in enumerate(table.rows, start=head + 1):
            for j, c in enumerate(cells, start=1):
                _xl_cell(ws.cell(row=i, column=j), c)
        _xl_table(
            ws,
            f"Table{n}",
            head,
            head + len(table.rows),
            len(table.header),
            XlTable,
            TableStyleInfo,
        )
        ws.freeze_panes = ws.cell(row=head + 1, column=2)
        _xl_widths(ws, head)
    return workbook_bytes(wb)


def _xl_cell(cell: Any, c: Cell) -> None:
    if c.value is not None and c.kind in NUMBER_FORMATS:
        cell.value = c.value if c.kind == "share" else round(c.value, 6)
        cell.number_format = NUMBER_FORMATS[c.kind]
        if c.kind in ("count", "rank") and float(c.value).is_integer():
            cell.value = int(c.value)
    else:
        cell.value = c.text or None
        if c.text and _numeric_text(c):
            from openpyxl.styles import Alignment

            cell.alignment = Alignment(horizontal="right")


def _xl_table(
    ws: Any, name: str, top: int, bottom: int, width: int, table_cls: Any, style_cls: Any
) -> None:
    from openpyxl.utils import get_column_letter

    ref = f"A{top}:{get_column_letter(width)}{max(bottom, top + 1)}"
    t = table_cls(displayName=name, ref=ref)
    t.tableStyleInfo = style_cls(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(t)


def _xl_widths(ws: Any, head: int) -> None:
    from openpyxl.utils import get_column_letter

    for j, col in enumerate(ws.iter_cols(min_row=head, max_row=ws.max_row), start=1):
        width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(j)].width = min(max(10, width + 2), 40)
