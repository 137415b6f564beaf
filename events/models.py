"""The base of the dataset: sources, people, topics, places and events.

`statements` builds on these (Statement, Figure, Citation); nothing here imports from it.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from events.dates import parse_partial_date, validate_partial_date

validate_country_code = RegexValidator(r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 code, e.g. UA.")


class SlugManager(models.Manager):
    """Finds records by their public slug, the natural key fixtures refer to them by."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class DateBasis(models.TextChoices):
    STATED = "stated", "Stated in the article"
    RESOLVED = "resolved", "Resolved from a relative phrase against the article's date"
    INFERRED = "inferred", "Inferred from context"


class Dated(models.Model):
    """A record with a partial date, its precision, the interval it covers and how it was found.

    `date_precision`, `date_earliest` and `date_latest` are derived from `date` (and, for events,
    `end_date`) by `fill_date_bounds`, which runs before every save, fixtures loads included
    (see events.signals).
    """

    date = models.CharField(
        max_length=10,
        validators=[validate_partial_date],
        help_text="Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD; its length is its precision.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        editable=False,
        help_text="How precise `date` is: day, month or year.",
    )
    date_earliest = models.DateField(
        editable=False, help_text="First day of the interval the date covers."
    )
    date_latest = models.DateField(
        editable=False, help_text="Last day of the interval the date covers."
    )
    date_basis = models.CharField(
        max_length=8,
        choices=DateBasis.choices,
        default=DateBasis.STATED,
        help_text="Whether the article states the date, it was resolved from a relative phrase "
        "('on Tuesday') against the article's date, or inferred from context.",
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the date was determined, where that is not obvious.",
    )

    class Meta:
        abstract = True

    def fill_date_bounds(self) -> None:
        earliest, latest, precision = parse_partial_date(self.date)
        self.date_earliest, self.date_latest, self.date_precision = earliest, latest, precision


class Topic(models.Model):
    """A subject of the negotiations (NATO membership, territory, security guarantees, ...)."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=120, help_text="Display name.")
    description = models.TextField(blank=True, help_text="What the topic covers.")

    objects = SlugManager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:topic-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Place(models.Model):
    """A country, region, city, site or sea the articles name."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        CITY = "city", "City"
        SITE = "site", "Site"
        SEA = "sea", "Sea"
        AREA = "area", "Area (several regions)"

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
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

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind"]), models.Index(fields=["country_code"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:place-detail", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Person(models.Model):
    """Someone who speaks or takes part: a named person, an organisation, or an anonymous source.

    Anonymous and collective speakers ("five people familiar with Kremlin thinking") are Persons of
    kind `anonymous`, never attached to a named person.
    """

    class Kind(models.TextChoices):
        PERSON = "person", "Named person"
        ORGANISATION = "organisation", "Organisation or institution"
        ANONYMOUS = "anonymous", "Anonymous source(s)"

    slug = models.SlugField(max_length=80, unique=True, help_text="Stable public identifier.")
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


class Source(Dated):
    """A news article: its metadata and its reference text, which citation offsets point into.

    The reference text is the seed file less its page furniture (the exact lines listed in
    `furniture`); `events.reference_text` derives it and the dataset check verifies it.
    `date` is the publication date.
    """

    slug = models.SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
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
        max_length=120, unique=True, help_text="File name under seeds/ the text comes from."
    )
    furniture = models.JSONField(
        default=list,
        blank=True,
        help_text="Exact lines of the seed file that are page furniture, not the article, and "
        "are left out of the reference text.",
    )
    text = models.TextField(help_text="Reference text: the offsets of citations point into it.")
    text_sha256 = models.CharField(
        max_length=64, editable=False, help_text="SHA-256 of the UTF-8 reference text."
    )

    objects = SlugManager()

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            models.Index(fields=["date_earliest"]),
            models.Index(fields=["date_latest"]),
            models.Index(fields=["publisher"]),
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
        ELECTION = "election", "Election or change of office"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OCCURRED = "occurred", "Occurred"
        PLANNED = "planned", "Planned or expected"
        PROPOSED = "proposed", "Proposed"
        CANCELLED = "cancelled", "Cancelled"

    slug = models.SlugField(max_length=100, unique=True, help_text="Stable public identifier.")
    title = models.CharField(max_length=200, help_text="Short title.")
    summary = models.TextField(blank=True, help_text="What happened, in a sentence or two.")
    kind = models.CharField(max_length=13, choices=Kind.choices, help_text="Type of event.")
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

    objects = SlugManager()

    class Meta:
        ordering = ["date_earliest", "slug", "id"]
        indexes = [
            models.Index(fields=["date_earliest"]),
            models.Index(fields=["date_latest"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_earliest__lte=models.F("date_latest")),
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
        super().clean()
        if self.date and self.end_date:
            try:
                self.fill_date_bounds()
            except ValueError:
                return  # the field validators report the malformed date
            if self.date_latest < self.date_earliest:
                raise ValidationError({"end_date": "The end date is before the start date."})

    def fill_date_bounds(self) -> None:
        super().fill_date_bounds()
        if self.end_date:
            self.date_latest = parse_partial_date(self.end_date)[1]


class DatasetVersion(models.Model):
    """One row whose `version` grows by one on every write to the dataset, from any process.

    Every save, delete and many-to-many change of a model of `events` or `statements` bumps it
    in the same transaction (events.signals), raw fixture loads included. The API derives its
    `ETag` and `Last-Modified` from it, and answers a conditional GET from it alone.
    """

    ROW = 1

    version = models.BigIntegerField(default=0, help_text="Grows by one on every write.")
    changed_at = models.DateTimeField(help_text="When the last write happened.")

    class Meta:
        verbose_name = "dataset version"

    def __str__(self) -> str:
        return f"version {self.version} of {self.changed_at:%Y-%m-%d %H:%M:%S}"
