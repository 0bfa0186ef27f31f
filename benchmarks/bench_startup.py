"""Whole-process timings of localitymap commands against bare-import baselines, in one run.

Start-up dominates a localitymap run, so each target is a ratio to the cost of importing what the
command cannot avoid. Runs are interleaved (baseline, command, baseline, ...) so that machine load
affects both alike. The ratio is judged on the medians; the ratio of the fastest runs is printed
beside it, since on a noisy machine either can stray. Run with ``make bench``.

Exit status is 1 when a ratio misses its target, so the benchmark can gate a change.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
REPEATS = int(os.environ.get("BENCH_REPEATS", "21"))


@dataclass
class Case:
    name: str
    command: list[str]
    baseline: list[str]
    target: float


CASES = [
    Case(
        "rollup --scheme icn6",
        [str(BIN / "localitymap"), "rollup", "--scheme", "icn6"],
        [sys.executable, "-c", "import pandas"],
        1.4,
    ),
    Case(
        "reference script",
        [sys.executable, str(Path(__file__).with_name("reference_rollup.py"))],
        [sys.executable, "-c", "import pandas"],
        float("inf"),
    ),
    Case(
        "map cp_plans -o x.png",
        [
            str(BIN / "localitymap"),
            "map",
            "--scheme",
            "icn6",
            "--indicator",
            "cp_plans",
            "-o",
            "x.png",
            "--force",
        ],
        [sys.executable, "-c", "import geopandas, matplotlib.pyplot"],
        1.5,
    ),
    Case(
        "rollup --format gpkg",
        [str(BIN / "localitymap"), "rollup", "--scheme", "icn6", "-o", "x.gpkg", "--force"],
        [sys.executable, "-c", "import geopandas, matplotlib.pyplot"],
        1.5,
    ),
    Case(
        "allocate --staff 67",
        [
            str(BIN / "localitymap"),
            "allocate",
            "-s",
            "icn6",
            "--staff",
            "67",
            "--demand",
            "cp_plans,cin_plans,lac",
        ],
        [sys.executable, "-c", "import pandas"],
        1.5,
    ),
    Case(
        # boundaries, shared borders and 40 restarts of the search, on top of geopandas
        "design --k 6",
        [str(BIN / "localitymap"), "design", "-s", "icn6", "--k", "6", "--balance", "cp_plans,lac"],
        [sys.executable, "-c", "import geopandas"],
        2.0,
    ),
    Case(
        "--help",
        [str(BIN / "localitymap"), "--help"],
        [sys.executable, "-c", "import typer, rich"],
        2.5,
    ),
]


def _time(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(case: Case, cwd: str) -> tuple[list[float], list[float]]:
    """Seconds of the command and of its baseline over interleaved runs, after two warm-ups."""
    for _ in range(2):
        _time(case.command, cwd)
        _time(case.baseline, cwd)
    ours, base = [], []
    for _ in range(REPEATS):
        ours.append(_time(case.command, cwd))
        base.append(_time(case.baseline, cwd))
    return ours, base


def main() -> int:
    failed = 0
    print(f"{REPEATS} interleaved runs each; ratio = median command / median baseline")
    print(
        f"{'case':<24} {'command s':>10} {'baseline s':>11} {'ratio':>6} {'target':>7} {'min ratio':>10}"
    )
    with tempfile.TemporaryDirectory() as cwd:
        for case in CASES:
            ours, base = measure(case, cwd)
            ratio = statistics.median(ours) / statistics.median(base)
            min_ratio = min(ours) / min(base)
            ok = ratio <= case.target  # the reference script has no target: it is the yardstick
            failed += not ok
            print(
                f"{case.name:<24} {statistics.median(ours):>10.3f} {statistics.median(base):>11.3f} "
                f"{ratio:>6.2f} {'<=' if ok else '>'}{case.target:>5.1f} {min_ratio:>10.2f}  "
                f"{' '.join(case.baseline[1:])}"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
