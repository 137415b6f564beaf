"""The ingest service: an article in, a source and its candidates stored; a candidate accepted
or rejected by an editor.

`ingest()` is what `manage.py ingest_article` and `POST /api/v1/ingest/` call, `accept()` and
`reject()` what the candidates API and the admin's review page call. Every write here is one
transaction and one version in each changed record's history, under the editor's name; a
failure leaves the database as it was. An accepted candidate becomes its record through the
write API's own serializers (statements.api.write_serializers), so it keeps every rule the
admin and the API keep (statements.services, the models' `full_clean()`).

- `reading.py` reads what an editor gives (a file's text, the publication date);
- `articles.py` stores an article as a source and its proposals as candidates;
- `review.py` accepts or rejects a candidate, `acceptance.py` holds the writes accepting one
  makes;
- `errors.py` holds the refusals, `writes.py` what every write shares (a free slug, the
  history under the editor's name).
"""

from statements.ingest.service.acceptance import STATEMENT_KINDS, number, target_of
from statements.ingest.service.articles import ingest
from statements.ingest.service.errors import Conflict, IngestError, TooLarge
from statements.ingest.service.reading import decode, looks_like_html, max_bytes
from statements.ingest.service.review import CORRECTIONS, accept, accept_many, reject

__all__ = [
    "CORRECTIONS",
    "Conflict",
    "IngestError",
    "STATEMENT_KINDS",
    "TooLarge",
    "accept",
    "accept_many",
    "decode",
    "ingest",
    "looks_like_html",
    "max_bytes",
    "number",
    "reject",
    "target_of",
]
