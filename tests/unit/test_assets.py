"""The manifest of static files, read once at start-up (app/assets.py)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.assets import load_manifest


def test_every_file_gets_its_hash_before_its_last_extension(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "arrow.min.svg").write_bytes(b"<svg/>")
    (tmp_path / ".gitkeep").write_bytes(b"")
    digest = hashlib.sha256(b"<svg/>").hexdigest()[:12]
    manifest = load_manifest(tmp_path)
    assert list(manifest.by_name) == ["icons/arrow.min.svg"]
    assert manifest.by_fingerprint[f"icons/arrow.min.{digest}.svg"].content == b"<svg/>"


def test_the_bytes_served_are_the_bytes_hashed(tmp_path: Path) -> None:
    (tmp_path / "saate.css").write_bytes(b"body{}")
    manifest = load_manifest(tmp_path)
    (tmp_path / "saate.css").write_bytes(b"main{}")  # changed on disk after start-up
    assert manifest.by_name["saate.css"].content == b"body{}"


@pytest.mark.parametrize("name", ["README", "saate.CSS", "saate.0123456789ab.css"])
def test_a_name_the_url_shape_cannot_carry_stops_the_start(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(ValueError, match=name):
        load_manifest(tmp_path)
