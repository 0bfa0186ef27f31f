"""Authority benchmark context (:func:`localitymap.statistics.benchmark.benchmark`) for the
terminal, CSV and Markdown: the authority beside England, its region and its statistical
neighbours, one measure a row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from localitymap.publication.context import context_rows, notes

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Group

__all__ = ["beside_rich", "context_rows", "notes", "to_csv", "to_markdown", "to_rich"]


def to_rich(table: pd.DataFrame, title: str) -> Group:
    """The block as a rich table with its notes."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    rows = context_rows(table)
    tab = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for i, h in enumerate(rows[0]):
        # two-line headers keep the nine columns inside 100 terminal columns
        head = h.replace("Neighbours ", "Neighbours\n").replace("Change on", "Change\non")
        tab.add_column(head, justify="left" if i == 0 else "right", overflow="fold",
                       max_width=22 if i == 0 else None, min_width=16 if i == 0 else None)  # fmt: skip
    for r in rows[1:]:
        tab.add_row(*(Text(c) for c in r))  # Text: a description is never read as markup
    return Group(tab, Text("\n".join(notes(table)), style="dim"))


def to_csv(table: pd.DataFrame) -> str:
    """Every column, one row per measure (texts as printed)."""
    return table.to_csv(index=False, lineterminator="\n")


def to_markdown(table: pd.DataFrame, title: str) -> str:
    rows = context_rows(table)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [f"**{title}**", "", line(rows[0]), "|" + "---|" * len(rows[0])]
    out += [line(r) for r in rows[1:]]
    return "\n".join([*out, "", *notes(table), ""])


def beside_rich(table: pd.DataFrame, bench: pd.DataFrame) -> Group:
    """The borough's rates beside the published figures (``rollup --rates``)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from localitymap.publication.context import NOTE, beside_published

    head, rows = beside_published(table, bench)
    tab = Table(title="The borough beside its published figures (DfE)", box=box.SIMPLE_HEAD,
                pad_edge=False, title_justify="left")  # fmt: skip
    for i, h in enumerate(head):
        h = (
            h.replace(" (", "\n(")
            .replace("Neighbours' ", "Neighbours'\n")
            .replace(" band", "\nband")
        )
        tab.add_column(h, justify="left" if i == 0 else "right", overflow="fold",
                       max_width=20 if i == 0 else None, min_width=12 if i == 0 else None)  # fmt: skip
    for r in rows:
        tab.add_row(*(Text(c) for c in r))
    return Group(Text(""), tab, Text(NOTE, style="dim"))
