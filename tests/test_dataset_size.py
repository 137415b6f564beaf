"""The dataset commands past PostgreSQL's limit of 65,535 bound parameters in one query.

At 70,000 statements, a prefetch over every statement (their citations, for the evidence check)
would send 70,000 keys in one query, which PostgreSQL refuses: the commands read 2,000 records
at a time. SQLite binds at most 250,000 parameters and Django splits its `IN` lists already, so
the size that proves this runs on PostgreSQL only.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench import dataset
from statements.checks import _evidence_problems
from statements.models import Statement

STATEMENTS = 70_000


# committed rows, emptied after the test by a TRUNCATE that cascades (available_apps allows it)
# to the search's kept rankings, which refer to the statements
pytestmark = pytest.mark.django_db(transaction=True, available_apps=settings.INSTALLED_APPS)


@pytest.fixture
def large_dataset() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the parameter limit is PostgreSQL's: the PostgreSQL run covers this")
    dataset.build(STATEMENTS, seed=1, log=lambda line: None)


def test_dataset_commands_run_past_the_parameter_limit(
    large_dataset, capsys, django_assert_max_num_queries
):
    # the topics exist, then the digest of the release last loaded (none: it was built in bulk)
    with django_assert_max_num_queries(2):
        call_command("load_dataset", "--if-empty")
    problems = list(_evidence_problems())

    assert "fixtures/ is not the one last loaded into it" in capsys.readouterr().out
    # the synthetic statements' quotes and fragments are drawn apart from their excerpts: each
    # is reported, and nothing else is
    quoted = Statement.objects.exclude(kind=Statement.Kind.PARAPHRASE)
    assert Statement.objects.count() == STATEMENTS
    assert {line.split(":")[0] for line in problems} == {
        f"statement {slug}" for slug in quoted.values_list("slug", flat=True)
    }
    assert len(problems) == quoted.count()
