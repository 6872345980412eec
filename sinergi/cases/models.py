"""The case record: one report (case) with victims, alleged perpetrators and a reporter, referrals to
agencies, services delivered, the rights checklist of each child victim, and a timeline.

Identity fields are EncryptedTextField (ciphertext at rest) with HMAC blind indexes for exact look-up;
analysis fields (sex, age, kecamatan, ...) stay in clear for statistics.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import EncryptedTextField

from . import taxonomy as t


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(max_length=32)
    channel = models.CharField(max_length=20, choices=t.Channel.choices)
    channel_detail = models.CharField(max_length=200, blank=True)
    reported_on = models.DateField()
    category = models.CharField(max_length=20, choices=t.Category.choices, default=t.Category.OTHER)
    forms = models.JSONField(default=list, blank=True)  # list of ViolenceForm values
    # One boolean per form so that statistics filter with plain indexes on SQLite and PostgreSQL.
    is_form_physical = models.BooleanField(default=False)
    is_form_psychological = models.BooleanField(default=False)
    is_form_sexual = models.BooleanField(default=False)
    is_form_exploitation = models.BooleanField(default=False)
    is_form_trafficking = models.BooleanField(default=False)
    is_form_neglect = models.BooleanField(default=False)
    is_form_other = models.BooleanField(default=False)
    incident_on = models.DateField(null=True, blank=True)
    incident_place = models.CharField(max_length=20, choices=t.Place.choices, blank=True)
    district = models.ForeignKey("regions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chronology = EncryptedTextField(_("chronology"))
    triage = models.JSONField(default=dict, blank=True)
    risk_level = models.CharField(max_length=10, choices=t.RiskLevel.choices, default=t.RiskLevel.MEDIUM)
    has_child_victim = models.BooleanField(default=False)
    is_lpsk_protected = models.BooleanField(default=False)
    stage = models.CharField(max_length=12, choices=t.Stage.choices, default=t.Stage.RECEIVED)
    stage_changed_at = models.DateTimeField()
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases"
    )
    first_response_due_at = models.DateTimeField()
    first_responded_at = models.DateTimeField(null=True, blank=True)
    first_response_escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=t.ClosureReason.choices, blank=True)
    closure_note = EncryptedTextField()
    closure_override_reason = EncryptedTextField()  # free text: may name people
    closure_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    # Public reports: only an HMAC of the tracking code is stored.
    tracking_code_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="reported_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_on", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="case_unique_number_per_tenant")]
        indexes = [
            # assigned_to and id make it covering for the visibility filter and for id-only paging (bench).
            models.Index(
                fields=["tenant", "-reported_on", "-created_at", "assigned_to", "id"], name="case_tenant_recent"
            ),
            models.Index(
                fields=["tenant", "stage", "category", "-reported_on", "-created_at"], name="case_tenant_stage_cat"
            ),
            # Covering look-up of visible ids ("id IN (referred cases)") on SQLite, where the UUID pk is a
            # separate index: counts and sorts of an agency's cases without reading table rows.
            models.Index(fields=["id", "tenant", "stage", "reported_on", "created_at"], name="case_id_cover"),
            models.Index(fields=["tenant", "stage", "-reported_on"], name="case_tenant_stage"),
            models.Index(fields=["tenant", "assigned_to", "-reported_on"], name="case_tenant_assignee"),
            models.Index(fields=["tenant", "district", "-reported_on"], name="case_tenant_district"),
            models.Index(fields=["tenant", "category", "-reported_on"], name="case_tenant_category"),
            # The data map's GROUP BY kecamatan or kelurahan of a period (sinergi.maps.office.raw_counts),
            # read from the index alone; id for its per-case victim counts (SQLite: the UUID pk is no rowid).
            models.Index(
                fields=["tenant", "reported_on", "district", "village", "category", "id"], name="case_map_cover"
            ),
            models.Index(
                fields=["first_response_due_at"],
                name="case_first_response_open",
                condition=Q(first_responded_at__isnull=True),
            ),
            # The dashboard's "overdue first responses" of one tenant, counted from the index alone (SQLite
            # without ANALYZE otherwise walks the tenant's every case through a tenant index).
            models.Index(
                fields=["tenant", "first_response_due_at", "stage", "assigned_to", "id"],
                name="case_tenant_unanswered",
                condition=Q(first_responded_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.stage == t.Stage.CLOSED


class CaseCounter(models.Model):
    """Per tenant and year sequence for case numbers (locked row while numbering)."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.year}: {self.last}"


class CaseStageCount(models.Model):
    """How many cases of a tenant are in each stage, per assignee (NULL: unassigned).

    Kept by the case services in the same transaction as the change (sinergi.cases.case_counts), so the
    dashboard sums a handful of rows instead of scanning every case. `case_counts.rebuild` recomputes it.
    """

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=12, choices=t.Stage.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "assigned_to", "stage"],
                name="case_stage_count_unique",
                condition=Q(assigned_to__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["tenant", "stage"], name="case_stage_count_unassigned", condition=Q(assigned_to__isnull=True)
            ),
            models.CheckConstraint(condition=Q(n__gte=0), name="case_stage_count_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id}/{self.assigned_to_id}/{self.stage}: {self.n}"


class Person(models.Model):
    """A victim, alleged perpetrator or reporter in one case."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Victim")
        PERPETRATOR = "perpetrator", _("Alleged perpetrator")
        REPORTER = "reporter", _("Reporter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="people")
    role = models.CharField(max_length=12, choices=Role.choices)
    # Identity (encrypted at rest; masked in the UI until an audited reveal).
    full_name = EncryptedTextField(_("full name"))
    nik = EncryptedTextField(_("NIK"))
    birth_date = EncryptedTextField(_("birth date"))  # ISO date string
    address = EncryptedTextField(_("address"))
    phone = EncryptedTextField(_("phone"))
    school_name = EncryptedTextField(_("school"))
    guardian_name = EncryptedTextField(_("parent / guardian"))
    guardian_phone = EncryptedTextField(_("parent / guardian phone"))
    nik_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    name_dob_bidx = models.CharField(max_length=32, blank=True, db_index=True)
    # Analysis fields (clear).
    sex = models.CharField(max_length=1, choices=t.Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Age at the incident"))
    age_band = models.CharField(max_length=8, blank=True)
    is_child = models.BooleanField(default=False)
    has_disability = models.BooleanField(default=False)
    disabilities = models.JSONField(default=list, blank=True)
    education = models.CharField(max_length=10, choices=t.Education.choices, blank=True)
    district = models.ForeignKey("regions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    relation_to_victim = models.CharField(max_length=20, choices=t.Relation.choices, blank=True)
    perpetrator_status = models.CharField(max_length=12, choices=t.PerpetratorStatus.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "created_at"]
        indexes = [
            # (case, role) as before; the other columns let the data map count a case's victims, children,
            # age bands and sexes from the index alone (sinergi.maps.office.raw_counts).
            models.Index(
                fields=["case", "role", "tenant", "is_child", "age_band", "sex"], name="person_case_role_cover"
            ),
            # Duplicate checks and identity search look up a blind index within one tenant: without these,
            # SQLite (no ANALYZE) walks the tenant's every person through the tenant index (~130 ms at 200k).
            models.Index(fields=["tenant", "nik_bidx"], name="person_tenant_nik"),
            models.Index(fields=["tenant", "name_dob_bidx"], name="person_tenant_name_dob"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{str(self.pk)[:8]}"


class PersonNameKey(models.Model):
    """One blind-index digest of a person's name (see sinergi.cases.name_index): the whole normalised name
    ("full") or one of its tokens ("token"). Kept in sync by the services on every write of a person."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full name")
        TOKEN = "token", _("Name token")

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    digest = models.CharField(max_length=32)
    key_id = models.CharField(max_length=12)  # fingerprint of the blind-index key (rotation)

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "kind", "digest", "person"], name="person_name_key_lookup"),
            models.Index(fields=["key_id"], name="person_name_key_key"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} key of {self.person_id}"


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    victim = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="referrals")
    service_type = models.CharField(max_length=20, choices=t.ServiceType.choices)
    status = models.CharField(max_length=10, choices=t.ReferralStatus.choices, default=t.ReferralStatus.PENDING)
    note = EncryptedTextField(_("note to the receiving agency"))
    due_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField()  # also holds cancel reasons; free text
    completed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The referral letter (surat rujukan): its nomor surat is taken once, at the first print.
    letter_number = models.CharField(max_length=100, blank=True)
    letter_issued_at = models.DateTimeField(null=True, blank=True)
    # Sharing with the agency rests on the recorded consent, or (emergency only) on the office head's reason.
    consent = models.ForeignKey(
        "SharingConsent", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    emergency_reason = EncryptedTextField()  # free text: may name people
    emergency_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The case's list order (Case: -reported_on, -created_at, -id), copied when the referral is written:
    # neither changes after intake. An agency's case list is then paged from referral_agency_case_order
    # alone (list_selectors.case_list_page_ids), instead of probing every case of the tenant.
    case_reported_on = models.DateField(editable=False)
    case_created_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # The referrals of a period (maps.performance): without it SQLite walks the tenant's every
            # referral through the list-order index below, in random row order (~0.9 s at 200,000).
            # Covering for the service-performance figures: their GROUP BY reads the index alone.
            models.Index(
                fields=[
                    "tenant",
                    "requested_at",
                    "agency",
                    "service_type",
                    "status",
                    "due_on",
                    "responded_at",
                    "completed_at",
                    "victim",
                ],
                name="referral_period_cover",
            ),
            # Not partial: SQLite never uses a partial index for a query with bound parameters (its
            # condition is not provable at prepare time), so the status is read from the index instead.
            models.Index(
                fields=["tenant", "agency", "-case_reported_on", "-case_created_at", "-case", "status"],
                name="referral_agency_case_order",
            ),
            models.Index(fields=["agency", "status", "due_on"], name="referral_agency_inbox"),
            # Covering for visible_cases_q's "cases referred to my agency" subquery.
            models.Index(fields=["agency", "status", "tenant", "case"], name="referral_agency_visible"),
            # due_on too: the list's "overdue" EXISTS probe then needs this index only (even without ANALYZE).
            models.Index(fields=["case", "status", "due_on"], name="referral_case_status"),
            models.Index(fields=["status", "due_on"], name="referral_status_due"),
            # The referral inbox (open referrals of an agency, oldest due first): count and sort from the index.
            models.Index(
                fields=["tenant", "agency", "due_on", "requested_at"],
                name="referral_inbox_open",
                condition=Q(status__in=t.OPEN_REFERRAL_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} → {self.agency_id}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and (self.case_reported_on is None or self.case_created_at is None):
            self.case_reported_on, self.case_created_at = self.case.reported_on, self.case.created_at
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in t.OPEN_REFERRAL_STATUSES


class SharingConsent(models.Model):
    """The victim's or guardian's consent to share the case with one agency: who gave it, when and how."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    agency = models.ForeignKey("tenants.Agency", on_delete=models.PROTECT, related_name="+")
    victim = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(max_length=10, choices=t.ConsentGiver.choices)
    giver_name = EncryptedTextField(_("name of the person consenting"))
    method = models.CharField(max_length=12, choices=t.ConsentMethod.choices)
    given_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["case", "agency"], name="consent_case_agency")]

    def __str__(self) -> str:
        return f"{self.given_by} {self.method} {self.given_on}"


class ServiceRecord(models.Model):
    """A service delivered under a referral (one or more sessions)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="services")
    delivered_on = models.DateField()
    sessions = models.PositiveSmallIntegerField(default=1)
    outcome = models.CharField(max_length=15, choices=t.ServiceOutcome.choices)
    notes = EncryptedTextField(_("notes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.delivered_on} ({self.outcome})"


class RightItem(models.Model):
    """One right of one child victim, derived from referrals/services unless set by hand (with reason)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="rights")
    victim = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="rights")
    right = models.CharField(max_length=24, choices=t.Right.choices)
    status = models.CharField(max_length=12, choices=t.RightStatus.choices, default=t.RightStatus.NOT_NEEDED)
    is_manual = models.BooleanField(default=False)
    reason = EncryptedTextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["victim", "right"]
        constraints = [models.UniqueConstraint(fields=["victim", "right"], name="right_unique_per_victim")]
        # A victim's rights and their statuses from the index alone (maps.performance: needs assessed,
        # needs still open, per child victim of a period).
        indexes = [models.Index(fields=["victim", "status"], name="right_victim_status")]

    def __str__(self) -> str:
        return f"{self.right}: {self.status}"


class Diversion(models.Model):
    """UU SPPA art. 7: diversion attempted at investigation, prosecution and court (ABH cases)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="diversions")
    level = models.CharField(max_length=15, choices=t.DiversionLevel.choices)
    outcome = models.CharField(max_length=15, choices=t.DiversionOutcome.choices)
    decided_on = models.DateField(null=True, blank=True)
    is_bapas_involved = models.BooleanField(default=False)
    note = EncryptedTextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "level"]
        constraints = [models.UniqueConstraint(fields=["case", "level"], name="diversion_unique_level")]

    def __str__(self) -> str:
        return f"{self.level}: {self.outcome}"


class TimelineEntry(models.Model):
    """Every step, note and document of a case, in order."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case registered")
        TRIAGED = "triaged", _("Triage")
        STAGE = "stage", _("Stage changed")
        ASSIGNED = "assigned", _("Assigned")
        NOTE = "note", _("Note")
        REFERRAL = "referral", _("Referral")
        SERVICE = "service", _("Service recorded")
        RIGHT = "right", _("Right updated")
        DOCUMENT = "document", _("Document")
        DIVERSION = "diversion", _("Diversion")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        ESCALATED = "escalated", _("Escalated")
        PLAN = "plan", _("Case plan")
        FOLLOW_UP = "follow_up", _("Follow-up")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(max_length=300)  # never identity data
    text = EncryptedTextField()  # free-text notes may name people
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "-created_at"], name="timeline_case_recent")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.kind}"


class PlanGoal(models.Model):
    """A goal of the case plan (rencana intervensi)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_goals")
    text = EncryptedTextField(_("goal"))  # free text: may name people
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"goal {self.pk}"


class PlanTask(models.Model):
    """A task of the case plan, owned by an agency or by one person, with a due date and a status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_tasks")
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    title = EncryptedTextField(_("task"))
    owner_agency = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_tasks"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=t.PlanTaskStatus.choices, default=t.PlanTaskStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["case", "status", "due_on"], name="plantask_case_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_agency__isnull=True, owner_user__isnull=False)
                | Q(owner_agency__isnull=False, owner_user__isnull=True),
                name="plantask_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"task {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in t.OPEN_PLAN_TASK_STATUSES


class FollowUp(models.Model):
    """A follow-up appointment (home visit, monitoring, counselling, court hearing); its owner is reminded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=16, choices=t.FollowUpKind.choices)
    starts_at = models.DateTimeField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    note = EncryptedTextField(_("note"))
    is_cancelled = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = EncryptedTextField(_("reason for cancelling"), blank=True)
    # Each change (new time, new owner, cancelled) counts up, so a calendar that subscribed to the ICS
    # feed replaces its copy (RFC 5545 SEQUENCE) instead of keeping the old time.
    sequence = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)  # marked per item: a reminder goes once
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at"], name="followup_to_remind", condition=Q(reminded_at__isnull=True)),
            models.Index(fields=["owner", "starts_at"], name="followup_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.starts_at:%Y-%m-%d}"


class IntakeDraft(models.Model):
    """A Satgas volunteer's intake form saved as it is typed, so a dropped connection loses nothing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_drafts")
    payload = EncryptedTextField()  # JSON of the form fields
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk}"
