"""The project's own schemathesis check, loaded by the live run (tests/test_api_live.py) through
SCHEMATHESIS_HOOKS.

`schemathesis.toml` lets a schema-valid list request be answered 400, for the reasons it lists;
this check holds every such 400 to exactly those reasons, so that no other refusal passes."""

import schemathesis

# The messages of the 400s that schemathesis.toml allows a schema-valid request, and nothing else.
DOCUMENTED_REJECTIONS = (
    "is not one of the available choices.",  # a well-formed slug that names no record
    "Not a cursor of this API",  # a well-formed cursor this API did not issue (list or feed)
    "Nothing to search for",  # a search of common words only (`the`), which are not indexed
    "date_to is before date_from.",
    "Page numbers do not apply with paging=cursor.",
    "A cursor needs paging=cursor.",
)


@schemathesis.check
def only_documented_rejections(ctx, response, case) -> None:
    """A schema-valid GET answered 400 names only the documented reasons."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.method != "GET":
        # a write's body may be refused by a rule the schema cannot state (an excerpt that is
        # not in its source, a slug taken): schemathesis.toml allows its 400, naming the field
        return
    if response.status_code != 400:
        return
    messages = [message for errors in response.json()["errors"].values() for message in errors]
    undocumented = [m for m in messages if not any(r in m for r in DOCUMENTED_REJECTIONS)]
    assert undocumented == [], f"a valid request was refused: {undocumented}"
