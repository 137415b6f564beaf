"""What was said and claimed: statements and figures."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from config.db.history import ParleyHistory
from config.db.ordering import OrderIndex, date_order
from config.db.search import SearchIndex, SearchQuerySet
from config.db.slugs import SlugField
from events.models import QUOTED_TEXT, Dated, Event, Person, Place, SlugManager, Topic, bounded_text


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
        keeps_top=True,  # statements 0009: a common word's ranking is kept
    )


class FigureQuerySet(SearchQuerySet):
    search_index = SearchIndex(
        table="statements_figure",
        columns=(("label", "A"), ("measure", "B"), ("according_to", "C")),
        highlight="label",
    )


class Statement(Dated):
    """Something a speaker said: a verbatim quote, a quoted fragment, or reported speech.

    One statement reported by several articles is one record with several citations. A quote or
    fragment keeps each article's words as a Wording, one of them canonical, and `text` is the
    canonical wording. `date` is when it was said.
    """

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote (verbatim)"
        FRAGMENT = "fragment", "Fragment (a short quoted phrase inside reported speech)"
        PARAPHRASE = "paraphrase", "Paraphrase (reported speech, not the speaker's words)"

    slug = SlugField(
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
    text = bounded_text(
        QUOTED_TEXT,
        help_text="For a quote or fragment, the speaker's words exactly as the article prints "
        "them; for a paraphrase, the article's reported-speech sentence or clause.",
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
    # speaker_names is a copy of the speaker's names for search, not part of the record
    history = ParleyHistory(
        m2m_fields=["about", "topics", "places"], excluded_fields=["speaker_names"]
    )

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            # the list's orders (config.db.ordering), each ending in a unique tiebreaker, so that a
            # page is read off the index instead of sorting every matching row; the date order
            # holds the interval's end too, so that a date range is counted from the index alone
            OrderIndex(
                date_order(), F("slug"), F("id"), F("date_latest"), name="statement_date_order"
            ),
            OrderIndex(date_order(descending=True), F("id"), name="statement_date_desc_order"),
            OrderIndex(
                F("speaker"), date_order(), F("slug"), F("id"), name="statement_speaker_order"
            ),
            # a date range's count read from an index alone: `within` (the default) bounds the
            # start (the date order above), `overlaps` the end (config.api.filters.date_bound)
            models.Index(fields=["date_latest", "date_earliest"], name="statement_date_end"),
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
        KM = "km", "Kilometres"
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
        VAGUE = "vague", "Vague ('dozens', 'hundreds', 'millions'): no number, see `words`"

    slug = SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
    measure = SlugField(
        max_length=100,
        help_text="What is measured, shared by figures that can be compared "
        "('ukraine-territory-held-by-russia').",
    )
    label = models.CharField(max_length=200, help_text="What is measured, in words.")
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The number claimed; null for a vague quantity (qualifier vague), which has no "
        "number to give.",
    )
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
        help_text="How the article hedges the number; vague when it gives none.",
    )
    words = models.CharField(
        max_length=120,
        blank=True,
        help_text="The article's own words for the quantity, kept for vague ones "
        "('hundreds of kilometres', 'dozens of drones').",
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
    history = ParleyHistory(m2m_fields=["topics"])

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
            models.CheckConstraint(
                condition=(Q(qualifier="vague") & Q(value__isnull=True) & Q(value_max__isnull=True))
                | (~Q(qualifier="vague") & Q(value__isnull=False)),
                name="figure_vague_has_no_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value if self.value is not None else self.words} {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("api:figure-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
