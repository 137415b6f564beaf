"""Candidates: what extraction proposed from an ingested article, kept for an editor's review.

A candidate is never a published record. It holds one `Proposal` (statements.ingest.proposals)
as the database stores it, points into its source's reference text like a citation, and, once
an editor accepts it, names the records the acceptance wrote (statements.ingest.service).
Imported by statements.models, so that it is a model of the statements app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.db.dates import parse_partial_date, validate_partial_date
from events.models import DateBasis, Event, Person, Source, Timestamped


class Candidate(Timestamped):
    """One proposal from an ingested article: a quote, fragment, claim, event or figure.

    `source.text[start:end] == excerpt`, checked as a citation's is. The speaker is an existing
    person (`speaker`) or a new one described in the article's words (`speaker_name`,
    `speaker_kind`); an anonymous source stays anonymous. Accepting writes the record (or a
    wording and citation of a record the dataset already holds, see `matches`) through the same
    rules as the admin and the write API; rejecting keeps the candidate with its reason.
    """

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote (verbatim)"
        FRAGMENT = "fragment", "Fragment (a few quoted words)"
        CLAIM = "claim", "Claim (reported speech without quotation marks)"
        EVENT = "event", "Event"
        FIGURE = "figure", "Figure"

    class ReviewStatus(models.TextChoices):
        PENDING = "pending", "Pending review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,  # proposals about an article go with it
        related_name="candidates",
        help_text="The ingested article the candidate was read from.",
    )
    kind = models.CharField(
        max_length=8, choices=Kind.choices, help_text="quote, fragment, claim, event or figure."
    )
    excerpt = models.TextField(
        help_text="The evidence: the exact characters of the source's text at start..end."
    )
    start = models.PositiveIntegerField(
        help_text="Offset of the excerpt's first character in the source's reference text "
        "(Unicode code points, from 0)."
    )
    end = models.PositiveIntegerField(
        help_text="Offset just past the excerpt's last character: text[start:end] == excerpt."
    )
    quote = models.TextField(
        blank=True,
        help_text="For quotes and fragments: the words between the marks, joined with one "
        "space across an attribution that splits them; blank otherwise.",
    )
    quote_spans = models.JSONField(
        default=list,
        blank=True,
        help_text="For quotes and fragments: [start, end] of each quoted run in the source's "
        "text (a quote split by its attribution has several).",
    )
    speaker = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,  # the proposal stays, its speaker then proposed anew
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The existing person proposed as the speaker; null for a new one.",
    )
    speaker_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The speaker's name: the person's when matched, else the article's words.",
    )
    speaker_kind = models.CharField(
        max_length=12,
        choices=Person.Kind.choices,
        blank=True,
        help_text="person, organisation or anonymous; blank for events and figures.",
    )
    speaker_label = models.CharField(
        max_length=200,
        blank=True,
        help_text="The article's own words for the speaker ('a senior European diplomat').",
    )
    date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="Partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) of what was said or happened; "
        "blank when the text gives none.",
    )
    date_earliest = models.DateField(
        null=True,
        blank=True,
        help_text="First day of the interval the text supports; null for an open start or no date.",
    )
    date_latest = models.DateField(
        null=True, blank=True, help_text="Last day of the interval; null when there is no date."
    )
    date_basis = models.CharField(
        max_length=13,
        choices=DateBasis.choices,
        blank=True,
        help_text="How the date was found (stated, resolved, inferred, before_report).",
    )
    date_note = models.CharField(
        max_length=300, blank=True, help_text="The words the date was read from."
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="An event's short title; a figure's label."
    )
    event_kind = models.CharField(
        max_length=16,
        choices=Event.Kind.choices,
        blank=True,
        help_text="For events: the kind of event.",
    )
    status = models.CharField(
        max_length=9,
        choices=Event.Status.choices,
        blank=True,
        help_text="For events: occurred, planned, proposed or cancelled, as the text says.",
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For figures: the number; null for a vague quantity.",
    )
    value_max = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For figures: the upper end of a range.",
    )
    unit = models.CharField(max_length=8, blank=True, help_text="For figures: the unit.")
    qualifier = models.CharField(
        max_length=9, blank=True, help_text="For figures: exact, about, more_than, … or vague."
    )
    words = models.CharField(
        max_length=120, blank=True, help_text="For figures: the article's words for it."
    )
    measure = models.CharField(
        max_length=100, blank=True, help_text="For figures: what is measured, if recognised."
    )
    topics = models.JSONField(default=list, blank=True, help_text="Slugs of the topics suggested.")
    places = models.JSONField(default=list, blank=True, help_text="Slugs of the places suggested.")
    confidence = models.FloatField(
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="How sure extraction is, from 0 to 1.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="One line saying why it was proposed."
    )
    matches = models.JSONField(
        default=list,
        blank=True,
        help_text="Records the dataset already holds that this reports again, best first: "
        "[{type, slug, score, reason}]. Accepting cites the first of its kind instead of "
        "creating a twin.",
    )
    review_status = models.CharField(
        max_length=8,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        help_text="pending, accepted or rejected.",
    )
    reject_reason = models.CharField(
        max_length=300, blank=True, help_text="Why an editor rejected it."
    )
    statement = models.ForeignKey(
        "statements.Statement",
        on_delete=models.SET_NULL,  # the review stays on record if the statement is deleted
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The statement accepting it created or cited.",
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The event accepting it created or cited.",
    )
    figure = models.ForeignKey(
        "statements.Figure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The figure accepting it created or cited.",
    )
    records = models.JSONField(
        default=list,
        blank=True,
        help_text="Every record accepting it wrote, in order: [{type, slug}] (statements, "
        "people, wordings, citations, events, figures).",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the review stays when an account is removed
        null=True,
        blank=True,
        related_name="reviewed_candidates",
        help_text="The editor who accepted or rejected it.",
    )
    reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was accepted or rejected."
    )

    class Meta:
        ordering = ["source_id", "start", "end", "id"]
        indexes = [
            models.Index(fields=["source", "start", "id"]),
            models.Index(fields=["review_status"]),
            models.Index(fields=["kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="candidate_offsets_are_ordered"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="candidate_confidence_is_a_share",
            ),
            models.CheckConstraint(
                condition=Q(review_status="pending", reviewed_at__isnull=True)
                | (~Q(review_status="pending") & Q(reviewed_at__isnull=False)),
                name="candidate_reviewed_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source.slug}[{self.start}:{self.end}]"

    def get_absolute_url(self) -> str:
        return reverse("api:candidate-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        from statements.models import Citation  # statements.models imports this module

        if self.source_id is not None and self.start is not None and self.end is not None:
            Citation(
                source=self.source, excerpt=self.excerpt, start=self.start, end=self.end
            ).verify_excerpt()
            for span in self.quote_spans or []:
                self.verify_span(span)

    @property
    def date_precision(self) -> str:
        """day, month or year: the length of `date`; blank without one (or a malformed one)."""
        try:
            return parse_partial_date(self.date)[2] if self.date else ""
        except ValueError:
            return ""

    @property
    def runs(self) -> list[str]:
        """The quoted runs as the source prints them, one per entry of `quote_spans`."""
        return [self.source.text[start:end] for start, end in self.quote_spans or []]

    def verify_span(self, span) -> None:
        """Raise ValidationError unless a quoted run lies inside the excerpt."""
        if (
            not isinstance(span, list | tuple)
            or len(span) != 2
            or not all(isinstance(n, int) for n in span)
            or not self.start <= span[0] < span[1] <= self.end
        ):
            raise ValidationError(
                {"quote_spans": f"{span!r} is not a [start, end] inside {self.start}..{self.end}."}
            )
