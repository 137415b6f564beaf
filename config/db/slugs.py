"""Slugs: the public identifier of every record, one rule for its model, its address and its
filters.

A slug is 1 to 100 lowercase ASCII letters, digits and hyphens. The models declare their slug
with `SlugField` (so the admin, a release merge and the write API, which all run the model's
validation, refuse anything else), the API's routes accept exactly `SLUG_PATTERN`, and the
filters and the schema use `SLUG_RE`. A slug made of others' slugs (a wording's, a position's)
is `joined_slug()`, which keeps it within the limit.
"""

import hashlib
import re

from django.core.validators import RegexValidator
from django.db import models

SLUG_MAX_LENGTH = 100
# [-a-z0-9], not \w or [a-z] with IGNORECASE: an address is matched byte for byte
SLUG_PATTERN = rf"[-a-z0-9]{{1,{SLUG_MAX_LENGTH}}}"
SLUG_RE = re.compile(rf"^{SLUG_PATTERN}$")  # as the schema gives it (ECMA-262 has no \A, \Z)
SLUG_MESSAGE = "A slug is lowercase letters, digits and hyphens."
# how many characters of a joined slug's digest make it unique (as a citation's: 48 bits)
DIGEST_LENGTH = 12


def slug_regex(max_length: int = SLUG_MAX_LENGTH) -> str:
    r"""The whole value a slug of at most `max_length` characters, as Python and PostgreSQL
    both read it (\Z: `$` would let a final newline through)."""
    return rf"\A[-a-z0-9]{{1,{max_length}}}\Z"


validate_slug = RegexValidator(slug_regex(), SLUG_MESSAGE, code="invalid")


class SlugField(models.SlugField):
    """A record's slug: lowercase letters, digits and hyphens, at most 100 characters, the most
    an address of the API accepts."""

    default_validators = [validate_slug]

    def __init__(self, *args, max_length: int = SLUG_MAX_LENGTH, **kwargs) -> None:
        if max_length > SLUG_MAX_LENGTH:
            raise ValueError(f"A slug is at most {SLUG_MAX_LENGTH} characters, not {max_length}.")
        super().__init__(*args, max_length=max_length, **kwargs)


def joined_slug(*slugs: str) -> str:
    """Slugs joined by `--`, the identifier of a record named by others. One that would pass the
    limit keeps its beginning and ends in a digest of the whole, so it stays unique and every
    database loading the same release gives the same one."""
    slug = "--".join(slugs)
    if len(slug) <= SLUG_MAX_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:DIGEST_LENGTH]
    return f"{slug[: SLUG_MAX_LENGTH - DIGEST_LENGTH - 1]}-{digest}"
