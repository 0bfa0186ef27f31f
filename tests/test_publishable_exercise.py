"""One publishable exercise: every output of one exercise, read together by a determined reader,
reveals no hidden count more narrowly than the policy's own range.

The reader here is independent of the protection code: it reads the files the commands wrote
(rollup CSV with rates, report workbook with its ward annex, the figures tables of ward maps and
ward funnels, the comparison CSV), turns every published figure into what it says about a count
(counts, bounds, rates with their denominators, shares with the total), and asks scipy's integer
programme for the smallest and largest value of every hidden cell, given every sum.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.exercise import Exercise
from localitymap.inputs.indicators import load_catalogue
from localitymap.inputs.schemes import load_scheme
from localitymap.inputs.wards import load_register
from localitymap.publication.disclosure import get_policy

runner = CliRunner()
INDICATORS = ["cp_plans", "lac", "neet"]
PERIODS = ["2019-02", "2020-02"]
TOLERANCE = 1e-6  # floating-point slack on top of each figure's printed precision


def _write_data(folder: Path, counts: dict[tuple[str, str, str], int]) -> Path:
    reg = load_register()
    rows = []
    for period in PERIODS:
        for code in reg.codes:
            rows.append(
                {"period": period, "ward": reg.name_of(code)}
                | {ind: counts[(period, code, ind)] for ind in INDICATORS}
            )
    path = folder / "small.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _run(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output


def _read_csv(path: Path) -> pd.DataFrame:
    text = "\n".join(x for x in path.read_text().splitlines() if not x.startswith("#"))
    return pd.read_csv(io.StringIO(text), keep_default_na=True)


def make_outputs(folder: Path, data: Path, policy: str) -> dict[str, Path]:
    """Every public output of one exercise (exercise file: data, scheme, policy)."""
    (folder / "localitymap.toml").write_text(
        f'[exercise]\nscheme = "icn6"\nperiod = "2020-02"\nprevious_period = "2019-02"\n'
        f'disclosure = "{policy}"\n[inputs]\ndata = "{data.name}"\n'
    )
    ex = ["--exercise", str(folder / "localitymap.toml")]
    out = {
        "rollup": folder / "rollup.csv",
        "report": folder / "report.xlsx",
        "compare": folder / "compare.csv",
    }
    _run("rollup", *ex, "--rates", "-o", str(out["rollup"]))
    _run("report", *ex, "-o", str(out["report"]))
    _run("compare", *ex, "-f", "csv", "-o", str(out["compare"]))
    for ind in INDICATORS:
        _run("map", *ex, "-i", ind, "--level", "ward", "--dpi", "72",
             "-o", str(folder / f"map_{ind}.png"))  # fmt: skip
        _run("funnel", *ex, "-i", ind, "--level", "ward", "--dpi", "72",
             "-o", str(folder / f"funnel_{ind}.png"))  # fmt: skip
        out[f"map_{ind}"] = folder / f"map_{ind}.csv"
        out[f"funnel_{ind}"] = folder / f"funnel_{ind}.csv"
    return out


class Reader:
    """What a reader knows of each count: ``known[(period, indicator, area)] = [low, high]``."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, math.inf])
        self.hidden: set[tuple[str, str, str]] = set()

    def learn(self, key: tuple[str, str, str], low: float, high: float) -> None:
        k = self.known[key]
        k[0], k[1] = max(k[0], low), min(k[1], high)

    def exact(self, key: tuple[str, str, str], value: float) -> None:
        self.learn(key, value, value)

    def symbol(self, key: tuple[str, str, str], text: object, policy: str) -> bool:
        """A cell published as the policy's symbol: hidden, so at least 1 (zeros are shown)."""
        if str(text).strip() == get_policy(policy).symbol:
            self.hidden.add(key)
            self.learn(key, 1, math.inf)
            return True
        return False


def read_everything(out: dict[str, Path], policy: str) -> Reader:
    pol = get_policy(policy)
    half = pol.rounding / 2
    r = Reader()
    reg = load_register()
    labels = {i.label: i.id for i in load_catalogue()}
    name_to_code = {reg.name_of(c): c for c in reg.codes}

    def count(key: tuple[str, str, str], value: float) -> None:
        # Under a rounding policy a shown count v stands for v-2..v+2 (and is never 1..7).
        if pol.rounding and value > 0:
            r.learn(key, max(pol.threshold + 1, value - half), value + half)
        else:
            r.exact(key, value)

    roll = _read_csv(out["rollup"])
    for row in roll.itertuples():
        key = (str(row.period), row.indicator, row.locality)
        if row.disclosure == "suppressed":
            r.hidden.add(key)
            r.learn(key, 1, math.inf)
        if not math.isnan(row.count):
            count(key, row.count)
        if not math.isnan(row.rate) and not math.isnan(row.denominator):
            scale = row.denominator / 10_000 if row.measure != "%" else row.denominator / 100
            if not pol.rounding:
                # Rates are printed to 4 decimals: the count lies within half a unit of that.
                tol = 0.5e-4 * scale + TOLERANCE
                r.learn(key, row.rate * scale - tol, row.rate * scale + tol)
        if not row.is_total and not math.isnan(row.share) and not pol.rounding:
            tot = roll[(roll.indicator == row.indicator) & roll.is_total]["count"].iloc[0]
            if not math.isnan(tot):
                tol = 0.5e-6 * tot + TOLERANCE  # shares are printed to 6 decimals
                r.learn(key, row.share * tot - tol, row.share * tot + tol)

    # The report workbook (guidance layout): long tables under a title and a line of notes,
    # one row per indicator and area, the count and the range it lies in; [c] where hidden.
    wb = openpyxl.load_workbook(out["report"])
    period = "2020-02"
    for name in ("Counts", "Wards"):
        if name not in wb.sheetnames:
            continue
        (table,) = wb[name].tables.values()  # the sheet's one named table, header first
        top = int(table.ref.split(":")[0][1:])
        rows = list(wb[name].iter_rows(min_row=top, values_only=True))
        col = {h: j for j, h in enumerate(rows[0])}
        for row in rows[1:]:
            ind = labels.get(str(row[col["Indicator"]]))
            if ind not in INDICATORS:
                continue
            if name == "Wards":
                if row[col["Ward"]] not in name_to_code:
                    continue
                key = (period, ind, name_to_code[row[col["Ward"]]])
            else:
                key = (period, ind, str(row[col["Locality"]]))
            value = row[col["Count"]]
            low, high = row[col["Count: lowest possible"]], row[col["Count: highest possible"]]
            if value == "[c]" or r.symbol(key, value, policy):
                r.hidden.add(key)
                r.learn(key, 1, math.inf)
            elif isinstance(value, int | float):
                count(key, float(value))
            elif isinstance(low, int | float):
                top = float(high) + half if isinstance(high, int | float) else math.inf
                r.learn(key, max(0.0, float(low) - half), top)

    for ind in INDICATORS:
        m = _read_csv(out[f"map_{ind}"])
        for row in m.itertuples():
            key = (period, ind, row.ward_code)
            if not r.symbol(key, row.published, policy) and not math.isnan(row.count):
                count(key, row.count)
        f = _read_csv(out[f"funnel_{ind}"])
        for row in f.itertuples():
            key = (period, ind, name_to_code[row.name])
            if not math.isnan(row.count):
                count(key, row.count)
            if not math.isnan(row.value) and not pol.rounding:
                per = 100 if load_indicator(ind).statistic == "proportion" else 10_000
                v = row.value * row.population / per
                r.learn(key, v - TOLERANCE, v + TOLERANCE)

    comp = _read_csv(out["compare"])
    for row in comp.itertuples():
        sides = ((str(row.period_before), "count_before"), (str(row.period_after), "count_after"))
        for when, col in sides:
            key = (when, row.indicator, row.locality)
            value = getattr(row, col)
            if getattr(row, col.replace("count", "disclosure")) == "suppressed":
                r.hidden.add(key)
                r.learn(key, 1, math.inf)
            if not math.isnan(value):
                count(key, value)
    return r


def load_indicator(ind: str):
    return next(i for i in load_catalogue() if i.id == ind)


def attack(reader: Reader) -> dict[tuple[str, str, str], tuple[float, float]]:
    """The smallest and largest whole value of every hidden cell, by integer programming over
    every sum (wards to localities to the borough), per period and indicator."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    scheme = load_scheme("icn6")
    found = {}
    for period in PERIODS:
        for ind in INDICATORS:
            cells = [(period, ind, c) for codes in scheme.localities.values() for c in codes]
            cells += [(period, ind, loc) for loc in scheme.localities]
            cells.append((period, ind, "Borough total"))
            pos = {c: i for i, c in enumerate(cells)}
            rows = []
            for loc, codes in scheme.localities.items():
                a = np.zeros(len(cells))
                a[pos[(period, ind, loc)]] = -1
                for c in codes:
                    a[pos[(period, ind, c)]] = 1
                rows.append(a)
            a = np.zeros(len(cells))
            a[pos[(period, ind, "Borough total")]] = -1
            for loc in scheme.localities:
                a[pos[(period, ind, loc)]] = 1
            rows.append(a)
            lo = np.array([math.ceil(reader.known[c][0] - 1e-9) for c in cells], dtype=float)
            hi = np.array(
                [
                    math.floor(reader.known[c][1] + 1e-9)
                    if math.isfinite(reader.known[c][1])
                    else np.inf
                    for c in cells
                ]
            )
            cons = LinearConstraint(np.array(rows), 0, 0)
            for c in cells:
                if c not in reader.hidden:
                    continue
                obj = np.zeros(len(cells))
                obj[pos[c]] = 1
                whole = np.ones(len(cells))
                low = milp(obj, constraints=cons, bounds=Bounds(lo, hi), integrality=whole)
                high = milp(-obj, constraints=cons, bounds=Bounds(lo, hi), integrality=whole)
                assert low.x is not None, f"the published figures contradict each other at {c}"
                top = math.inf if high.x is None else round(high.x[pos[c]])
                found[c] = (round(low.x[pos[c]]), top)
    return found


def _truth(counts: dict[tuple[str, str, str], int]) -> dict[tuple[str, str, str], int]:
    scheme = load_scheme("icn6")
    out = dict(counts)
    for period in PERIODS:
        for ind in INDICATORS:
            total = 0
            for loc, codes in scheme.localities.items():
                v = sum(counts[(period, c, ind)] for c in codes)
                out[(period, ind, loc)] = v
                total += v
            out[(period, ind, "Borough total")] = total
    return {(k[0], k[2], k[1]) if k[1].startswith("E05") else k: v for k, v in out.items()}


def check(folder: Path, counts: dict[tuple[str, str, str], int], policy: str) -> int:
    data = _write_data(folder, counts)
    reader = read_everything(make_outputs(folder, data, policy), policy)
    truth = _truth(counts)
    pol = get_policy(policy)
    # Every figure the outputs state is true (or its rounding)...
    for key, (lo, hi) in reader.known.items():
        assert lo - 1e-6 <= truth[key] <= hi + 1e-6, (
            f"{key}: published {lo}-{hi}, true {truth[key]}"
        )
    # ...every small count is hidden...
    for key, v in truth.items():
        if 1 <= v <= pol.threshold and key[0] == "2020-02":
            assert key in reader.hidden, f"{key} = {v} is published"
    # ...and no hidden count can be narrowed below the policy's range by all outputs together.
    found = attack(reader)
    claimed = pol.threshold  # "1 to 4" is four values: what the policy tells readers
    for key, (lo, hi) in found.items():
        assert hi - lo + 1 >= claimed, f"{key} = {truth[key]} narrowed to {lo}-{hi} under {policy}"
    return len(found)


def _counts_from(values: list[int]) -> dict[tuple[str, str, str], int]:
    reg = load_register()
    keys = [(p, c, i) for p in PERIODS for c in reg.codes for i in INDICATORS]
    return dict(zip(keys, values, strict=True))


N_CELLS = len(PERIODS) * 28 * len(INDICATORS)


@pytest.mark.parametrize("policy", ["threshold5", "dfe"])
def test_all_outputs_together_reveal_no_hidden_count_on_many_small_counts(tmp_path, policy):
    rng = np.random.default_rng(7)
    values = [int(x) for x in rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14], size=N_CELLS)]
    assert check(tmp_path, _counts_from(values), policy) > 20


@pytest.mark.parametrize("small", [(1, 3), (4, 4), (1, 1)])
def test_two_small_wards_in_each_locality_keep_the_full_range(tmp_path, small):
    # Two hidden wards beside large shown ones would read as a sum (1 + 3 = 4: each "1 to 3";
    # 4 + 4 = 8 with nothing else hidden: the example). The reader must still not get
    # below "1 to 4", whatever the outputs publish together.
    scheme = load_scheme("icn6")
    counts = {}
    for period in PERIODS:
        for codes in scheme.localities.values():
            for k, code in enumerate(codes):
                for ind in INDICATORS:
                    counts[(period, code, ind)] = small[k] if k < 2 else 20 + k
    assert check(tmp_path, counts, "threshold5") >= 12 * len(INDICATORS)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(0, 8), min_size=N_CELLS, max_size=N_CELLS))
def test_all_outputs_together_reveal_no_hidden_count_hypothesis(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("exercise")
    check(folder, _counts_from(values), "threshold5")


def test_unknown_input_cells_are_not_available_not_confidential(tmp_path):
    # Kenley's count suppressed in the source with no range: [x], never the privacy symbol.
    reg = load_register()
    rows = [{"ward": reg.name_of(c), "cp_plans": 20} for c in reg.codes]
    kenley = next(i for i, r in enumerate(rows) if r["ward"] == "Kenley")
    rows[kenley]["cp_plans"] = "*"
    (tmp_path / "d.csv").write_text(pd.DataFrame(rows).to_csv(index=False))
    ex = Exercise(scheme="icn6", data=tmp_path / "d.csv", disclosure="threshold5")
    wards = ex.ward_values.set_index("ward_name")
    assert wards.loc["Kenley", "text"] == "[x]" and wards.loc["Kenley", "status"] == "not available"
    doc = ex.report()
    assert any("shown as [x]: not available" in n for n in doc.notes)


def _folder_exercise(tmp_path: Path) -> Path:
    """An analyst's own folder: an exercise file naming a data file beside it."""
    reg = load_register()
    rows = [{"ward": reg.name_of(c), "cp_plans": 10 + k % 7, "lac": k % 5} for k, c in
            enumerate(reg.codes)]  # fmt: skip
    pd.DataFrame(rows).to_csv(tmp_path / "counts 2027.csv", index=False)
    (tmp_path / "localitymap.toml").write_text(
        '[exercise]\nscheme = "icn6"\n[inputs]\ndata = "counts 2027.csv"\n'
    )
    return tmp_path


def test_public_outputs_name_no_local_folder(tmp_path, monkeypatch):
    import zipfile

    folder = _folder_exercise(tmp_path)
    monkeypatch.chdir(folder)
    for name in ("r.docx", "r.html", "r.xlsx"):
        _run("report", "-o", name)
        raw = (folder / name).read_bytes()
        texts = [raw.decode("utf-8", "replace")]
        if raw[:2] == b"PK":
            with zipfile.ZipFile(folder / name) as z:
                texts = [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        joined = "\n".join(texts)
        assert str(folder) not in joined and "<bundled>" not in joined, name
        assert "counts 2027.csv" in joined  # the file's name, in the methods notes
    _run("map", "-i", "cp_plans", "--dpi", "72", "-o", "m.svg")
    svg = (folder / "m.svg").read_text()
    assert str(folder) not in svg and "<bundled>" not in svg and "icn6" not in svg


def test_without_a_denominator_nothing_is_said_about_rates_that_were_not_computed(tmp_path):
    reg = load_register()
    rows = [{"ward": reg.name_of(c), "Young carers": 3 + k % 4} for k, c in enumerate(reg.codes)]
    pd.DataFrame(rows).to_csv(tmp_path / "d.csv", index=False)
    result = runner.invoke(app, ["findings", "-s", "icn6", "-d", str(tmp_path / "d.csv")])
    assert result.exit_code == 0, result.output
    assert "significantly higher" not in result.stdout
    assert "No rate could be compared" in result.stdout
    ex = Exercise(scheme="icn6", data=tmp_path / "d.csv", disclosure="threshold5")
    doc = ex.report()
    rates = next(s for s in doc.sections if s.title == "Rates per child")
    assert [type(b).__name__ for b in rates.blocks] == ["Paragraph"]
    assert "could not be worked out" in rates.blocks[0].text
    # An indicator outside the catalogue takes its label from the exercise file.
    ex2 = Exercise(
        scheme="icn6", data=tmp_path / "d.csv",
        indicators={"young_carers": {"label": "Young carers known to services"}},
    )  # fmt: skip
    assert set(ex2.table()["label"]) == {"Young carers known to services"}


def test_the_readme_api_example_makes_the_same_report_as_the_command(tmp_path, monkeypatch):
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = re.search(r"## Python API.*?```python\n(.*?)```", readme, re.S)
    assert block is not None
    code = block.group(1)
    assert len([x for x in code.splitlines() if x.strip()]) == 3  # three lines, as promised
    monkeypatch.chdir(tmp_path)
    _run("init")
    exec(compile(code, "README", "exec"), {})  # writes report.docx
    api = (tmp_path / "report.docx").read_bytes()
    _run("report", "-o", "cli.docx")
    assert api == (tmp_path / "cli.docx").read_bytes()
