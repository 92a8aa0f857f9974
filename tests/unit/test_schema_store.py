"""The checked schema documents kept on disk: read back while the file is unchanged, read anew when not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.schema
from kg.errors import SchemaError
from kg.schema import load_yaml, schema_dir


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of dashboard.yaml in a folder of its own, with a cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    kg.schema._read_cached.cache_clear()
    copy = tmp_path / "schema"
    copy.mkdir()
    shutil.copy(schema_dir() / "dashboard.yaml", copy / "dashboard.yaml")
    return copy


def _stored() -> list[Path]:
    return sorted((kg.schema.cache_dir() / "schema").glob("*.pickle"))


def test_an_unchanged_file_is_read_back_without_parsing(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_yaml("dashboard.yaml", folder)
    assert len(_stored()) == 1
    kg.schema._read_cached.cache_clear()  # as in a new process

    def no_parsing(*_: object) -> None:
        raise AssertionError("the stored document should have been read")

    monkeypatch.setattr(kg.schema, "read_yaml", no_parsing)
    assert load_yaml("dashboard.yaml", folder) == first


def test_an_edited_file_is_read_anew(folder: Path) -> None:
    load_yaml("dashboard.yaml", folder)
    path = folder / "dashboard.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("edge_colour:", "edge_colour: '#123456'\nx_:"),
                    encoding="utf-8")
    kg.schema._read_cached.cache_clear()
    with pytest.raises(SchemaError, match="unknown key 'x_'"):  # checked again, not read back
        load_yaml("dashboard.yaml", folder)


def test_a_damaged_stored_file_is_replaced(folder: Path) -> None:
    first = load_yaml("dashboard.yaml", folder)
    (stored,) = _stored()
    stored.write_bytes(b"not a pickle")
    kg.schema._read_cached.cache_clear()
    assert load_yaml("dashboard.yaml", folder) == first
    kg.schema._read_cached.cache_clear()
    assert load_yaml("dashboard.yaml", folder) == first


def test_a_refused_file_is_not_stored(folder: Path) -> None:
    (folder / "dashboard.yaml").write_text("colours: {}\ncolours: {}\nedge_colour: grey\n", encoding="utf-8")
    for _ in range(2):
        kg.schema._read_cached.cache_clear()
        with pytest.raises(SchemaError, match="given twice"):
            load_yaml("dashboard.yaml", folder)
    assert _stored() == []


def test_without_a_writable_cache_folder_the_yaml_is_read(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # the cache folder would be under a file
    assert load_yaml("dashboard.yaml", folder)["edge_colour"]
