"""Report the dataset's broken rules (errors) and unfinished work (warnings)."""

from django.core.management.base import BaseCommand, CommandError

from statements.checks import Findings, check_dataset, dataset_warnings
from statements.dataset import DATASET_MODELS
from statements.management.findings import add_findings_arguments, open_findings


class Command(BaseCommand):
    help = (
        "Check the dataset in the database. Errors (exit 1): a slug that breaks the slug rule, "
        "an excerpt not at its offsets, a "
        "source text that no longer matches its seed file, a statement, event or figure without "
        "a citation, a quote not verbatim in its excerpts, a date interval that disagrees with "
        "its date and basis, a record ending after the article that reports it (planned and "
        "proposed events aside), a quote or fragment without one canonical wording or with a "
        "wording not verbatim, a position whose excerpt is not in its statement's citations, a "
        "vague figure in a measure series. Warnings (exit 0): unfinished work, such as a person "
        "nobody cites yet. Of each kind of error or warning the first --examples are shown and "
        "the rest counted; --errors-file lists every one."
    )

    def add_arguments(self, parser) -> None:
        add_findings_arguments(parser)

    def handle(self, *args, **options) -> None:
        with open_findings(options) as problems:
            warnings = Findings(shown=problems.shown, out=problems.out)  # the same file
            warnings.extend(
                "persons nobody cites", (f"warning: {line}" for line in dataset_warnings())
            )
            for line in warnings.lines():
                self.stdout.write(self.style.WARNING(line))
            check_dataset(problems)
        if problems:
            report = "\n".join(f"  - {line}" for line in problems.lines())
            raise CommandError(f"{len(problems)} error(s) in the dataset:\n{report}")
        counts = ", ".join(
            f"{model.objects.count()} {model._meta.verbose_name_plural}" for model in DATASET_MODELS
        )
        self.stdout.write(self.style.SUCCESS(f"Dataset OK: {counts}."))
