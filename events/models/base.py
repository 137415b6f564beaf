"""What every record is built from: text limits and validators, the slug manager, timestamps
and partial dates."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from config.db.dates import parse_partial_date, validate_partial_date

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


# the path migrations name it by (events 0010), where the package re-exports it
@deconstructible(path="events.models.StringListValidator")
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
