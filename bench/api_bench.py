"""Time the read API at a chosen size beside the raw limit of each answer, and print the figures.

    .venv/bin/python bench/api_bench.py                      # SQLite, bench/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench .venv/bin/python bench/api_bench.py

It migrates, fills the database once with bench/dataset.py (1,000,000 statements by default;
`--rebuild` starts again), creates the indexes the raw limit needs (bench/raw_limit.py), then for
each request checks that the API and the limit give the same JSON and times three things in
turns, in this one process:
- the API as a server calls it: Django's WSGI handler with each request's connection given back
  at its end and taken at the next request's start, as under `make serve` (PostgreSQL's pool of
  4, SQLite's kept connections: config.sqlite), with routing, middleware, filters, SQL and
  serialisation, and no network;
- the raw limit: one hand-written query and orjson, called directly;
- the served limit: that same body returned by a plain Django view under /api/v1/ (bench/urls.py),
  through the same handler and middleware as the API.
Each is warmed up first, then timed `--repeat` times. It prints the API's median and 95th
percentile, its queries and the time spent in the database driver's execute calls (median: the
rest is Python); then, for each limit, its median, 95th percentile and the ratio of the API's
median to it.
"""

import argparse
import gc
import io
import logging
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("PARLEY_ANON_RATE", "off")
os.environ.setdefault("PARLEY_DB_POOL_SIZE", "4")  # as gunicorn.conf.py sets it
# the response cache would answer every repeat from memory: time the work of building answers
os.environ.setdefault("PARLEY_RESPONSE_CACHE_SECONDS", "0")
warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic needed

import django  # noqa: E402

django.setup()
logging.disable(logging.INFO)  # no access log line per request

from django.conf import settings  # noqa: E402

# the application's URLs, and each raw limit served as a plain view (bench/urls.py)
settings.ROOT_URLCONF = "bench.urls"

import orjson  # noqa: E402
from django.core import signing  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import dataset, history_rows, raw_limit, urls  # noqa: E402
from bench.raw_limit import Page  # noqa: E402
from events.models import Event  # noqa: E402
from statements.models import Citation, Statement  # noqa: E402


def rebuild_database() -> None:
    """An empty, migrated database: the SQLite file removed, or PostgreSQL's schema dropped."""
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connection.close()
        path.unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def rare_word() -> str:
    """The least frequent word of the vocabulary that search does not drop."""
    for word in reversed(dataset.vocabulary()):
        if len(word) > 6 and word.isalpha():
            return word.lower()
    raise RuntimeError("no rare word")


def top_speaker() -> str:
    speaker = (
        Statement.objects.values("speaker__slug")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
        .first()
    )
    return speaker["speaker__slug"]


def searched(word: str) -> raw_limit.Words:
    """The word as the limit writes it (its spellings and synonyms, by hand), and whether
    PostgreSQL keeps its ranking (config.db.search.top: `refresh_search_top` chose it)."""
    words = raw_limit.WORDS.get(word, raw_limit.Words((word,)))
    if connection.vendor != "postgresql":
        return words
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM statements_statement_top_term WHERE term = %s", [words.term])
        kept = cursor.fetchone() is not None
    return raw_limit.Words(words.spellings, words.synonyms, kept)


def statements(name: str, path: str, **page) -> tuple[str, str, Callable[[], bytes]]:
    """A statement list request, and its raw limit (`page`: see raw_limit.Page)."""
    return name, path, lambda: raw_limit.statements_page(Page(path, **page))


def requests() -> list[tuple[str, str, Callable[[], bytes] | None]]:
    """(name, API address, the raw limit's answer or None) of every request timed."""
    speaker, word, common = top_speaker(), rare_word(), "ceasefire"
    total = Statement.objects.count()
    detail = Statement.objects.order_by("id").values_list("slug", flat=True)[total // 2]
    # page 500 at a million statements; within the first COUNT_CAP matches, and the result, below
    deep = max(1, min(500, total // (2 * raw_limit.PAGE_SIZE)))
    # the same depth in the common word's matches (page 500 at a million statements)
    matches = Statement.objects.search(common).order_by().values("pk")[: raw_limit.COUNT_CAP]
    common_deep = max(1, min(deep, matches.count() // (2 * raw_limit.PAGE_SIZE)))
    newest_first = (
        "s.date_earliest DESC NULLS LAST, s.id"
        if connection.vendor == "postgresql"
        else "s.date_earliest DESC, s.id"
    )
    return [
        statements("statements, first page", "/api/v1/statements/"),
        statements(
            f"?speaker={speaker}",
            f"/api/v1/statements/?speaker={speaker}",
            where="s.speaker_id = (SELECT id FROM events_person WHERE slug = %s)",
            params=[speaker],
        ),
        statements(
            "?topic=territory&ordering=-date",
            "/api/v1/statements/?topic=territory&ordering=-date",
            where="s.id IN (SELECT statement_id FROM statements_statement_topics "
            "WHERE topic_id = (SELECT id FROM events_topic WHERE slug = %s))",
            params=["territory"],
            order=newest_first,
            # one link per statement and topic: the topic's links counted from their index
            counted="SELECT 1 FROM statements_statement_topics "
            "WHERE topic_id = (SELECT id FROM events_topic WHERE slug = %s)",
            counted_params=["territory"],
        ),
        statements(
            "?date_from=2025-03&date_to=2025-03",
            "/api/v1/statements/?date_from=2025-03&date_to=2025-03",
            # the default date_match: the whole interval inside the month (its start too, which
            # the date order index reads: the fastest way to say it)
            where="s.date_earliest >= %s AND s.date_latest <= %s AND s.date_earliest <= %s",
            params=["2025-03-01", "2025-03-31", "2025-03-31"],
        ),
        statements(f"?q={word} (rare)", f"/api/v1/statements/?q={word}", search=searched(word)),
        statements(
            f"?q={common} (common)", f"/api/v1/statements/?q={common}", search=searched(common)
        ),
        statements(
            f"?q={common}&page={common_deep}",
            f"/api/v1/statements/?q={common}&page={common_deep}",
            search=searched(common),
            number=common_deep,
        ),
        statements(f"?page={deep}", f"/api/v1/statements/?page={deep}", number=deep),
        (
            "?paging=cursor, first page",
            "/api/v1/statements/?paging=cursor",
            lambda: raw_limit.statements_cursor_page("/api/v1/statements/?paging=cursor", None),
        ),
        cursor_page(min(20_000, Statement.objects.count() // (2 * raw_limit.PAGE_SIZE))),
        (
            "statement by slug",
            f"/api/v1/statements/{detail}/",
            lambda: raw_limit.statement_detail(detail),
        ),
        ("events, first page", "/api/v1/events/", raw_limit.events_page),
        *timeline_history_and_changes(),
        *search_requests(word),
        # what any answer costs before its records: routing, middleware, the version query
        ("API root (no record: the floor)", "/api/v1/", None),
    ]


def timeline_history_and_changes() -> list[tuple[str, str, Callable[[], bytes]]]:
    """The timeline (its first page, a month of it both ways), the history of a statement the
    second release changed, and the change feed (its first page, and a page from the middle
    of the statements' versions, reached by its cursor)."""
    month = ("2025-03-01", "2025-03-31")
    within = "x.date_earliest >= %s AND x.date_latest <= %s AND x.date_earliest <= %s"
    overlaps = "x.date_latest >= %s AND (x.date_earliest <= %s OR x.date_earliest IS NULL)"
    march = "/api/v1/timeline/?date_from=2025-03&date_to=2025-03"
    versions = Statement.history.model.objects
    changed = versions.filter(version=2).order_by("history_id").values_list("slug", flat=True)
    middle = versions.filter(version=1).order_by("history_id")
    when, pk = middle.values_list("history_date", "history_id")[middle.count() // 2]
    rank = [name for name, _table, _route in raw_limit.CHANGE_TYPES].index("statement")
    slug = changed[changed.count() // 2]
    cursor = raw_limit.changes_cursor((when, rank, pk))
    return [
        ("timeline, first page", "/api/v1/timeline/",
         lambda: raw_limit.timeline_page("/api/v1/timeline/")),
        ("timeline, a month", march,
         lambda: raw_limit.timeline_page(march, within, (month[0], month[1], month[1]))),
        ("timeline, a month (overlaps)", f"{march}&date_match=overlaps",
         lambda: raw_limit.timeline_page(f"{march}&date_match=overlaps", overlaps, month)),
        ("history of a statement", f"/api/v1/statements/{slug}/history/",
         lambda: raw_limit.history_of_statement(slug)),
        ("changes, first page", "/api/v1/changes/", raw_limit.changes_page),
        ("changes, a page from the middle", f"/api/v1/changes/?cursor={cursor}",
         lambda: raw_limit.changes_page((when, rank, pk))),
    ]  # fmt: skip


def search_requests(word: str) -> list[tuple[str, str, Callable[[], bytes]]]:
    """`/search/`: the four types ranked together, for a rare word."""
    path = f"/api/v1/search/?q={word}"
    return [(f"/search/?q={word} (rare)", path, lambda: raw_limit.search_hits_page(word, path))]


def cursor_page(number: int) -> tuple[str, str, Callable[[], bytes]]:
    """The `number`th page of the cursor walk, reached by its cursor as the walk reaches it:
    the position of the previous page's last record, signed as config.api.pagination signs it."""
    last = (number - 1) * raw_limit.PAGE_SIZE - 1
    # the lists' default order (config.db.ordering.DATE_ORDER, written out for older commits)
    in_order = Statement.objects.order_by(F("date_earliest").asc(nulls_first=True), "slug", "id")
    earliest, slug, pk = in_order.values_list("date_earliest", "slug", "id")[last]
    position = [str(earliest) if earliest else None, slug, pk]
    payload = {"k": raw_limit.CURSOR_KEY, "v": position, "b": False}
    cursor = signing.dumps(payload, salt=raw_limit.CURSOR_SALT, compress=True)
    path = f"/api/v1/statements/?paging=cursor&cursor={cursor}"
    return (
        f"?paging=cursor, page {number:,}",
        path,
        lambda: raw_limit.statements_cursor_page(path, position),
    )


def comparable(document):
    """The answer with each cursor in its links read back, as a cursor is signed with the
    time: two signatures of one position differ from one second to the next."""
    if not isinstance(document, dict):
        return document
    document = dict(document)
    for name in ("next", "previous"):
        link = document.get(name)
        if link and "cursor=" in link:
            (cursor,) = parse_qs(urlsplit(link).query)["cursor"]
            document[name] = (
                link.split("cursor=")[0],
                signing.loads(cursor, salt=raw_limit.CURSOR_SALT),
            )
    return document


def percentile95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]


def explain(queries: list[dict]) -> None:
    """Print the plan of the request's slowest query (PostgreSQL: as run, with its timings)."""
    slowest = max(queries, key=lambda query: float(query["time"]))
    sql = slowest["sql"]
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS)" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    )
    with connection.cursor() as cursor:
        # the captured SQL has its parameters in place already
        cursor.execute(f"{prefix} {sql}".replace("%", "%%"))
        plan = [" ".join(str(part) for part in row) for row in cursor.fetchall()]
    print(f"    slowest query ({float(slowest['time']) * 1000:.1f} ms): {sql[:300]}")
    for line in plan:
        print(f"      {line}")


def timed(spent: list[float]):
    """An execute wrapper that adds the time of each database call to `spent` (seconds)."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    return wrapper


class Server:
    """The application called as a WSGI server calls it, one request at a time. Unlike Django's
    test client, it leaves the request signals as they are: the request's database connection
    goes back (to the pool, or to the kept connections) when the answer has been read."""

    def __init__(self):
        self.handler = WSGIHandler()

    def get(self, address: str) -> "Answer":
        path, _, query = address.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        status = []
        response = self.handler(environ, lambda line, headers, *_: status.append(line))
        try:
            body = b"".join(response)
        finally:
            response.close()  # request_finished: the connection goes back
        return Answer(int(status[0].split()[0]), body)


class Answer:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content

    def json(self):
        return orjson.loads(self.content)


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def p95_ms(timings: list[float]) -> float:
    return percentile95(timings) * 1000


def measure(repeat: int, warmup: int, only: str, with_limit: bool, plans: bool = False) -> int:
    """Time the chosen requests and print a line for each; return how many limits differed
    from the API's answer (those lines are left out)."""
    client = Server()
    differences = 0
    print(
        f"{'request':40} {'API ms':>7} {'p95':>6} {'queries':>7} {'SQL ms':>6} {'limit ms':>8} "
        f"{'p95':>6} {'ratio':>5} {'served':>6} {'p95':>6} {'ratio':>5} {'matched':>9}"
    )
    chosen = [
        (name, address, limit)
        for name, address, limit in requests()
        if not only or any(part in name for part in only.split(","))
    ]
    # Every request once, then gc.freeze(): what Django built at start-up and on first use
    # leaves the collector's generations, as a server worker can after its warm-up. Otherwise
    # a full collection (some 80 ms) lands in about one request in twenty: every line's p95.
    for _name, address, _limit in chosen:
        client.get(address)
    gc.freeze()
    for name, address, limit in chosen:
        with CaptureQueriesContext(connection) as queries:  # counted once, outside the timings
            response = client.get(address)
        captured = queries.captured_queries  # read now: the next request empties the log
        assert response.status_code == 200, (address, response.status_code, response.content[:300])
        expected = response.json()
        has_limit = with_limit and limit is not None
        served = urls.register(limit) if has_limit else None
        if has_limit:
            # the raw limit's answer, then the same served: each must be the API's
            wanted = comparable(expected)
            answers = [orjson.loads(limit()), client.get(served).json()]
            got = next((answer for answer in map(comparable, answers) if answer != wanted), None)
            if got is not None:
                report_difference(name, wanted, got)
                differences += 1
                continue
        api, sql, raw, through_django = [], [], [], []
        for n in range(warmup + repeat):
            in_database = []
            # the API, the raw limit and the served limit in turns, each timed alone
            with connection.execute_wrapper(timed(in_database)):
                started = time.perf_counter()
                client.get(address)
                took = time.perf_counter() - started
            raw_took = served_took = 0.0
            if has_limit:
                started = time.perf_counter()
                limit()
                raw_took = time.perf_counter() - started
                started = time.perf_counter()
                client.get(served)
                served_took = time.perf_counter() - started
            if n >= warmup:
                api.append(took)
                sql.append(sum(in_database))
                raw.append(raw_took)
                through_django.append(served_took)
        matched = expected.get("count", len(expected.get("results", [None])))
        matched = matched if isinstance(matched, int) else 0
        line = (
            f"{name[:40]:40} {median_ms(api):7.1f} {p95_ms(api):6.1f} "
            f"{len(captured):7} {median_ms(sql):6.1f}"
        )
        if has_limit:
            line += (
                f" {median_ms(raw):8.1f} {p95_ms(raw):6.1f} {median_ms(api) / median_ms(raw):5.1f}"
                f" {median_ms(through_django):6.1f} {p95_ms(through_django):6.1f}"
                f" {median_ms(api) / median_ms(through_django):5.1f}"
            )
        else:
            line += f" {'-':>8} {'-':>6} {'-':>5} {'-':>6} {'-':>6} {'-':>5}"
        print(f"{line} {matched:9,}", flush=True)
        if plans:
            explain(captured)
    return differences


def report_difference(name: str, expected, got, path: str = "") -> None:
    """Print where the limit's answer first differs from the API's (a bug in the limit)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected.keys() | got.keys():
            if expected.get(key) != got.get(key):
                return report_difference(name, expected.get(key), got.get(key), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for n, (one, other) in enumerate(zip(expected, got, strict=True)):
            if one != other:
                return report_difference(name, one, other, f"{path}[{n}]")
    print(f"{name}: the limit differs at {path or 'the top'}: API {expected!r:.200} "
          f"limit {got!r:.200}")  # fmt: skip
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        default="",
        help="time only the requests whose name holds one of these (comma-separated)",
    )
    parser.add_argument("--rebuild", action="store_true", help="empty the database first")
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of each request's slowest query"
    )
    parser.add_argument(
        "--api-only",
        action="store_true",
        help="time the API alone, on its own schema: create none of the limit's indexes",
    )
    args = parser.parse_args()

    if args.rebuild:
        rebuild_database()
    call_command("migrate", verbosity=0)
    have = Statement.objects.count()
    if have != args.statements:
        if have:
            sys.exit(
                f"the database holds {have:,} statements, not {args.statements:,}: use --rebuild"
            )
        started = time.perf_counter()
        dataset.build(args.statements, args.seed, log=lambda line: print(line, file=sys.stderr))
        print(f"  built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    # the history a load leaves (bench/history_rows.py), once
    history_rows.ensure_history(log=lambda line: print(line, file=sys.stderr))
    if not args.api_only:
        created = raw_limit.ensure_indexes()
        if created:
            print(f"  created the limit's indexes {', '.join(created)}", file=sys.stderr)
    print(
        f"database: {connection.vendor}, {Statement.objects.count():,} statements, "
        f"{Citation.objects.count():,} citations, {Event.objects.count():,} events; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    differences = measure(args.repeat, args.warmup, args.only, not args.api_only, args.explain)
    print(f"load average {os.getloadavg()[0]:.1f}")
    if differences:
        sys.exit(f"{differences} limit(s) differ from the API's answer: see above")


if __name__ == "__main__":
    main()
