"""The admin's review of an ingested article: one page per source, its text with every candidate
highlighted at its offsets, and beside it the candidates to accept (as proposed, or edited
first), reject with a reason, or accept together.

Accepting and rejecting go through statements.ingest.service (`accept`, `reject`), the one
place the rules of a record live; this package only turns the page's forms into its arguments
and its errors back into the page. Registered by statements.admin.

`forms` holds the edit form of each kind of candidate; `review` the page and the admin.
"""

from statements.ingest.admin.forms import EDIT_FORMS
from statements.ingest.admin.review import CandidateAdmin, pending_counts, review_link, segments

__all__ = ["EDIT_FORMS", "CandidateAdmin", "pending_counts", "review_link", "segments"]
