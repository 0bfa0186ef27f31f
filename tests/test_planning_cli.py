"""allocate, design, whatif and `schemes check --handoffs` through Typer's CliRunner."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

from localitymap import load_scheme
from localitymap.cli import app
from localitymap.inputs.schemes import check_scheme
from localitymap.inputs.wards import load_register
from tests.test_handoffs import FIXTURE

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "120"})


def test_allocate_table_shows_posts_pool_formulas_and_label():
    r = run("allocate", "--scheme", "icn6", "--staff", "67", "--demand", "cp_plans,cin_plans,lac",
            "--flex", "0.2", "--period", "2019-02")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Borough pool" in out and "13" in out
    assert "pool = staff × flex, rounded half up to a whole post = 67 × 0.2 → 13 posts" in out
    assert "largest remainder" in out and "Advice for planning, not a decision." in out
    assert "ILLUSTRATIVE DATA" in out
    # Central West: 113 + 336 + 219 = 668 cases of the borough's 2,505.
    row = next(line for line in out.splitlines() if line.startswith(" Central West"))
    assert "668" in row


def test_allocate_csv_posts_add_up_and_carry_their_inputs():
    r = run("allocate", "-s", "icn6", "--staff", "67", "--demand", "cp_plans,cin_plans,lac",
            "--format", "csv")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    header = [line for line in r.stdout.splitlines() if line.startswith("#")]
    assert any("Advice for planning" in h for h in header)
    assert any("Formula: quota = 54 ×" in h for h in header)
    frame = pd.read_csv(io.StringIO(r.stdout), comment="#")
    assert frame["posts"].sum() == 54 and frame["pool_posts"].sum() == 13
    assert (frame["caseload"] - frame["demand"] / frame["posts"]).abs().max() < 1e-4  # 6 digits


def test_allocate_caseload_defaults_print_their_source():
    r = run("allocate", "-s", "icn6", "--caseload", "authority", "--demand", "cp_plans,lac")
    assert r.exit_code == 0, r.stderr
    assert "19.1 cases per FTE: Croydon, 2025" in r.stdout and "DfE" in r.stdout
    e = run("allocate", "-s", "icn6", "--caseload", "england", "--demand", "cp_plans",
            "-f", "csv")  # fmt: skip
    frame = pd.read_csv(io.StringIO(e.stdout), comment="#")
    assert frame["needed_fte"].sum() == pytest.approx(frame["demand"].sum() / 15.2)
    assert "England, 2025" in e.stdout


def test_allocate_weights_file_and_misuse(write):
    weights = write("w.csv", "indicator,weight\ncp_plans,2\ncin_plans,1\n")
    r = run("allocate", "-s", "icn6", "--staff", "30", "--demand", "cp_plans,cin_plans",
            "--weights", str(weights), "-f", "csv", "--period", "2019-02")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    frame = pd.read_csv(io.StringIO(r.stdout), comment="#").set_index("locality")
    assert frame.loc["Central West", "demand"] == 2 * 113 + 336
    both = run("allocate", "-s", "icn6", "--staff", "30", "--caseload", "19", "--demand", "lac")
    assert both.exit_code == 2
    neither = run("allocate", "-s", "icn6", "--demand", "lac")
    assert neither.exit_code == 2
    unknown = run("allocate", "-s", "icn6", "--staff", "3", "--demand", "caseloads")
    assert unknown.exit_code == 1 and "caseloads" in unknown.stderr


def test_allocate_suppressed_wards_give_ranges(write):
    register = load_register()
    rows = ["ward_code,cp_plans"] + [f"{c},10" for c in register.codes[:-1]]
    rows.append(f"{register.codes[-1]},<5")  # Woodside (North East): 1 to 4
    data = write("d.csv", "\n".join(rows) + "\n")
    r = run("allocate", "-s", "icn6", "--staff", "20", "--demand", "cp_plans", "--data", str(data),
            "--flex", "0", "-f", "csv")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    frame = pd.read_csv(io.StringIO(r.stdout), comment="#").set_index("locality")
    assert frame["posts"].isna().all()  # no single figure that treats the cell as zero
    assert (
        frame.loc["North East", "demand_low"] == 31 and frame.loc["North East", "demand_high"] == 34
    )
    assert (frame["posts_low"] <= frame["posts_high"]).all()


def test_design_writes_a_scheme_every_command_accepts(tmp_path):
    out = tmp_path / "proposed6.toml"
    r = run(
        "design", "-s", "icn6", "--k", "6", "--balance", "cp_plans,lac", "--compact", "-o", str(out)
    )
    assert r.exit_code == 0, r.stderr
    assert "Largest ÷ smallest demand" in r.stdout and "Ward moved" in r.stdout
    assert "Advice for planning, not a decision." in r.stdout
    assert out.is_file() and (tmp_path / "proposed6.toml.manifest.json").is_file()
    scheme = load_scheme(out)
    assert check_scheme(scheme, load_register()).ok and len(scheme.localities) == 6
    check = run("schemes", "check", str(out))
    assert check.exit_code == 0, check.stdout
    rollup = run("rollup", "--scheme", str(out), "-f", "csv")
    assert rollup.exit_code == 0, rollup.stderr
    again = run(
        "design", "-s", "icn6", "--k", "6", "--balance", "cp_plans,lac", "--compact", "-o", str(out)
    )
    assert again.exit_code == 1 and "exists" in again.stderr  # never over a file without --force
    same = tmp_path / "again.toml"
    run(
        "design",
        "-s",
        "icn6",
        "--k",
        "6",
        "--balance",
        "cp_plans,lac",
        "--compact",
        "-o",
        str(same),
    )
    assert load_scheme(same).localities == scheme.localities  # deterministic


def test_design_default_matches_the_readme():
    r = run("design", "-s", "icn6", "--k", "6", "--balance", "cp_plans,lac")
    assert r.exit_code == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if "Largest ÷ smallest" in line)
    assert row.split()[-2:] == ["2.62", "1.07"]


def test_design_composite_and_handoffs():
    r = run("design", "--k", "3", "--balance", "composite", "--weights", "toxic_trio",
            "--scheme", "areas3", "--addresses", str(FIXTURE))  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "composite: weighted mean of ward shares" in r.stdout
    assert "Hand-offs between localities" in r.stdout
    row = next(line for line in r.stdout.splitlines() if line.startswith(" areas3"))
    assert row.split()[1:5] == ["9", "6", "4", "3"]  # areas3 on the fixture: known


def test_whatif_moves_and_refuses_exclaves(tmp_path):
    r = run("whatif", "--scheme", "icn6", "--move", "Thornton Heath=North West",
            "--balance", "cp_plans,lac", "-o", str(tmp_path / "w.toml"))  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "Thornton Heath   North East   North West" in r.stdout
    assert "E05011486" in load_scheme(tmp_path / "w.toml").localities["North West"]
    bad = run("whatif", "-s", "icn6", "-m", "Kenley=North West", "--balance", "lac")
    assert bad.exit_code == 1 and "Kenley" in bad.stderr and "--allow-exclaves" in bad.stderr
    ok = run("whatif", "-s", "icn6", "-m", "Kenley=North West", "--balance", "lac",
             "--allow-exclaves")  # fmt: skip
    assert ok.exit_code == 0 and "Not contiguous (allowed by --allow-exclaves): North West" in (
        ok.stdout.replace("\n", " ")
    )


def test_schemes_check_counts_handoffs_with_small_numbers_hidden():
    r = run("schemes", "check", "icn6", "--handoffs", str(FIXTURE))
    assert r.exit_code == 0, r.stdout
    row = next(line for line in r.stdout.splitlines() if line.startswith(" icn6"))
    assert row.split()[1:5] == ["9", "6", "5", "[c]"]  # 4 children handed off: hidden
    assert "C01" not in r.stdout


def test_design_under_a_disclosure_policy_uses_only_published_ward_figures():
    # Under threshold5 the bundled NEET counts of two wards are hidden: no figure may rest on them.
    hidden = run("design", "-s", "icn6", "--k", "6", "--balance", "neet", "--disclosure",
                 "threshold5")  # fmt: skip
    assert hidden.exit_code == 1
    assert "hidden under the disclosure policy" in hidden.stderr and "neet" in hidden.stderr
    shown = run("design", "-s", "icn6", "--k", "6", "--balance", "cp_plans,lac", "--disclosure",
                "threshold5")  # fmt: skip
    assert shown.exit_code == 0, shown.stderr
    assert "For general release" in shown.stdout
    internal = run("design", "-s", "icn6", "--k", "6", "--balance", "neet")
    assert internal.exit_code == 0 and "NOT FOR PUBLICATION" in internal.stdout


def test_design_needs_a_scheme_to_compare_with():
    r = run("design", "--k", "6", "--balance", "lac")
    assert r.exit_code == 2 and "--scheme" in r.stderr
