"""National taxonomies used by the case record (SIMFONI-PPA categories, UPTD PPA services, rights).

Enum values are stable English slugs; labels are translated; `simfoni` maps give the Indonesian
label used by the national SIMFONI-PPA form so that an export needs no re-typing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in at UPTD PPA")
    HOTLINE = "hotline", _("Hotline (SAPA 129 / local)")
    SATGAS = "satgas", _("Satgas PPA volunteer")
    POLICE = "police", _("Police PPA unit referral")
    SCHOOL = "school", _("School referral")
    HEALTH = "health", _("Health facility referral")
    NGO = "ngo", _("NGO referral")
    PUBLIC_FORM = "public_form", _("Public report form")
    MEDIA = "media", _("Media / social media report")
    OTHER = "other", _("Other")


class Category(models.TextChoices):
    VIOLENCE_CHILD = "violence_child", _("Violence against a child")
    VIOLENCE_WOMAN = "violence_woman", _("Violence against a woman")
    DOMESTIC = "domestic", _("Domestic violence (KDRT)")
    SEXUAL = "sexual", _("Sexual violence")
    TPPO = "tppo", _("Trafficking (TPPO)")
    ABH = "abh", _("Child in conflict with the law (ABH)")
    CHILD_MARRIAGE = "child_marriage", _("Child marriage")
    NEGLECT = "neglect", _("Neglect")
    EXPLOITATION = "exploitation", _("Exploitation")
    OTHER = "other", _("Other")


# SIMFONI-PPA "bentuk kekerasan"; one victim may suffer several.
class ViolenceForm(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SEXUAL = "sexual", _("Sexual")
    EXPLOITATION = "exploitation", _("Exploitation")
    TRAFFICKING = "trafficking", _("Trafficking")
    NEGLECT = "neglect", _("Neglect")
    OTHER = "other", _("Other")


SIMFONI_FORM = {
    "physical": "Fisik",
    "psychological": "Psikis",
    "sexual": "Seksual",
    "exploitation": "Eksploitasi",
    "trafficking": "Trafficking",
    "neglect": "Penelantaran",
    "other": "Lainnya",
}


class Place(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School")
    PUBLIC_FACILITY = "public_facility", _("Public facility")
    SHORT_COURSE = "short_course", _("Short-course institution")
    ONLINE = "online", _("Social media / online")
    OTHER = "other", _("Other")


SIMFONI_PLACE = {
    "household": "Rumah Tangga",
    "workplace": "Tempat Kerja",
    "school": "Sekolah",
    "public_facility": "Fasilitas Umum",
    "short_course": "Lembaga Pendidikan Kilat",
    "online": "Lainnya",  # SIMFONI's public form has no online place; local units report it as Lainnya
    "other": "Lainnya",
}


class Relation(models.TextChoices):
    PARENT = "parent", _("Parent")
    FAMILY = "family", _("Family / relative")
    SPOUSE = "spouse", _("Husband / wife")
    PARTNER_FRIEND = "partner_friend", _("Boyfriend / girlfriend / friend")
    TEACHER = "teacher", _("Teacher")
    NEIGHBOUR = "neighbour", _("Neighbour")
    EMPLOYER = "employer", _("Employer")
    COWORKER = "coworker", _("Co-worker")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


SIMFONI_RELATION = {
    "parent": "Orang Tua",
    "family": "Keluarga/Saudara",
    "spouse": "Suami/Istri",
    "partner_friend": "Pacar/Teman",
    "teacher": "Guru",
    "neighbour": "Tetangga",
    "employer": "Majikan",
    "coworker": "Rekan Kerja",
    "other": "Lainnya",
    "unknown": "N/A",
}


class Education(models.TextChoices):
    NONE = "none", _("Not / not yet in school")
    PAUD = "paud", _("Kindergarten / early childhood (TK/PAUD)")
    SD = "sd", _("Primary (SD)")
    SLTP = "sltp", _("Junior secondary (SLTP)")
    SLTA = "slta", _("Senior secondary (SLTA)")
    HIGHER = "higher", _("Higher education")
    UNKNOWN = "unknown", _("Unknown")


SIMFONI_EDUCATION = {
    "none": "Tidak/Belum Sekolah",
    "paud": "TK/PAUD",
    "sd": "SD",
    "sltp": "SLTP",
    "slta": "SLTA",
    "higher": "Perguruan Tinggi",
    "unknown": "N/A",
}


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Disability(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensory", _("Sensory")


# SIMFONI age bands; child = under 18.
AGE_BANDS = [(0, 5), (6, 12), (13, 17), (18, 24), (25, 44), (45, 59), (60, 200)]


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}-{high}" if high < 200 else f"{low}+"
    return ""


CHILD_AGE_LIMIT = 18  # UU 35/2014 art. 1: a child is under 18


def victim_classification(age: int | None) -> str:
    """SIMFONI-PPA's victim classification: "child" under 18, "adult" from 18, "" when the age is unknown."""
    if age is None:
        return ""
    return "child" if age < CHILD_AGE_LIMIT else "adult"


# Categories that name the victim group; the others (KDRT, sexual violence, TPPO...) name the offence.
CHILD_ONLY_CATEGORIES = frozenset({"violence_child", "child_marriage", "abh"})
WOMAN_CATEGORY = "violence_woman"


def victim_category(category: str, *, age: int | None, sex: str) -> str:
    """The category a victim is counted under: it follows the victim, not the case. A child is never counted
    under "Kekerasan terhadap Perempuan", an adult woman never under "Kekerasan terhadap Anak"."""
    if category not in (WOMAN_CATEGORY, "violence_child"):
        return category
    group = victim_classification(age)
    if group == "child":
        return "violence_child"
    if group == "adult":
        return WOMAN_CATEGORY if sex == "F" else "other"
    return category


def category_age_conflicts(category: str, victims: list[tuple[int | None, str]]) -> list[str]:
    """Warnings for an intake whose category contradicts its victims' ages or sex: (age, sex) per victim."""
    groups = [(victim_classification(age), sex) for age, sex in victims]
    warnings = []
    if category == WOMAN_CATEGORY and any(group == "child" for group, _sex in groups):
        warnings.append(str(ERR_WOMAN_CATEGORY_CHILD))
    if category == WOMAN_CATEGORY and any(group == "adult" and sex == "M" for group, sex in groups):
        warnings.append(str(ERR_WOMAN_CATEGORY_MAN))
    if category in CHILD_ONLY_CATEGORIES and groups and all(group == "adult" for group, _sex in groups):
        warnings.append(str(ERR_CHILD_CATEGORY_ADULT))
    return warnings


ERR_WOMAN_CATEGORY_CHILD = _(
    "The category is violence against a woman, but a victim is under 18: SIMFONI-PPA counts that victim under "
    "violence against a child. Check the category or the age."
)
ERR_WOMAN_CATEGORY_MAN = _("The category is violence against a woman, but an adult victim is male.")
ERR_CHILD_CATEGORY_ADULT = _(
    "The category is for children, but every victim is 18 or older. Check the category or the ages."
)


AGE_BAND_CHOICES = [(age_band(lo), age_band(lo)) for lo, _hi in AGE_BANDS]


class Stage(models.TextChoices):
    RECEIVED = "received", _("Report received")
    OUTREACH = "outreach", _("Outreach")
    ASSESSMENT = "assessment", _("Assessment")
    PLANNING = "planning", _("Intervention plan")
    SERVICES = "services", _("Services")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [s.value for s in Stage]

# UPTD PPA standard flow; `closed` is reached only through case_close, and left only by reopening.
STAGE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("outreach", "assessment"),
    "outreach": ("assessment",),
    "assessment": ("planning",),
    "planning": ("services",),
    "services": ("monitoring",),
    "monitoring": ("services",),
    "closed": (),
}
REOPEN_STAGE = "assessment"


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", _("Services completed, victim recovered")
    REFERRED_OUT = "referred_out", _("Handed over to another region / authority")
    VICTIM_WITHDREW = "victim_withdrew", _("Victim / family withdrew")
    NOT_A_CASE = "not_a_case", _("Not a case after verification")
    DUPLICATE = "duplicate", _("Duplicate report")
    UNREACHABLE = "unreachable", _("Victim could not be reached")
    DECEASED = "deceased", _("Victim deceased")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Triage checklist: (key, label, weight). "critical" when immediate danger; otherwise by score.
TRIAGE_QUESTIONS: list[tuple[str, str, int]] = [
    ("immediate_danger", _("Victim is in immediate danger"), 100),
    ("child_sexual_violence", _("Child victim of sexual violence"), 3),
    ("trafficking", _("Signs of trafficking"), 3),
    ("perpetrator_at_home", _("Perpetrator lives with or has access to the victim"), 2),
    ("injury_needs_medical", _("Injury needing medical care"), 2),
    ("repeated_violence", _("Repeated violence"), 1),
    ("victim_disability", _("Victim has a disability"), 1),
    ("suicide_risk", _("Risk of self-harm"), 3),
]


def risk_from_triage(answers: dict[str, bool]) -> str:
    score = sum(weight for key, _label, weight in TRIAGE_QUESTIONS if answers.get(key))
    if score >= 100:
        return RiskLevel.CRITICAL
    if score >= 3:
        return RiskLevel.HIGH
    if score >= 1:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


class ServiceType(models.TextChoices):
    MEDICAL = "medical", _("Medical care / visum")
    PSYCHOLOGICAL = "psychological", _("Psychological care")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police process")
    SOCIAL_REHAB = "social_rehab", _("Social rehabilitation")
    SHELTER = "shelter", _("Safe house / shelter")
    SCHOOLING = "schooling", _("Continued schooling")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    REINTEGRATION = "reintegration", _("Family reintegration")
    REPATRIATION = "repatriation", _("Repatriation (TPPO)")
    RESTITUTION = "restitution", _("Restitution (with LPSK)")
    RELIGIOUS = "religious", _("Religious counselling")
    MEDIATION = "mediation", _("Mediation")


class PlanTaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_PLAN_TASK_STATUSES = (PlanTaskStatus.OPEN, PlanTaskStatus.IN_PROGRESS)


class FollowUpKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    MONITORING = "monitoring", _("Monitoring")
    COUNSELLING = "counselling", _("Counselling session")
    COURT_HEARING = "court_hearing", _("Court hearing")


# The plan can be written once the case reaches the intervention-plan stage (and while it stays open).
PLAN_STAGES = ("planning", "services", "monitoring")


class ConsentGiver(models.TextChoices):
    VICTIM = "victim", _("The victim")
    GUARDIAN = "guardian", _("Parent or guardian")


# How consent to share with an agency was given (UU PDP art. 25: a child's data needs the guardian's consent).
class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    THUMBPRINT = "thumbprint", _("Thumbprint on the form")
    VERBAL = "verbal", _("Verbal, witnessed by the worker")
    ELECTRONIC = "electronic", _("Message (WhatsApp, SMS, e-mail)")


SIMFONI_SERVICE = {
    "medical": "Kesehatan",
    "psychological": "Rehabilitasi Sosial",
    "legal_aid": "Bantuan Hukum",
    "police": "Penegakan Hukum",
    "social_rehab": "Rehabilitasi Sosial",
    "shelter": "Rehabilitasi Sosial",
    "schooling": "Reintegrasi Sosial",
    "social_assistance": "Rehabilitasi Sosial",
    "reintegration": "Reintegrasi Sosial",
    "repatriation": "Pemulangan",
    "restitution": "Bantuan Hukum",
    "religious": "Pendampingan Tokoh Agama",
    "mediation": "Pengaduan",
}


class Right(models.TextChoices):
    """Rights of the child victim: UU 35/2014 art. 59A, 64, 69A, 71D; UU TPKS art. 30; UU TPPO."""

    FAST_RESPONSE = "fast_response", _("Fast response")
    MEDICAL_REHAB = "medical_rehab", _("Physical rehabilitation / medical care")
    PSYCHOLOGICAL_REHAB = "psychological_rehab", _("Psychological rehabilitation / psychosocial support")
    SOCIAL_REHAB = "social_rehab", _("Social rehabilitation")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    EDUCATION = "education", _("Continued education")
    LEGAL_ACCOMPANIMENT = "legal_accompaniment", _("Accompaniment through the legal process")
    PROTECTION = "protection", _("Protection / safe shelter")
    REINTEGRATION = "reintegration", _("Repatriation and social reintegration")
    RESTITUTION = "restitution", _("Restitution")
    SPIRITUAL = "spiritual", _("Spiritual guidance")


SERVICE_RIGHT: dict[str, str | None] = {
    "medical": Right.MEDICAL_REHAB,
    "psychological": Right.PSYCHOLOGICAL_REHAB,
    "legal_aid": Right.LEGAL_ACCOMPANIMENT,
    "police": Right.LEGAL_ACCOMPANIMENT,
    "social_rehab": Right.SOCIAL_REHAB,
    "shelter": Right.PROTECTION,
    "schooling": Right.EDUCATION,
    "social_assistance": Right.SOCIAL_ASSISTANCE,
    "reintegration": Right.REINTEGRATION,
    "repatriation": Right.REINTEGRATION,
    "restitution": Right.RESTITUTION,
    "religious": Right.SPIRITUAL,
    "mediation": None,
}


class RightStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")


UNRESOLVED_RIGHT_STATUSES = (RightStatus.PLANNED, RightStatus.IN_PROGRESS)


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting response")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)
# A referral in one of these opens its case to the receiving agency (cases.policy; a partial index).
VISIBLE_REFERRAL_STATUSES = (ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


class ServiceOutcome(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing, more sessions needed")
    COMPLETED = "completed", _("Service completed")
    NOT_COMPLETED = "not_completed", _("Could not be completed")


class PerpetratorStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    AT_LARGE = "at_large", _("Not yet reported / at large")
    REPORTED = "reported", _("Reported to police")
    DETAINED = "detained", _("Detained")
    CONVICTED = "convicted", _("Convicted")


class DiversionLevel(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation (police)")
    PROSECUTION = "prosecution", _("Prosecution")
    COURT = "court", _("Court")


class DiversionOutcome(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("Not eligible (≥ 7 years or repeat offence)")
    PENDING = "pending", _("Attempt pending")
    AGREED = "agreed", _("Diversion agreed")
    FAILED = "failed", _("Diversion failed")
