"""The base of the dataset: sources, people, topics, places and events.

`statements` builds on these (Statement, Figure, Citation); nothing here imports from it. The
modules are imported in the order their models were declared (the registries of the app and of
the history keep that order: the change feed breaks a tie of time by it).
"""

from events.models.base import (
    ARTICLE_TEXT,
    MAX_LIST_ITEMS,
    QUOTED_TEXT,
    SHORT_TEXT,
    DateBasis,
    Dated,
    DatePrecision,
    SlugManager,
    StringListValidator,
    Timestamped,
    bounded_text,
    validate_aliases,
    validate_country_code,
    validate_furniture,
)
from events.models.records import (
    Event,
    EventQuerySet,
    Person,
    Place,
    Source,
    SourceQuerySet,
    Topic,
)

# isort: split
from events.models.dataset import DatasetVersion, LoadedRelease, ReleaseBaseline
from events.models.editors import EditorProfile

__all__ = [
    "ARTICLE_TEXT",
    "MAX_LIST_ITEMS",
    "QUOTED_TEXT",
    "SHORT_TEXT",
    "DateBasis",
    "DatePrecision",
    "Dated",
    "SlugManager",
    "StringListValidator",
    "Timestamped",
    "bounded_text",
    "validate_aliases",
    "validate_country_code",
    "validate_furniture",
    "Event",
    "EventQuerySet",
    "Person",
    "Place",
    "Source",
    "SourceQuerySet",
    "Topic",
    "DatasetVersion",
    "LoadedRelease",
    "ReleaseBaseline",
    "EditorProfile",
]
