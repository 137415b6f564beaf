"""What was said and claimed, and the evidence for it: statements, figures and citations.

The modules are imported in the order their models were declared (the registries of the app and
of the history keep that order: the change feed breaks a tie of time by it).
"""

from statements.models.claims import Figure, FigureQuerySet, Statement, StatementQuerySet

# isort: split
from statements.models.parts import Position, Wording, position_slug, wording_slug

# isort: split
from statements.models.citations import Citation, citation_slug

# isort: split
# a model of this app, kept beside the ingest code that fills it
from statements.ingest.models import Candidate

__all__ = [
    "Figure",
    "FigureQuerySet",
    "Statement",
    "StatementQuerySet",
    "Position",
    "Wording",
    "position_slug",
    "wording_slug",
    "Citation",
    "citation_slug",
    "Candidate",
]
