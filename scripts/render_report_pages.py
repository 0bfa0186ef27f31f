"""Render the committee report's pages to pictures, as a clerk would see them, into docs/report/.

The report is made by the command line (DOCX, HTML and XLSX from the bundled, illustrative
February 2019 figures), then printed to PDF: Word and Excel files through LibreOffice, the HTML
page through headless Chromium on A4. Poppler's pdftoppm turns pages into PNGs, and each format
gets a contact sheet of all its pages plus a few pages at reading size. Needs ``soffice``
(libreoffice-writer, libreoffice-calc), ``chromium`` and ``pdftoppm`` (poppler-utils). Run from
the repository root:

    .venv/bin/python scripts/render_report_pages.py [--out docs/report]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update", "--no-pdf-header-footer",
]  # fmt: skip
# Pages shown at reading size: (format, page number, file name).
CLOSE_UPS = [
    ("docx", 1, "word_page1.png"),
    ("docx", 2, "word_map.png"),
    ("docx", 6, "word_ward_annex.png"),
    ("docx", 9, "word_notes.png"),
    ("html", 7, "html_ward_annex_a4.png"),
    ("xlsx", 1, "xlsx_cover.png"),
    ("xlsx", 16, "xlsx_rates.png"),
]


def need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        sys.exit(f"{tool} is not installed (see this script's docstring)")
    return found


def make_report(folder: Path) -> dict[str, Path]:
    exe = Path(sys.executable).with_name("localitymap")
    out = {}
    for fmt in ("docx", "html", "xlsx"):
        path = folder / f"croydon_localities.{fmt}"
        subprocess.run(
            [str(exe), "report", "--scheme", "icn6", "--period", "2019-02", "-o", str(path)],
            check=True, capture_output=True,
        )  # fmt: skip
        out[fmt] = path
    return out


def to_pdf(path: Path, folder: Path) -> Path:
    if path.suffix == ".html":
        pdf = folder / "html.pdf"
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [need("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                 f"--print-to-pdf={pdf}", path.resolve().as_uri()],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
        return pdf
    target = folder / path.suffix[1:]
    target.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [need("soffice"), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(target), str(path)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return target / f"{path.stem}.pdf"


def pages(pdf: Path, folder: Path, dpi: int) -> list[Path]:
    stem = folder / f"{pdf.parent.name}_{pdf.stem}_{dpi}"
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(stem)], check=True)
    return sorted(folder.glob(f"{stem.name}-*.png"))


def contact_sheet(images: list[Path], out: Path, columns: int = 6) -> None:
    from PIL import Image, ImageOps

    tiles = [
        ImageOps.expand(Image.open(p).convert("RGB"), border=2, fill="#888888") for p in images
    ]
    w = max(t.width for t in tiles)
    h = max(t.height for t in tiles)
    rows = -(-len(tiles) // columns)
    gap = 12
    sheet = Image.new("RGB", (columns * (w + gap) + gap, rows * (h + gap) + gap), "#e8e8e8")
    for k, tile in enumerate(tiles):
        sheet.paste(tile, (gap + (k % columns) * (w + gap), gap + (k // columns) * (h + gap)))
    sheet.save(out, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = make_report(work)
        pdfs = {fmt: to_pdf(path, work) for fmt, path in files.items()}
        for fmt, pdf in pdfs.items():
            small = pages(pdf, work, 28)
            contact_sheet(small, args.out / f"{fmt}_all_pages.png")
            print(f"{fmt}: {len(small)} pages")
        for fmt, number, name in CLOSE_UPS:
            big = pages(pdfs[fmt], work, 80)
            if number <= len(big):
                shutil.copy(big[number - 1], args.out / name)


if __name__ == "__main__":
    main()
