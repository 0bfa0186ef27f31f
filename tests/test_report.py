"""The committee report: its content, and the DOCX, HTML and XLSX files it becomes.

Each file is opened with the library that reads its format (python-docx, openpyxl, the standard
HTML parser) and checked for structure (tables, captions, alt text, header rows, no merged cells)
and for disclosure: no published count of 1-4 under threshold5.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.rollup import rollup
from localitymap.publication.disclosure import protect, public_table
from localitymap.publication.report import Figure, build_report
from localitymap.renderers.documents import _table_parts, to_docx, to_html, to_xlsx
from localitymap.statistics.rates import add_rates, read_population

from .conftest import FEB2019
from .spreadsheet_guidance import check_workbook, table_top

runner = CliRunner()
SMALL = re.compile(r"^[1-4]$")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def document():
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    table = rollup(data, scheme)
    prot = protect(table, "threshold5", data=data, scheme=scheme)
    pub = add_rates(public_table(table, prot), data, scheme, read_population())
    # A stand-in figure: drawing real maps is tested through the CLI below.
    doc = build_report(pub, data, scheme, prot)
    doc.sections[1].blocks.insert(
        0, Figure("Figure 1: test map", "A test map of six localities.", lambda fmt: _tiny(fmt))
    )
    return doc


def _tiny(fmt: str) -> bytes:
    from matplotlib.figure import Figure as MplFigure

    buf = io.BytesIO()
    MplFigure(figsize=(1, 1)).savefig(buf, format=fmt, dpi=20)
    return buf.getvalue()


def test_the_report_has_every_part_a_committee_paper_needs(document):
    titles = [s.title for s in document.sections]
    assert titles == [
        "Summary", "Demand by locality", "Rates per child", "Published benchmarks", "Ward figures",
        "Localities", "Data sources, methods and notes",
    ]  # fmt: skip
    assert document.status.startswith("For general release") and "[c]" in document.status
    assert document.warning.startswith("ILLUSTRATIVE DATA")
    captions = [t.caption for t in document.tables()]
    assert [c.split(":")[0] for c in captions] == [f"Table {i}" for i in range(1, 9)]
    counts = document.tables()[0]
    assert counts.header == ["Indicator", "North West", "North East", "Central West",
                             "Central East", "South West", "South East", "Borough total"]  # fmt: skip
    cp = next(r for r in counts.rows if r[0].text == "Child protection plans")
    assert [c.value for c in cp[1:]] == [65, 73, 113, 49, 44, 61, 405]
    notes = " ".join(document.notes)
    assert "Disclosure control: Counts under 5 suppressed" in notes and "localitymap" in notes
    assert "threshold5" not in notes  # policies are named in words in public text
    assert "Open Government Licence" in notes
    # The two NEET wards of 1-4 are hidden and so is one more cell in each of their sums.
    wards = next(t for t in document.tables() if t.sheet == "Wards")
    neet = wards.header.index("NEETs")
    assert sum(r[neet].text == "[c]" for r in wards.rows) >= 3
    assert not any(SMALL.match(c.text) for t in document.tables() if t.sheet in ("Counts", "Wards")
                   for r in t.rows for c in r[1:])  # fmt: skip


def test_docx_has_real_tables_captions_header_rows_alt_text_and_styles(document):
    d = docx.Document(io.BytesIO(to_docx(document)))
    parts = [p for t in document.tables() for p in _table_parts(t)]
    assert len(d.tables) == len(parts) == len(document.tables()) + 2  # the annex in three parts
    styles = [p.style.name for p in d.paragraphs]
    assert styles[:2] == ["Title", "Subtitle"] and "Heading 1" in styles
    # Caption numbers are Word SEQ fields, whose text python-docx's Paragraph.text leaves out.
    captions = [
        "".join(t.text for t in p._p.iter(f"{W}t"))
        for p in d.paragraphs
        if p.style.name == "Caption"
    ]
    # Figures first (the test map heads "Demand by locality"), then tables in order.
    assert captions == [
        *(f.caption for f in document.figures()),
        *(t.caption for t in parts),
    ]
    ns = W
    for t, spec in zip(d.tables, parts, strict=True):
        assert t.rows[0]._tr.trPr.find(f"{ns}tblHeader") is not None
        assert t._tbl.tblPr.find(f"{ns}tblCaption").get(f"{ns}val") == spec.caption
        assert [c.text for c in t.rows[0].cells] == spec.header
        assert {p.style.name for c in t.rows[0].cells for p in c.paragraphs} <= {
            "Table Heading", "Table Heading Small"
        }  # fmt: skip
        if spec.sheet in ("Counts", "Wards"):
            body = [c.text for r in t.rows[1:] for c in r.cells[1:]]
            assert not [x for x in body if SMALL.match(x)]
    annex = [c.text for t in d.tables for r in t.rows[1:] for c in r.cells[2:] if len(t.columns) > 2
             and t.rows[0].cells[0].text == "Ward"]  # fmt: skip
    assert "[c]" in annex
    shapes = list(d.inline_shapes)
    assert len(shapes) == len(document.figures())
    assert all(s._inline.docPr.get("descr") for s in shapes)
    # Landscape only for the ward annex.
    assert [s.page_width > s.page_height for s in d.sections] == [False, True, False]


def test_docx_needs_no_hand_work_before_an_agenda_pack(document):
    data = to_docx(document)
    d = docx.Document(io.BytesIO(data))
    # Header with the status, footer "Page n of m" from Word's fields.
    section = d.sections[0]
    assert "For general release" in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    props = d.core_properties
    assert props.language == "en-GB" and props.title == document.title
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        app = z.read("docProps/app.xml").decode()
        styles_xml = z.read("word/styles.xml").decode()
    assert "Microsoft" not in app and "<Application>localitymap</Application>" in app
    # One font family: no theme fonts, every named font Arial.
    assert "Theme=" not in re.sub(r"<w:latentStyles.*</w:latentStyles>", "", styles_xml, flags=re.S)
    assert set(re.findall(r'w:ascii="([^"]+)"', styles_xml)) == {"Arial"}
    # Table text at least 8 pt, the ward annex at most 8 columns a table.
    for st in d.styles:
        if st.name.startswith("Table ") and getattr(st, "font", None) and st.font.size:
            assert st.font.size.pt >= 8, st.name
    assert max(len(t.columns) for t in d.tables) <= 8
    # Abbreviations spelled out; each rate row names its population band.
    text = "\n".join(p.text for p in d.paragraphs)
    assert "EHC, education, health and care" in text and "SEND, special educational" in text
    rates = next(t for t in document.tables() if t.sheet == "Rates")
    assert all(
        re.search(r"\((per 10,000|% of those) aged \d+–\d+\)$", r[0].text) for r in rates.rows
    )


class _Page(HTMLParser):
    """Tags with their attributes, and each table's data cells under its caption."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: dict[str, list[str]] = {}
        self._where = ""
        self._caption = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._where = tag

    def handle_data(self, data):
        if self._where == "caption":
            self._caption = data
            self.cells[data] = []
        elif self._where == "td":
            self.cells[self._caption].append(data)
        self._where = ""


def test_html_is_one_self_contained_accessible_page(document):
    text = to_html(document)
    page = _Page()
    page.feed(text)
    tags = [t for t, _ in page.tags]
    parts = [p for t in document.tables() for p in _table_parts(t)]
    assert tags.count("table") == tags.count("caption") == len(parts)
    assert tags.count("img") == len(document.figures())
    assert not re.search(r"<td[^>]*>\s*</td>", text)
    # The scroll region around the wide annex is reachable by keyboard and named by its caption.
    regions = [a for t, a in page.tags if t == "div" and a.get("role") == "region"]
    assert regions and all(a.get("tabindex") == "0" and a.get("aria-labelledby") for a in regions)
    # Triangles have words.
    marks = re.findall(r'<span role="img" aria-label="([^"]+)">([▲▼])</span>', text)
    assert {m for _, m in marks} == {"▲", "▼"}
    assert text.count("▲") + text.count("▼") == len(marks) + 2  # and the two in the table note
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe")
        for key in ("src", "href"):
            if attrs.get(key):
                assert attrs[key].startswith("data:"), f"{tag} {key} points outside the file"
        if tag == "img":
            assert attrs.get("alt")
        if tag == "th":
            assert attrs.get("scope") in ("col", "row")
    assert '<html lang="en-GB">' in text
    counts = [
        c
        for cap, cells in page.cells.items()
        if "Count by" in cap or "continued" in cap
        for c in cells
    ]
    assert "[c]" in counts and not [c for c in counts if SMALL.match(c)]


def test_xlsx_follows_the_government_spreadsheet_guidance(document):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(document)))
    tables = check_workbook(wb)
    assert list(tables)[2:] == [t.sheet for t in document.tables()]
    for spec in document.tables():
        assert wb[spec.sheet]["A1"].value == spec.caption
    counts = tables["Counts"]
    assert counts[0] == ["Indicator", "Locality", "Count", "Count: lowest possible",
                         "Count: highest possible"]  # fmt: skip
    assert ["Child protection plans", "Central West", 113, 113, 113] in counts
    numbers = [v for name in ("Counts", "Wards") for r in tables[name] for v in r[2:]]
    assert not [v for v in numbers if isinstance(v, int) and 1 <= v <= 4]
    assert "[c]" in [v for r in tables["Wards"] for v in r]
    # The significance the Word and HTML reports mark with triangles is here too.
    rates = tables["Rates"]
    assert rates[0][-2:] == ["Compared with the rest of the borough (95% level)",
                             "Compared with the rest of the borough (99.8% level)"]  # fmt: skip
    assert {r[-2] for r in rates[1:]} >= {"higher ▲", "lower ▼", "[z]"}
    assert rates[1][0] == "Early help open cases (per 10,000 aged 0–15)"
    shares = wb["Shares"]
    first = shares.cell(row=table_top(shares) + 1, column=3)
    assert isinstance(first.value, float) and first.number_format == "0.0%"
    # The report's notes carry the numbers the Notes sheet gives them.
    sheet = {r[0]: r[1] for r in tables["Notes"][1:]}
    bullets = [b.text for b in document.sections[-1].blocks]
    for k, note in enumerate(document.notes, start=1):
        assert sheet[f"[note {k}]"] == note and bullets[k - 1] == f"[note {k}] {note}"


def test_outputs_are_byte_identical_when_made_twice(document):
    assert to_docx(document) == to_docx(document)
    assert to_xlsx(document) == to_xlsx(document)
    assert to_html(document) == to_html(document)


# --- through the command line -----------------------------------------------------------------


def _small_counts_file(tmp_path: Path) -> Path:
    """The bundled 2019 figures divided by 9: most ward counts become 0-4."""
    data = read_indicators(FEB2019)
    v = data.values
    wide = v.pivot(index="ward_code", columns="indicator", values="low") // 9
    path = tmp_path / "small.csv"
    wide.astype(int).reset_index().to_csv(path, index=False)
    return path


def test_report_command_writes_each_format_with_a_manifest(tmp_path):
    out = tmp_path / "croydon_localities.docx"
    args = ["report", "--scheme", "icn6", "--period", "2019-02", "-o"]
    result = runner.invoke(app, [*args, str(out)])
    assert result.exit_code == 0, result.output
    d = docx.Document(str(out))
    assert len(d.inline_shapes) == 2  # child protection plans and looked-after children
    alts = [s._inline.docPr.get("descr") for s in d.inline_shapes]
    assert alts[0].startswith("Map of Integrated Care Networks (six localities) localities")
    assert "Central West 113" in alts[0]
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["disclosure_policy"] == "threshold5"
    again = runner.invoke(app, [*args, str(out)])
    assert again.exit_code == 1 and "--force" in again.output
    html = tmp_path / "r.html"
    assert runner.invoke(app, [*args, str(html)]).exit_code == 0
    assert html.read_text().count("data:image/svg+xml;base64,") == 2
    bad = runner.invoke(app, [*args, str(tmp_path / "r.pdf")])
    assert bad.exit_code == 2 and ".docx, .html or .xlsx" in bad.output


def test_a_report_over_mostly_suppressed_data_still_renders_and_says_what_it_hid(tmp_path):
    data = _small_counts_file(tmp_path)
    for name in ("small.xlsx", "small.html"):
        out = tmp_path / name
        result = runner.invoke(
            app,
            ["report", "--scheme", "icn6", "--data", str(data), "-o", str(out)],
        )
        assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "small.xlsx")
    tables = check_workbook(wb)
    cells = [v for name in ("Counts", "Wards") for row in tables[name] for v in row]
    assert cells.count("[c]") > 100
    assert not [v for v in cells if isinstance(v, int) and 1 <= v <= 4]
    ranks = [r[2] for r in tables["Ranks"][1:]]
    assert "[c]" in ranks  # a hidden count's rank is hidden too
    notes = " ".join(str(c.value) for row in wb["Notes"].iter_rows() for c in row)
    assert re.search(r"\d+ of the \d+ published counts .* are suppressed", notes)
    html = (tmp_path / "small.html").read_text()
    assert "locality or borough figure(s) are shown as [c]" in html
    # The child protection map hides three localities: said in its alt text and on the map.
    page = _Page()
    page.feed(html)
    img = next(a for t, a in page.tags if t == "img")
    assert "North East suppressed" in img["alt"]
    svg = base64.b64decode(img["src"].split(",", 1)[1]).decode()
    from localitymap.exercise import Exercise

    ex = Exercise(scheme="icn6", data=data, disclosure="threshold5")
    t = ex.table()
    hidden = t[(t.indicator == "cp_plans") & ~t.is_total & (t.disclosure == "suppressed")]
    assert len(hidden) >= 3 and svg.count(">[c]<") == len(hidden) and "[c] suppressed" in svg


def test_without_disclosure_control_the_report_says_it_is_not_for_publication(tmp_path):
    out = tmp_path / "internal.xlsx"
    result = runner.invoke(
        app, ["report", "--scheme", "areas3", "--period", "2019-02", "--disclosure", "none",
              "--no-rates", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    cover = [c.value for c in wb["Cover"]["A"]]
    assert cover[cover.index("Status") + 1].startswith("NOT FOR PUBLICATION")
    counts = wb["Counts"]
    assert "Rates" not in wb.sheetnames
    assert counts.cell(row=table_top(counts) + 1, column=3).value == 667
    check_workbook(wb)


def test_rollup_exports_state_the_policy_and_hide_small_counts(tmp_path):
    out = tmp_path / "r.csv"
    result = runner.invoke(
        app, ["rollup", "--scheme", "icn6", "--data", str(_small_counts_file(tmp_path)),
              "--disclosure", "dfe", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "# Disclosure control: DfE convention." in text
    import pandas as pd

    t = pd.read_csv(out, comment="#")
    hidden = t[t.disclosure == "suppressed"]
    assert len(hidden) and hidden[["count", "share", "rank"]].isna().all().all()
    assert not t["count"].between(1, 5).any()


def test_html_printed_to_a4_keeps_every_column_of_the_ward_annex(document, tmp_path):
    """Headless Chromium prints the page to PDF: every column header of the ward annex, and
    every [c] it hides, must be in the PDF's text (a column cut off at the page edge is lost)."""
    from .browser import pdf_text, print_pdf

    page = tmp_path / "report.html"
    page.write_text(to_html(document), encoding="utf-8")
    text = pdf_text(print_pdf(page, tmp_path / "report.pdf"))
    annex = next(t for t in document.tables() if t.sheet == "Wards")
    number = annex.caption.split(":")[0]
    after = f"Table {int(number.split()[-1]) + 1}:"
    region = text[text.index(f"{number}:") : text.index(after)]
    words = re.findall(r"\S+", region)
    for header in annex.header:
        for word in header.split():
            assert word in words, f"annex column {header!r} is missing from the printed page"
    hidden = sum(c.text == "[c]" for r in annex.rows for c in r)
    assert hidden and region.count("[c]") == hidden
    # The last ward's row prints whole: its name and each of its figures.
    last = annex.rows[-1]
    lines = [x.split(last[1].text, 1)[1] for x in region.splitlines() if last[0].text in x]
    assert " ".join(lines).split() == [c.text for c in last[2:]]


def test_the_exercise_files_publication_facts_reach_every_cover(tmp_path):
    from localitymap.exercise import Exercise
    from localitymap.renderers.export import render

    ex = Exercise(
        scheme="icn6", period="2019-02", disclosure="threshold5",
        publication={"contact": "data@example.gov.uk", "publication_date": "2027-03-01",
                     "source": "Data-mapping exercise", "author": "Performance team"},
    )  # fmt: skip
    doc = ex.report()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(doc)))
    rolled = openpyxl.load_workbook(io.BytesIO(render(ex.table(), "xlsx")))
    for wb in (book, rolled):
        cover = [c.value for c in wb["Cover"]["A"]]
        assert cover[cover.index("Contact") + 1] == "data@example.gov.uk"
        assert cover[cover.index("Publication date") + 1] == "2027-03-01"
        assert cover[cover.index("Source") + 1].startswith("Data-mapping exercise (")
    assert docx.Document(io.BytesIO(to_docx(doc))).core_properties.author == "Performance team"


def test_the_ward_annex_heads_columns_with_short_labels_and_the_workbook_names_them_in_full():
    from localitymap.exercise import Exercise

    ex = Exercise(
        scheme="icn6", period="2019-02", disclosure="threshold5",
        indicators={"parental_substance_misuse": {"short_label": "Substance misuse"}},
    )  # fmt: skip
    doc = ex.report()
    annex = next(t for t in doc.tables() if t.sheet == "Wards")
    assert "Substance misuse" in annex.header and "Parental substance misuse" not in annex.header
    d = docx.Document(io.BytesIO(to_docx(doc)))
    heads = {c.text for t in d.tables for c in t.rows[0].cells}
    assert "Substance misuse" in heads
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(doc)))
    top = table_top(wb["Wards"])
    names = {r[2] for r in wb["Wards"].iter_rows(min_row=top + 1, values_only=True)}
    assert "Parental substance misuse" in names and "Substance misuse" not in names


def test_docx_table_cells_keep_their_text_exactly_and_escape_markup():
    """The Word table is written as XML text: what a cell holds must come back as the same text
    (markup characters, spaces at either end, tabs, line breaks), never as markup, and characters
    XML cannot hold must not break the document."""
    from localitymap.publication.report import Cell, Document, Section, Table

    texts = ['<b>North</b> & "co"', "  padded ", "a\tb", "two\nlines", "bell\x07", "1,200",
             "cr\rhere", "crlf\r\nhere"]  # fmt: skip
    table = Table(
        caption="Table 1: <i>Count</i>",
        header=["Locality", "Figure"],
        rows=[[Cell(t), Cell("5", 5, "count")] for t in texts],
        sheet="S",
        measure="count",
    )
    doc = Document(title="T", subtitle="S", status="Status", warning="", public=True,
                   sections=[Section("One", [table])], notes=[], symbol="[c]")  # fmt: skip
    d = docx.Document(io.BytesIO(to_docx(doc)))
    (t,) = d.tables
    got = [row.cells[0].text for row in t.rows[1:]]
    assert got == ["<b>North</b> & \"co\"", "  padded ", "a\tb", "two\nlines", "bell\ufffd",
                   "1,200", "cr\nhere", "crlf\nhere"]  # fmt: skip
    assert [row.cells[1].paragraphs[0].style.name for row in t.rows[1:]] == ["Table Number"] * 8
    assert t.rows[0].cells[0].paragraphs[0].style.name == "Table Heading"
    assert (
        t._tbl.tblPr.find(docx.oxml.ns.qn("w:tblCaption")).get(docx.oxml.ns.qn("w:val"))
        == "Table 1: <i>Count</i>"
    )


def test_consecutive_wide_sections_share_landscape_pages_without_an_empty_page_between():
    from localitymap.publication.report import Cell, Document, Section, Table

    def wide(name):
        return Table(caption=f"Table: {name}", header=["A", "B"], rows=[[Cell("x"), Cell("1")]],
                     sheet=name, wide=True)  # fmt: skip

    narrow = Table(caption="Table: n", header=["A", "B"], rows=[[Cell("x"), Cell("1")]], sheet="n")
    doc = Document(title="T", subtitle="S", status="Status", warning="", public=True, notes=[],
                   sections=[Section("One", [wide("a")]), Section("Two", [wide("b")]),
                             Section("Three", [narrow])], symbol="")  # fmt: skip
    d = docx.Document(io.BytesIO(to_docx(doc)))
    # Portrait (title), landscape (sections One and Two together), portrait (section Three).
    landscape = [s.page_width > s.page_height for s in d.sections]
    assert landscape == [False, True, False]


def test_text_table_columns_are_never_narrower_than_their_longest_word():
    """A header such as "England" broke as "Engla/nd": each column is first given its longest
    word, and only the rest is shared by how long the texts run."""
    from localitymap.publication.report import Cell, Table
    from localitymap.renderers.documents import _CELL_PAD_EMU, _CHAR_EMU, _text_widths

    header = ["Indicator", "Borough rate (February 2020)", "England", "London", "Quartile band"]
    rows = [
        [Cell(t) for t in ("Child protection plans", "45.8", "40.6", "37.2", "n/a")],
        [Cell(t) for t in ("Looked-after children", "100.3", "67.0", "48.0", "C")],
    ]
    width = 6_120_000  # 17 cm
    widths = _text_widths(Table(caption="T", header=header, rows=rows, sheet="B"), width)
    longest_word = [12, 9, 7, 6, 8]  # Looked-after, (February, England, London, Quartile
    assert all(
        w >= n * _CHAR_EMU + _CELL_PAD_EMU for w, n in zip(widths, longest_word, strict=True)
    )
    assert sum(widths) <= width and widths[0] == max(widths)  # the long names get the spare room


def test_every_sheet_says_what_it_is_when_printed_or_copied_alone(document):
    """The cover is not enough: a sheet printed or pasted on its own still says the data is
    illustrative (and, without disclosure control, not for publication)."""
    from dataclasses import replace

    from localitymap.renderers.workbook import marking

    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(document)))
    assert marking(public=True, illustrative=True) == "ILLUSTRATIVE DATA"
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "ILLUSTRATIVE DATA", ws.title
    for ws in wb.worksheets[3:]:  # the table sheets
        top = table_top(ws)
        assert ws.cell(row=top - 1, column=1).value == "ILLUSTRATIVE DATA", ws.title
    internal = openpyxl.load_workbook(io.BytesIO(to_xlsx(replace(document, public=False))))
    want = "NOT FOR PUBLICATION: internal use only; ILLUSTRATIVE DATA"
    assert all(ws.oddHeader.center.text == want for ws in internal.worksheets)
    assert check_workbook(internal)  # still to the spreadsheet guidance


def test_a_missing_cover_fact_is_not_stated_in_the_file_and_the_analyst_is_told(
    tmp_path, monkeypatch
):
    """The file's reader sees "Not stated."; the instruction to fill it in goes to stderr."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", "--scheme", "icn6", "--period", "2019-02",
                                      "-o", "r.xlsx"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "set contact and publication_date under [publication]" in result.stderr
    cover = [c.value for c in openpyxl.load_workbook(tmp_path / "r.xlsx")["Cover"]["A"]]
    assert cover[cover.index("Contact") + 1] == "Not stated."
    assert not any("exercise file" in str(v) or "[publication]" in str(v) for v in cover)
    (tmp_path / "localitymap.toml").write_text(
        '[exercise]\nscheme = "icn6"\n[publication]\ncontact = "a@b.gov.uk"\n'
        'publication_date = "2027-03-01"\n'
    )
    again = CliRunner().invoke(app, ["report", "--period", "2019-02", "-o", "s.xlsx"])
    assert again.exit_code == 0, again.output
    assert "Not stated" not in again.stderr
