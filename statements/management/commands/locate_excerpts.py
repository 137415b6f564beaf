"""Fill the start/end offsets of every citation in the fixture files from its excerpt."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.fixture_files import fixture_paths, read_fixture, write_fixture
from events.reference_text import locate_excerpt


class Command(BaseCommand):
    help = (
        "Locate each citation's excerpt in its source's reference text (from "
        "fixtures/sources.json) and write its start and end offsets back into the fixture file. "
        "An excerpt that is missing, or found more than once without a start that picks one, "
        "is refused. With --check, only report what would change."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*", help="Fixture files (default: the whole dataset).")
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if an offset is wrong."
        )

    def handle(self, *args, files: list[str], check: bool = False, **options) -> None:
        paths = [Path(name) for name in files] or fixture_paths()
        texts = {
            obj["fields"]["slug"]: obj["fields"]["text"]
            for path in fixture_paths()
            for obj in read_fixture(path)
            if obj["model"] == "events.source"
        }
        problems, changed = [], 0
        for path in paths:
            objects = read_fixture(path)
            file_changed = False
            for obj in objects:
                if obj["model"] != "statements.citation":
                    continue
                fields = obj["fields"]
                source = fields["source"][0]
                where = f"{path.name}: citation in {source!r} of {fields['excerpt'][:50]!r}"
                if source not in texts:
                    problems.append(f"{where}: unknown source")
                    continue
                try:
                    start, end = locate_excerpt(
                        texts[source], fields["excerpt"], fields.get("start")
                    )
                except ValueError as error:
                    problems.append(f"{where}: {error}")
                    continue
                if (fields.get("start"), fields.get("end")) != (start, end):
                    fields["start"], fields["end"] = start, end
                    file_changed = True
                    changed += 1
            if file_changed and not check:
                write_fixture(path, objects)
        if problems:
            raise CommandError("\n".join(problems))
        if check and changed:
            raise CommandError(f"{changed} citation offset(s) out of date; run locate_excerpts")
        self.stdout.write(f"{'Would fill' if check else 'Filled'} {changed} citation offset(s).")
