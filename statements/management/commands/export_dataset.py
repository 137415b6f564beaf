"""Write the database out as a release of the dataset, in the fixture files' own layout."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.release import ReleaseError, export_release


class Command(BaseCommand):
    help = (
        "Write every record of the database as fixture files (natural keys, the layout and "
        "formatting load_dataset reads) into --output (default: fixtures/). On a database "
        "loaded from fixtures/ and not edited since, nothing changes. A database that breaks a "
        "rule of the dataset is refused."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", type=Path, help="Directory to write the release to (default: fixtures/)."
        )

    def handle(self, *args, **options) -> None:
        directory = options["output"] or Path(settings.FIXTURES_DIR)
        try:
            paths = export_release(directory)
        except ReleaseError as error:
            details = "\n".join(f"  - {line}" for line in error.lines)
            raise CommandError(f"{error}; nothing written:\n{details}") from error
        if options["verbosity"]:
            self.stdout.write(f"Wrote {len(paths)} fixture file(s) to {directory}.")
