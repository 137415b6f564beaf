"""What was said and claimed, and the evidence for it: statements, figures and citations."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from config.db.history import ParleyHistory
from config.db.ordering import OrderIndex, date_order
from config.db.search import SearchIndex, SearchQuerySet
from config.db.slugs import SlugField, joined_slug
from events.models import (
    QUOTED_TEXT,
    Dated,
    Event,
    Person,
    Place,
    SlugManager,
    Source,
    Timestamped,
    Topic,
    bounded_text,
)


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


class Wording(Timestamped):
    """One article's words for a quote or fragment, printed verbatim.

    Two articles may translate or transcribe the same remark differently ("If there is no
    neutrality…" and "Without neutrality…"): both stay, each with its source, one of them
    canonical, and the statement's `text` is the canonical one. `check_dataset` verifies that each
    wording stands inside an excerpt that its source gives for the statement.
    """

    slug = SlugField(
        unique=True,
        blank=True,
        help_text="Stable public identifier, given on creation: the statement's slug and the "
        "source's.",
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,  # a wording is part of its statement
        related_name="wordings",
        help_text="The quote or fragment worded.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,  # evidence must not vanish with its article
        related_name="wordings",
        help_text="The article that prints these words.",
    )
    text = bounded_text(
        QUOTED_TEXT,
        help_text="The words between the quotation marks, character for character as the "
        "article prints them.",
    )
    canonical = models.BooleanField(
        default=False,
        help_text="True for the one wording the statement's `text` repeats (exactly one per "
        "statement).",
    )

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["statement_id", "-canonical", "source_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "source"], name="wording_unique_per_source"
            ),
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(canonical=True),
                name="wording_one_canonical_per_statement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.slug}: {self.text[:80]}"

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = wording_slug(self.statement.slug, self.source.slug)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("api:wording-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Position(Timestamped):
    """A stance a statement takes on one issue of the negotiations, with the words that show it.

    Who proposed, accepted, rejected or set conditions on what: coded per statement and issue
    only where the text supports it. The stance is the holder's: the speaker's own, or, when the
    speaker reports someone else's position (sources on the Kremlin's thinking), that party's.
    """

    class Issue(models.TextChoices):
        CEASEFIRE = "ceasefire", "A general ceasefire or truce (short-term or comprehensive)"
        CEASEFIRE_CURRENT_LINES = (
            "ceasefire_current_lines",
            "A ceasefire freezing the current lines",
        )
        ENERGY_STRIKE_MORATORIUM = "energy_strike_moratorium", "A moratorium on energy strikes"
        BLACK_SEA_CEASEFIRE = "black_sea_ceasefire", "A maritime ceasefire in the Black Sea"
        TERRITORY = "territory", "Territory: who keeps, cedes or swaps which land"
        NATO_MEMBERSHIP = "nato_membership", "Ukraine's NATO membership"
        NEUTRALITY = "neutrality", "Ukraine's neutrality"
        SECURITY_GUARANTEES = "security_guarantees", "Security guarantees for Ukraine"
        MILITARY_LIMITS = "military_limits", "Limits on Ukraine's army, arms or mobilisation"
        TALKS = "talks", "Opening talks or direct contacts between the leaders"
        NEGOTIATION_FORMAT = "negotiation_format", "Who takes part in the negotiations"
        NUCLEAR_WEAPONS = "nuclear_weapons", "Nuclear weapons for Ukraine"
        ELECTIONS = "elections", "Elections in Ukraine"
        MINERALS = "minerals", "Access to Ukraine's minerals"
        SANCTIONS_RELIEF = "sanctions_relief", "Sanctions relief for Russia"

    class Stance(models.TextChoices):
        PROPOSES = "proposes", "Proposes"
        ACCEPTS = "accepts", "Accepts or is willing"
        REJECTS = "rejects", "Rejects"
        CONDITIONS = "conditions", "Sets conditions"
        NEUTRAL = "neutral", "Neutral (raises it without taking a side)"

    slug = SlugField(
        unique=True,
        blank=True,
        help_text="Stable public identifier, given on creation: the statement's slug and the "
        "issue.",
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,  # a stance is coded from its statement
        related_name="positions",
        help_text="The statement the stance is coded from.",
    )
    issue = models.CharField(
        max_length=24, choices=Issue.choices, help_text="The issue the stance is on."
    )
    stance = models.CharField(
        max_length=10,
        choices=Stance.choices,
        help_text="proposes, accepts, rejects, conditions or neutral.",
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,  # a stance must never lose whose it is
        null=True,
        blank=True,
        related_name="positions_held",
        help_text="Whose position it is, when not the speaker's own (the Kremlin, as Reuters' "
        "sources describe its thinking); null means the speaker's.",
    )
    excerpt = bounded_text(
        QUOTED_TEXT,
        help_text="The words that support the coding, verbatim from one of the statement's "
        "citation excerpts.",
    )

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["statement_id", "issue", "id"]
        indexes = [models.Index(fields=["issue", "stance"])]
        constraints = [
            models.UniqueConstraint(fields=["statement", "issue"], name="position_unique_per_issue")
        ]

    def __str__(self) -> str:
        return f"{self.statement.slug}: {self.stance} {self.issue}"

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = position_slug(self.statement.slug, self.issue)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("api:position-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


def citation_slug(source: str, start: int, end: int, target_type: str, target: str) -> str:
    """The public identifier a citation is given once, when it is created: a short digest of
    what it cites, so that every database loading the same release gives it the same one."""
    digest = hashlib.sha256(f"{source}|{start}|{end}|{target_type}|{target}".encode()).hexdigest()
    return f"cit-{digest[:12]}"


def wording_slug(statement: str, source: str) -> str:
    """A wording's public identifier, given on creation: its statement's slug and its source's
    (shortened with a digest past the 100 characters an address takes: `joined_slug`)."""
    return joined_slug(statement, source)


def position_slug(statement: str, issue: str) -> str:
    """A position's public identifier, given on creation: its statement's slug and the issue
    (shortened with a digest past the 100 characters an address takes: `joined_slug`)."""
    return joined_slug(statement, issue.replace("_", "-"))


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


# a model of this app, kept beside the ingest code that fills it
from statements.ingest.models import Candidate  # noqa: E402, F401
