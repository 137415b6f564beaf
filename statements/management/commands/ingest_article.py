"""Ingest one article: its source and the candidates extraction proposes, for review."""

from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from statements.ingest.service import IngestError, decode, ingest, looks_like_html, max_bytes


class Command(BaseCommand):
    help = (
        "Store an article (its saved HTML page or its plain UTF-8 text, kept exactly as given) "
        "as a source, with the quotes, fragments, claims, events and figures extraction "
        "proposes from it as candidates for an editor to review. Prints the candidates by kind "
        "and the source's slug alone on the last line. The same text again creates nothing and "
        "prints the slug of the source that holds it; a different text at an address a source "
        "already has is refused unless --as-new-source."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The article: saved HTML (.html) or text.")
        parser.add_argument("--url", required=True, help="The article's address.")
        parser.add_argument(
            "--published",
            default="",
            help="Publication date, YYYY-MM-DD (or YYYY-MM); from the page when left out.",
        )
        parser.add_argument("--outlet", required=True, help="Who published it (Reuters, …).")
        parser.add_argument("--title", default="", help="Headline; from the page or first line.")
        parser.add_argument("--author", default="", help="Byline; from the page when left out.")
        parser.add_argument(
            "--as-new-source",
            action="store_true",
            help="Add the article as a new source even though a source has its address.",
        )
        parser.add_argument(
            "--allow-no-quotes",
            action="store_true",
            help="Ingest an article that quotes nobody (reported speech only).",
        )
        parser.add_argument(
            "--editor",
            default="",
            help="Username the source is recorded under in the history (default: nobody).",
        )

    def handle(self, *args, file: Path, **options) -> None:
        editor = None
        if options["editor"]:
            editor = get_user_model().objects.filter(username=options["editor"]).first()
            if editor is None:
                raise CommandError(f"--editor {options['editor']}: no such user")
        try:
            size = file.stat().st_size
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        if not file.is_file():
            raise CommandError(f"{file}: not a file")
        if size > max_bytes():
            raise CommandError(
                f"{file}: {size:,} bytes; an article may have at most {max_bytes():,} bytes "
                "(PARLEY_INGEST_MAX_BYTES)."
            )
        try:
            content = decode(file.read_bytes(), str(file))
            as_html = file.suffix.lower() in (".html", ".htm") or looks_like_html(content)
            result = ingest(
                url=options["url"],
                outlet=options["outlet"],
                published=options["published"] or None,
                title=options["title"],
                author=options["author"],
                as_new_source=options["as_new_source"],
                allow_no_quotes=options["allow_no_quotes"],
                editor=editor,
                **({"html": content} if as_html else {"text": content}),
            )
        except IngestError as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        if not result.created:
            for note in result.notes:
                self.stdout.write(note)
            self.stdout.write("Nothing was created.")
        else:
            kinds = Counter(candidate.kind for candidate in result.candidates)
            self.stdout.write(
                f"Source {result.source.slug}: {len(result.source.text):,} characters, "
                f"{len(result.candidates)} candidates to review."
            )
            for kind in ("quote", "fragment", "claim", "event", "figure"):
                self.stdout.write(f"{kind:10} {kinds.get(kind, 0)}")
            for candidate in result.candidates:
                self.stdout.write(f"  {describe(candidate)}")
        self.stdout.write(result.source.slug)


def describe(candidate) -> str:
    """One line for a candidate: kind, offsets, speaker or title, words."""
    if candidate.kind in ("quote", "fragment"):
        what = f"{candidate.speaker_name or '?'}: “{candidate.quote[:70]}”"
    elif candidate.kind == "claim":
        what = f"{candidate.speaker_name or '?'}: {candidate.excerpt[:70]}"
    elif candidate.kind == "event":
        what = f"{candidate.event_kind} {candidate.status} {candidate.date or '(no date)'}: "
        what += candidate.title[:60]
    else:
        what = f"{candidate.value if candidate.value is not None else candidate.words} "
        what += f"{candidate.unit} ({candidate.qualifier})"
    return f"{candidate.kind:8} [{candidate.start}:{candidate.end}] {what}"
