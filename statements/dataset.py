"""The dataset's record types in one list, which the release, the merge and the dataset check
follow."""

from events.models import Event, Person, Place, Source, Topic
from statements.models import Citation, Figure, Position, Statement, Wording

# load order: every model after the models it refers to
DATASET_MODELS = [
    Topic,
    Place,
    Person,
    Source,
    Event,
    Statement,
    Figure,
    Citation,
    Wording,
    Position,
]
