"""Redraw docs/dashboard/dashboard.png, the README's picture of the dashboard: the bundled
(illustrative) Croydon exercise's dashboard as headless Chromium shows it, 1400 x 1180 pixels.

    .venv/bin/python scripts/make_dashboard_screenshot.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("needs headless Chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "dashboard.html"
        subprocess.run(
            [str(ROOT / ".venv/bin/localitymap"), "dashboard", "-s", "icn6", "-o", str(page)],
            check=True, cwd=tmp,
        )  # fmt: skip
        out = ROOT / "docs/dashboard/dashboard.png"
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--user-data-dir={tmp}/profile", f"--screenshot={out}", "--window-size=1400,1180",
             page.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
