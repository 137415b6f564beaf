"""Keep the common terms' rankings (PostgreSQL; config.db.search.top)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from config.db.search import top


class Command(BaseCommand):
    help = (
        "PostgreSQL: choose the terms whose ranked search is kept (the words held by at least "
        "--documents records, by the search vocabulary's counts) and rank their matches once; "
        "saves keep them current after that. Run it after a large load, or when the data has "
        "grown new common words. Nothing to do on SQLite."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--documents",
            type=int,
            default=settings.SEARCH_TOP_DOCUMENTS,
            help="Keep the words held by at least this many records (default: "
            "PARLEY_SEARCH_TOP_DOCUMENTS).",
        )
        parser.add_argument(
            "--word",
            action="append",
            dest="words",
            help="Keep this word instead (repeatable): for a word searched often.",
        )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            kept = top.refresh(options["documents"], log=self.stdout.write, words=options["words"])
        self.stdout.write(f"{sum(kept.values()):,} rows kept.")
