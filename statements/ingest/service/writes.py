"""What every write here shares: a free slug, and the history recorded under the editor."""

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

from django.utils.text import slugify
from simple_history.models import HistoricalRecords


def unique_slug(model, words: str, max_length: int) -> str:
    """A slug of the words not yet taken in `model` (-2, -3, … added when it is)."""
    base = slugify(words)[:max_length].strip("-") or model._meta.model_name
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].strip("-") + suffix
    return slug


@contextmanager
def recorded_as(editor) -> Iterator[None]:
    """Record the history written inside the block under `editor` (when there is one and no
    request already names them), as the admin and the API record theirs."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    current = getattr(previous, "user", None)
    if editor is None or current == editor:
        yield
        return
    context.request = SimpleNamespace(user=editor)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
