"""The Indonesian catalogue is complete: every UI string added in a change is translated in the same change.

Indonesian is the default language, so an untranslated or fuzzy msgid shows English (or a stale guess)
to officers and to the public. After adding strings run `make messages`, translate every empty or
fuzzy msgstr in locale/id/LC_MESSAGES/django.po, and remove the `#, fuzzy` flags.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrif]|%[sdrif]")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"[{self.msgctxt}] {self.msgid!r}" if self.msgctxt else repr(self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader (no third-party dependency): active entries with flags; obsolete `#~` skipped."""
    entries: list[Entry] = []
    current = Entry()
    key: str | None = None
    seen_any = False

    def flush() -> None:
        nonlocal current, key, seen_any
        if seen_any:
            entries.append(current)
        current, key, seen_any = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~") or line.startswith("#|"):
            continue
        if line.startswith("#,"):
            if seen_any:
                flush()
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            keyword, text = match.group(1), ast.literal_eval(match.group(2))
            if keyword in ("msgctxt", "msgid") and seen_any and key and key.startswith("msgstr"):
                flush()
            seen_any = True
            key = keyword
            _append(current, key, text, new=True)
        elif line.startswith('"') and key:
            _append(current, key, ast.literal_eval(line), new=False)
        else:
            raise AssertionError(f"Unreadable line in {path.name}: {raw!r}")
    flush()
    return entries


def _append(entry: Entry, key: str, text: str, *, new: bool) -> None:
    if key == "msgctxt":
        entry.msgctxt = text if new else (entry.msgctxt or "") + text
    elif key == "msgid":
        entry.msgid = text if new else entry.msgid + text
    elif key == "msgid_plural":
        entry.msgid_plural = text if new else (entry.msgid_plural or "") + text
    else:
        entry.msgstr[key] = text if new else entry.msgstr.get(key, "") + text


@pytest.fixture(scope="module")
def catalogue() -> tuple[Entry, list[Entry]]:
    entries = parse_po(PO_PATH)
    header = next(entry for entry in entries if entry.msgid == "" and not entry.msgctxt)
    return header, [entry for entry in entries if entry is not header]


def test_catalogue_is_read_completely(catalogue):
    _header, entries = catalogue
    assert len(entries) > 500  # the reader found the real catalogue, not an empty or truncated file
    assert any(entry.msgid_plural for entry in entries)
    assert any(entry.msgctxt for entry in entries)


def test_header_declares_indonesian_single_plural_form(catalogue):
    header, _entries = catalogue
    text = header.msgstr["msgstr"]
    assert "Language: id\n" in text
    assert "Plural-Forms: nplurals=1; plural=0;" in text
    assert "charset=UTF-8" in text


def test_no_fuzzy_translations(catalogue):
    _header, entries = catalogue
    fuzzy = [entry.label for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"Check these translations and remove their `#, fuzzy` flag: {fuzzy}"


def test_every_string_is_translated(catalogue):
    _header, entries = catalogue
    untranslated = [entry.label for entry in entries if not entry.msgstr or not all(entry.msgstr.values())]
    assert not untranslated, f"Translate these msgids in {PO_PATH.relative_to(settings.BASE_DIR)}: {untranslated}"


def test_plural_entries_have_exactly_one_form(catalogue):
    _header, entries = catalogue
    wrong = [entry.label for entry in entries if entry.msgid_plural and set(entry.msgstr) != {"msgstr[0]"}]
    assert not wrong


def test_translations_keep_every_placeholder(catalogue):
    _header, entries = catalogue
    broken = []
    for entry in entries:
        expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for text in entry.msgstr.values():
            if set(PLACEHOLDER.findall(text)) != expected:
                broken.append(entry.label)
    assert not broken, f"Placeholders differ between msgid and msgstr: {broken}"


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo in use gives the .po translation (run `manage.py compilemessages` after editing)."""
    _header, entries = catalogue
    stale = []
    with translation.override("id"):
        for entry in entries:
            if entry.msgid_plural:
                if entry.msgctxt:
                    got = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
                else:
                    got = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                want = entry.msgstr["msgstr[0]"]
            else:
                if entry.msgctxt:
                    got = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    got = translation.gettext(entry.msgid)
                want = entry.msgstr["msgstr"]
            if got != want:
                stale.append(entry.label)
    assert not stale, f"Run `manage.py compilemessages --ignore=.venv`; stale or missing: {stale[:20]}"
