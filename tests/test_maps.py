"""Maps: every indicator renders without warnings, output is deterministic, and what a reader
needs (title, legend classes, attribution, data status) is on the page."""

from __future__ import annotations

import html
import warnings

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.inputs.indicators import read_indicators
from localitymap.inputs.schemes import load_scheme
from localitymap.model.geo import load_boundaries
from localitymap.model.rollup import rollup
from localitymap.renderers.figures import render_map
from localitymap.renderers.maps import make_classes, nice_breaks, period_label

from .conftest import FEB2019


@pytest.fixture(scope="module")
def inputs():
    data, scheme = read_indicators(FEB2019), load_scheme("icn6")
    return rollup(data, scheme), data, scheme, load_boundaries()


def test_every_bundled_indicator_renders_without_warnings(inputs):
    table, data, scheme, b = inputs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for ind in data.indicators:
            for level in ("locality", "ward"):
                png = render_map(table, data, scheme, b, ind.id, level=level, fmt="png", dpi=40)
                assert png.startswith(b"\x89PNG")


@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_maps_are_deterministic(inputs, fmt, magic):
    table, data, scheme, b = inputs
    first = render_map(table, data, scheme, b, "cp_plans", fmt=fmt, dpi=60)
    assert first.startswith(magic)
    assert render_map(table, data, scheme, b, "cp_plans", fmt=fmt, dpi=60) == first


def test_svg_carries_title_legend_and_attribution(inputs):
    table, data, scheme, b = inputs
    svg = render_map(table, data, scheme, b, "lac", fmt="svg").decode()
    for text in [
        "Looked-after children by locality, February 2019",
        "Integrated Care Networks (six localities)",
        "Equal intervals",
        "ILLUSTRATIVE DATA",
        "Contains National Statistics data",
        "Central West",
        "2 km",
    ]:
        assert text in svg, text


def test_small_multiples_fit_an_a4_page(inputs):
    table, data, scheme, b = inputs
    pdf = render_map(table, data, scheme, b, "all", fmt="pdf")
    import re

    box = re.search(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", pdf)
    assert (
        box
        and float(box.group(1)) == pytest.approx(595.4, abs=1)
        and float(box.group(2)) == pytest.approx(841.7, abs=1)
    )
    svg = render_map(table, data, scheme, b, "all", fmt="svg").decode()
    assert (
        all(html.escape(i.label) in svg for i in data.indicators)
        and "one scale for all panels" in svg
    )


def test_uncertain_locality_is_hatched_and_flagged(write):
    """Fairfield's CP plans suppressed as <50: Central West's count becomes a range that spans
    classes, so the map hatches it and says why instead of picking a colour."""
    from localitymap.paths import data_dir

    lines = (
        (data_dir() / "indicators/2019-02/croydon_indicators_2019-02.csv").read_text().splitlines()
    )
    header = lines[3].split(",")
    cp = header.index("cp_plans")
    rows = [line.split(",") for line in lines[4:]]
    fairfield = next(r for r in rows if r[1] == "Fairfield")
    fairfield[cp] = "<50"
    data = read_indicators(
        write("d.csv", "\n".join([lines[3], *(",".join(r) for r in rows)]) + "\n")
    )
    scheme = load_scheme("icn6")
    table = rollup(data, scheme)
    cw = table[(table.indicator == "cp_plans") & (table.locality == "Central West")].iloc[0]
    assert not cw["exact"]
    svg = render_map(table, data, scheme, load_boundaries(), "cp_plans", fmt="svg").decode()
    assert "range spans classes" in svg
    assert f"{int(cw['count_low'])}–{int(cw['count_high'])}" in svg


def test_classes_and_period_labels():
    assert nice_breaks([0, 0, 0]) == (0.0, 1.0)
    c = make_classes([44, 49, 61, 65, 73, 113], as_percent=False)
    assert c.breaks == (40.0, 60.0, 80.0, 100.0, 120.0)
    assert [c.index(v) for v in (40, 59.9, 60, 120)] == [0, 0, 1, 3]
    assert c.label(0) == "40 to under 60" and c.label(3) == "100 to 120"
    assert len(set(c.colours)) == 4
    assert period_label("2019-02") == "February 2019" and period_label("Q3 2019") == "Q3 2019"


def test_palette_gets_darker_class_by_class():
    """Monotonic lightness keeps the classes in order when printed in greyscale."""
    from matplotlib.colors import to_rgb

    c = make_classes(list(range(0, 101, 10)), as_percent=False)
    luminance = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b in map(to_rgb, c.colours)]
    assert luminance == sorted(luminance, reverse=True) and luminance[0] - luminance[-1] > 0.6


def test_map_cli(tmp_path):
    runner = CliRunner()
    out = tmp_path / "cp.png"
    result = runner.invoke(
        app, ["map", "-s", "icn6", "-i", "Child protection plans", "-o", str(out), "--dpi", "72"]
    )
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"\x89PNG")
    again = runner.invoke(app, ["map", "-s", "icn6", "-i", "cp_plans", "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.stderr
    bad = runner.invoke(app, ["map", "-s", "icn6", "-i", "cp_plans", "-o", str(tmp_path / "x.jpg")])
    assert bad.exit_code == 2
    unknown = runner.invoke(
        app, ["map", "-s", "icn6", "-i", "cp plan", "-o", str(tmp_path / "y.png")]
    )
    assert unknown.exit_code == 1 and "did you mean cp_plans" in unknown.stderr


def test_few_areas_get_few_classes_and_labels_match_their_class():
    from localitymap.renderers.maps import _value_text

    c = make_classes([0.31, 0.39, 0.2995], as_percent=True)
    assert len(c.colours) == 3
    row = {"x_low": 644.0, "x_high": 644.0, "x_share": 0.29953}
    text = _value_text(row, "x", "share", c)
    assert text == "29.95%" and c.index(0.29953) == c.index(float(text[:-1]) / 100)


def _svg_texts(svg: str) -> list[str]:
    import re

    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_legend_lists_only_classes_a_locality_falls_in(inputs):
    table, data, scheme, b = inputs
    svg = render_map(table, data, scheme, b, "cp_plans", fmt="svg").decode()
    texts = _svg_texts(svg)
    # Child protection plans by locality: 44-113, so 80 to under 100 holds no locality.
    assert "60 to under 80" in texts and "100 to 120" in texts
    assert "80 to under 100" not in texts


def test_share_labels_of_one_map_share_one_precision(inputs):
    import re

    table, data, scheme, b = inputs
    for ind in ("all", "cp_plans"):
        svg = render_map(table, data, scheme, b, ind, value="share", fmt="svg").decode()
        labels = [t for t in _svg_texts(svg) if re.fullmatch(r"\d+(\.\d+)?%", t)]
        assert labels and len({len(t.split(".")[1]) if "." in t else 0 for t in labels}) == 1


def test_small_multiples_carry_north_arrow_and_scale_bar(inputs):
    table, data, scheme, b = inputs
    texts = _svg_texts(render_map(table, data, scheme, b, "all", fmt="svg").decode())
    assert "N" in texts and any(t.endswith(" km") for t in texts)


def test_ward_maps_number_their_wards_with_a_key(inputs):
    table, data, scheme, b = inputs
    texts = _svg_texts(render_map(table, data, scheme, b, "lac", level="ward", fmt="svg").decode())
    names = [data.register.name_of(c) for codes in scheme.localities.values() for c in codes]
    keyed = {t.split("  ", 1)[1] for t in texts if "  " in t}
    assert keyed == set(names)
    assert {str(k) for k in range(1, len(names) + 1)} <= set(texts)


def test_source_lines_print_at_7_pt_or_more(inputs):
    import re

    from localitymap.renderers.documents import FIGURE_WIDTH_CM

    table, data, scheme, b = inputs
    cases = [("cp_plans", FIGURE_WIDTH_CM / 2.54), ("all", None)]  # the report's width; A4 as is
    for ind, printed_inches in cases:
        svg = render_map(table, data, scheme, b, ind, fmt="svg").decode()
        width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1)) / 72
        scale = printed_inches / width if printed_inches else 1.0
        sizes = [
            float(m.group(1))
            for m in re.finditer(r"font-size: ([\d.]+)px[^>]*>[^<]*(?:Contains|Scheme:)", svg)
        ]
        assert sizes and min(sizes) * scale >= 7, (ind, sizes, scale)


@pytest.mark.parametrize("lines", [1, 6])
def test_the_map_sits_above_its_footer_however_long(lines):
    """The sources and the data warning under a map never run under the map itself (the
    borough's outline and the scale bar crossed a five-line footer)."""
    import geopandas as gpd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from shapely.geometry import box

    from localitymap.renderers.maps import draw_map

    squares = [box(0, 0, 900, 3000), box(1000, 0, 1900, 3000)]
    loc = gpd.GeoDataFrame({"locality": ["A", "B"], "x_low": [1, 2], "x_high": [1, 2]},
                           geometry=squares, crs=27700)  # fmt: skip
    footer = [f"Source line {k}: " + "words " * 20 for k in range(lines)]
    fig = draw_map(loc, loc[["geometry"]], "x", "X", footer=footer, illustrative=True)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    (ax,) = fig.axes
    drawn = ax.get_tightbbox(renderer)  # shapes, labels and the scale bar
    below = [
        t for t in fig.texts if "Source line" in t.get_text() or "ILLUSTRATIVE" in t.get_text()
    ]
    assert len(below) == 2
    assert all(drawn.y0 >= t.get_window_extent(renderer).y1 for t in below)
