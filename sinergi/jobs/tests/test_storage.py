"""Encrypted chunked result files: round trip, and tampering fails the read."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from sinergi.jobs import storage


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(storage, "CHUNK_SIZE", 10)


@pytest.mark.parametrize("size", [0, 1, 10, 11, 95])
def test_round_trip(small_chunks, tmp_path, size):
    data = bytes(range(256))[:size]
    source = tmp_path / "plain"
    source.write_bytes(data)
    name, stored = storage.store_encrypted(source)
    assert stored == size
    assert b"".join(storage.read_decrypted(name)) == data
    lines = storage.blob_path(name).read_bytes().splitlines()
    assert len(lines) == max(1, -(-size // 10))


def _stored(tmp_path) -> tuple[str, list[bytes]]:
    source = tmp_path / "plain"
    source.write_bytes(b"0123456789abcdefghijKLMNOPQRST")
    name, _ = storage.store_encrypted(source)
    return name, storage.blob_path(name).read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda lines: lines[:-1],  # truncated
        lambda lines: [lines[1], lines[0], lines[2]],  # reordered
        lambda lines: [lines[0], lines[2]],  # a chunk dropped
        lambda lines: [*lines, lines[0]],  # data after the last chunk
    ],
)
def test_tampered_files_fail_the_read(small_chunks, tmp_path, tamper):
    name, lines = _stored(tmp_path)
    storage.blob_path(name).write_bytes(b"".join(tamper(lines)))
    with pytest.raises(ImproperlyConfigured):
        b"".join(storage.read_decrypted(name))


def test_blob_names_cannot_leave_the_folder():
    with pytest.raises(ValueError, match="bad blob name"):
        storage.blob_path("../../etc/passwd")
