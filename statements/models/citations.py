"""The evidence: citations, each a verbatim excerpt of a source's text."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.db.history import ParleyHistory
from config.db.slugs import SlugField
from events.models import QUOTED_TEXT, Event, SlugManager, Source, Timestamped, bounded_text
from statements.models.claims import Figure, Statement


def citation_slug(source: str, start: int, end: int, target_type: str, target: str) -> str:
    """The public identifier a citation is given once, when it is created: a short digest of
    what it cites, so that every database loading the same release gives it the same one."""
    digest = hashlib.sha256(f"{source}|{start}|{end}|{target_type}|{target}".encode()).hexdigest()
    return f"cit-{digest[:12]}"


class Citation(Timestamped):
    """The evidence for one statement, event or figure: a verbatim excerpt of a source's text.

    `source.text[start:end] == excerpt` always holds; it is checked on save, in the admin, by
    `manage.py check_dataset` and in the tests. `slug` is given on creation and never changes,
    whatever happens to the offsets.
    """

    slug = SlugField(
        max_length=40,
        unique=True,
        blank=True,
        help_text="Stable public identifier, given when the citation is created.",
    )

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # evidence must not vanish with its article
        related_name="citations",
        help_text="The article the excerpt comes from.",
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The statement this cites (exactly one of statement, event, figure).",
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The event this cites (exactly one of statement, event, figure).",
    )
    figure = models.ForeignKey(
        Figure,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        help_text="The figure this cites (exactly one of statement, event, figure).",
    )
    excerpt = bounded_text(QUOTED_TEXT, help_text="The exact characters of the source text cited.")
    start = models.PositiveIntegerField(
        help_text="Offset of the excerpt's first character in the source's reference text "
        "(Unicode code points, from 0)."
    )
    end = models.PositiveIntegerField(
        help_text="Offset just past the excerpt's last character: text[start:end] == excerpt."
    )

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["source_id", "start", "id"]
        indexes = [models.Index(fields=["source", "start", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(statement__isnull=False, event__isnull=True, figure__isnull=True)
                    | Q(statement__isnull=True, event__isnull=False, figure__isnull=True)
                    | Q(statement__isnull=True, event__isnull=True, figure__isnull=False)
                ),
                name="citation_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=models.F("start")),
                name="citation_offsets_are_ordered",
            ),
            models.UniqueConstraint(
                fields=["source", "statement", "start"],
                condition=Q(statement__isnull=False),
                name="citation_unique_per_statement",
            ),
            models.UniqueConstraint(
                fields=["source", "event", "start"],
                condition=Q(event__isnull=False),
                name="citation_unique_per_event",
            ),
            models.UniqueConstraint(
                fields=["source", "figure", "start"],
                condition=Q(figure__isnull=False),
                name="citation_unique_per_figure",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}[{self.start}:{self.end}]"

    def save(self, *args, **kwargs) -> None:
        self.verify_excerpt()
        target = self.target
        if not self.slug and target is not None:  # no target: the database refuses it below
            self.slug = citation_slug(
                self.source.slug, self.start, self.end, target._meta.model_name, target.slug
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("api:citation-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        # "exactly one target" is a constraint, which full_clean() validates too
        super().clean()
        if self.source_id is not None and self.start is not None and self.end is not None:
            self.verify_excerpt()

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def target(self) -> Statement | Event | Figure | None:
        return self.statement or self.event or self.figure

    def verify_excerpt(self) -> None:
        """Raise ValidationError unless the excerpt stands at its offsets in the source text."""
        if self.end is None or self.start is None or self.end <= self.start:
            raise ValidationError({"end": "The end offset must be greater than the start offset."})
        found = self.source.text[self.start : self.end]
        if found != self.excerpt:
            raise ValidationError(
                {
                    "excerpt": f"The excerpt is not at offsets {self.start}..{self.end} of "
                    f"source {self.source.slug!r}; the text there reads {found[:120]!r}."
                }
            )
