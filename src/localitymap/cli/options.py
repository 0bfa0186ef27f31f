"""Options shared by several commands, declared once so they read the same everywhere."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


def document_output(what: str, suffixes: str, default: str) -> object:
    """The ``--output/-o`` option of a command that writes one document (report, dashboard,
    profiles): ``what`` file, its ``suffixes``, and the ``default`` name in the output folder."""
    return Annotated[
        Path | None,
        typer.Option(
            "--output", "-o",
            help=f"{what} file: {suffixes}. Default: {default} in the exercise file's output "
            "folder.",
        ),
    ]  # fmt: skip


Scheme = Annotated[
    str | None,
    typer.Option(
        "--scheme", "-s", help="Scheme id (icn6, areas3) or file. Default: exercise file."
    ),
]
Exercise = Annotated[
    Path | None,
    typer.Option(
        "--exercise", "-e",
        help="Exercise file (TOML). Default: localitymap.toml in this folder, if there is one.",
    ),
]  # fmt: skip
Data = Annotated[
    Path | None,
    typer.Option(
        "--data", "-d", help="Indicator CSV/XLSX file or folder. Default: bundled snapshot."
    ),
]
Register = Annotated[
    Path | None,
    typer.Option(
        "--register", help="Ward register CSV (ward_code, ward_name, lad_code, lad_name)."
    ),
]
Wards = Annotated[
    Path | None,
    typer.Option("--wards", help="Ward boundary file (GeoJSON, GeoPackage, Shapefile; any CRS)."),
]
WardCodeColumn = Annotated[
    str | None, typer.Option("--ward-code-column", help="Column of --wards holding ward codes.")
]
WardNameColumn = Annotated[
    str | None, typer.Option("--ward-name-column", help="Column of --wards holding ward names.")
]
Period = Annotated[str | None, typer.Option("--period", help="Period to use, e.g. 2019-02.")]
Sheet = Annotated[str | None, typer.Option("--sheet", help="XLSX sheet name (default: first).")]
WardColumn = Annotated[
    str | None,
    typer.Option("--ward-column", help="Column of the data holding ward codes or names."),
]
SuppressedRange = Annotated[
    str | None,
    typer.Option(
        "--suppressed-range",
        help="What a bare suppression marker (*, c, x) may stand for, e.g. 1-4. "
        "Default: unknown (totals become lower bounds).",
    ),
]
Catalogue = Annotated[Path | None, typer.Option("--catalogue", help="Indicator catalogue CSV.")]
AllowUnassigned = Annotated[
    bool,
    typer.Option("--allow-unassigned", help="Show wards in no locality as an 'Unassigned' row."),
]
AllowMissing = Annotated[
    bool,
    typer.Option(
        "--allow-missing-wards", help="Count scheme wards absent from the data as unknown."
    ),
]
Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")]
Indicators = Annotated[
    list[str] | None,
    typer.Option("--indicator", "-i", help="Only this indicator (id or label); repeat for more."),
]
Rates = Annotated[
    bool, typer.Option("--rates", help="Add rates per child with 95%/99.8% CIs and significance.")
]
Population = Annotated[
    Path | None,
    typer.Option("--population", help="Ward population CSV/XLSX (default: ONS mid-2019, Croydon)."),
]
Per = Annotated[
    float | None, typer.Option("--per", min=1, help="Rates per this many people (default 10,000).")
]


class DisclosurePolicy(StrEnum):
    """Disclosure-control policies (see localitymap.publication.disclosure.POLICIES)."""

    threshold5 = "threshold5"
    dfe = "dfe"
    nhsd = "nhsd"
    none = "none"


Disclosure = Annotated[
    DisclosurePolicy | None,
    typer.Option(
        "--disclosure",
        help="Small-number control for every output: threshold5 (1-4 shown as [c]), dfe (1-5 as "
        "c), nhsd (1-7 as *, others rounded to 5), none (internal use only). Default: the "
        "exercise file's, else threshold5 for report, map, funnel and findings, none otherwise.",
    ),
]
