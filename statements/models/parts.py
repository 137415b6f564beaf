"""The parts of a statement: each article's wording of it, and the stances it takes on the
issues."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.db.history import ParleyHistory
from config.db.slugs import SlugField, joined_slug
from events.models import QUOTED_TEXT, Person, SlugManager, Source, Timestamped, bounded_text
from statements.models.claims import Statement


def wording_slug(statement: str, source: str) -> str:
    """A wording's public identifier, given on creation: its statement's slug and its source's
    (shortened with a digest past the 100 characters an address takes: `joined_slug`)."""
    return joined_slug(statement, source)


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


def position_slug(statement: str, issue: str) -> str:
    """A position's public identifier, given on creation: its statement's slug and the issue
    (shortened with a digest past the 100 characters an address takes: `joined_slug`)."""
    return joined_slug(statement, issue.replace("_", "-"))


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
