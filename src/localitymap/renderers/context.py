"""Authority benchmark context (:func:`localitymap.statistics.benchmark.benchmark`) for the
terminal, CSV and Markdown: the authority beside England, its region and its statistical
neighbours, one measure a row."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Group


def range_text(row: dict[str, object]) -> str:
    """The neighbours' range as ``low–high`` (a marker when none were published)."""
    if row["neighbours_low"] == "..":
        return ".."
    return f"{row['neighbours_low']}–{row['neighbours_high']}"


def change_text(row: dict[str, object]) -> str:
    """``-3.5``, ``+0.7``, or ``..`` where the years are not consecutive or a value is a marker."""
    change = str(row["change"] or "")
    if not change:
        return ".."
    return f"+{change}" if not change.startswith("-") and change.strip("0.") else change


def unit(description: str) -> str:
    """``per 10,000`` or ``%`` from a LAIT description ("" when it names neither)."""
    low = description.lower()
    if "per 10,000" in low or "per 10k" in low:
        return "per 10,000"
    if low.startswith(("%", "percent", "total pupils with", "total persistent")):
        return "%"
    return ""


def measure_name(row: dict[str, object]) -> str:
    """The catalogue's label with the measure's unit: ``Child protection plans (per 10,000)``."""
    u = unit(str(row["description"]))
    return f"{row['label']} ({u})" if u else str(row["label"])


def context_rows(table: pd.DataFrame) -> list[list[str]]:
    """Header and one row of texts per measure, as every format prints them."""
    first = table.iloc[0] if len(table) else None
    region = str(first["region_name"]) if first is not None else "Region"
    authority = str(first["authority"]) if first is not None else "Authority"
    head = [
        "Measure", "Year", authority, "England", region or "Region", "Neighbours avg",
        "Neighbours range", "Band", "Change on year",
    ]  # fmt: skip
    rows = [head]
    for r in table.to_dict("records"):
        rows.append([
            measure_name(r), str(r["year"]), str(r["value"]), str(r["england"]),
            str(r["region"]), str(r["neighbours_average"]), range_text(r),
            str(r["band"] or "n/a"), change_text(r),
        ])  # fmt: skip
    return rows


def notes(table: pd.DataFrame) -> list[str]:
    """What a reader needs to read the block: the neighbours, the bands and the source."""
    if not len(table):
        return []
    n = int(table["neighbours_n"].min())
    return [
        "Measures (DfE LAIT): "
        + "; ".join(
            f"{r['label']}: {r['description']} [{r['measure']}]" for r in table.to_dict("records")
        )
        + ".",
        f"Neighbours: the authority's 10 children's services statistical neighbours (DfE, May "
        f"2025){'' if n == 10 else f'; some publish no value (fewest with one: {n})'}.",
        "Band: quartile among all English authorities, A the best quarter, D the worst; n/a where "
        "neither a high nor a low value is better. Change on year: from the year before, where "
        "both were published. .. = not published.",
        str(table.attrs.get("source", "")),
    ]


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
