"""Provenance: a manifest beside every output file, and checking whether an output is current.

``<output>.manifest.json`` records the tool version, the command line, the scheme (id and a hash of
its file(s)), the boundary vintage, the disclosure policy, the period(s), every input file with its
SHA-256, the time of the run and the SHA-256 of the bytes this run wrote (not of whatever the file
holds by the time the manifest is written, which a concurrent run may have replaced). Input paths
are stored relative to the manifest's folder when they can be, so a folder of outputs and inputs
can be moved as a whole.

:func:`verify` trusts nothing in a manifest: it reads only files in the manifest's folder (and
below), the bundled data and folders the caller allows, so a crafted manifest cannot make it
confirm guesses about other files; and it refuses documents that are not localitymap manifests.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "in.csv").write_text("ward,cp\\n")
8
>>> (folder / "out.csv").write_text("result\\n")
7
>>> m = build_manifest(folder / "out.csv", [("data", folder / "in.csv")], command=["localitymap"], attrs={})
>>> m["inputs"][0]["path"], verify(write_manifest(folder / "out.csv", m))["current"]
('in.csv', True)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from localitymap import __version__
from localitymap.errors import InputError, visible
from localitymap.paths import data_dir, display_path

SUFFIX = ".manifest.json"
#: A manifest lists a handful of files; anything much larger is not one.
MAX_MANIFEST_BYTES = 1_000_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(output: Path) -> Path:
    """Where the manifest of ``output`` lives: ``out.csv`` -> ``out.csv.manifest.json``."""
    return output.with_name(output.name + SUFFIX)


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return str(path.resolve())


def build_manifest(
    output: Path,
    inputs: list[tuple[str, Path]],
    *,
    command: list[str] | None = None,
    attrs: dict[str, Any],
    scheme_paths: tuple[Path, ...] = (),
    scheme_id: str | None = None,
) -> dict[str, Any]:
    """The manifest of one output (already written) and the inputs it was made from."""
    folder = output.parent
    scheme_hash = hashlib.sha256(b"".join(sha256(p).encode() for p in scheme_paths)).hexdigest()
    seen: set[Path] = set()
    files = []
    for role, path in inputs:
        resolved = path.resolve()
        if resolved in seen or not path.is_file():
            continue
        seen.add(resolved)
        files.append({"role": role, "path": _relative(path, folder), "sha256": sha256(path)})
    periods = [attrs.get(k) for k in ("period", "period_before", "period_after") if attrs.get(k)]
    return {
        "tool": f"localitymap {__version__}",
        "command": list(command if command is not None else sys.argv),
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "output": {"path": output.name, "sha256": _written_digest(output)},
        "scheme": {
            "id": scheme_id or attrs.get("scheme", ""),
            "sha256": scheme_hash if scheme_paths else "",
        },
        "boundaries": attrs.get("boundaries", ""),
        "disclosure_policy": attrs.get("disclosure_policy", "none"),
        "periods": periods,
        "illustrative_data": bool(attrs.get("illustrative")),
        "inputs": files,
    }


def _written_digest(output: Path) -> str:
    from localitymap.outputs import written_digest

    return written_digest(output) or sha256(output)


def write_manifest(output: Path, manifest: dict[str, Any], *, force: bool = True) -> Path:
    """Write the manifest beside its output (atomically); return its path."""
    from localitymap.outputs import write_atomic

    path = manifest_path(output)
    write_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", force=force)
    return path


def verify(manifest_file: Path, *, allow: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Re-hash the output and every input of a manifest.

    Returns ``{"current": bool, "checks": [{"role", "path", "status"}...], "manifest": doc}``
    where a status is ``unchanged``, ``changed``, ``missing`` or ``outside`` (a path outside the
    manifest's folder, the bundled data and the ``allow`` folders: not read, not current).
    Raises :class:`InputError` for a file that is not a well-formed localitymap manifest.
    """
    doc = _load_manifest(manifest_file)
    folder = manifest_file.parent.resolve()
    roots = [folder, data_dir().resolve(), *(Path(a).resolve() for a in allow)]
    checks = []
    for role, entry in [("output", doc["output"]), *((i["role"], i) for i in doc["inputs"])]:
        path = (folder / entry["path"]).resolve()
        inside = any(path.is_relative_to(r) for r in roots)
        if not inside or (role == "output" and path.parent != folder):
            status = "outside"
        elif not path.is_file():
            status = "missing"
        else:
            status = "unchanged" if sha256(path) == entry["sha256"] else "changed"
        checks.append({"role": role, "path": entry["path"], "status": status})
    return {
        "current": all(c["status"] == "unchanged" for c in checks),
        "checks": checks,
        "manifest": doc,
    }


def _load_manifest(manifest_file: Path) -> dict[str, Any]:
    """The manifest's document, checked field by field; :class:`InputError` names what is wrong."""
    shown = display_path(manifest_file)
    again = "re-run the command that made the output to write a new manifest"
    if not manifest_file.is_file():
        what = "not found" if not manifest_file.exists() else "not a regular file"
        raise InputError(f"{shown}: {what}", hint="give an output's *.manifest.json file")
    if manifest_file.stat().st_size > MAX_MANIFEST_BYTES:
        raise InputError(
            f"{shown}: too large for a manifest ({manifest_file.stat().st_size:,} bytes)",
            hint="give an output's *.manifest.json file",
        )
    try:
        doc = json.loads(manifest_file.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = (
            f"line {exc.lineno} column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else "nested too deeply"
            if isinstance(exc, RecursionError)
            else "not UTF-8 text"
        )
        raise InputError(f"{shown}: not a readable manifest ({reason})", hint=again) from None
    tool = doc.get("tool") if isinstance(doc, dict) else None
    if not isinstance(tool, str) or not tool.startswith("localitymap"):
        raise InputError(
            f"{shown}: not a localitymap manifest (no 'tool' naming localitymap)",
            hint="give an output's *.manifest.json file",
        )
    problems = []
    output = doc.get("output")
    if not _entry_ok(output, need_role=False):
        problems.append("'output' needs a 'path' and a 'sha256'")
    inputs = doc.get("inputs")
    if not isinstance(inputs, list):
        problems.append("'inputs' must be a list")
    else:
        problems += [
            f"inputs[{i}] needs a 'role', a 'path' and a 'sha256'"
            for i, entry in enumerate(inputs)
            if not _entry_ok(entry, need_role=True)
        ]
    if problems:
        raise InputError(
            f"{shown}: incomplete manifest: {'; '.join(problems[:3])}"
            + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""),
            hint=again,
        )
    return doc  # type: ignore[no-any-return]


def _entry_ok(entry: object, *, need_role: bool) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and bool(entry["path"])
        and "\x00" not in entry["path"]
        and isinstance(entry.get("sha256"), str)
        and bool(_HEX64.match(entry["sha256"]))
        and (not need_role or isinstance(entry.get("role"), str))
    )


def shown_entry(text: str) -> str:
    """A path or role from a manifest as it may be printed (control characters made visible)."""
    return visible(text)
