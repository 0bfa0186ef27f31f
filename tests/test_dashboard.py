"""The members' dashboard: content from the public rollups, RAG against targets, the HTML file as
a browser shows it (headless Chromium: screenshot, DOM accessibility checks, print), and XLSX."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from localitymap import read_indicators
from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.exercise import Exercise
from localitymap.inputs.benchmarks import load_benchmarks
from localitymap.inputs.targets import Target, bundled_targets, read_targets, targets_from
from localitymap.publication.dashboard import build_dashboard, exercise_tables
from localitymap.renderers.dashboard import RAG_COLOURS, to_html, to_xlsx
from localitymap.statistics.benchmark import benchmark

from . import browser
from .conftest import FEB2019, REPO

runner = CliRunner()
CHILDREN_0_15 = 85_672  # ONS mid-2019, Croydon (data/population)


def _tables(periods, data=None):
    return [
        Exercise(scheme="icn6", period=p, data=data, disclosure="threshold5").table(rates=True)
        for p in periods
    ]


@pytest.fixture(scope="module")
def dash():
    tables = _tables(["2019-02", "2020-02"])
    return build_dashboard(
        tables, read_targets(bundled_targets()), benchmark(load_benchmarks(), "Croydon")
    )


def _count(period: str, indicator: str) -> int:
    v = read_indicators(period=period).values
    return int(v[v["indicator"] == indicator]["low"].sum())


def test_rows_hold_latest_previous_direction_and_rag(dash):
    row = dash.row("cp_plans")
    latest, previous = _count("2020-02", "cp_plans"), _count("2019-02", "cp_plans")
    assert row.latest.text == f"{latest / CHILDREN_0_15 * 10_000:.1f}" == "45.8"
    assert row.previous.text == f"{previous / CHILDREN_0_15 * 10_000:.1f}" == "47.3"
    assert row.direction == "down" and row.direction_words.endswith("better")
    # target 45.0, tolerance 3.0, lower is better: 45.8 is worse by 0.8 -> amber
    assert (row.target_text, row.rag, row.rag_words) == (
        "45.0 (lower is better)", "amber", "Near target"
    )  # fmt: skip
    assert row.three_year == "n/a (2 periods)"
    assert row.context.value == "62.6" and row.context.england == "40.6"
    assert dash.row("lac").rag == "red" and dash.row("neet").rag == "green"
    assert dash.row("cwd").rag_words == "Not rated: no target"
    assert dash.periods == ["February 2019", "February 2020"]
    assert len(dash.row("cp_plans").localities["Central West"]) == 2


@pytest.mark.parametrize(
    ("value", "polarity", "expected"),
    [(45, "low", "green"), (48, "low", "amber"), (48.1, "low", "red"), (42, "high", "amber"),
     (41.9, "high", "red"), (45, "high", "green"), (None, "low", ""), (50, "", "")],
)  # fmt: skip
def test_rag_follows_polarity_and_tolerance(value, polarity, expected):
    assert Target("x", 45.0, 3.0).rag(value, polarity) == expected


def test_target_file_errors_name_the_table(tmp_path):
    bad = tmp_path / "localitymap.toml"
    bad.write_text('[targets.cp_plans]\ntarget = 45\npolarity = "down"\n')
    with pytest.raises(InputError, match=r"\[targets.cp_plans\] polarity must be low or high"):
        read_targets(bad)
    bad.write_text("[targets.cp_plans]\ntolerance = 3\n")
    with pytest.raises(InputError, match="needs a numeric target"):
        read_targets(bad)
    with pytest.raises(InputError, match="tolerance must be a number"):
        targets_from({"cp_plans": {"target": 45, "tolerance": -1}})


def _small_periods(tmp_path: Path) -> Path:
    """Three periods of small counts (the bundled figures divided by 9, 10 and 11)."""
    folder = tmp_path / "periods"
    folder.mkdir()
    for period, div in (("2018-02", 9), ("2019-02", 10), ("2020-02", 11)):
        v = read_indicators(FEB2019).values
        wide = v.pivot(index="ward_code", columns="indicator", values="low") // div
        path = folder / f"small_{period}.csv"
        path.write_text(
            f"# period: {period}\n" + wide.astype(int).reset_index().to_csv(index=False)
        )
    return folder


def test_three_periods_give_a_pooled_average_and_hidden_figures_stay_hidden(tmp_path):
    folder = _small_periods(tmp_path)
    ex = Exercise(scheme="icn6", data=folder, disclosure="threshold5")
    tables = exercise_tables(ex)
    assert [t.attrs["period"] for t in tables] == ["2018-02", "2019-02", "2020-02"]
    d = build_dashboard(tables, {})
    row = d.row("cp_plans")
    counts = [int(t[(t.indicator == "cp_plans") & t.is_total]["count"].iloc[0]) for t in tables]
    assert row.three_year == f"{sum(counts) / (3 * CHILDREN_0_15) * 10_000:.1f}"
    # every locality figure hidden in the public table is the symbol on the dashboard
    last = tables[-1]
    hidden = last[(last.disclosure == "suppressed") & ~last.is_total]
    assert len(hidden) > 5
    for rec in hidden.to_dict("records"):
        assert d.row(rec["indicator"]).localities[rec["locality"]][-1].text == "[c]"
    assert any(r.small.startswith("Small numbers") for r in d.rows)
    page = to_html(d)
    assert page.count(">[c]<") >= len(hidden)


def test_html_is_self_contained(dash):
    page = to_html(dash)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "url(" not in page and "@font-face" not in page
    # the only address is the SVG namespace, which is a name, not a request
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "ILLUSTRATIVE DATA" in page and "For general release" in page


def _contrast(fg: tuple[int, ...], bg: tuple[int, ...]) -> float:
    def lum(c: tuple[int, ...]) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (ch(x) for x in c[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_rag_palette_meets_wcag_aa_contrast():
    for bg, fg in RAG_COLOURS.values():
        rgb = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (bg, fg)]
        assert _contrast(rgb[1], rgb[0]) >= 4.5


# The checks run inside the browser on the page as laid out, and write their findings into the DOM
# (the dashboard itself carries no script; this copy is the test's).
_CHECKS = """
<script>
function rgb(s) { return s.match(/[0-9.]+/g).slice(0, 3).map(Number); }
function lum(c) { const v = c.map(x => { x /= 255; return x <= 0.04045 ? x / 12.92 :
  Math.pow((x + 0.055) / 1.055, 2.4); }); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
function contrast(a, b) { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (h + 0.05) / (l + 0.05); }
function bgOf(el) { while (el) { const c = getComputedStyle(el).backgroundColor;
  if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c;
  el = el.parentElement; } return 'rgb(255, 255, 255)'; }
const out = {problems: [], rag: [], svgs: 0, tables: 0, lang: document.documentElement.lang};
document.querySelectorAll('img').forEach(i => { if (!i.alt) out.problems.push('img without alt'); });
document.querySelectorAll('svg').forEach(s => { out.svgs++;
  if (s.getAttribute('role') !== 'img' || !(s.getAttribute('aria-label') || '').trim())
    out.problems.push('svg without role=img and a label'); });
document.querySelectorAll('table').forEach(t => { out.tables++;
  if (!t.caption || !t.caption.textContent.trim()) out.problems.push('table without caption');
  t.querySelectorAll('thead th').forEach(th => { if (th.scope !== 'col')
    out.problems.push('column header without scope'); });
  t.querySelectorAll('tbody th').forEach(th => { if (th.scope !== 'row')
    out.problems.push('row header without scope'); }); });
document.querySelectorAll('.rag, .better, .worse, td, th, p, li').forEach(el => {
  const c = contrast(rgb(getComputedStyle(el).color), rgb(bgOf(el)));
  if (el.classList.contains('rag')) out.rag.push([el.textContent.trim(), c]);
  const big = parseFloat(getComputedStyle(el).fontSize) >= 24;
  if (c < (big ? 3 : 4.5)) out.problems.push('low contrast ' + c.toFixed(2) + ': ' +
    el.textContent.trim().slice(0, 30)); });
const levels = [...document.querySelectorAll('h1, h2, h3')].map(h => +h.tagName[1]);
levels.forEach((l, i) => { if (i && l > levels[i - 1] + 1) out.problems.push('heading skips'); });
if (levels[0] !== 1) out.problems.push('first heading is not h1');
const pre = document.createElement('pre'); pre.id = 'a11y'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>
"""


def _dump_dom(page: Path) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser.chromium(), *browser.FLAGS, f"--user-data-dir={profile}",
             "--dump-dom", page.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    return done.stdout.decode("utf-8")


def test_dashboard_in_a_real_browser(tmp_path):
    result = runner.invoke(app, ["dashboard", "--scheme", "icn6", "-o", str(tmp_path / "d.html")])
    assert result.exit_code == 0, result.output
    page = tmp_path / "d.html"
    png = browser.screenshot(page, tmp_path / "d.png", width=1400, height=1400)
    from matplotlib.image import imread

    pixels = imread(png)[..., :3]
    ink = (pixels < 0.85).any(axis=-1).mean()
    assert 0.03 < ink < 0.6, ink  # text and charts, not a blank (or solid) page
    assert ((abs(pixels - [0xB1 / 255, 0x0E / 255, 0x1E / 255]) < 0.02).all(axis=-1)).sum() > 50
    checked = tmp_path / "checked.html"
    checked.write_text(page.read_text().replace("</body>", _CHECKS + "</body>"))
    dom = _dump_dom(checked)
    found = json.loads(
        re.search(r'<pre id="a11y">(.*?)</pre>', dom, re.S).group(1).replace("&quot;", '"')
    )
    assert found["problems"] == []
    assert found["lang"] == "en-GB" and found["tables"] == 3
    assert found["svgs"] >= 15 * 7  # a trend per indicator and per locality
    assert {t.split()[1] for t, _ in found["rag"]} == {"Off", "Near", "On"}
    assert min(c for _, c in found["rag"]) >= 4.5
    pdf = browser.print_pdf(page, tmp_path / "d.pdf")
    text = browser.pdf_text(pdf)
    assert "Child protection plans" in text and "Near target" in text
    # A4 landscape: 842 x 595 points
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+841\.\d+ x 59[45]\.\d+ pts \(A4\)", info), info


def test_xlsx_holds_the_same_figures(dash):
    import io

    from .spreadsheet_guidance import check_workbook

    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(dash)))
    check_workbook(wb)  # the spreadsheet guidance, as for the report and rollup workbooks
    assert "Dashboard" in wb.sheetnames
    ws = wb["Dashboard"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == "Indicator")
    cp = next(r for r in rows[head:] if r[0] == "Child protection plans")
    header = rows[head]
    assert cp[header.index("Latest (February 2020)")] == pytest.approx(45.756, abs=1e-3)
    assert cp[header.index("RAG rating")] == "Near target"
    assert cp[header.index("Published (Croydon)")] == "62.6"
    assert wb["Localities"].max_row > 14 * 6


def test_dashboard_command_refuses_to_overwrite_and_bad_suffix(tmp_path):
    out = tmp_path / "d.xlsx"
    args = ["dashboard", "--scheme", "icn6", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert Path(f"{out}.manifest.json").is_file()
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.output
    bad = runner.invoke(app, ["dashboard", "--scheme", "icn6", "-o", str(tmp_path / "d.pdf")])
    assert bad.exit_code == 2


def test_own_data_gets_no_invented_targets(tmp_path):
    folder = _small_periods(tmp_path)
    out = tmp_path / "d.html"
    result = runner.invoke(app, ["dashboard", "-s", "icn6", "--data", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "No targets are set in the exercise file" in page and 'class="rag rag-' not in page
    assert str(REPO) not in page and str(tmp_path) not in page  # no local paths in public text


def test_targets_and_authority_come_from_the_exercise_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["init"]).exit_code == 0
    text = Path("localitymap.toml").read_text()
    text += '\n[targets.cin_plans]\ntarget = 150.0\ntolerance = 2.0\npolarity = "low"\n'
    Path("localitymap.toml").write_text(text)
    result = runner.invoke(app, ["dashboard"])  # scheme, policy and output folder from the file
    assert result.exit_code == 0, result.output
    page = (tmp_path / "outputs" / "dashboard.html").read_text()
    # only the file's target: child in need plans 155.2 per 10,000 against 150 +/- 2 -> red
    assert page.count('class="rag rag-') == 1
    row = page[page.index("Child in need plans") :].split("</tr>")[0]
    assert "150.0 (lower is better)" in row and "Off target" in row and "155.2" in row
    # the authority ("London Borough of Croydon") found in the published benchmarks
    assert "493.6 (2025)" in row
    assert "Children&#x27;s services dashboard: London Borough of Croydon" in page


def test_benchmarks_of_another_authority_are_named_as_theirs(tmp_path):
    out = tmp_path / "d.html"
    result = runner.invoke(app, ["dashboard", "-s", "icn6", "--authority", "Leeds", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert "Table 3: Leeds's published figures beside England, Yorkshire and the Humber" in page
    assert "Published (Leeds)" in page and "Published (Croydon)" not in page
