"""Who a phrase names: an existing person, a new one, an institution or an anonymous source.

`resolver.py` holds `Resolver` and the order of its tests; `anaphora.py` the part that reads
back through the article (pronouns, "the diplomat", "the statement said"); `kinds.py` the part
that reads a phrase naming no person (an anonymous source, an institution, a role); `phrases.py` the
word lists and small tests on a phrase they share, and `Found`, what resolving gives.
"""

from statements.ingest.speakers.phrases import Found
from statements.ingest.speakers.resolver import Resolver

__all__ = ["Found", "Resolver"]
