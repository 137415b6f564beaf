"""What was said and claimed, and the evidence for it: statements, figures and citations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.search import SearchIndex, SearchQuerySet
from events.models import Dated, Event, Person, Place, SlugManager, Source, Topic


class StatementQuerySet(SearchQuerySet):
    search_index = SearchIndex(
        table="statements_statement",
        columns=(
            ("text", "A"),
            ("speaker_names", "B"),
            ("speaker_label", "B"),
            ("venue", "C"),
            ("via", "C"),
        ),
        highlight="text",
    )


class FigureQuerySet(SearchQuerySet):
    search_index = SearchIndex(
        table="statements_figure",
        columns=(("label", "A"), ("measure", "B"), ("according_to", "C")),
        highlight="label",
    )


class Statement(Dated):
    """Something a speaker said: a verbatim quote, a quoted fragment, or reported speech.

    One statement reported by several articles is one record with several citations; `text` is
    the wording of its first citation, the others' wording lives in their excerpts.
    `date` is when it was said.
    """

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote (verbatim)"
        FRAGMENT = "fragment", "Fragment (a short quoted phrase inside reported speech)"
        PARAPHRASE = "paraphrase", "Paraphrase (reported speech, not the speaker's words)"

    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="Stable public identifier: speaker, date and a few words.",
    )
    speaker = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,  # a statement must never lose who said it
        related_name="statements",
        help_text="Who said it, as resolved; anonymous sources are speakers of their own.",
    )
    speaker_label = models.CharField(
        max_length=200,
        help_text="The words the article uses for the speaker ('a senior European diplomat').",
    )
    kind = models.CharField(
        max_length=10, choices=Kind.choices, help_text="Quote, fragment or paraphrase."
    )
    text = models.TextField(
        help_text="For a quote or fragment, the speaker's words exactly as the article prints "
        "them; for a paraphrase, the article's reported-speech sentence or clause."
    )
    venue = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where or how it was said: 'Valdai discussion club', 'Telegram', "
        "'press conference in Kyiv'.",
    )
    via = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who relayed it: 'told Reuters', 'TASS', 'told journalists'.",
    )
    occasion = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,  # deleting an event must not silently unlink what was said
        null=True,
        blank=True,
        related_name="statements_made",
        help_text="The event it was said at, if any.",
    )
    about = models.ManyToManyField(
        Event, blank=True, related_name="statements_about", help_text="Events it refers to."
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="statements", help_text="What it is about."
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="statements", help_text="Places it mentions."
    )
    speaker_names = models.TextField(
        blank=True,
        editable=False,
        help_text="The speaker's name and every alias, copied here so that a search for any "
        "spelling finds what they said (kept up to date by statements.signals).",
    )

    objects = SlugManager.from_queryset(StatementQuerySet)()

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            models.Index(fields=["date_earliest"]),
            models.Index(fields=["date_latest"]),
            models.Index(fields=["kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.speaker_label}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("api:statement-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Figure(Dated):
    """A number an article asserts (territory held, a share, a deadline), cited like a statement.

    Figures are the article's own factual claims, kept apart from statements so that what
    different articles claimed at different dates can be compared on one `measure`. `date` is the
    date the figure holds for (usually the article's date).
    """

    class Unit(models.TextChoices):
        KM2 = "km2", "Square kilometres"
        PERCENT = "percent", "Percent"
        PEOPLE = "people", "People"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        YEARS = "years", "Years"
        USD = "usd", "US dollars"

    class Qualifier(models.TextChoices):
        EXACT = "exact", "Exactly"
        ABOUT = "about", "About"
        MORE_THAN = "more_than", "More than"
        AT_LEAST = "at_least", "At least"
        UP_TO = "up_to", "Up to"
        RANGE = "range", "Range (value to value_max)"

    slug = models.SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
    measure = models.SlugField(
        max_length=100,
        help_text="What is measured, shared by figures that can be compared "
        "('ukraine-territory-held-by-russia').",
    )
    label = models.CharField(max_length=200, help_text="What is measured, in words.")
    value = models.DecimalField(max_digits=14, decimal_places=2, help_text="The number claimed.")
    value_max = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Upper end, when the article gives a range (70-80%).",
    )
    unit = models.CharField(max_length=8, choices=Unit.choices, help_text="Unit of the value.")
    qualifier = models.CharField(
        max_length=9,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text="How the article hedges the number.",
    )
    according_to = models.CharField(
        max_length=200,
        blank=True,
        help_text="Whom the article credits for the number, if anyone "
        "('front-line open-source data').",
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,  # a figure about a place makes no sense without it
        null=True,
        blank=True,
        related_name="figures",
        help_text="The place the figure is about.",
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="figures", help_text="What it is about."
    )

    objects = SlugManager.from_queryset(FigureQuerySet)()

    class Meta:
        ordering = ["measure", "date_earliest", "slug", "id"]
        indexes = [
            models.Index(fields=["measure"]),
            models.Index(fields=["date_earliest"]),
            models.Index(fields=["date_latest"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_max__isnull=True) | Q(value_max__gte=models.F("value")),
                name="figure_range_is_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("api:figure-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class CitationManager(models.Manager):
    def get_by_natural_key(self, source, start, end, statement=None, event=None, figure=None):
        return self.get(
            source__slug=source,
            start=start,
            end=end,
            statement__slug=statement,
            event__slug=event,
            figure__slug=figure,
        )


class Citation(models.Model):
    """The evidence for one statement, event or figure: a verbatim excerpt of a source's text.

    `source.text[start:end] == excerpt` always holds; it is checked on save, in the admin, by
    `manage.py check_dataset` and in the tests.
    """

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
    excerpt = models.TextField(help_text="The exact characters of the source text cited.")
    start = models.PositiveIntegerField(
        help_text="Offset of the excerpt's first character in the source's reference text "
        "(Unicode code points, from 0)."
    )
    end = models.PositiveIntegerField(
        help_text="Offset just past the excerpt's last character: text[start:end] == excerpt."
    )

    objects = CitationManager()

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
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # "exactly one target" is a constraint, which full_clean() validates too
        super().clean()
        if self.source_id is not None and self.start is not None and self.end is not None:
            self.verify_excerpt()

    def natural_key(self) -> tuple:
        return (
            self.source.slug,
            self.start,
            self.end,
            self.statement.slug if self.statement_id else None,
            self.event.slug if self.event_id else None,
            self.figure.slug if self.figure_id else None,
        )

    natural_key.dependencies = ["events.source", "statements.statement", "statements.figure"]

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
