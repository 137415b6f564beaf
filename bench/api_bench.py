"""Time the read API over a synthetic dataset of a chosen size, and print the figures.

    .venv/bin/python bench/api_bench.py --statements 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench .venv/bin/python bench/api_bench.py

Without DATABASE_URL it uses its own SQLite file, bench/bench.sqlite3. It migrates, fills the
database (once; `--rebuild` starts again), then requests each query `--repeat` times through
Django's test client (the full request/response cycle, without a network) and prints the median
and 95th percentile time, the queries run and the records matched.
"""

import argparse
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic needed

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events.dates import parse_partial_date  # noqa: E402
from events.models import Event, Person, Source, Topic  # noqa: E402
from statements.models import Citation, Statement  # noqa: E402

WORDS = ["ceasefire", "territory", "neutrality", "guarantees", "missiles", "energy", "talks"]
BATCH = 5_000


def dated(date: str) -> dict:
    earliest, latest, precision = parse_partial_date(date)
    return {
        "date": date,
        "date_earliest": earliest,
        "date_latest": latest,
        "date_precision": precision,
    }


def random_date(rng: random.Random) -> str:
    year, month = rng.choice([2022, 2023, 2024, 2025]), rng.randint(1, 12)
    return (
        f"{year}-{month:02d}"
        if rng.random() < 0.5
        else f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
    )


def build(statements: int, seed: int) -> None:
    """Fill the database with `statements` statements, each with a topic and a citation."""
    rng = random.Random(seed)
    with transaction.atomic():
        topics = Topic.objects.bulk_create(
            Topic(slug=f"bench-topic-{n}", name=f"Topic {n}") for n in range(50)
        )
        people = Person.objects.bulk_create(
            Person(slug=f"bench-person-{n}", name=f"Person {n}") for n in range(1_000)
        )
        text = " ".join(rng.choice(WORDS) for _ in range(20_000))
        sources = [
            Source(
                slug=f"bench-source-{n}",
                title=f"Article {n}",
                seed_file=f"bench-{n}.txt",
                text=text,
                **dated(random_date(rng)),
            )
            for n in range(100)
        ]
        for source in sources:
            source.text_sha256 = source.compute_sha256()
        Source.objects.bulk_create(sources)
        events = Event.objects.bulk_create(
            Event(
                slug=f"bench-event-{n}", title=f"Event {n}", kind="talks", **dated(random_date(rng))
            )
            for n in range(max(statements // 10, 10))
        )
    topic_links = Statement.topics.through
    for first in range(0, statements, BATCH):
        with transaction.atomic():
            batch = Statement.objects.bulk_create(
                Statement(
                    slug=f"bench-statement-{n}",
                    speaker=rng.choice(people),
                    speaker_label="a speaker",
                    kind=rng.choice(["quote", "fragment", "paraphrase"]),
                    text=" ".join(rng.choice(WORDS) for _ in range(12)),
                    occasion=rng.choice(events) if rng.random() < 0.3 else None,
                    **dated(random_date(rng)),
                )
                for n in range(first, min(first + BATCH, statements))
            )
            topic_links.objects.bulk_create(
                topic_links(statement_id=s.pk, topic_id=rng.choice(topics).pk) for s in batch
            )
            citations = []
            for statement in batch:
                source = rng.choice(sources)
                start = rng.randrange(0, len(text) - 200)
                citations.append(
                    Citation(
                        source=source,
                        statement=statement,
                        excerpt=text[start : start + 120],
                        start=start,
                        end=start + 120,
                    )
                )
            Citation.objects.bulk_create(citations)
        print(f"  built {min(first + BATCH, statements):,} statements", file=sys.stderr)


QUERIES = [
    ("statements, first page", "/api/v1/statements/"),
    ("statements, page 500", "/api/v1/statements/?page=500"),
    ("statements by speaker", "/api/v1/statements/?speaker=bench-person-7"),
    ("statements in a month", "/api/v1/statements/?date_from=2024-11&date_to=2024-11"),
    ("statements by topic", "/api/v1/statements/?topic=bench-topic-3"),
    ("statements by source", "/api/v1/statements/?source=bench-source-5"),
    ("statements by event", "/api/v1/statements/?event=bench-event-5"),
    ("statements, q two words", "/api/v1/statements/?q=ceasefire+talks"),
    ("statements, 100 a page", "/api/v1/statements/?page_size=100"),
    ("statement detail", "/api/v1/statements/bench-statement-1234/"),
    ("events, first page", "/api/v1/events/"),
    ("citations, first page", "/api/v1/citations/"),
]


def measure(repeat: int) -> None:
    client = Client()
    print(f"{'query':28} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'matched':>9}")
    for name, url in QUERIES:
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code, response.content[:200])
        body = response.json()
        matched = body.get("count", 1)
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
        print(
            f"{name:28} {statistics.median(timings):10.1f} {p95:8.1f} {len(queries):8} {matched:9,}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="empty the database first")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.rebuild:
        call_command("flush", interactive=False, verbosity=0)
    have = Statement.objects.count()
    if have != args.statements:
        if have:
            sys.exit(
                f"the database holds {have:,} statements, not {args.statements:,}: use --rebuild"
            )
        started = time.perf_counter()
        build(args.statements, args.seed)
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(
        f"database: {connection.vendor}, {Statement.objects.count():,} statements, "
        f"{Citation.objects.count():,} citations, {Event.objects.count():,} events"
    )
    measure(args.repeat)


if __name__ == "__main__":
    main()
