"""The base of the dataset: sources, people, topics, places and events.

`statements` builds on these (Statement, Figure, Citation); nothing here imports from it.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from config.db.dates import parse_partial_date, validate_partial_date
from config.db.history import ParleyHistory
from config.db.ordering import OrderIndex, date_order
from config.db.router import read_connection
from config.db.search import SearchIndex, SearchQuerySet
from config.db.slugs import SlugField

validate_country_code = RegexValidator(r"^[A-Z]{2}$", "Use an ISO 3166-1 alpha-2 code, e.g. UA.")

# the longest text of each kind a record may hold (README, "Limits"): far above the dataset's
# longest (a 9,000-character article, a 375-character excerpt), far below what would burden
# a page, a search index or a CSV cell
SHORT_TEXT = 2_000  # a description, a summary
QUOTED_TEXT = 5_000  # what was said, an excerpt, a wording
ARTICLE_TEXT = 500_000  # an article's reference text
MAX_LIST_ITEMS = 100  # aliases of a person, furniture lines of a source


def bounded_text(limit: int, **kwargs) -> models.TextField:
    """A TextField of at most `limit` characters, refused past it by the model's validation
    (the admin's forms and the API's writes run it) with a message naming the field."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


@deconstructible
class StringListValidator:
    """A JSON list of at most MAX_LIST_ITEMS strings of at most `item_length` characters."""

    def __init__(self, item_length: int):
        self.item_length = item_length

    def __call__(self, value) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError("Give a list of strings.")
        if len(value) > MAX_LIST_ITEMS:
            raise ValidationError(f"At most {MAX_LIST_ITEMS} items; {len(value)} were given.")
        longest = max(value, key=len, default="")
        if len(longest) > self.item_length:
            raise ValidationError(
                f"Each item has at most {self.item_length} characters; one has {len(longest)}."
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, StringListValidator) and other.item_length == self.item_length


validate_aliases = StringListValidator(200)
validate_furniture = StringListValidator(1_000)


class SlugManager(models.Manager):
    """Finds records by their public slug, the natural key fixtures refer to them by."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


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


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class DateBasis(models.TextChoices):
    STATED = "stated", "Stated in the article"
    RESOLVED = "resolved", "Resolved from a relative phrase against the article's date"
    INFERRED = "inferred", "Inferred from context"
    BEFORE_REPORT = (
        "before_report",
        "Before the report, no telling how long before (the start open, or bounded by what it "
        "refers to)",
    )


class Timestamped(models.Model):
    """A record that says when it was created and last changed (see events.signals)."""

    created_at = models.DateTimeField(
        default=timezone.now, editable=False, help_text="When the record was created."
    )
    updated_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        db_index=True,
        help_text="When the record or one of its relations last changed.",
    )

    class Meta:
        abstract = True


class Dated(Timestamped):
    """A record with a partial date, its precision, the interval it covers and how it was found.

    `date` is the human form. By default the interval `date_earliest`..`date_latest` is the one
    the prefix spans (and, for events, runs to the end of `end_date`), derived by
    `fill_date_bounds` before every save, fixture loads included (see events.signals). Where the
    text supports a narrower or differently shaped interval ("last week" across two months,
    "before 20 November", "after the invasion of 2022, before the report"),
    `date_interval_explicit` keeps the interval as given, and `check_date_interval` says whether
    it still agrees with the prefix.
    """

    date = models.CharField(
        max_length=10,
        validators=[validate_partial_date],
        help_text="Partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD; its length is its precision. "
        "With basis before_report it is the period the latest day falls in.",
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        editable=False,
        help_text="How precise `date` is: day, month or year.",
    )
    date_earliest = models.DateField(
        null=True,
        blank=True,
        help_text="First day of the interval the date covers; null when the start is open "
        "(said or done before the report, no telling when). With basis before_report it may lie "
        "before the period of `date`: the date of what the record refers to bounds the start.",
    )
    date_latest = models.DateField(
        blank=True,  # derived from `date` unless the interval is explicit
        help_text="Last day of the interval the date covers.",
    )
    date_interval_explicit = models.BooleanField(
        default=False,
        help_text="True when date_earliest and date_latest are the interval the text supports, "
        "set by hand; false when they are derived from `date` (and `end_date`).",
    )
    date_basis = models.CharField(
        max_length=13,
        choices=DateBasis.choices,
        default=DateBasis.STATED,
        help_text="Whether the article states the date, it was resolved from a relative phrase "
        "('on Tuesday') against the article's date, inferred from context, or is only known to "
        "lie before the report (before_report: the start is open, or bounded by the date of what "
        "the record refers to).",
    )
    date_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="How the date was determined, where that is not obvious.",
    )

    class Meta(Timestamped.Meta):
        abstract = True

    def clean(self) -> None:
        super().clean()
        try:
            self.fill_date_bounds()  # derives the interval unless it is explicit
        except ValueError:
            return  # the field validator reports the malformed date
        problem = self.check_date_interval()
        if problem:
            raise ValidationError({"date_earliest": problem})

    def prefix_interval(self) -> tuple:
        """The interval the human form spans: `date`, and for events through `end_date`."""
        earliest, latest, _precision = parse_partial_date(self.date)
        return earliest, latest

    def fill_date_bounds(self) -> None:
        earliest, latest, precision = parse_partial_date(self.date)
        self.date_precision = precision
        if not self.date_interval_explicit:
            self.date_earliest, self.date_latest = self.prefix_interval()

    def check_date_interval(self) -> str:
        """Why the stored interval disagrees with `date` and its basis, or "" if it agrees.

        A derived interval is the prefix's. An explicit one lies inside the prefix's, except with
        basis before_report ("said before the report, no telling how long before"): then only
        the last day lies inside the prefix's interval, and the start is open (null) or bounded
        by the date of what the record refers to, which may lie before the prefix (the invasion
        of 2022 for words about it, reported in 2024-11). Only before_report allows either.
        """
        low, high = self.prefix_interval()
        earliest, latest = self.date_earliest, self.date_latest
        if latest is None:
            return "the interval has no last day"
        if not self.date_interval_explicit:
            if (earliest, latest) != (low, high):
                return f"the interval is not the one {self.date!r} spans (stale)"
            return ""
        if self.date_basis == DateBasis.BEFORE_REPORT:
            if not low <= latest <= high:
                return f"the last day {latest} is outside {self.date!r}"
            if earliest is not None and earliest > latest:
                return f"the interval {earliest}..{latest} ends before it starts"
            return ""
        if earliest is None:
            return "an open start (no earliest day) needs the basis before_report"
        if not low <= earliest <= latest <= high:
            return f"the interval {earliest}..{latest} does not lie inside {self.date!r}"
        return ""


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


class ReleaseBaseline(models.Model):
    """A record as the last dataset release loaded it: the common ancestor of a release merge.

    `load_dataset` compares three versions of each record: this one, the database's and the new
    release's. A field only the release changed is updated; a field only an editor changed is
    kept; a field both changed differently is a conflict. See statements.release.
    """

    model = models.CharField(max_length=60, help_text="App label and model, e.g. events.event.")
    key = models.CharField(max_length=120, help_text="The record's natural key (its slug).")
    fields = models.JSONField(help_text="The record's fields as the release gave them.")
    loaded_at = models.DateTimeField(default=timezone.now, help_text="When the release was loaded.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="release_baseline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"


class LoadedRelease(models.Model):
    """The release last merged into the database, by its digest (one row).

    `load_dataset --if-empty`, which every start of `make run` and `make serve` runs, tells
    whether fixtures/ holds a release not loaded yet by comparing its digest with this one: one
    query, whatever the size of the dataset.
    """

    digest = models.CharField(
        max_length=64,
        help_text="SHA-256 over the release's file names and bytes (statements.release).",
    )
    loaded_at = models.DateTimeField(default=timezone.now, help_text="When it was loaded.")

    class Meta:
        verbose_name = "loaded release"

    def __str__(self) -> str:
        return f"release {self.digest[:12]} of {self.loaded_at:%Y-%m-%d %H:%M:%S}"


class DatasetVersion(models.Model):
    """One row whose `version` grows by one on every write to the dataset, from any process.

    Every save, delete and many-to-many change of a dataset record (a model whose history is
    kept) bumps it in the same transaction (events.signals), raw fixture loads included. The
    API derives its `ETag` and `Last-Modified` from it, and answers a conditional GET from it
    alone.
    """

    ROW = 1

    version = models.BigIntegerField(default=0, help_text="Grows by one on every write.")
    changed_at = models.DateTimeField(help_text="When the last write happened.")

    class Meta:
        verbose_name = "dataset version"

    def __str__(self) -> str:
        return f"version {self.version} of {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def current(cls) -> tuple[int, datetime.datetime | None]:
        """The version and the time of the last write, (0, None) before the first: read on every
        API request, so by one plain query rather than the ORM's (0.1 ms against 0.6). Read
        where the request's records are read (a replica's version names the replica's data)."""
        with read_connection().cursor() as cursor:
            cursor.execute(
                f"SELECT version, changed_at FROM {cls._meta.db_table} WHERE id = %s", [cls.ROW]
            )
            row = cursor.fetchone()
        if row is None:
            return 0, None
        version, changed_at = row
        if isinstance(changed_at, str):  # SQLite, without its column's converter
            changed_at = datetime.datetime.fromisoformat(changed_at)
        if changed_at.tzinfo is None:  # SQLite stores UTC without an offset
            changed_at = changed_at.replace(tzinfo=datetime.UTC)
        return version, changed_at


class EditorProfile(models.Model):
    """The name under which an editor's changes are shown to the public.

    The public history and the change feed never show an editor's login (half of what a
    password guesser needs): they show `display_name`, which the editor chooses in the admin,
    or "editor <number>" while it is blank.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,  # the profile is part of the account
        related_name="editor_profile",
        help_text="The editor's account.",
    )
    display_name = models.CharField(
        max_length=60,
        blank=True,
        help_text='The name the public history shows for this editor; blank shows "editor '
        '<number>". Never a login username.',
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["display_name"],
                condition=~models.Q(display_name=""),
                name="editor_display_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or f"editor {self.user_id}"

    def clean(self) -> None:
        name = self.display_name.strip()
        if name and get_user_model().objects.filter(username__iexact=name).exists():
            raise ValidationError(
                {"display_name": "That is a login username: choose a name nobody logs in with."}
            )
        taken = EditorProfile.objects.filter(display_name=name).exclude(user_id=self.user_id)
        if name and taken.exists():
            raise ValidationError({"display_name": "Another editor goes by that name."})
        self.display_name = name
