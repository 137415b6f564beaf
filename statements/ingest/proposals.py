"""What extraction proposes, as plain data: no database, no Django models.

Extraction reads an article's reference text and what the dataset already knows (`Known`) and
returns `Proposal`s. Storing them as candidates, reviewing and accepting them is the ingest
service's work; every offset here points into the very text extraction was given.
"""

import datetime
from dataclasses import dataclass, field

KINDS = ("quote", "fragment", "claim", "event", "figure")
SPEAKER_KINDS = ("person", "organisation", "anonymous")  # events.models.Person.Kind's values


@dataclass(frozen=True)
class Speaker:
    """Who a proposal is attributed to: an existing person, or a new one in the article's words.

    An anonymous source ("a senior European diplomat") is a speaker of kind anonymous with no
    slug unless the dataset already holds that same anonymous source; it is never a named person.
    """

    name: str  # the person's name when matched; else the article's words for the speaker
    kind: str  # one of SPEAKER_KINDS
    slug: str | None = None  # an existing Person's slug, or None for a new one
    label: str = ""  # the article's own words for the speaker ("the Kremlin spokesman")


@dataclass(frozen=True)
class Match:
    """A record the dataset already holds that a proposal reports again."""

    type: str  # "statement", "event" or "figure"
    slug: str
    score: float  # 0..1, how alike
    reason: str  # one line an editor can read


@dataclass(frozen=True)
class KnownPerson:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    description: str = ""  # role as the articles give it ("Kremlin spokesman")
    affiliation: str = ""


@dataclass(frozen=True)
class KnownRecord:
    """A statement, event or figure already in the dataset, as matching needs it."""

    type: str  # "statement", "event" or "figure"
    slug: str
    text: str  # a statement's text (and wordings), an event's title and summary, a figure's label
    speaker: str | None = None  # a statement's speaker slug
    date_earliest: datetime.date | None = None
    date_latest: datetime.date | None = None
    kind: str = ""  # an event's kind (events.models.Event.Kind's values)
    status: str = ""  # an event's status: occurred, planned, proposed or cancelled


@dataclass(frozen=True)
class KnownName:
    """A topic or place: its slug, name and the other words that name it."""

    slug: str
    name: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Known:
    """What the dataset holds that extraction matches against."""

    people: tuple[KnownPerson, ...] = ()
    topics: tuple[KnownName, ...] = ()
    places: tuple[KnownName, ...] = ()
    records: tuple[KnownRecord, ...] = ()


@dataclass
class Proposal:
    """One candidate record: a quote, fragment, claim, event or figure, with its evidence.

    `excerpt == text[start:end]` for the text extraction read. For a quote or fragment, `quote`
    is the words between the marks, joined with one space across an attribution that splits
    them ("We want peace," he said, "but not at any price." gives "We want peace, but not at
    any price."), and `quote_spans` their offsets, one per quoted run.
    """

    kind: str  # one of KINDS
    start: int
    end: int
    excerpt: str
    quote: str = ""
    quote_spans: tuple[tuple[int, int], ...] = ()
    speaker: Speaker | None = None  # quotes, fragments and claims
    # when it was said or happened: a partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD) and the
    # interval the text supports, never more precise than the text, never after the publication
    # for what already happened; all empty rather than a guess
    date: str = ""
    date_earliest: datetime.date | None = None
    date_latest: datetime.date | None = None
    date_basis: str = ""  # events.models.DateBasis's values
    date_note: str = ""
    title: str = ""  # an event's short title; a figure's label
    event_kind: str = ""  # events.models.Event.Kind's values
    status: str = ""  # events: occurred, planned, proposed or cancelled
    figure: dict = field(default_factory=dict)  # value, value_max, unit, qualifier, words, measure
    topics: tuple[str, ...] = ()  # topic slugs
    places: tuple[str, ...] = ()  # place slugs
    confidence: float = 0.0  # 0..1
    reason: str = ""  # one line: "speech verb 'said' after the quote; subject: Peskov"
    matches: tuple[Match, ...] = ()
