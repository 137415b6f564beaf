"""The base records: topics, places, people, sources and events."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse

from config.db.dates import parse_partial_date, validate_partial_date
from config.db.history import ParleyHistory
from config.db.ordering import OrderIndex, date_order
from config.db.search import SearchIndex, SearchQuerySet
from config.db.slugs import SlugField
from events.models.base import (
    ARTICLE_TEXT,
    SHORT_TEXT,
    Dated,
    SlugManager,
    Timestamped,
    bounded_text,
    validate_aliases,
    validate_country_code,
    validate_furniture,
)


class SourceQuerySet(SearchQuerySet):
    full_index = SearchIndex(
        table="events_source",
        columns=(("title", "A"), ("publisher", "B"), ("author", "B"), ("text", "C")),
        highlight="text",
        whole=False,  # an article is long: its highlight is a snippet around the matches
    )

    @property
    def search_index(self) -> SearchIndex:
        # a deployment that withholds the texts (PARLEY_EXCERPTS_ONLY) must not let a search
        # probe them either, nor show a snippet of one: only what it serves is searched
        if settings.EXCERPTS_ONLY:
            return self.full_index.only("title", "publisher", "author", highlight="title")
        return self.full_index


class EventQuerySet(SearchQuerySet):
    search_index = SearchIndex(
        table="events_event", columns=(("title", "A"), ("summary", "B")), highlight="summary"
    )


class Topic(Timestamped):
    """A subject of the negotiations (NATO membership, territory, security guarantees, ...)."""

    slug = SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=120, help_text="Display name.")
    description = bounded_text(SHORT_TEXT, blank=True, help_text="What the topic covers.")

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:topic-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Place(Timestamped):
    """A country, region, city, site or sea the articles name."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        CITY = "city", "City"
        SITE = "site", "Site"
        SEA = "sea", "Sea"
        AREA = "area", "Area (several regions)"

    slug = SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=120, help_text="Display name in English.")
    kind = models.CharField(max_length=10, choices=Kind.choices, help_text="What sort of place.")
    country_code = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text="ISO 3166-1 alpha-2 code of the country it lies in (blank for seas, areas).",
    )
    latitude = models.DecimalField(
        max_digits=8, decimal_places=5, null=True, blank=True, help_text="WGS84 latitude."
    )
    longitude = models.DecimalField(
        max_digits=8, decimal_places=5, null=True, blank=True, help_text="WGS84 longitude."
    )

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["country_code"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:place-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Person(Timestamped):
    """Someone who speaks or takes part: a named person, an organisation, or an anonymous source.

    Anonymous and collective speakers ("five people familiar with Kremlin thinking") are Persons of
    kind `anonymous`, never attached to a named person.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Named person"
        ORGANISATION = "organisation", "Organisation or institution"
        ANONYMOUS = "anonymous", "Anonymous source(s)"

    slug = SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
    name = models.CharField(
        max_length=200,
        help_text="Canonical name; for anonymous sources, a description in the articles' words.",
    )
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.PERSON, help_text="Sort of speaker."
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_aliases],
        help_text="Every other spelling of the name seen in the sources (e.g. Zelensky).",
    )
    description = models.CharField(
        max_length=300, blank=True, help_text="Role or title as the articles give it."
    )
    affiliation = models.CharField(
        max_length=120, blank=True, help_text="Country or organisation the person speaks for."
    )
    country_code = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text="ISO 3166-1 alpha-2 code of the country of affiliation.",
    )
    wikidata_id = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9]\d*$", "A Wikidata id looks like Q7747.")],
        help_text="Wikidata QID, only where verified.",
    )

    objects = SlugManager()
    history = ParleyHistory()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["country_code"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:person-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if isinstance(self.aliases, list):
            self.aliases = list(dict.fromkeys(self.aliases))  # a spelling given twice is one
        super().clean()


class Source(Dated):
    """A news article: its metadata and its reference text, which citation offsets point into.

    The reference text is the seed file less its page furniture (the exact lines listed in
    `furniture`); `events.reference_text` derives it and the dataset check verifies it.
    `date` is the publication date.
    """

    slug = SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
    title = models.CharField(max_length=300, help_text="Headline as it stands in the article.")
    publisher = models.CharField(
        max_length=120, blank=True, help_text="Publication, where the text states or implies it."
    )
    author = models.CharField(max_length=200, blank=True, help_text="Byline, where given.")
    url = models.URLField(max_length=500, blank=True, help_text="Original address, if known.")
    language = models.CharField(
        max_length=8, default="en", help_text="BCP 47 language code of the text."
    )
    seed_file = models.CharField(
        max_length=120,
        unique=True,
        null=True,  # an ingested article has no seed file; several may lack one
        blank=True,
        help_text="File name under seeds/ the text comes from; null for an article ingested "
        "from its own file (manage.py ingest_article, POST /api/v1/ingest/).",
    )
    furniture = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_furniture],
        help_text="Exact lines of the seed file that are page furniture, not the article, and "
        "are left out of the reference text.",
    )
    text = bounded_text(
        ARTICLE_TEXT, help_text="Reference text: the offsets of citations point into it."
    )
    text_sha256 = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the UTF-8 reference text."
    )

    objects = SlugManager.from_queryset(SourceQuerySet)()
    history = ParleyHistory()

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            models.Index(fields=["date_earliest"]),
            models.Index(fields=["date_latest"]),
            models.Index(fields=["publisher"]),
            # ingest finds the source that already holds a text, or an address
            models.Index(fields=["text_sha256"]),
            models.Index(fields=["url"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("api:source-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def compute_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


class Event(Dated):
    """Something that happened, is planned or was proposed: a call, talks, a strike, a deal.

    `date` is when it started (or is due); `end_date` when it ended, for events over several days.
    `date_earliest`..`date_latest` spans both.
    """

    class Kind(models.TextChoices):
        CALL = "call", "Phone call"
        MEETING = "meeting", "Meeting"
        SUMMIT = "summit", "Summit"
        TALKS = "talks", "Negotiations / talks"
        CONFERENCE = "conference", "Conference"
        STRIKE = "strike", "Strike or military operation"
        AUTHORISATION = "authorisation", "Authorisation"
        ANNEXATION = "annexation", "Annexation"
        PROPOSAL = "proposal", "Proposal"
        AGREEMENT = "agreement", "Agreement or ceasefire"
        ANNOUNCEMENT = "announcement", "Announcement or decision"
        LEAK = "leak", "Leak or report"
        ELECTION = "election", "Election"
        TAKING_OFFICE = "taking_office", "Taking office"
        INVASION = "invasion", "Invasion"
        MILITARY_ADVANCE = "military_advance", "Military advance or capture of ground"
        AID_SUSPENSION = "aid_suspension", "Suspension of aid or supplies"
        ACCUSATION = "accusation", "Accusation"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OCCURRED = "occurred", "Occurred"
        PLANNED = "planned", "Planned or expected"
        PROPOSED = "proposed", "Proposed"
        CANCELLED = "cancelled", "Cancelled"

    slug = SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
    title = models.CharField(max_length=200, help_text="Short title.")
    summary = bounded_text(SHORT_TEXT, blank=True, help_text="What happened, in a sentence or two.")
    kind = models.CharField(max_length=16, choices=Kind.choices, help_text="Type of event.")
    status = models.CharField(
        max_length=9,
        choices=Status.choices,
        default=Status.OCCURRED,
        help_text="Whether it occurred, is planned or expected, was proposed, or was cancelled.",
    )
    end_date = models.CharField(
        max_length=10,
        blank=True,
        validators=[validate_partial_date],
        help_text="Partial ISO date the event ended, for events over several days; blank if it "
        "is a single date.",
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="events", help_text="Where it took place."
    )
    participants = models.ManyToManyField(
        Person, blank=True, related_name="events", help_text="Who took part."
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="events", help_text="What it was about."
    )

    objects = SlugManager.from_queryset(EventQuerySet)()
    history = ParleyHistory(m2m_fields=["places", "participants", "topics"])

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            # the list's order (config.db.ordering) with its unique tiebreakers, then the
            # interval's end; and the end's index: a date range counted from an index alone
            # (statements.models.Statement)
            OrderIndex(date_order(), F("slug"), F("id"), F("date_latest"), name="event_date_order"),
            models.Index(fields=["date_latest", "date_earliest"], name="event_date_end"),
            models.Index(fields=["kind"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_earliest__isnull=True)
                | models.Q(date_earliest__lte=models.F("date_latest")),
                name="event_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("api:event-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if self.date and self.end_date:
            try:
                start = parse_partial_date(self.date)[0]
                end = parse_partial_date(self.end_date)[1]
            except ValueError:
                return  # the field validators report the malformed date
            if end < start:
                raise ValidationError({"end_date": "The end date is before the start date."})
        super().clean()

    def prefix_interval(self) -> tuple:
        earliest, latest = super().prefix_interval()
        if self.end_date:
            latest = parse_partial_date(self.end_date)[1]
        return earliest, latest
