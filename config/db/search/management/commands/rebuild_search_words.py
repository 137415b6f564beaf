"""Count the words of every searched column again (the search vocabulary)."""

from django.core.management.base import BaseCommand

from config.db.search import vocabulary


class Command(BaseCommand):
    help = (
        "Count the words of every searched column again, from the records: the vocabulary "
        "that search's spelling suggestions and prefix* terms come from. Saves keep it "
        "current; run this after writing records in bulk without the application (SQL, COPY), "
        "or to drop the words of records since deleted."
    )

    def handle(self, *args, **options) -> None:
        words = vocabulary.rebuild(log=self.stdout.write)
        self.stdout.write(f"{words:,} words counted.")
