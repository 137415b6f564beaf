"""The query parameters every list reads alike: which are given, which are unknown, the page
size, and the cursors of cursor walks.

Lists, facets, search, the timeline, a record's history and the change feed all read them
through these helpers, so a parameter means the same and is refused in the same words
everywhere. A cursor is signed (django.core.signing, with the secret key): only a cursor this
API issued is read back, so its content is never parsed from what a client wrote.
"""

from collections.abc import Iterable

from django.core import signing
from django.http import QueryDict
from rest_framework.exceptions import ValidationError

MAX_DIGITS = 9  # no dataset of ours has a billion pages; longer numbers are mistakes
MAX_NUMBER = 10**MAX_DIGITS - 1
# read by the paging, the bulk download and the content negotiation rather than by a FilterSet
PAGE_PARAMS = {"page", "page_size", "paging", "cursor"}
PAGINATION_PARAMS = PAGE_PARAMS | {"format"}
MAX_UNKNOWN_NAMED = 10  # an error names at most this many unknown parameters
MAX_CURSOR_LENGTH = 1000
CURSOR_SALT = "parley.pagination.cursor"
NOT_A_CURSOR = "Not a cursor of this API: use the next or previous link as given."


def given_params(request) -> QueryDict:
    """The query parameters that were given a value.

    An empty value means the parameter is absent (`?date_to=&q=` is what an HTML form with
    empty fields sends, and what most clients build from unset options), so it is dropped here,
    once, for the filters and the pagination alike.
    """
    cached = getattr(request, "_parley_given_params", None)
    if cached is None:
        cached = QueryDict(mutable=True)
        for name, values in request.query_params.lists():
            kept = [value for value in values if value != ""]
            if kept:
                cached.setlist(name, kept)
        request._parley_given_params = cached
    return cached


def refuse_unknown(request, allowed: Iterable[str]) -> None:
    """A 400 naming the query parameters the endpoint does not know (the first
    `MAX_UNKNOWN_NAMED` of them, and how many more), rather than an answer that silently ignores
    them: `?speker=x` answering with every record would look right and be wrong."""
    allowed = set(allowed)
    unknown = sorted(set(request.query_params) - allowed)
    if not unknown:
        return
    message = f"Unknown parameter. Allowed: {', '.join(sorted(allowed))}."
    errors = {name[:60]: [message] for name in unknown[:MAX_UNKNOWN_NAMED]}
    if len(unknown) > MAX_UNKNOWN_NAMED:
        errors["non_field_errors"] = [
            f"{len(unknown) - MAX_UNKNOWN_NAMED} more unknown parameters are not named here."
        ]
    raise ValidationError(errors)


def positive_int(name: str, raw: str, maximum: int = MAX_NUMBER) -> int:
    """`raw` as a whole number from 1 to `MAX_NUMBER`, or a 400 naming the parameter and the
    numbers it takes (from 1 to `maximum`, which the caller holds it to)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_DIGITS or int(raw) < 1:
        raise ValidationError(
            {name: [f"{name} must be a whole number from 1 to {maximum}, not {raw[:40]!r}."]}
        )
    return int(raw)


def page_size(request, default: int, maximum: int) -> int:
    """`?page_size=`: items per page, from 1 to `maximum`; `default` when not given."""
    raw = given_params(request).get("page_size")
    if raw is None:
        return default
    size = positive_int("page_size", raw, maximum)
    if size > maximum:
        raise ValidationError({"page_size": [f"page_size may be at most {maximum}."]})
    return size


def dump_cursor(key: str, position: list, backwards: bool = False) -> str:
    """A signed, opaque cursor: the `position` of a page's edge in the walk named by `key` (the
    list's path and ordering), and the direction to go from it."""
    payload = {"k": key, "v": position, "b": backwards}
    return signing.dumps(payload, salt=CURSOR_SALT, compress=True)


def load_cursor(raw: str, key: str) -> tuple[list, bool]:
    """The position and direction of a cursor issued by `dump_cursor` for the walk `key`; a 400
    for anything else (a cursor this API did not sign, or one of another list or ordering)."""
    try:
        if len(raw) > MAX_CURSOR_LENGTH:
            raise signing.BadSignature
        payload = signing.loads(raw, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError) as error:
        raise ValidationError({"cursor": [NOT_A_CURSOR]}) from error
    if payload["k"] != key:
        raise ValidationError(
            {"cursor": ["This cursor belongs to another ordering: start again without it."]}
        )
    return payload["v"], payload["b"]
