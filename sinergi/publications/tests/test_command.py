"""`manage.py ppra_check FILE|- [--tenant CODE]` prints the issue's JSON shape."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import BREACHING


def test_command_reads_stdin_and_prints_json(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(BREACHING.encode())))
    out = io.StringIO()
    call_command("ppra_check", "-", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"verdict", "findings"}
    assert data["verdict"] == "block"
    for f in data["findings"]:
        assert set(f) == {"point", "severity", "start", "end", "text", "why", "suggestion"}
        assert BREACHING[f["start"] : f["end"]] == f["text"]


def test_command_says_why_a_file_is_unreadable(tmp_path):
    with pytest.raises(CommandError):
        call_command("ppra_check", str(tmp_path / "missing.txt"))
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError):
        call_command("ppra_check", str(binary))
