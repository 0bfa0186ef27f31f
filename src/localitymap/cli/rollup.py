"""``localitymap rollup``: ward counts to locality counts, shares and ranks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from localitymap.cli._common import emit, handle_errors, parse_range, print_report


class OutFormat(StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    md = "md"
    json = "json"


class ValueView(StrEnum):
    all = "all"
    count = "count"
    share = "share"
    rank = "rank"


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", "-d", help="Indicator CSV/XLSX file or folder. Default: bundled snapshot."
    ),
]
RegisterOpt = Annotated[
    Path | None,
    typer.Option(
        "--register", help="Ward register CSV (ward_code, ward_name, lad_code, lad_name)."
    ),
]
PeriodOpt = Annotated[str | None, typer.Option("--period", help="Period to use, e.g. 2019-02.")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name (default: first).")]
WardColOpt = Annotated[
    str | None,
    typer.Option("--ward-column", help="Name of the column holding ward codes or names."),
]
SuppressedOpt = Annotated[
    str | None,
    typer.Option(
        "--suppressed-range",
        help="What a bare suppression marker (*, c, x) may stand for, e.g. 1-4. "
        "Default: unknown (totals become lower bounds).",
    ),
]
CatalogueOpt = Annotated[Path | None, typer.Option("--catalogue", help="Indicator catalogue CSV.")]


@handle_errors
def rollup_command(
    scheme: Annotated[
        str, typer.Option("--scheme", "-s", help="Scheme id (icn6, areas3) or file.")
    ],
    data: DataOpt = None,
    period: PeriodOpt = None,
    register: RegisterOpt = None,
    catalogue: CatalogueOpt = None,
    sheet: SheetOpt = None,
    ward_column: WardColOpt = None,
    suppressed_range: SuppressedOpt = None,
    allow_unassigned: Annotated[
        bool,
        typer.Option(
            "--allow-unassigned", help="Show wards in no locality as an 'Unassigned' row."
        ),
    ] = False,
    allow_missing_wards: Annotated[
        bool,
        typer.Option(
            "--allow-missing-wards", help="Count scheme wards absent from the data as unknown."
        ),
    ] = False,
    fmt: Annotated[
        OutFormat | None,
        typer.Option(
            "--format", "-f", help="Output format. Default: table, or from --output's suffix."
        ),
    ] = None,
    values: Annotated[
        ValueView, typer.Option("--values", help="What table and md cells show.")
    ] = ValueView.all,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing output file.")
    ] = False,
) -> None:
    """Roll ward counts up to localities: count, % of borough and rank per indicator.

    Example: localitymap rollup --scheme icn6 --format csv -o localities.csv
    """
    fmt_value = _choose_format(fmt, output)
    from localitymap.indicators import load_catalogue, read_indicators
    from localitymap.rollup import rollup
    from localitymap.schemes import load_scheme
    from localitymap.wards import load_register

    reg = load_register(register)
    ind = read_indicators(
        data,
        register=reg,
        catalogue=load_catalogue(catalogue),
        period=period,
        sheet=sheet,
        ward_column=ward_column,
        suppressed_range=parse_range(suppressed_range),
    )
    print_report(ind.report, levels=("warning", "note"))
    table = rollup(
        ind,
        load_scheme(scheme, reg),
        allow_unassigned=allow_unassigned,
        allow_missing_wards=allow_missing_wards,
    )
    if fmt_value == "table":
        from localitymap.render.terminal import console, rollup_table

        if output is not None:
            con = console(width=100, file_text=True)
            con.print(rollup_table(table, values.value))
            emit(con.export_text(), output, force)
        else:
            console().print(rollup_table(table, values.value))
        return
    from localitymap.render.export import render

    emit(render(table, fmt_value, values.value), output, force)


SUFFIXES = {
    ".csv": "csv",
    ".json": "json",
    ".md": "md",
    ".markdown": "md",
    ".xlsx": "xlsx",
    ".txt": "table",
}


def _choose_format(fmt: OutFormat | None, output: Path | None) -> str:
    """--format if given, else the format the output file's suffix implies, else a table."""
    if fmt is not None:
        if fmt == OutFormat.xlsx and output is None:
            raise typer.BadParameter("xlsx needs --output FILE.xlsx", param_hint="--format")
        return fmt.value
    if output is None:
        return "table"
    guessed = SUFFIXES.get(output.suffix.lower())
    if guessed is None:
        raise typer.BadParameter(
            f"cannot tell the format from {output.name!r}; add --format", param_hint="--output"
        )
    return guessed
