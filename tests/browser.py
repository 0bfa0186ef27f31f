"""Headless Chromium for tests that look at HTML as a person would: screenshots and printing to
PDF. CI installs Debian's ``chromium`` (see ``.ci/run``); elsewhere the tests skip when it is
absent. Flags keep Chromium off the network (this machine has none) and out of the user's
profile."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
]  # fmt: skip


def chromium() -> str:
    """The Chromium executable, or skip the test."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    raise AssertionError  # unreachable: skip raises


def _run(args: list[str], timeout: float = 120) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000) -> Path:
    """A PNG of ``html`` as a browser window of ``width`` x ``height`` shows it."""
    _run([f"--screenshot={png}", f"--window-size={width},{height}", html.resolve().as_uri()])
    return png


def print_pdf(html: Path, pdf: Path) -> Path:
    """``html`` printed to PDF the way a person printing it would get it (page size from CSS)."""
    _run([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.resolve().as_uri()])
    return pdf


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (poppler's pdftotext), or skip when poppler is absent."""
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    out = subprocess.run([exe, "-layout", str(pdf), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8", "replace")
