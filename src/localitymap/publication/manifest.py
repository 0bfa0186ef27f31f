"""Provenance: a manifest beside every output file, and checking whether an output is current.

``<output>.manifest.json`` records the tool version, the command line, the scheme (id and a hash of
its file(s)), the boundary vintage, the disclosure policy, the period(s), every input file with its
SHA-256, the time of the run and the output's own SHA-256. Input paths are stored relative to the
manifest's folder when they can be, so a folder of outputs and inputs can be moved as a whole.

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
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from localitymap import __version__
from localitymap.errors import InputError

SUFFIX = ".manifest.json"


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
        "output": {"path": output.name, "sha256": sha256(output)},
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


def write_manifest(output: Path, manifest: dict[str, Any], *, force: bool = True) -> Path:
    """Write the manifest beside its output (atomically); return its path."""
    from localitymap.renderers.export import write_atomic

    path = manifest_path(output)
    write_atomic(path, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", force=force)
    return path


def verify(manifest_file: Path) -> dict[str, Any]:
    """Re-hash the output and every input of a manifest.

    Returns ``{"current": bool, "checks": [{"role", "path", "status"}...]}`` where a status is
    ``unchanged``, ``changed`` or ``missing``.
    """
    try:
        doc = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{manifest_file}: not a readable manifest ({exc})") from None
    if not isinstance(doc, dict) or "inputs" not in doc or "output" not in doc:
        raise InputError(
            f"{manifest_file}: not a localitymap manifest", hint="give a *.manifest.json file"
        )
    folder = manifest_file.parent
    checks = []
    for role, entry in [("output", doc["output"]), *((i["role"], i) for i in doc["inputs"])]:
        path = Path(entry["path"])
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            status = "missing"
        else:
            status = "unchanged" if sha256(path) == entry["sha256"] else "changed"
        checks.append({"role": role, "path": entry["path"], "status": status})
    return {
        "current": all(c["status"] == "unchanged" for c in checks),
        "checks": checks,
        "manifest": doc,
    }
