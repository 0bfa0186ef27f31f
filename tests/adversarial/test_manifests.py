"""Manifests that lie, escape their folder, or are not manifests at all: ``verify`` trusts none."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from localitymap.cli import app
from localitymap.errors import InputError
from localitymap.paths import data_dir
from localitymap.publication.manifest import verify

from .corpus import write

runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest(folder: Path, inputs: list[dict[str, str]], **extra: object) -> Path:
    out = write(folder, "out.csv", "result\n")
    doc = {
        "tool": "localitymap 0.1.0",
        "output": {"path": "out.csv", "sha256": _digest(out)},
        "inputs": inputs,
        **extra,
    }
    return write(folder, "out.csv.manifest.json", json.dumps(doc))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the manifest's folder whose content a crafted manifest tries to confirm."""
    return write(tmp_path, "secret.txt", "hunter2\n")


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_paths_outside_the_folder_are_not_read(tmp_path, secret, how):
    folder = tmp_path / "outputs"
    folder.mkdir()
    if how == "absolute":
        path = str(secret)
    elif how == "dotdot":
        path = "../secret.txt"
    else:
        (folder / "innocent.csv").symlink_to(secret)
        path = "innocent.csv"
    result = verify(_manifest(folder, [{"role": "data", "path": path, "sha256": _digest(secret)}]))
    assert result["current"] is False
    assert result["checks"][1] == {"role": "data", "path": path, "status": "outside"}


def test_allowed_folder_and_bundled_data_are_read(tmp_path):
    folder, inputs = tmp_path / "outputs", tmp_path / "inputs"
    folder.mkdir()
    inputs.mkdir()
    data = write(inputs, "counts.csv", "ward,cp\n")
    bundled = data_dir() / "schemes" / "icn6.toml"
    manifest = _manifest(
        folder,
        [
            {"role": "data", "path": "../inputs/counts.csv", "sha256": _digest(data)},
            {
                "role": "scheme",
                "path": os.path.relpath(bundled, folder),
                "sha256": _digest(bundled),
            },
        ],
    )
    assert [c["status"] for c in verify(manifest)["checks"]] == [
        "unchanged",
        "outside",
        "unchanged",
    ]
    assert verify(manifest, allow=(inputs,))["current"] is True
    result = runner.invoke(app, ["verify", str(manifest), "--allow", str(inputs)])
    assert result.exit_code == 0 and "current: out.csv still matches its inputs" in result.stdout
    refused = runner.invoke(app, ["verify", str(manifest)])
    assert refused.exit_code == 3
    assert "  outside  data          ../inputs/counts.csv" in refused.stdout
    assert "check it with --allow FOLDER if you trust this manifest" in refused.stdout


def test_output_must_be_beside_its_manifest(tmp_path, secret):
    folder = tmp_path / "m"
    folder.mkdir()
    doc = {"tool": "localitymap 0.1.0", "output": {"path": "../secret.txt", "sha256": _digest(secret)},
           "inputs": []}  # fmt: skip
    manifest = write(folder, "x.manifest.json", json.dumps(doc))
    assert verify(manifest)["checks"] == [
        {"role": "output", "path": "../secret.txt", "status": "outside"}
    ]


CASES = {
    "not-json": ("{'tool': 1", "not a readable manifest (line 1 column 2: Expecting property name "
                 "enclosed in double quotes); re-run the command that made the output to write a "
                 "new manifest"),
    "not-utf8": (b"\xff\xfe{}", "not a readable manifest (not UTF-8 text)"),
    "deeply-nested": ("[" * 100_000 + "]" * 100_000, "not a readable manifest (nested too deeply)"),
    "not-ours": (json.dumps({"inputs": [], "output": {"path": "a", "sha256": "0" * 64}}),
                 "not a localitymap manifest (no 'tool' naming localitymap); give an output's "
                 "*.manifest.json file"),
    "a-list": ("[1, 2]", "not a localitymap manifest"),
    "no-output": (json.dumps({"tool": "localitymap 1", "inputs": []}),
                  "incomplete manifest: 'output' needs a 'path' and a 'sha256'"),
    "inputs-not-a-list": (
        json.dumps({"tool": "localitymap 1", "output": {"path": "o", "sha256": "a" * 64},
                    "inputs": {"role": "data"}}),
        "incomplete manifest: 'inputs' must be a list"),
    "input-without-hash": (
        json.dumps({"tool": "localitymap 1", "output": {"path": "o", "sha256": "a" * 64},
                    "inputs": [{"role": "data", "path": "x.csv"}, {"path": 3}]}),
        "incomplete manifest: inputs[0] needs a 'role', a 'path' and a 'sha256'; inputs[1] needs "
        "a 'role', a 'path' and a 'sha256'"),
    "hash-not-hex": (
        json.dumps({"tool": "localitymap 1", "output": {"path": "o", "sha256": "../../etc"},
                    "inputs": []}),
        "incomplete manifest: 'output' needs a 'path' and a 'sha256'"),
    "too-large": (" " * 1_000_001 + "{}", "too large for a manifest (1,000,003 bytes)"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_manifests_are_refused_by_name(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    content, expected = CASES[name]
    path = write(tmp_path, "x.manifest.json", content)
    with pytest.raises(InputError) as info:
        verify(path)
    assert info.value.one_line().startswith("x.manifest.json: ")
    assert expected in info.value.one_line()
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1 and "unexpected" not in result.stderr


def test_a_fifo_named_as_manifest_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "m.manifest.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        verify(fifo)


def test_verify_output_shows_escape_characters_instead_of_obeying_them(tmp_path):
    data = write(tmp_path, "in.csv", "x\n")
    name = "in.csv\x1b[2J\u202e"
    manifest = _manifest(
        tmp_path,
        [{"role": "data\x1b[31m", "path": name, "sha256": _digest(data)}],
        command=["localitymap", "\x1b]8;;http://evil\x07click"],
    )
    result = runner.invoke(app, ["verify", str(manifest)])
    assert result.exit_code == 3
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "in.csv<U+001B>[2J<U+202E>" in result.stdout
    assert "command: localitymap <U+001B>]8;;http://evil<U+0007>click" in result.stdout
