"""Load a dataset release: fill an empty database, or merge a release into an edited one."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from events.models import LoadedRelease
from statements.dataset import DATASET_MODELS
from statements.management.findings import add_findings_arguments, open_findings
from statements.release import (
    ReleaseError,
    merge_release,
    plan_merge,
    read_release,
    release_digest,
)


class Command(BaseCommand):
    help = (
        "Load a release of the dataset (default: fixtures/). Into an empty database it loads "
        "everything. Into one that holds records it merges: what only the release changed is "
        "updated, what an editor changed since the last load is kept, and a field both changed "
        "differently is a conflict that stops the load (exit 1) unless --prefer says which side "
        "wins. The load is one transaction: a failed load changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--input", type=Path, help="Directory of the release (default: fixtures/)."
        )
        parser.add_argument(
            "--prefer",
            choices=["database", "release"],
            help="Settle conflicts by keeping the database's value or taking the release's.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what the merge would do; change nothing."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise say whether the release is the one "
            "last loaded, and change nothing (what `make run` and `make serve` do on every "
            "start: a query or two, whatever the size of the database).",
        )
        add_findings_arguments(parser)  # of the conflicts and broken rules of a refused load

    def handle(self, *args, **options) -> None:
        directory, prefer = options["input"], options["prefer"]
        verbose = options["verbosity"] > 1
        try:
            # one query on a database that holds the dataset: its topics are there
            empty = not any(model.objects.exists() for model in DATASET_MODELS)
            if options["if_empty"] and not empty and not options["dry_run"]:
                self._report_waiting(directory)
                return
            if options["dry_run"]:
                with read_release(directory) as release, open_findings(options) as found:
                    plan = plan_merge(release, prefer, found.shown, found.out)
                self.stdout.write(f"Dry run: {plan.summary()}.")
                self.stdout.write("\n".join(plan.lines()))
                return
            with open_findings(options) as errors:
                plan = merge_release(directory, prefer, errors)
        except ReleaseError as error:
            details = "\n".join(f"  - {line}" for line in error.lines)
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        if verbose:
            self.stdout.write("\n".join(plan.lines()))
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Release loaded: {plan.summary()}."))

    def _report_waiting(self, directory) -> None:
        """Compare the release's digest with the last loaded one's: reading the database's
        records to compare them would take minutes at a million statements."""
        loaded = LoadedRelease.objects.order_by("-loaded_at").first()
        if loaded is not None and loaded.digest == release_digest(directory):
            self.stdout.write(
                "The database holds the dataset; the release in fixtures/ is the one last "
                "loaded into it."
            )
            return
        self.stdout.write(
            self.style.WARNING(
                "The database holds the dataset and was left as it is. The release in "
                "fixtures/ is not the one last loaded into it. To merge it: "
                "`manage.py load_dataset --dry-run` to review, then `manage.py load_dataset`."
            )
        )
