"""Fill each source's reference text in fixtures/sources.json from its seed file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events.fixture_files import read_fixture, write_fixture
from events.reference_text import read_seed, reference_text


class Command(BaseCommand):
    help = (
        "Derive the reference text of every source in fixtures/sources.json from its seed file "
        "less its furniture lines, and write it back. With --check, only report differences."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if a text is out of date."
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        path = Path(settings.FIXTURES_DIR) / "sources.json"
        objects = read_fixture(path)
        stale = []
        for obj in objects:
            if obj["model"] != "events.source":
                continue
            fields = obj["fields"]
            try:
                text = reference_text(read_seed(fields["seed_file"]), fields.get("furniture", []))
            except (OSError, ValueError) as error:
                raise CommandError(f"{fields.get('slug')}: {error}") from error
            if fields.get("text") != text:
                stale.append(fields["slug"])
                fields["text"] = text
        if check:
            if stale:
                raise CommandError(f"reference text out of date for: {', '.join(stale)}")
            self.stdout.write("All source texts match their seed files.")
            return
        write_fixture(path, objects)
        self.stdout.write(f"Rebuilt {len(stale)} source text(s) in {path}.")
