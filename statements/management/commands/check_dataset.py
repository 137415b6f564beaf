"""Fail with a report if the dataset breaks any of its integrity rules."""

from django.core.management.base import BaseCommand, CommandError

from events.models import Event, Person, Place, Source, Topic
from statements.checks import dataset_problems
from statements.models import Citation, Figure, Position, Statement, Wording


class Command(BaseCommand):
    help = (
        "Check the dataset in the database: every citation's excerpt stands at its offsets, "
        "every source's text matches its seed file, every statement, event and figure is cited, "
        "every date interval agrees with its date and basis, nothing ends after the article "
        "that reports it (planned and proposed events aside), every quote and fragment has one "
        "canonical wording and each wording is verbatim, every position's excerpt stands in its "
        "statement's citations, no vague figure joins a measure series, and every person is "
        "used."
    )

    def handle(self, *args, **options) -> None:
        problems = dataset_problems()
        if problems:
            report = "\n".join(f"  - {problem}" for problem in problems)
            raise CommandError(f"{len(problems)} problem(s) in the dataset:\n{report}")
        counts = ", ".join(
            f"{model.objects.count()} {model._meta.verbose_name_plural}"
            for model in (
                Source,
                Person,
                Topic,
                Place,
                Event,
                Statement,
                Figure,
                Citation,
                Wording,
                Position,
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Dataset OK: {counts}."))
