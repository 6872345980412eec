"""The PPRA rules as data: the vendored rules.yaml, plus a tenant's additions.

A tenant's additions (`PpraRuleSet.extra`) are `{list name: [words]}` for the extensible word lists, plus
two reserved keys: `patterns` (its own regular expressions, each with a PPRA point, severity, why and
suggestion) and `weights` (`{point: severity}`: every finding of that point is raised or lowered to it).
`load_rules(extra)` merges the words into the vendored lists and compiles everything once per distinct
addition (cached by its JSON text): a check never re-reads the file.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .regex_lint import slow_constructs
from .text import Document, phrase_tokens, roots

RULES_PATH = Path(__file__).resolve().parent / "data" / "rules.yaml"

# Lists a tenant admin may extend (words or phrases). The vendored patterns stay in code review; a
# tenant's own patterns are checked by `validate_pattern` before they are stored.
EXTENSIBLE_LISTS = (
    "child_nouns",
    "kinship",
    "perpetrator_kinship",
    "titles",
    "not_names",
    "case_words",
    "sexual",
    "point2_strong",
    "point2_sexual_detail",
    "point2_labels",
    "trauma_words",
    "protection_words",
    "at_large_phrases",
    "missing_words",
    "found_phrases",
    "political_words",
    "sara_words",
    "appeal_words",
    "social_words",
    "visual_words",
    "visual_exposure",
    "visual_safe",
    "visual_weak_blur",
    "achievement_words",
    "abh_phrases",
    "pseudonym_phrases",
    "sppa_adult_detention",
    "sppa_diversion_denied",
    "sppa_closed_hearing",
    "sppa_record_leak",
)


class Phrases:
    """A word list matched against a tokenised document: single words by form, phrases by sequence."""

    def __init__(self, entries: list[str], variants: dict[str, str], *, root_entries: list[str] = ()):
        self.by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        self.words: set[str] = set()
        for entry in entries:
            seq = phrase_tokens(str(entry), variants)
            if not seq:
                continue
            if len(seq) == 1:
                self.words.add(seq[0])
            else:
                self.by_first[seq[0]].append(seq)
        for seq in self.by_first.values():
            seq.sort(key=len, reverse=True)
        self.roots = {phrase_tokens(str(r), variants)[0] for r in root_entries if phrase_tokens(str(r), variants)}

    def token_matches(self, token) -> bool:
        if token.forms & self.words:
            return True
        return bool(self.roots) and bool(roots(token.norm) & self.roots)

    def find(self, doc: Document, a: int = 0, b: int | None = None) -> list[tuple[int, int]]:
        """Token index spans [i, j) of every match in tokens[a:b], longest first at each position."""
        tokens = doc.tokens
        b = len(tokens) if b is None else b
        out: list[tuple[int, int]] = []
        i = a
        while i < b:
            tok = tokens[i]
            matched = 0
            for first in tok.forms:
                for seq in self.by_first.get(first, ()):
                    n = len(seq)
                    if i + n <= b and all(seq[k] in tokens[i + k].forms for k in range(1, n)):
                        matched = max(matched, n)
                        break
            if not matched and self.token_matches(tok):
                matched = 1
            if matched:
                out.append((i, i + matched))
                i += matched
            else:
                i += 1
        return out

    def any(self, doc: Document, a: int = 0, b: int | None = None) -> bool:
        return bool(self.find(doc, a, b))


PATTERNS_KEY = "patterns"
WEIGHTS_KEY = "weights"
SEVERITIES = ("block", "warn", "advice")
MAX_PATTERN_CHARS = 200
# A quantified group that is itself quantified ("(a+)+", "(\\w*)*", "(x|y+){2,}"): catastrophic backtracking.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


class PatternError(ValueError):
    """A tenant pattern that cannot be stored (the message says why, in English; callers translate)."""


def validate_pattern(pattern: str) -> re.Pattern:
    """Compile a tenant's pattern or raise PatternError: at most 200 characters, valid syntax, no nested
    quantifiers, back-references or other super-linear shapes (regex_lint; they can make a check take
    minutes), and it must not match an empty string (that would flag every position of every text)."""
    if not pattern or not pattern.strip():
        raise PatternError("empty")
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError("too_long")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise PatternError(f"syntax: {exc}") from exc
    if _NESTED_QUANTIFIER.search(pattern) or _BACKREFERENCE.search(pattern) or slow_constructs(pattern, re.IGNORECASE):
        raise PatternError("slow")  # a tenant pattern runs over texts of up to 200,000 characters too
    if compiled.search("") is not None or compiled.search(" ") is not None:
        raise PatternError("empty_match")
    return compiled


@dataclass(frozen=True)
class TenantPattern:
    regex: re.Pattern
    point: int
    severity: str
    why: str
    suggestion: str


@dataclass(frozen=True)
class Rules:
    raw: dict[str, Any]
    variants: dict[str, str]
    lists: dict[str, Phrases]
    sets: dict[str, frozenset[str]]
    patterns: dict[str, re.Pattern]
    age_patterns: tuple[re.Pattern, ...]
    address_patterns: tuple[re.Pattern, ...]
    points: dict[int, str]
    suggestions: dict[str, str]
    tenant_patterns: tuple[TenantPattern, ...] = ()
    weights: tuple[tuple[int, str], ...] = ()

    def __getitem__(self, name: str) -> Phrases:
        return self.lists[name]


def _entries(value: Any) -> tuple[list[str], list[str]]:
    if isinstance(value, dict):
        return [str(w) for w in value.get("words", [])], [str(r) for r in value.get("roots", [])]
    return [str(w) for w in value or []], []


@lru_cache(maxsize=1)
def _vendored() -> dict[str, Any]:
    with RULES_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def merge_extra(raw: dict[str, Any], extra: dict[str, list[str]] | None) -> dict[str, Any]:
    if not extra:
        return raw
    merged = dict(raw)
    for name, words in extra.items():
        if name not in EXTENSIBLE_LISTS or not words:
            continue
        current = merged.get(name)
        if isinstance(current, dict):
            merged[name] = {**current, "words": list(current.get("words", [])) + list(words)}
        else:
            merged[name] = list(current or []) + list(words)
    return merged


def _tenant_patterns(rows: list[dict]) -> tuple[TenantPattern, ...]:
    out = []
    for row in rows or ():
        try:
            regex = validate_pattern(str(row.get("pattern", "")))
        except PatternError:
            continue  # stored before a stricter check: skipped, never a crash in every check
        point, severity = int(row.get("point", 1)), str(row.get("severity", "warn"))
        if 1 <= point <= 12 and severity in SEVERITIES:
            out.append(TenantPattern(regex, point, severity, str(row.get("why", "")), str(row.get("suggestion", ""))))
    return tuple(out)


@lru_cache(maxsize=64)
def _compiled(extra_json: str) -> Rules:
    extra = json.loads(extra_json) if extra_json else {}
    patterns_rows = extra.pop(PATTERNS_KEY, [])
    weights = tuple(
        sorted((int(p), str(sev)) for p, sev in (extra.pop(WEIGHTS_KEY, {}) or {}).items() if sev in SEVERITIES)
    )
    raw = merge_extra(_vendored(), extra or None)
    variants = {str(k).lower(): str(v).lower() for k, v in raw["variants"].items()}
    lists: dict[str, Phrases] = {}
    for name, value in raw.items():
        if name in ("variants", "points", "suggestions", "version") or not isinstance(value, list | dict):
            continue
        if isinstance(value, list) and value and isinstance(value[0], str) and name.endswith("patterns"):
            continue
        words, root_entries = _entries(value)
        lists[name] = Phrases(words, variants, root_entries=root_entries)
    sets = {
        name: frozenset(lists[name].words)
        for name in (
            "child_nouns",
            "kinship",
            "perpetrator_kinship",
            "kinship_qualifiers",
            "titles",
            "not_names",
            "naming_cues",
            "speech_words",
            "whereabouts_words",
            "school_generic",
        )
    }
    patterns = {
        name: re.compile(raw[name])
        for name in ("school_pattern", "grade_pattern", "village_pattern", "district_pattern", "handle_pattern")
    }
    patterns["grade_pattern"] = re.compile(raw["grade_pattern"], re.IGNORECASE)
    return Rules(
        raw=raw,
        variants=variants,
        lists=lists,
        sets=sets,
        patterns=patterns,
        age_patterns=tuple(re.compile(p, re.IGNORECASE) for p in raw["age_patterns"]),
        address_patterns=tuple(re.compile(p) for p in raw["address_patterns"]),
        points={int(k): v for k, v in raw["points"].items()},
        suggestions=dict(raw["suggestions"]),
        tenant_patterns=_tenant_patterns(patterns_rows),
        weights=weights,
    )


def load_rules(extra: dict[str, Any] | None = None) -> Rules:
    """The compiled rules, with a tenant's additions merged in (cached per distinct addition)."""
    clean: dict[str, Any] = {}
    for key, value in (extra or {}).items():
        if not value:
            continue
        if key == PATTERNS_KEY:
            clean[key] = [dict(row) for row in value]
        elif key == WEIGHTS_KEY:
            clean[key] = {str(p): str(sev) for p, sev in dict(value).items()}
        else:
            clean[key] = sorted({str(w).strip() for w in value if str(w).strip()})
    return _compiled(json.dumps(clean, sort_keys=True) if clean else "")
