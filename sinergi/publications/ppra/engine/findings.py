"""What the checker reports: severities, findings, the result, and the safer wording of a span."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

BLOCK, WARN, ADVICE = "block", "warn", "advice"
SEVERITY_ORDER = {BLOCK: 0, WARN: 1, ADVICE: 2}
IDENTITY_KINDS = ("child_name", "relative_name", "school", "village", "address", "age", "grade", "kinship")


@dataclass
class Finding:
    point: int
    severity: str
    start: int
    end: int
    text: str
    why: str
    suggestion: str
    kind: str = ""
    rule: str = ""
    replacement: str | None = None  # what "accept suggestion" puts in place of `text` (None: rewrite by hand)

    def as_json(self) -> dict:
        """The public shape (issue 17): point, severity, start, end, text, why, suggestion."""
        data = asdict(self)
        for internal in ("kind", "rule", "replacement"):
            data.pop(internal)
        return data


@dataclass
class Result:
    verdict: str
    findings: list[Finding] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"verdict": self.verdict, "findings": [f.as_json() for f in self.findings]}


@dataclass
class _Element:
    kind: str
    start: int
    end: int
    sentence: int
    label: str = ""  # the matched name/text, for coreference
    abh: bool = False


def verdict_of(findings: Iterable[Finding]) -> str:
    severities = {f.severity for f in findings}
    return BLOCK if BLOCK in severities else WARN if WARN in severities else "ok"


_SCHOOL_LEVELS = (
    (("sd", "sdn", "mi", "min", "sdit", "sekolah dasar", "madrasah ibtidaiyah"), "sebuah sekolah dasar"),
    (("smp", "smpn", "mts", "mtsn", "smpit", "sekolah menengah pertama", "madrasah tsanawiyah"), "sebuah SMP"),
    (("sma", "sman", "smait", "ma", "man", "madrasah aliyah", "sekolah menengah atas"), "sebuah SMA"),
    (("smk", "smkn", "sekolah menengah kejuruan"), "sebuah SMK"),
    (("ponpes", "pp", "pondok pesantren", "pesantren"), "sebuah pesantren"),
    (("tk", "paud", "kb", "taman kanak-kanak"), "sebuah taman kanak-kanak"),
)


def replacement_for(kind: str, text: str) -> str | None:
    """A safer wording that can replace `text` as it is ("accept suggestion"); None when only a rewrite helps."""
    low = text.lower()
    if kind in ("child_name", "register"):
        return initials_of(text) or None
    if kind == "relative_name":
        return "anggota keluarga korban"
    if kind == "kinship":
        return "seorang anggota keluarga"
    if kind == "school":
        for prefixes, wording in _SCHOOL_LEVELS:
            if any(low == p or low.startswith(p + " ") for p in prefixes):
                return wording
        return "sebuah sekolah"
    if kind == "village":
        return "sebuah desa"
    if kind == "address":
        return "" if low.startswith(("rt", "rw")) else "lingkungan tempat tinggalnya"
    if kind in ("age", "grade", "detail"):
        return ""
    if kind == "label":
        return "anak"
    if kind == "handle":
        return "akun media sosial"
    return None


def initials_of(name: str) -> str:
    return "".join(part[0].upper() for part in name.split() if part and part[0].isalpha())
