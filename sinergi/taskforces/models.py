"""Task forces: coordination bodies and their members, meetings with their UANG evidence (Undangan, Absen,
Notulen, Gambar) and the agreements (kesepakatan) they produce, owned by one agency until proven done.

Members are either an agency of the tenant (`tenants.Agency`) or an outside partner named here (media,
business, university...): a contact person is not necessarily a user account. Officials named in public
sources (chairs, speakers) are stored as text, never as users.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BodyKind(models.TextChoices):
    GUGUS_TUGAS_KLA = "gugus_tugas_kla", _("Gugus Tugas KLA")
    SATGAS_PPA = "satgas_ppa", _("Satgas PPA")
    WORKING_GROUP = "working_group", _("Working group (cluster)")
    FORUM = "forum", _("Ad hoc forum (FGD, working meeting)")


class BodyLevel(models.TextChoices):
    REGENCY = "regency", _("Regency/city")
    DISTRICT = "district", _("Kecamatan")
    VILLAGE = "village", _("Kelurahan/desa")


class Cluster(models.TextChoices):
    KELEMBAGAAN = "kelembagaan", _("Kelembagaan")
    I = "1", _("Cluster I: civil rights and freedoms")  # noqa: E741
    II = "2", _("Cluster II: family environment and alternative care")
    III = "3", _("Cluster III: basic health and welfare")
    IV = "4", _("Cluster IV: education, leisure and culture")
    V = "5", _("Cluster V: special protection")


class PartnerKind(models.TextChoices):
    AGENCY = "agency", _("Agency of the regency (OPD)")
    VERTICAL = "vertical", _("Vertical agency (Kemenag, Polres, Kejaksaan, Bapas)")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("Media")
    BUSINESS = "business", _("Business (APSAI)")
    UNIVERSITY = "university", _("University")
    FORUM_ANAK = "forum_anak", _("Forum Anak")
    OTHER = "other", _("Other")


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARIAT = "secretariat", _("Secretariat")
    MEMBER = "member", _("Member")


class Body(models.Model):
    """A coordination body: Gugus Tugas KLA, a Satgas PPA (referring to its `tenants.Agency`), a working
    group of a Gugus Tugas, or an ad hoc forum."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="taskforce_bodies")
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    level = models.CharField(max_length=10, choices=BodyLevel.choices, default=BodyLevel.REGENCY)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="groups")
    cluster = models.CharField(max_length=12, choices=Cluster.choices, blank=True)
    # A Satgas PPA body is the existing agency row of kind satgas_ppa, never a second copy of it.
    agency = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="taskforce_bodies"
    )
    secretariat_agency = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_name = models.CharField(max_length=200, blank=True)
    decree_number = models.CharField(max_length=120, blank=True)
    decree_on = models.DateField(null=True, blank=True)
    decree_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenant", "name"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="taskforce_body_unique_name")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A member of a body: an agency of the tenant or an outside partner, with a contact person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="taskforce_memberships"
    )
    organisation = models.CharField(max_length=200, blank=True, help_text=_("Outside partners without an agency."))
    partner_kind = models.CharField(max_length=12, choices=PartnerKind.choices, default=PartnerKind.AGENCY)
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    working_group = models.ForeignKey(Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    contact_name = models.CharField(max_length=160, blank=True)
    contact_position = models.CharField(max_length=160, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["body", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(organisation=""), name="taskforce_member_agency_or_organisation"
            ),
            models.UniqueConstraint(
                fields=["body", "agency"], condition=Q(agency__isnull=False), name="taskforce_member_one_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.agency_id:
            return self.agency.short_name
        return self.organisation


class MeetingType(models.TextChoices):
    RAKOR = "rakor", _("Coordination meeting (rakor)")
    FGD = "fgd", _("Focus group discussion (FGD)")
    SOSIALISASI = "sosialisasi", _("Socialisation (sosialisasi)")
    EVALUASI = "evaluasi", _("Evaluation (evaluasi)")
    LANJUTAN = "lanjutan", _("Follow-up meeting (rapat lanjutan)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MeetingSeries(models.Model):
    """A recurrence rule (RFC 5545 RRULE, e.g. quarterly) from which meetings of one body are generated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(max_length=200)
    rule = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="taskforce_meetings")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    type = models.CharField(max_length=12, choices=MeetingType.choices, default=MeetingType.RAKOR)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    title = models.CharField(max_length=250)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=250, blank=True)
    online_url = models.URLField(blank=True)
    chair_name = models.CharField(max_length=200, blank=True)
    chair_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_taker_name = models.CharField(max_length=200, blank=True)
    note_taker_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follows_up = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_up_meetings"
    )
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    invited = models.ManyToManyField(Member, through="Invitation", related_name="meetings")
    # Undangan: the letter's facts, fixed when the invitation is issued (the number is taken once).
    letter_number = models.CharField(max_length=120, blank=True)
    letter_on = models.DateField(null=True, blank=True)
    letter_nature = models.CharField(max_length=60, blank=True, default="Penting")  # sifat
    letter_attachment = models.CharField(max_length=60, blank=True, default="-")  # lampiran
    letter_subject = models.CharField(max_length=200, blank=True)  # hal / perihal
    signatory = models.ForeignKey(
        "tenants.Signatory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    minutes_summary = models.TextField(blank=True)
    minutes_saved_at = models.DateTimeField(null=True, blank=True)
    # Seed meetings from public news articles: where the facts come from, and that the rest is demo data.
    source = models.CharField(max_length=300, blank=True)
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["tenant", "-starts_at"], name="tf_meeting_tenant_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")), name="tf_meeting_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An invited member of a meeting, with the address the invitation goes to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="tf_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.member_id}"


class AgendaItem(models.Model):
    """One agenda item and its minutes (notulen): discussion, who spoke for which agency, decisions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    discussion = models.TextField(blank=True)
    speakers = models.TextField(blank=True, help_text=_("One per line: 'Name (Agency)'."))
    decisions = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="tf_agenda_unique_position")]

    def __str__(self) -> str:
        return self.title


class AttendanceMethod(models.TextChoices):
    QR = "qr", _("QR code")
    MANUAL = "manual", _("Added by the secretariat")


class Attendance(models.Model):
    """One check-in (absen). `identity` is the normalised person key: one check-in per person per meeting."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    identity = models.CharField(max_length=300)
    name = models.CharField(max_length=160)
    position = models.CharField(max_length=160, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    method = models.CharField(max_length=8, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "checked_in_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "identity"], name="tf_attendance_once_per_person")]

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


CLOSED_STATUSES = frozenset({AgreementStatus.DONE, AgreementStatus.DROPPED})


class Agreement(models.Model):
    """A numbered kesepakatan of a meeting, owned by one agency, with a due date and proof of progress."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="agreements")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agreements")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    owner = models.ForeignKey(
        "tenants.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="owned_agreements"
    )
    supporters = models.ManyToManyField("tenants.Agency", blank=True, related_name="supported_agreements")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    dropped_reason = models.TextField(blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # percent; a parent's is rolled up from its children
    done_on = models.DateField(null=True, blank=True)
    reviewed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviewed_agreements"
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AgreementFollower", blank=True, related_name="followed_agreements"
    )
    # Owner, due date, status and progress that a seed article does not state are demo values.
    is_demo_values = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "parent_id", "number"]
        indexes = [
            # Covering for the secretariat's matrix (counts per owner and status, due and done dates).
            models.Index(fields=["tenant", "owner", "status", "due_on", "done_on"], name="tf_agreement_owner_status"),
            models.Index(fields=["tenant", "status", "due_on"], name="tf_agreement_status_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], condition=Q(parent__isnull=True), name="tf_agreement_unique_number"
            ),
            models.UniqueConstraint(
                fields=["parent", "number"], condition=Q(parent__isnull=False), name="tf_subagreement_unique_number"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="tf_agreement_progress_max_100"),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""), name="tf_agreement_dropped_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}. {self.text[:60]}"

    @property
    def label(self) -> str:
        """'3' for an agreement, '3.2' for a sub-agreement."""
        return f"{self.parent.number}.{self.number}" if self.parent_id else str(self.number)

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class AgreementFollower(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "user"], name="tf_follower_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.agreement_id}"


class AgreementUpdate(models.Model):
    """A progress update, with its evidence (a document of the agreement, or a link)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    progress = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=AgreementStatus.choices)
    evidence_document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_url = models.URLField(blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "-created_at"]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.progress}%"


class DueDateChange(models.Model):
    """The history of an agreement's due date (set, extended by an approved request, changed)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="due_changes")
    old_due_on = models.DateField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "changed_at"]

    def __str__(self) -> str:
        return f"{self.old_due_on} → {self.new_due_on}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ExtensionRequest(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_due_on = models.DateField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="pending"), name="tf_extension_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} → {self.requested_due_on}"


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class AgreementReminder(models.Model):
    """Marks a reminder as sent, per agreement, kind and due date: a second run of the job sends nothing."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "due_on"], name="tf_reminder_once_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind} {self.due_on}"


class CalendarFeed(models.Model):
    """A user's personal ICS feed URL: only a hash of its token is stored; revoked feeds answer 404."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="tf_feed_one_live")
        ]

    def __str__(self) -> str:
        return f"feed {self.pk}"


class LetterTemplateKind(models.TextChoices):
    UNDANGAN = "undangan", _("Invitation (undangan)")
    NOTULEN = "notulen", _("Minutes (notulen)")


class LetterTemplate(models.Model):
    """A Word (DOCX, docxtpl) template the office uploaded for its invitations or minutes. Each upload is a
    new version; the newest one not retired is used, else the committed default (`taskforces/docx/`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=LetterTemplateKind.choices)
    version = models.PositiveIntegerField()
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tenant", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["tenant", "kind", "version"], name="tf_letter_template_version")]

    def __str__(self) -> str:
        return f"{self.kind} v{self.version}"
