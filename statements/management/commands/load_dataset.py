"""Load every fixture file of the dataset in one loaddata call."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from events.fixture_files import fixture_paths


class Command(BaseCommand):
    help = (
        "Load the whole dataset from fixtures/ (natural keys: loading it again updates the same "
        "records and creates nothing new)."
    )

    def handle(self, *args, **options) -> None:
        paths = [str(path) for path in fixture_paths()]
        call_command("loaddata", *paths, verbosity=options["verbosity"])
