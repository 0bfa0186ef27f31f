"""Locality profiles (:func:`localitymap.publication.profiles.build_profiles`) as Word or HTML, a
page per locality, and the small map of each locality with its wards named."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localitymap.inputs.schemes import Scheme
    from localitymap.model.geo import Boundaries
    from localitymap.publication.report import Document

HIGHLIGHT = "#9ecae1"  # light blue: ward names in black on it stay readable
OTHER = "#f3f2f1"

_PAGE_CSS = """
main > section + section { break-before: page; }
"""


def locality_map(boundaries: Boundaries, scheme: Scheme, locality: str, fmt: str = "png") -> bytes:
    """The borough with ``locality``'s wards shaded and named, the other localities outlined."""
    from matplotlib.figure import Figure

    from localitymap.renderers.maps import (
        _LABEL_BOX,
        _draw_shapes,
        _frame_axes,
        _north_arrow,
        _outline,
        save,
    )

    frame = boundaries.frame
    mine = [c for c in scheme.localities[locality] if c in frame.index]
    others = [c for c in frame.index if c not in set(mine)]
    fig = Figure(figsize=(5.2, 5.2))
    ax = fig.add_axes((0.01, 0.06, 0.98, 0.92))
    _draw_shapes(ax, list(frame.loc[others].geometry), [OTHER] * len(others), edge="none", width=0)
    _draw_shapes(
        ax, list(frame.loc[mine].geometry), [HIGHLIGHT] * len(mine), edge="none", width=0, z=2
    )
    _outline(ax, list(frame.geometry), "#7a7a7a", 0.4, z=3)
    for loc, codes in scheme.localities.items():
        shape = frame.loc[[c for c in codes if c in frame.index]].geometry.union_all()
        _outline(ax, [shape], "#0b0c0c", 1.4 if loc == locality else 0.8, z=4)
    names = boundaries.register
    for code in mine:
        pt = frame.loc[code].geometry.representative_point()
        ax.text(pt.x, pt.y, names.name_of(code), ha="center", va="center", fontsize=6.5,
                zorder=6, bbox=_LABEL_BOX, wrap=True)  # fmt: skip
    # framed on the locality, with its neighbours around it, so the ward names can be read
    _frame_axes(ax, frame.loc[mine].total_bounds, pad=0.25)
    _north_arrow(ax)
    fig.text(0.02, 0.015, boundaries.attribution, fontsize=4.5, color="#505a5f")
    return save(fig, fmt, dpi=150)


def map_drawer(boundaries: Boundaries, scheme: Scheme) -> Callable[[str, str], bytes]:
    """``draw_map(locality, fmt)`` for :func:`localitymap.publication.profiles.build_profiles`."""
    return lambda locality, fmt: locality_map(boundaries, scheme, locality, fmt)


def to_docx(doc: Document) -> bytes:
    """The profiles as Word: the report writer's document, each locality on a new page."""
    import docx

    from localitymap.renderers.documents import to_docx as document_docx
    from localitymap.renderers.export import fixed_zip_times

    d = docx.Document(io.BytesIO(document_docx(doc)))
    headings = [p for p in d.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    for p in headings[1:]:
        p.paragraph_format.page_break_before = True
    buf = io.BytesIO()
    d.save(buf)
    return fixed_zip_times(buf.getvalue())


def to_html(doc: Document) -> str:
    """The profiles as one self-contained HTML page; each locality starts a printed page."""
    from localitymap.renderers.documents import to_html as document_html

    return document_html(doc).replace("</style>", _PAGE_CSS + "</style>", 1)


def render_profiles(doc: Document, fmt: str) -> bytes:
    """``docx`` or ``html`` bytes."""
    if fmt == "docx":
        return to_docx(doc)
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    raise ValueError(f"unknown profiles format {fmt!r}; choose docx or html")
