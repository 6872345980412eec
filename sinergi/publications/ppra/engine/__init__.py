"""The PPRA checker: finds what in a text about children breaches the Pedoman Pemberitaan Ramah Anak
(Peraturan Dewan Pers No. 1/Peraturan-DP/II/2019) and UU SPPA art. 19.

`check(text)` returns a verdict and findings with the PPRA point, severity (block/warn/advice), offsets
into the original text, why, and a safer wording. Pure Python and the vendored data only: no model, no
network, no database (the register cross-check is added by the caller, see services).

Identity proxies (school, village, address, relatives) only matter in a story about harm, a crime or a
case involving a child; in an announcement or an achievement story the same words are ordinary (PPRA
pasal 5 weighs those separately).
"""

# `engine.py` became this package; everything it defined or imported from its siblings is still here, private
# names included, so that imports and patch targets `sinergi.publications.ppra.engine.<name>` keep resolving.
from ..gazetteer import gazetteer
from ..rules import Rules, load_rules
from ..text import Document, Token, fold, tokenize
from .checker import _Checker as _Checker
from .checking import _dedupe as _dedupe
from .checking import _register as _register
from .checking import check
from .exposure import _point4 as _point4
from .exposure import _point6 as _point6
from .exposure import _point10 as _point10
from .exposure import _point11 as _point11
from .findings import _SCHOOL_LEVELS as _SCHOOL_LEVELS
from .findings import (
    ADVICE,
    BLOCK,
    IDENTITY_KINDS,
    SEVERITY_ORDER,
    WARN,
    Finding,
    Result,
    initials_of,
    replacement_for,
    verdict_of,
)
from .findings import _Element as _Element
from .identity import _CATEGORY_LABELS as _CATEGORY_LABELS
from .identity import _identity_findings as _identity_findings
from .identity import identity_categories
from .reviewer import CaseFlags
from .wording import _point2 as _point2
from .wording import _points_3_7 as _points_3_7
from .wording import _speaker_is_child as _speaker_is_child
from .words import _ADULT_SPEAKERS as _ADULT_SPEAKERS
from .words import _AFTER_NAME_AGE_RE as _AFTER_NAME_AGE_RE
from .words import _CHILD_PRONOUNS as _CHILD_PRONOUNS
from .words import _CONNECTORS as _CONNECTORS
from .words import _OFFENDER_CUES as _OFFENDER_CUES
from .words import _OFFENDER_ROOTS as _OFFENDER_ROOTS
from .words import _PLACE_PREPOSITIONS as _PLACE_PREPOSITIONS
from .words import _QUOTE_RE as _QUOTE_RE
from .words import _WITNESS_SPEAKERS as _WITNESS_SPEAKERS
from .words import roots

__all__ = [
    "ADVICE",
    "BLOCK",
    "IDENTITY_KINDS",
    "SEVERITY_ORDER",
    "WARN",
    "CaseFlags",
    "Document",
    "Finding",
    "Result",
    "Rules",
    "Token",
    "check",
    "fold",
    "gazetteer",
    "identity_categories",
    "initials_of",
    "load_rules",
    "replacement_for",
    "roots",
    "tokenize",
    "verdict_of",
]
