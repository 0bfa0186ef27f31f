"""Writers for a :class:`~localitymap.publication.report.Document`: Word (python-docx), one self-contained
HTML file, and an accessible Excel workbook (openpyxl). Heavy imports stay inside each writer.

- DOCX: named styles rather than direct formatting (Title, Heading 1, Caption, List Bullet and a
  few of our own: "Table Text", "Table Number", "Table Heading", "Data Warning"); real Word tables
  whose header row repeats on each page and carries the table caption as its accessible title;
  captions numbered with Word's SEQ fields; alt text on every picture; wide tables on a landscape
  page.
- HTML: one file, images inlined as data URIs, no scripts or external assets; tables with
  ``<caption>``, ``<th scope>``; prints on A4.
- XLSX: to the government guidance on releasing statistics in spreadsheets, through
  :mod:`localitymap.renderers.workbook` (cover, contents, notes, one named table per sheet).

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
# A map and its caption fit under a short section's text at this width rather than leaving most
# of a page blank before it; the maps' smallest text is sized to stay 7 pt or more at it.
FIGURE_WIDTH_CM = 14.5


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
    from localitymap.renderers.export import gc_paused

    with gc_paused():
        return _to_docx(doc)


def _to_docx(doc: Document) -> bytes:
    import datetime as dt

    from docx import Document as new_docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    from localitymap.publication.report import Figure, Paragraph, Table
    from localitymap.renderers.export import fixed_zip_times

    d = new_docx()
    _docx_styles(d)
    props = d.core_properties
    author = doc.about.get("author") or "localitymap"
    props.title, props.author, props.last_modified_by = doc.title, author, "localitymap"
    props.subject = doc.subtitle
    props.created = props.modified = props.last_printed = dt.datetime(2000, 1, 1)
    props.revision = 1
    props.comments = doc.status
    props.language = "en-GB"
    props.keywords = "children's services; localities; wards"
    props.category = "Committee report"
    page = d.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Cm(2.0))

    _docx_header_footer(page, doc)
    d.add_paragraph(doc.title, style="Title")
    d.add_paragraph(doc.subtitle, style="Subtitle")
    d.add_paragraph(doc.status, style="Status")
    if doc.warning:
        d.add_paragraph(doc.warning, style="Data Warning")
    landscape = False
    for section in doc.sections:
        # A section with a wide table goes on landscape pages, its heading included; the page
        # turns only where the next section needs the other way (two turns in a row would leave
        # an empty page between two landscape sections).
        wide = any(isinstance(b, Table) and b.wide for b in section.blocks)
        if wide != landscape:
            _docx_orientation(d, WD_ORIENT.LANDSCAPE if wide else WD_ORIENT.PORTRAIT)
            landscape = wide
        d.add_heading(section.title, level=1)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                style = {"bullet": "List Bullet", "warning": "Data Warning"}.get(
                    block.style, "Normal"
                )
                d.add_paragraph(block.text, style=style)
            elif isinstance(block, Figure):
                _docx_figure(d, block, Cm(FIGURE_WIDTH_CM))
            elif isinstance(block, Table):
                for part in _table_parts(block):
                    _docx_table(d, part, doc.symbol, _text_width(d.sections[-1]))
    buf = io.BytesIO()
    d.save(buf)
    return fixed_zip_times(_without_template_leftovers(buf.getvalue()))


def _table_parts(table: Table) -> list[Table]:
    """A table with column groups as one table per group, each repeating the row-label columns;
    the first keeps the numbered caption, the others say they continue it."""
    from dataclasses import replace

    if not table.groups:
        return [table]
    labels = list(range(table.label_columns))
    parts = []
    n = len(table.groups)
    for k, (title, cols) in enumerate(table.groups, start=1):
        keep = labels + cols
        caption = f"{table.caption} (part {k} of {n}: {title})"
        if k > 1:
            number = table.caption.split(":")[0]
            caption = f"{number} continued (part {k} of {n}: {title})"
        parts.append(
            replace(
                table,
                caption=caption,
                header=[table.header[j] for j in keep],
                rows=[[r[j] for j in keep] for r in table.rows],
                notes=table.notes if k == n else [],
                layout_notes=table.layout_notes if k == n else [],
                groups=[],
                full_header=[],
            )
        )
    return parts


def _docx_header_footer(section: Any, doc: Document) -> None:
    """The document's status and title in the header; "Page n of m" in the footer (PAGE and
    NUMPAGES fields, so Word and LibreOffice number the pages themselves)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    status = "For general release" if doc.public else "NOT FOR PUBLICATION: internal use only"
    if doc.warning:
        status += " · ILLUSTRATIVE DATA"
    head = section.header.paragraphs[0]
    head.text = f"{doc.title} · {status}"
    head.style = "Header"
    foot = section.footer.paragraphs[0]
    foot.style = "Footer"
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("Page ")
    _docx_field(foot, "PAGE", "1")
    foot.add_run(" of ")
    _docx_field(foot, "NUMPAGES", "1")


def _docx_field(paragraph: Any, instr: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instr} ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    field.append(run)
    paragraph._p.append(field)


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>localitymap</Application><AppVersion>" + __version__.encode() + b"</AppVersion>"
    b"</Properties>"
)


def _without_template_leftovers(data: bytes) -> bytes:
    """python-docx's template says it was made by "Microsoft Macintosh Word" and carries a blank
    thumbnail: say what made the file instead, and drop the thumbnail."""
    import re
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            name = info.filename
            if name == "docProps/thumbnail.jpeg":
                continue
            payload = src.read(name)
            if name == "docProps/app.xml":
                payload = _APP_XML
            elif name == "_rels/.rels":
                payload = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", payload)
            dst.writestr(info, payload)
    return out.getvalue()


def _docx_styles(d: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    styles = d.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    _one_font(d, "Arial")

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
    add("Table Text Small", "Table Text", 8, after=0)
    add("Table Number Small", "Table Number", 8, right=True, after=0)
    add("Table Heading Small", "Table Heading", 8, bold=True, after=0)
    styles["Caption"].font.size = Pt(10)
    styles["Caption"].font.color.rgb = RGBColor.from_string("1F1F1F")
    styles["Caption"].paragraph_format.keep_with_next = True


def _one_font(d: Any, family: str) -> None:
    """Every style in one font family, and British English as the proofing language: the
    template's headings otherwise use the theme's Calibri Light."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    root = d.styles.element
    defaults = root.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for el in root.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            el.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "cs"):
            el.set(qn(f"w:{attr}"), family)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{attr}"), family)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")


def _docx_caption(d: Any, label: str, text: str) -> None:
    """A Word caption: "Table 3: ..." with a SEQ field, so Word lists and renumbers it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    number, _, rest = text.partition(": ")
    if not (
        number.startswith(label)
        and number.split()[-1].isdigit()
        and " " not in number[len(label) + 1 :]
    ):
        # a continued table: no new number, and a page of its own
        d.add_paragraph(text, style="Caption").paragraph_format.page_break_before = True
        return
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
    # A figure's caption sits below it: kept with the next block, it would chain every figure
    # and the table after them onto one page and leave the page before mostly blank.
    d.paragraphs[-1].paragraph_format.keep_with_next = False


def _text_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def _docx_table(d: Any, table: Table, symbol: str, width: int) -> None:
    """The table as one ``w:tbl`` element, built as text and parsed once.

    python-docx makes a Python object per cell (and per paragraph and run in it): a national
    report's ~400,000 cells took most of a minute that way. The XML written here is what
    python-docx's own ``add_table`` and text setters would make, in the schema's element order."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm

    _docx_caption(d, "Table", table.caption)
    # Fixed column widths across the text width: the row-label column(s) wide enough for names,
    # the figures sharing the rest. Wide tables get narrow cell margins and a smaller font.
    labels = table.label_columns
    if table.measure:  # a grid of figures: row labels, then equal columns
        label_widths = [int(Cm(4.8)), int(Cm(2.6))][:labels] if labels > 1 else [int(Cm(4.2))]
        rest = (width - sum(label_widths)) // max(1, len(table.header) - labels)
        widths = label_widths + [rest] * (len(table.header) - labels)
    else:  # mixed text and figures: each column as wide as what it holds needs
        widths = _text_widths(table, width)
    twips = [round(w / 635) for w in widths]  # EMU to twentieths of a point
    small = " Small" if len(table.header) > 10 else ""
    # Style ids looked up once: python-docx resolves a style object by name on every lookup.
    heading, text, number = (
        d.styles[name + small].style_id for name in ("Table Heading", "Table Text", "Table Number")
    )
    tc = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="'
          for w in twips]  # fmt: skip
    end = "</w:p></w:tc>"
    margins = (
        '<w:tblCellMar><w:left w:w="40" w:type="dxa"/><w:right w:w="40" w:type="dxa"/>'
        "</w:tblCellMar>"
        if table.wide
        else ""
    )
    parts = [
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        '<w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
        f'<w:tblLayout w:type="fixed"/>{margins}'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/>'
        # The caption as the table's accessible title.
        f'<w:tblCaption w:val="{_attr(table.caption)}"/>'
        f'<w:tblDescription w:val="{_attr(_describe(table, symbol))}"/>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in twips),
        # The header row repeated on each page.
        '</w:tblGrid><w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>',
    ]
    for k, name in enumerate(table.header):
        parts.append(f'{tc[k]}{heading}"/></w:pPr>{_runs(name)}{end}')
    parts.append("</w:tr>")
    for cells in table.rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for k, (c, cell_start) in enumerate(zip(cells, tc, strict=True)):
            style = text if k == 0 or (c.kind == "text" and not _numeric_text(c)) else number
            parts.append(f'{cell_start}{style}"/></w:pPr>{_runs(c.text)}{end}')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    d.element.body._insert_tbl(parse_xml("".join(parts)))
    for note in [*table.notes, *table.layout_notes]:
        d.add_paragraph(note, style="Table Note")


# Characters XML 1.0 cannot hold (control characters but tab and newline): shown as U+FFFD.
_NOT_XML = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF],
                         0xFFFD)  # fmt: skip


def _attr(text: str) -> str:
    return html.escape(str(text).translate(_NOT_XML), quote=True)


def _runs(text: str) -> str:
    """A cell's text as Word runs, as python-docx writes them: tabs and line breaks as their own
    elements, spaces at either end kept."""
    if not text:
        return ""
    out = []
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")  # as python-docx reads them
    for k, line in enumerate(text.translate(_NOT_XML).split("\n")):
        if k:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                keep = ' xml:space="preserve"' if piece != piece.strip() else ""
                out.append(f"<w:t{keep}>{html.escape(piece, quote=False)}</w:t>")
    return f"<w:r>{''.join(out)}</w:r>"


# One character of the 8.5 pt table text (bold headings included), and a cell's side margins,
# in EMU: so that a column is at least as wide as its longest word.
_CHAR_EMU, _CELL_PAD_EMU = 64_000, 150_000


def _text_widths(table: Table, width: int) -> list[int]:
    """Column widths filling ``width``: each column first as wide as its longest word (a header
    such as "England" must not break inside the word), the rest shared in proportion to how much
    longer its longest text is (up to 45 characters). Where even the words do not fit, widths
    in proportion to them."""
    need, words = [], []
    for j, head in enumerate(table.header):
        texts = [r[j].text for r in table.rows]
        longest = max((len(t) for t in texts), default=0)
        word = max(len(w) for w in [*head.split(), *(w for t in texts for w in t.split())] or [""])
        words.append(max(word, 4))
        need.append(min(max(longest, word, 4), 45))
    floor = [w * _CHAR_EMU + _CELL_PAD_EMU for w in words]
    if sum(floor) >= width:
        return [width * f // sum(floor) for f in floor]
    extra = [max(n - w, 0) for n, w in zip(need, words, strict=True)]
    spare, share = width - sum(floor), sum(extra) or len(extra)
    return [
        f + spare * (e if sum(extra) else 1) // share for f, e in zip(floor, extra, strict=True)
    ]


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
th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
tbody th { text-align: left; font-weight: normal; }
.table-note { font-size: .8rem; color: #3d3d3d; margin: .1rem 0; }
.wide { overflow-x: auto; }
.wide:focus { outline: 3px solid #ffdd00; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #dddddd; }
figcaption { font-weight: bold; font-size: .9rem; }
footer { margin-top: 2rem; font-size: .8rem; color: #505a5f; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } caption { break-after: avoid; }
  /* Long tables may run on to the next page (rows whole, header repeated) rather than leave
     most of a page blank; figures and the annex's parts stay whole. */
  table { break-inside: auto; font-size: 8.5pt; } tr, figure { break-inside: avoid; }
  table.keep { break-inside: avoid; }
  th, td { padding: 1px 4px; line-height: 1.25; }
  .wide tbody th, td.label { white-space: nowrap; }
  figure img { max-height: 15cm; width: auto; }
  section:has(.wide) { page: landscape; }
  .wide { overflow: visible; } .wide .table-part { break-inside: avoid; }
}
@page { size: A4; margin: 1.8cm; }
@page landscape { size: A4 landscape; margin: 1.5cm; }
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
                out.append(_html_table(block, len(out)))
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


MARK_WORDS = {
    "▲": "significantly higher than the rest of the borough",
    "▼": "significantly lower than the rest of the borough",
}


def _html_table(table: Table, key: int) -> str:
    """A table (in parts when it has column groups). A wide one sits in a scroll region a
    keyboard can reach and prints on a landscape page."""
    e = html.escape
    parts = _table_parts(table)
    ident = f"t{key}"
    wide = table.wide or len(parts) > 1
    attrs = (
        f' class="wide" role="region" tabindex="0" aria-labelledby="{ident}-0"'
        if wide
        else ' class="table"'
    )
    rows = [f"<div{attrs}>"]
    for k, part in enumerate(parts):
        # A short table stays on one page; a long one may run on (rows whole, header repeated).
        keep = " keep" if len(part.rows) <= 16 else ""
        rows.append(f'<table class="table-part{keep}">')
        rows.append(f'<caption id="{ident}-{k}">{e(part.caption)}</caption>')
        rows.append(
            "<thead><tr>"
            + "".join(f'<th scope="col">{e(h)}</th>' for h in part.header)
            + "</tr></thead>"
        )
        rows.append("<tbody>")
        labels = max(1, part.label_columns)
        for cells in part.rows:
            out = [f'<th scope="row">{e(cells[0].text)}</th>']
            for j, c in enumerate(cells[1:], start=1):
                text = c.text or "not available"
                if j < labels:
                    out.append(f'<td class="label">{e(text)}</td>')
                    continue
                cls = ' class="num"' if c.kind != "text" or _numeric_text(c) else ""
                out.append(f"<td{cls}>{_marked(text)}</td>")
            rows.append("<tr>" + "".join(out) + "</tr>")
        rows += ["</tbody>", "</table>"]
        rows += [f'<p class="table-note">{e(n)}</p>' for n in [*part.notes, *part.layout_notes]]
    rows.append("</div>")
    return "\n".join(rows)


def _marked(text: str) -> str:
    """A cell's text, its ▲/▼ given words for screen readers (the triangle alone says nothing)."""
    e = html.escape
    for mark, words in MARK_WORDS.items():
        if text.endswith(mark):
            return f'{e(text[: -len(mark)])}<span role="img" aria-label="{words}">{mark}</span>'
    return e(text)


# --- Excel --------------------------------------------------------------------------------------


def to_xlsx(doc: Document) -> bytes:
    """The report as a workbook to the guidance on releasing statistics in spreadsheets (see
    :mod:`localitymap.renderers.workbook`): Cover, Contents, Notes, then one table per sheet."""
    from localitymap.renderers.workbook import marking, sheets_from_tables, write_workbook

    tables = doc.tables()
    cover = report_cover(doc)
    if doc.figures():
        maps = "The maps are in the Word and HTML versions of this report; their figures are here."
        cover.append(("Maps", maps))
    present = {t.sheet for t in tables}
    specific = {
        "Rates": _notes_matching(doc.notes, ("Population", "No population band")),
        "Wards": _notes_matching(doc.notes, ("Boundaries", "Wards without data")),
        "Localities": _notes_matching(doc.notes, ("Localities", "Boundaries")),
        "Counts": _notes_matching(doc.notes, ("Localities", "Wards without data")),
    }
    # A note meant for a sheet this document does not have applies to every sheet instead.
    specific = {sheet: ns for sheet, ns in specific.items() if sheet in present}
    placed = {n for ns in specific.values() for n in ns}
    shared = [n for n in doc.notes if n not in placed]
    notes_for = {t.sheet: [*shared, *specific.get(t.sheet, [])] for t in tables}
    return write_workbook(
        title=doc.title,
        subject=doc.subtitle,
        warning=doc.warning,
        cover=cover,
        notes=doc.notes,
        sheets=sheets_from_tables(tables, notes_for),
        mark=marking(public=doc.public, illustrative=bool(doc.warning)),
    )


def report_cover(doc: Document) -> list[tuple[str, str]]:
    """The cover sheet's headings and texts: what the data is, period, source, status,
    publication date and contact."""
    a = doc.about
    what = (
        f"{doc.title}: {doc.subtitle}. Counts of children and young people known to children's "
        "services, by indicator, for each locality and ward, with each locality's share of the "
        "borough total and its rank"
        + (", and rates per head of the population" if _has_rates(doc) else "")
        + "."
    )
    from localitymap.publication.report import abbreviation_sentence
    from localitymap.renderers.export import UNSTATED

    if doc.abbreviations:
        what += " " + abbreviation_sentence(doc.abbreviations)
    return [
        ("About these data", what),
        ("Period", a.get("period", "")),
        ("Source", a.get("source", "")),
        ("Status", doc.status),
        ("Publication date", a.get("publication_date") or UNSTATED),
        ("Contact", a.get("contact") or UNSTATED),
        ("Produced by", f"localitymap {__version__}"),
    ]


def _has_rates(doc: Document) -> bool:
    return any(t.sheet == "Rates" for t in doc.tables())


def _notes_matching(notes: list[str], starts: tuple[str, ...]) -> list[str]:
    return [n for n in notes if n.startswith(starts)]
