import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User

from statements.models import Citation
from tests.conftest import editors_group
from tests.factories import (
    ARTICLE,
    CitationFactory,
    FigureFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["statement", "figure", "citation"])
def test_admin_changelist_add_and_change_pages_render(admin_client, model):
    citation = CitationFactory(statement=StatementFactory())
    figure = FigureFactory()
    record = {"statement": citation.statement, "figure": figure, "citation": citation}[model]

    pages = [
        admin_client.get(f"/admin/statements/{model}/"),
        admin_client.get(f"/admin/statements/{model}/?q=see"),
        admin_client.get(f"/admin/statements/{model}/add/"),
        admin_client.get(f"/admin/statements/{model}/{record.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]


def citation_form(source, statement, excerpt: str, start="", end="") -> dict:
    return {
        "source": source.pk,
        "statement": statement.pk,
        "event": "",
        "figure": "",
        "excerpt": excerpt,
        "start": start,
        "end": end,
    }


def test_admin_citation_with_blank_offsets_is_located_in_the_source(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/", citation_form(source, statement, "“We will see,”")
    )

    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.start, citation.end) == (ARTICLE.index("“We"), ARTICLE.index("“We") + 14)


def test_admin_citation_at_wrong_offsets_is_refused_with_the_reason(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/",
        citation_form(source, statement, "We will see,", start=0, end=12),
    )

    assert response.status_code == 200
    assert "is not at offsets 0..12" in response.content.decode()
    assert Citation.objects.count() == 0


def test_admin_citation_not_in_the_source_is_refused(admin_client):
    source, statement = SourceFactory(), StatementFactory()

    response = admin_client.post(
        "/admin/statements/citation/add/",
        citation_form(source, statement, "words nobody wrote"),
    )

    assert (
        f"In source &#x27;{source.slug}&#x27; ({source.title}): the excerpt is not in the text."
        in response.content.decode()
    )
    assert Citation.objects.count() == 0


def test_admin_statement_saves_with_a_citation_inline(admin_client):
    source = SourceFactory()
    speaker = StatementFactory().speaker

    response = admin_client.post(
        "/admin/statements/statement/add/",
        {
            "slug": "peskov-2025-02-04-see",
            "speaker": speaker.pk,
            "speaker_label": "he",
            "kind": "quote",
            "text": "We will see,",
            "date": "2025-02-04",
            "date_basis": "resolved",
            "date_note": "",
            "venue": "",
            "via": "",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-excerpt": "“We will see,” he told reporters",
            "citations-0-start": "",
            "citations-0-end": "",
            "wordings-TOTAL_FORMS": "1",
            "wordings-INITIAL_FORMS": "0",
            "wordings-0-source": source.pk,
            "wordings-0-text": "We will see,",
            "wordings-0-canonical": "on",
            "positions-TOTAL_FORMS": "1",
            "positions-INITIAL_FORMS": "0",
            "positions-0-issue": "talks",
            "positions-0-stance": "neutral",
            "positions-0-excerpt": "We will see",
        },
    )

    assert response.status_code == 302
    citation = Citation.objects.get(statement__slug="peskov-2025-02-04-see")
    assert source.text[citation.start : citation.end] == "“We will see,” he told reporters"
    statement = citation.statement
    assert (statement.date_earliest, statement.date_latest) == (
        datetime.date(2025, 2, 4),
        datetime.date(2025, 2, 4),
    )
    assert list(statement.wordings.values_list("text", "canonical")) == [("We will see,", True)]
    assert list(statement.positions.values_list("issue", "stance")) == [("talks", "neutral")]


def test_admin_statement_form_opens_with_the_text_and_the_interval_collapsed(admin_client):
    statement = CitationFactory(statement=StatementFactory()).statement

    page = admin_client.get(f"/admin/statements/statement/{statement.pk}/change/")
    html = page.content.decode()
    interval = html.index("Date interval and basis")

    assert html.index('name="text"') < html.index('name="date"') < interval
    assert html.rindex("<details>", 0, interval) > html.index('name="date"')
    assert interval < html.index('name="date_earliest"')


def test_admin_statement_form_opens_the_interval_that_holds_an_error(admin_client):
    statement = CitationFactory(statement=StatementFactory()).statement
    form = admin_client.get(f"/admin/statements/statement/{statement.pk}/change/")
    data = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if key not in ("about", "topics", "places", "occasion")
    }

    response = admin_client.post(
        f"/admin/statements/statement/{statement.pk}/change/",
        {
            **data,
            "speaker": statement.speaker_id,
            "date": "2025-02-04",
            "date_interval_explicit": "on",
            "date_earliest": "2025-02-10",
            "date_latest": "2025-02-01",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "wordings-TOTAL_FORMS": "0",
            "wordings-INITIAL_FORMS": "0",
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
        },
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<details>" not in html[: html.index('name="date_earliest"')]


def test_user_put_in_the_editors_group_can_log_in_to_the_admin(client):
    user = User.objects.create_user("newcomer", password="a long passphrase 4c1e")

    user.groups.add(editors_group())
    login = client.post(
        "/admin/login/?next=/admin/",
        {"username": "newcomer", "password": "a long passphrase 4c1e", "next": "/admin/"},
    )
    home = client.get("/admin/")

    assert user.is_staff is True
    assert (login.status_code, login["Location"]) == (302, "/admin/")
    assert home.status_code == 200
    assert "Statements" in home.content.decode()


def test_editors_group_membership_gives_and_takes_staff_status_from_either_side():
    editors, other = editors_group(), Group.objects.create(name="translators")
    ann, bob, cyd = (User.objects.create_user(name) for name in ("ann", "bob", "cyd"))
    root = User.objects.create_superuser("root", "root@example.org", "x")
    cyd.groups.add(other)

    editors.user_set.add(ann, bob, cyd, root)
    after_adding = staff(ann, bob, cyd, root)
    ann.groups.remove(editors)
    editors.user_set.remove(cyd, root)
    bob.groups.clear()
    after_leaving = staff(ann, bob, cyd, root)

    assert after_adding == [True, True, True, True]
    # cyd keeps the status another group may need; a superuser keeps it always
    assert after_leaving == [False, False, True, True]


def test_editors_group_cleared_takes_staff_status_from_its_members():
    editors = editors_group()
    ann = User.objects.create_user("ann")
    ann.groups.add(editors)

    editors.user_set.clear()

    assert staff(ann) == [False]


def test_migration_gives_staff_status_to_those_already_in_the_editors_group():
    migration = importlib.import_module("statements.migrations.0012_editors_are_staff")
    ann, bob = User.objects.create_user("ann"), User.objects.create_user("bob")
    ann.groups.add(editors_group())
    User.objects.update(is_staff=False)  # as they were before the receiver existed

    migration.editors_are_staff(django_apps, None)

    assert staff(ann, bob) == [True, False]


def staff(*users) -> list[bool]:
    return [User.objects.get(pk=user.pk).is_staff for user in users]
