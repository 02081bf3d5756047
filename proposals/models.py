import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from diplomacy_portal.vocabulary import CooperationField

MAX_TEXT = 5000
MAX_NEEDS = 2000


class BudgetRange(models.TextChoices):
    """How much money a proposal needs, in words a city's budget office uses, not figures."""

    NONE = "none", _("No budget needed")
    SMALL = "small", _("Small: within a district's or a department's means")
    MEDIUM = "medium", _("Medium: a line in the city's yearly budget")
    LARGE = "large", _("Large: needs outside funding or sponsors")


class Partner(models.TextChoices):
    UNIVERSITY = "university", _("Universities")
    CHAMBER = "chamber", _("The chamber of commerce")
    SCHOOLS = "schools", _("Schools")
    BUSINESSES = "businesses", _("Businesses")
    NGOS = "ngos", _("Non-governmental organisations")
    CULTURAL = "cultural", _("Museums and cultural centres")
    HOSPITALS = "hospitals", _("Hospitals and clinics")


def upload_attachment(proposal, filename: str) -> str:
    # A stored name says nothing about the author and cannot be guessed.
    return f"proposals/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Proposal(models.Model):
    """A citizen diplomat's idea for one or more sister cities.

    Status changes only through proposals.services, which logs each one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", pgettext_lazy("a proposal", "Accepted")
        DECLINED = "declined", pgettext_lazy("a proposal", "Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What the public list shows: everything once submitted, never a draft.
    PUBLIC = (
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.WITHDRAWN,
    )
    # While a proposal is under consideration other diplomats may add their support.
    SUPPORTABLE = (Status.SUBMITTED, Status.CHANGES_REQUESTED)

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    cities = models.ManyToManyField(
        "sistercities.SisterCity", related_name="proposals", verbose_name=_("sister cities")
    )
    field = models.CharField(_("field"), max_length=20, choices=CooperationField.choices)
    summary = models.TextField(_("summary"), validators=[MaxLengthValidator(MAX_TEXT)])
    achieves = models.TextField(
        _("what it would achieve"), validators=[MaxLengthValidator(MAX_TEXT)]
    )
    needs_people = models.TextField(
        _("people it needs"), blank=True, validators=[MaxLengthValidator(MAX_NEEDS)]
    )
    budget = models.CharField(
        _("budget"), max_length=10, choices=BudgetRange.choices, default=BudgetRange.NONE
    )
    partners = ArrayField(
        models.CharField(max_length=20, choices=Partner.choices),
        verbose_name=_("partners"),
        default=list,
        blank=True,
    )
    # The attachment is addressed by this, not the primary key: its address cannot be guessed.
    public_id = models.UUIDField(
        _("attachment's address"), default=uuid.uuid4, unique=True, editable=False
    )
    attachment = models.FileField(
        _("attachment (PDF)"), upload_to=upload_attachment, blank=True, max_length=200
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("initiative"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        permissions = [("decide_proposal", _("Can accept, decline or return proposals"))]
        indexes = [
            # The public list: newest submission first, drafts never read.
            models.Index(
                fields=["-submitted_at", "-id"],
                name="proposal_public_order",
                condition=~models.Q(status="draft"),
            ),
            models.Index(fields=["status", "field"], name="proposal_filters"),
            models.Index(fields=["author", "-created_at"], name="proposal_by_author"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal-detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def partner_labels(self) -> list[str]:
        labels = dict(Partner.choices)
        return [labels.get(code, code) for code in self.partners]


class ProposalStatusChange(models.Model):
    """One move of a proposal's status: who, when, from, to, and the note to the author.

    Written once by proposals.services and never changed: a database trigger refuses updates
    and deletes (migration 0002), except clearing the actor of a deleted account.
    """

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="history", verbose_name=_("proposal")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Proposal.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Proposal.Status.choices)
    note = models.TextField(_("note to the author"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal status change")
        verbose_name_plural = _("proposal status history")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class Support(models.Model):
    """A diplomat's support for someone else's proposal: one each, withdrawn by deleting it."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_supports",
        verbose_name=_("supporter"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "supporter"], name="one_support_each")
        ]

    def __str__(self):
        return f"{self.supporter_id} → {self.proposal_id}"
