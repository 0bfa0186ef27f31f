"""The yardstick for the rollup benchmark: a minimal hand-written Typer + rich + pandas script doing
the same job (read the bundled ward CSV and the icn6 scheme, sum by locality, print a rich table).

It has none of localitymap's checks; it shows what start-up costs when nothing is wasted.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import typer

DATA = Path(__file__).resolve().parents[1] / "data"
app = typer.Typer()


@app.command()
def main(scheme: str = "icn6") -> None:
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    wards = pd.read_csv(DATA / "indicators/2019-02/croydon_indicators_2019-02.csv", comment="#")
    doc = tomllib.loads((DATA / f"schemes/{scheme}.toml").read_text())
    lookup = {code: loc for loc, spec in doc["localities"].items() for code in spec["wards"]}
    wards["locality"] = wards["ward_code"].map(lookup)
    sums = wards.drop(columns=["ward_code", "ward_name"]).groupby("locality", sort=False).sum()
    shares = sums / sums.sum()
    table = Table(title=f"Locality demand ({scheme})")
    table.add_column("Indicator")
    for loc in sums.index:
        table.add_column(loc, justify="right")
    for ind in sums.columns:
        table.add_row(
            ind, *(f"{sums.at[loc, ind]:,} ({shares.at[loc, ind]:.0%})" for loc in sums.index)
        )
    Console().print(table)


if __name__ == "__main__":
    app()
