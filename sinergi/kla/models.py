"""KLA evaluation: the national instrument per year (clusters, indicators, sub-items, bands) and, per
tenant, the assignments of indicators to OPDs, the evidence items with their reviews, the regulation
library, self-assessments, deadlines and the RAD KLA activities.

The instrument tables (EvaluationYear, Cluster, Indicator, SubItem, Band) are national data loaded by
`kla_load_year` and edited by an operator in the admin; tenants never write them. A year keeps its own
copy of the tree because the instrument changes between years.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationYear(models.Model):
    year = models.PositiveSmallIntegerField(unique=True)
    source_version = models.CharField(max_length=40, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class Cluster(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="clusters")
    code = models.CharField(max_length=4)
    title_id = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "order"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="kla_cluster_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title_id}"


class EvidenceType(models.TextChoices):
    REGULATION = "regulation", _("Regulation")
    DECREE = "decree", _("Decree")
    POLICY = "policy", _("Policy")
    IMPLEMENTATION = "implementation", _("Implementation")
    BUDGET = "budget", _("Budget")
    DATA = "data", _("Data")
    UANG = "uang", _("UANG (invitation, attendance, minutes, photos)")


# Types whose documents a verifier expects signed and numbered.
NUMBERED_TYPES = frozenset({EvidenceType.REGULATION, EvidenceType.DECREE, EvidenceType.POLICY})


class Indicator(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="indicators")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=8)
    title_id = models.CharField(max_length=400)
    title_en = models.CharField(max_length=400, blank=True)
    short_title = models.CharField(max_length=60, help_text=_("Used in folder names of the evidence package."))
    points = models.PositiveSmallIntegerField(default=0)
    is_points_verified = models.BooleanField(default=False)
    required_types = models.JSONField(default=list, blank=True)
    evidence_examples = models.JSONField(default=list, blank=True)
    source_note = models.CharField(max_length=300, blank=True)
    is_special_protection = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "order"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="kla_indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title_id}"

    @property
    def folder(self) -> str:
        return f"{int(self.code):02d} {self.short_title}" if self.code.isdigit() else f"{self.code} {self.short_title}"


class SubItem(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="sub_items")
    code = models.CharField(max_length=8)
    title = models.CharField(max_length=300)
    points = models.PositiveSmallIntegerField(default=0)
    is_verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator", "code"]

    def __str__(self) -> str:
        return self.title


class Band(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(max_length=40)
    min_points = models.PositiveSmallIntegerField()
    max_points = models.PositiveSmallIntegerField()
    is_verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["year", "min_points"]

    def __str__(self) -> str:
        return f"{self.name} {self.min_points}-{self.max_points}"


class Assignment(models.Model):
    """An OPD responsible for an indicator in a tenant's evaluation year, with its contact person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="kla_assignments")
    contact_name = models.CharField(max_length=160, blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator__order", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "indicator", "agency"], name="kla_assignment_unique")]

    def __str__(self) -> str:
        return str(f"{self.indicator_id} {self.agency_id}")


class RegulationKind(models.TextChoices):
    PERDA = "perda", _("Perda")
    PERBUP = "perbup", _("Perbup/Perwali")
    SK = "sk", _("Decree (SK)")
    SE = "se", _("Circular (Surat Edaran)")
    MOU = "mou", _("MoU/PKS")


class Regulation(models.Model):
    """An item of the tenant's regulation library, reused as evidence across indicators and years."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=RegulationKind.choices)
    title = models.CharField(max_length=300)
    number = models.CharField(max_length=120)
    issued_on = models.DateField()
    issuer = models.CharField(max_length=200)
    valid_until = models.DateField(null=True, blank=True, help_text=_("Empty: valid until revoked."))
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Retired (soft-deleted): hidden from lists and new links, kept for history and earlier evidence.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_in(self, year: int) -> bool:
        return self.issued_on.year <= year and (self.valid_until is None or self.valid_until.year >= year)


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REVISION = "revision", _("Revision requested")


class EvidenceItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="evidence")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="kla_evidence")
    evidence_type = models.CharField(max_length=16, choices=EvidenceType.choices)
    title = models.CharField(max_length=300)
    doc_year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.CharField(max_length=120, blank=True)
    dated_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, max_length=2000)
    is_signed = models.BooleanField(default=False)
    regulation = models.ForeignKey(Regulation, null=True, blank=True, on_delete=models.PROTECT, related_name="uses")
    # This item's own link to the stored file (an upload or a link to another owner's file, never a copy).
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__order", "-created_at"]
        indexes = [
            models.Index(fields=["tenant", "indicator", "status"], name="kla_evidence_tis_idx"),
            # The scores' cache check: count and latest change of a tenant's items (kla/scoring.py).
            models.Index(fields=["tenant", "updated_at"], name="kla_evidence_tu_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Review(models.Model):
    """One decision on an evidence item; the history is every row, newest first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(max_length=10, choices=ReviewStatus.choices)
    comment = models.TextField(blank=True, max_length=2000)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.decision)


class SelfAssessment(models.Model):
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="self_assessments")
    points = models.DecimalField(max_digits=6, decimal_places=2)
    note = models.TextField(blank=True, max_length=2000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "indicator"], name="kla_self_assessment_unique")]

    def __str__(self) -> str:
        return str(f"{self.indicator_id}: {self.points}")


class DeadlineKind(models.TextChoices):
    COLLECTION = "collection", _("Evidence collection")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    SUBMISSION = "submission", _("Submission")


class Deadline(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=16, choices=DeadlineKind.choices)
    due_on = models.DateField()

    # Retired (soft-deleted): hidden from lists and new links, kept for history and earlier evidence.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["tenant", "year", "kind"], name="kla_deadline_unique")]

    def __str__(self) -> str:
        return str(f"{self.kind} {self.due_on}")


class DeadlineNotice(models.Model):
    """A reminder or escalation sent to one OPD for one deadline: the mark that makes the worker idempotent."""

    class Stage(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notices")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "agency", "stage"], name="kla_notice_once")]

    def __str__(self) -> str:
        return str(f"{self.stage} {self.agency_id}")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")


class RadActivity(models.Model):
    """An activity of the RAD KLA (regional action plan) for an indicator, optionally a task-force agreement."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="activities")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    activity_year = models.PositiveSmallIntegerField()
    budget = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    agreement = models.ForeignKey(
        "taskforces.Agreement", null=True, blank=True, on_delete=models.SET_NULL, related_name="kla_activities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Retired (soft-deleted): hidden from lists and new links, kept for history and earlier evidence.
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["indicator__order", "title"]

    def __str__(self) -> str:
        return str(self.title)
