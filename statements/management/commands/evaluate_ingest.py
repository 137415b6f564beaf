"""Score extraction against a curated release: the seeds by default, or any --dataset."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements.ingest.annotated import AnnotationError, read_annotated
from statements.ingest.evaluation import TARGETS, evaluate, unmet
from statements.ingest.release import read_release


class Command(BaseCommand):
    help = (
        "Run the extraction over each article of a dataset release (fixtures format) and score "
        "its proposals against the curated records: exact quote-span recall and precision, "
        "speaker accuracy, anonymous quotes given to a named person, claim recall, event date "
        "intervals and seconds per article. Each article is read with what the rest of the "
        "release knows, less the people and records it alone contributed (docs/ingest.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dataset",
            type=Path,
            default=None,
            help="A release directory in the fixtures format (default: the dataset's fixtures/).",
        )
        parser.add_argument(
            "--articles",
            type=Path,
            default=None,
            help="A folder of articles annotated by hand (text or HTML, each with a JSON of its "
            "gold quotes and speakers: statements/ingest/annotated.py), scored instead of the "
            "release's own articles, with everything the release knows.",
        )
        parser.add_argument(
            "--check", action="store_true", help="Exit non-zero when a target is not met."
        )
        parser.add_argument(
            "--misses", action="store_true", help="List every quote, speaker or claim missed."
        )

    def handle(
        self, *args, dataset: Path | None, articles: Path | None, check: bool, misses: bool, **_
    ) -> None:
        directory = Path(dataset or settings.FIXTURES_DIR)
        if not directory.is_dir():
            raise CommandError(f"--dataset {directory}: not a directory")
        if articles is not None:
            if not articles.is_dir():
                raise CommandError(f"--articles {articles}: not a directory")
            try:
                read, objects = read_annotated(articles, directory)
            except AnnotationError as error:
                raise CommandError(f"--articles {articles}: {error}") from error
            if not read:
                raise CommandError(f"--articles {articles}: no annotated article (*.json) here")
        else:
            read, objects = read_release(directory)
            if not read:
                raise CommandError(f"--dataset {directory}: no source with a text in this release")
        articles = read
        total, per_article = evaluate(articles, objects)
        self.stdout.write(
            f"{'article':48} {'spans':>9} {'speaker':>8} {'claims':>7} {'events':>7} {'s':>6}"
        )
        for slug, score in per_article.items():
            self.stdout.write(
                f"{slug[:48]:48} {score.exact_spans:>3}/{score.expected_spans:<3}"
                f"+{score.proposed_spans - score.exact_spans:<2} "
                f"{score.speaker_right:>4}/{score.exact_spans:<3} "
                f"{score.claims_found:>3}/{score.claims_expected:<3} "
                f"{score.events_containing:>3}/{score.events_dated:<3} {score.seconds[0]:6.3f}"
            )
        ratios = total.ratios()
        self.stdout.write("")
        for name, value in ratios.items():
            target = TARGETS.get(name)
            wanted = f"  (target {target[1]} {target[0]})" if target else ""
            shown = f"{value}" if isinstance(value, int) else f"{value:.3f}"
            self.stdout.write(f"{name:28} {shown}{wanted}")
        if misses:
            self.stdout.write("")
            for line in total.misses:
                self.stdout.write(f"  {line}")
        failed = unmet(ratios)
        if failed:
            self.stdout.write("\nTargets not met: " + "; ".join(failed))
            if check:
                raise CommandError("extraction is below its targets")
        else:
            self.stdout.write("\nEvery target met.")
