"""Time the facets at a million statements beside their limit, and check the counts they give.

With `--completed`, the answers completed in the background instead (config.api.completion).

    .venv/bin/python bench/facets_bench.py                     # SQLite, bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \
        .venv/bin/python bench/facets_bench.py

The database is the one bench/api_bench.py builds (build it there first). For each filter
combination it times `GET /api/v1/statements/facets/?...` through Django's test client with the
facets' time budget as `make serve` has it (PARLEY_FACETS_TIME_LIMIT_MS, 350 ms by default), and
prints its median and 95th percentile and the counts it could not finish (`timed_out`). Beside
it, the limit: the same counts from hand-written SQL, one GROUP BY per facet over the filtered
statements (a CTE), run without any time limit, timed as a whole; the API's counts that did
finish must equal the limit's (the run stops otherwise). The month buckets are left out of the
limit: they are computed in Python from one GROUP BY that the total's line includes.
"""

import argparse
import os
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
os.environ.setdefault("PARLEY_ANON_RATE", "off")
os.environ.setdefault("PARLEY_RESPONSE_CACHE_SECONDS", "0")
# the answers under the budget are timed, not those completed in the background meanwhile
os.environ.setdefault("PARLEY_FACETS_BACKGROUND_QUEUE", "0")
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.disable(logging.INFO)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

# (query string, the statements it keeps as SQL over `s`, the topic it was given, if any, and
# the other facets given, whose wider counts the limit leaves out)
COMBINATIONS = [
    ("", "TRUE", None, []),
    ("speaker=vladimir-putin", "s.speaker_id = (SELECT id FROM events_person "
     "WHERE slug = 'vladimir-putin')", None, ["speaker"]),
    ("kind=quote&date_from=2025-03&date_to=2025-03",
     "s.kind = 'quote' AND s.date_earliest >= '2025-03-01' AND s.date_latest <= '2025-03-31'",
     None, ["kind"]),
    ("topic=territory&date_from=2025", "s.date_earliest >= '2025-01-01' AND s.id IN "
     "(SELECT statement_id FROM statements_statement_topics WHERE topic_id = "
     "(SELECT id FROM events_topic WHERE slug = 'territory'))", "territory", []),
]  # fmt: skip


def limit(where: str, topic: str | None) -> dict:
    """Every count of the facets by hand-written SQL (without the months)."""
    listed = f"SELECT s.id FROM statements_statement s WHERE {where}"
    queries = {
        "count": "SELECT '', count(*) FROM f",
        "speaker": "SELECT p.slug, count(*) FROM f JOIN statements_statement s ON s.id = f.id "
        "JOIN events_person p ON p.id = s.speaker_id GROUP BY p.slug",
        "speaker_kind": "SELECT p.kind, count(*) FROM f JOIN statements_statement s "
        "ON s.id = f.id JOIN events_person p ON p.id = s.speaker_id GROUP BY p.kind",
        "kind": "SELECT s.kind, count(*) FROM f JOIN statements_statement s ON s.id = f.id "
        "GROUP BY s.kind",
        "topic": "SELECT t.slug, count(*) FROM f JOIN statements_statement_topics st "
        "ON st.statement_id = f.id JOIN events_topic t ON t.id = st.topic_id GROUP BY t.slug",
        "place": "SELECT pl.slug, count(*) FROM f JOIN statements_statement_places sp "
        "ON sp.statement_id = f.id JOIN events_place pl ON pl.id = sp.place_id GROUP BY pl.slug",
        "issue": "SELECT po.issue, count(DISTINCT po.statement_id) FROM f "
        "JOIN statements_position po ON po.statement_id = f.id GROUP BY po.issue",
        "stance": "SELECT po.stance, count(DISTINCT po.statement_id) FROM f "
        "JOIN statements_position po ON po.statement_id = f.id GROUP BY po.stance",
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(f"WITH f AS ({listed}) {sql}")
            counts[name] = dict(cursor.fetchall())
        if topic:
            # a given topic's facet counts the list without it: what each other topic adds
            wider = where.split(" AND s.id IN ")[0]
            cursor.execute(
                f"WITH f AS ({listed}), w AS (SELECT s.id FROM statements_statement s "
                f"WHERE {wider} AND s.id NOT IN (SELECT id FROM f)) SELECT t.slug, count(*) "
                "FROM w JOIN statements_statement_topics st ON st.statement_id = w.id "
                "JOIN events_topic t ON t.id = st.topic_id GROUP BY t.slug"
            )
            total = counts["count"][""]
            counts["topic"] = {slug: n + total for slug, n in cursor.fetchall()}
            counts["topic"][topic] = total
    counts["count"] = counts["count"][""]
    return counts


def as_counts(entries) -> dict:
    return {entry.get("slug", entry.get("value")): entry["count"] for entry in entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--completed",
        action="store_true",
        help="time the completed answers instead: each combination's first answer, the seconds "
        "until its background completion is kept, then the complete answer from the cache",
    )
    args = parser.parse_args()
    client = Client()
    if args.completed:
        completed(client, args.repeat)
        return
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'query':52} {'API ms':>7} {'p95':>6} {'limit ms':>9}  timed out")
    for query, where, topic, unchecked in COMBINATIONS:
        url = f"/api/v1/statements/facets/?{query}"
        client.get(url)  # warm-up
        times, answers = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:500]
            answers.append(response.json())
        started = time.perf_counter()
        expected = limit(where, topic)
        expected.update(dict.fromkeys(unchecked))
        limit_took = time.perf_counter() - started
        missed = set()
        for answer in answers:
            missed.update(answer["timed_out"])
            for name, value in expected.items():
                if value is None or name in answer["timed_out"]:
                    continue
                got = answer[name] if name == "count" else as_counts(answer[name])
                if got != value:
                    sys.exit(f"{url}: {name} differs from the limit's")
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        print(
            f"{query or '(no filter)':52} {statistics.median(times) * 1000:7.0f} "
            f"{p95 * 1000:6.0f} {limit_took * 1000:9.0f}  {', '.join(sorted(missed)) or '-'}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


def completed(client: Client, repeat: int) -> None:
    """The facets completed in the background (config.api.completion), as a client meets them:
    the first answer names its left-out counts, a later one at the same dataset version is whole
    and comes from the cache. Every count of the whole answer is checked against the limit."""
    from django.core.cache import cache
    from django.test.utils import override_settings

    cache.clear()
    print(f"database: {connection.vendor}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'query':46} {'first ms':>8} {'whole after s':>13} {'whole ms':>8} {'p95':>6}")
    with override_settings(FACETS_BACKGROUND_QUEUE=4):
        for query, where, topic, unchecked in COMBINATIONS:
            url = f"/api/v1/statements/facets/?{query}"
            started = time.perf_counter()
            first = client.get(url).json()
            first_took = time.perf_counter() - started
            answer = first
            while answer["timed_out"]:
                if time.perf_counter() - started > 300:
                    sys.exit(f"{url}: not completed in 300 s")
                time.sleep(0.1)
                answer = client.get(url).json()
            whole_after = time.perf_counter() - started
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                assert client.get(url).json() == answer
                times.append(time.perf_counter() - started)
            expected = limit(where, topic)
            for name, value in expected.items():
                got = answer[name] if name == "count" else as_counts(answer[name])
                if name not in unchecked and got != value:
                    sys.exit(f"{url}: {name} differs from the limit's")
            times.sort()
            p95 = times[max(0, round(0.95 * len(times)) - 1)]
            print(
                f"{query or '(no filter)':46} {first_took * 1000:8.0f} {whole_after:13.1f} "
                f"{statistics.median(times) * 1000:8.1f} {p95 * 1000:6.1f}"
            )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
