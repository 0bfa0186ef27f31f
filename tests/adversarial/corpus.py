"""Hostile-but-realistic input files, made from code (no binaries committed).

Every builder writes one file into a folder and returns its path. The base data is the 28 Croydon
wards with child protection plans ``1000 + 37*i`` and looked-after children ``50 + i`` for the
i-th ward in register order, so the borough totals are known exactly: 41,986 and 1,778.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from localitymap.inputs.wards import load_register

REGISTER = load_register()
CODES = list(REGISTER.codes)
NAMES = list(REGISTER.names)
CP = [1000 + 37 * i for i in range(28)]
LAC = [50 + i for i in range(28)]
CP_TOTAL = sum(CP)  # 41,986
LAC_TOTAL = sum(LAC)  # 1,778
#: Croydon's 2002-2018 ward names that the 2018 register no longer has.
OLD_NAMES = ["Ashburton", "Croham", "Fieldway", "Heathfield", "Coulsdon East", "Upper Norwood"]


def csv_text(
    sep: str = ",",
    cp: Callable[[int], str] = lambda n: str(n),
    head: str | None = None,
    rows: list[str] | None = None,
) -> str:
    """The base data as delimited text (cells formatted by ``cp``)."""
    lines = [head or sep.join(["ward_code", "ward_name", "cp_plans", "lac"])]
    for i, (code, name) in enumerate(zip(CODES, NAMES, strict=True)):
        cells = [code, name, cp(CP[i]), str(LAC[i])]
        lines.append(sep.join(f'"{c}"' if sep in c else c for c in cells))
    return "\n".join([*lines, *(rows or [])]) + "\n"


def xlsx(rows: list[list[object]], *, sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    """A workbook from rows (the first sheet, 'Data') and optional further sheets."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for r in rows:
        ws.append(r)
    for name, other in (sheets or {}).items():
        sheet = wb.create_sheet(name)
        for r in other:
            sheet.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def base_rows() -> list[list[object]]:
    return [["ward_code", "ward_name", "cp_plans", "lac"]] + [
        [c, n, CP[i], LAC[i]] for i, (c, n) in enumerate(zip(CODES, NAMES, strict=True))
    ]


def ods_bytes() -> bytes:
    """The first bytes of an OpenDocument spreadsheet: a zip whose first entry is its mimetype."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path
