"""Facets completed in the background: counts left out of an answer are counted again with more
time, on the worker thread's own connection (so the data must be committed: transactional
tests), and the next answer at the same dataset version gives them all."""

import logging
import threading

import pytest
from django.core.cache import cache
from django.http import QueryDict

from config.api.completion import claim_key, completion_key, completions, dataset_version
from statements.models import Statement
from tests.factories import PlaceFactory, StatementFactory, TopicFactory
from tests.test_production import PRODUCTION_ENV, SETUP, run

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/statements/facets/?date_from=2024"
WAIT = 30  # seconds: a few statements take milliseconds, on a busy machine more


@pytest.fixture(autouse=True)
def idle_worker(settings):
    """Background counts on (the suite has them off), and every test leaves the worker idle: a
    job running past it would read the next test's tables."""
    settings.FACETS_BACKGROUND_QUEUE = 4
    yield
    assert completions.wait_idle(WAIT)


@pytest.fixture
def statements():
    for day in ["2024-03-01", "2024-03-02", "2025-01-05"]:
        StatementFactory(date=day, topics=[TopicFactory()], places=[PlaceFactory()])


@pytest.fixture
def no_time(settings):
    """Facets whose every count is left out (below what the setting allows: no query runs)."""
    settings.FACETS_TIME_LIMIT_MS = 0


def test_facets_left_out_are_completed_for_the_next_answer(api_client, statements, settings):
    full = api_client.get(URL).json()  # the suite's budget is a minute: complete at once
    settings.PARLEY_RESPONSE_CACHE_SECONDS = 3600  # a partial answer is not kept in it
    settings.FACETS_TIME_LIMIT_MS = 0

    first = api_client.get(URL)
    assert completions.wait_idle(WAIT)
    second = api_client.get(URL)

    assert full["timed_out"] == []
    assert full["complete_later"] is False
    assert first.json() == dict.fromkeys(full, None) | {
        "timed_out": ["count", "speaker", "speaker_kind", "kind", "topic", "place", "issue"]
        + ["stance", "month"],
        "complete_later": True,
    }
    assert (first["Cache-Control"], "ETag" in first) == ("no-store", False)
    assert second.json() == full
    assert "Cache-Control" not in second


def test_facets_completed_are_not_used_after_a_write(api_client, statements, no_time):
    api_client.get(URL)
    assert completions.wait_idle(WAIT)

    StatementFactory(date="2024-06-01")  # a write: the dataset version changes
    after_write = api_client.get(URL).json()
    assert completions.wait_idle(WAIT)
    completed = api_client.get(URL).json()

    assert (after_write["count"], after_write["complete_later"]) == (None, True)
    assert (completed["count"], completed["timed_out"]) == (4, [])


def test_facets_spell_one_question_one_way(api_client, statements, no_time):
    api_client.get("/api/v1/statements/facets/?kind=quote&date_from=2024&q=")
    assert completions.wait_idle(WAIT)

    answer = api_client.get("/api/v1/statements/facets/?date_from=2024&kind=quote").json()

    assert (answer["count"], answer["timed_out"]) == (3, [])


def test_facets_completion_queue_holds_its_bound(api_client, statements, no_time, settings):
    settings.FACETS_BACKGROUND_QUEUE = 2
    release = threading.Event()
    # the worker kept busy: the queue fills up behind it
    completions.add("busy", dataset_version(), lambda: {"count": int(release.wait(WAIT))})

    try:
        answers = [
            api_client.get(f"/api/v1/statements/facets/?date_from={year}").json()
            for year in [2020, 2021, 2022, 2023, 2020]
        ]
        pending = set(completions.pending)
    finally:
        release.set()

    assert [answer["complete_later"] for answer in answers] == [True, False, False, False, True]
    assert len(pending) == 2


def test_facets_another_process_is_counting_are_not_counted_again():
    key = completion_key("/api/v1/statements/facets/", QueryDict(), dataset_version())
    cache.add(claim_key(key), 1, 60)  # as another process's worker claims it, in the cache

    try:
        added = completions.add(key, dataset_version(), lambda: {"count": 1})
        pending = set(completions.pending)
    finally:
        cache.delete(claim_key(key))
    completions.add(key, dataset_version(), lambda: {"count": 1})  # claimed by none now
    assert completions.wait_idle(WAIT)

    assert (added, pending) == (True, set())
    assert cache.get(key) == {"count": 1, "complete_later": False}
    assert cache.get(claim_key(key)) is None  # released when the job ended


def test_facets_claim_the_cache_refuses_gives_the_place_back(settings):
    key = completion_key("/api/v1/statements/facets/", QueryDict(), dataset_version())
    # a Redis nobody listens on: the claim's cache.add() raises
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    with pytest.raises(Exception, match="(?i)connect"):
        completions.add(key, dataset_version(), lambda: {"count": 1})

    assert completions.pending == set()


def test_facets_completion_error_is_logged(caplog, db):
    key = completion_key("/api/v1/statements/facets/", QueryDict(), dataset_version())

    with caplog.at_level(logging.ERROR, logger="parley.api"):
        completions.add(key, dataset_version(), lambda: 1 / 0)
        assert completions.wait_idle(WAIT)

    assert [record.exc_info[0] for record in caplog.records] == [ZeroDivisionError]
    assert completions.pending == set()


def test_facets_counted_across_a_write_are_not_kept(db):
    key = completion_key("/api/v1/statements/facets/", QueryDict(), dataset_version())

    def count_while_writing() -> dict:
        StatementFactory()  # a write while counting: the counts may hold some of it
        return {"count": 1}

    completions.add(key, dataset_version(), count_while_writing)
    assert completions.wait_idle(WAIT)

    assert (Statement.objects.count(), cache.get(key)) == (1, None)


def test_facets_background_budget_below_the_request_budget_is_refused_at_start():
    result = run(
        "-c",
        SETUP,
        PARLEY_FACETS_TIME_LIMIT_MS="500",
        PARLEY_FACETS_BACKGROUND_LIMIT_MS="100",
        **PRODUCTION_ENV,
    )

    assert "PARLEY_FACETS_BACKGROUND_LIMIT_MS must be at least PARLEY_FACETS_TIME_LIMIT_MS" in (
        result.stderr
    )
