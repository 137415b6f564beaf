"""The admin's review page of an ingested article: the text marked at every candidate's offsets,
and accepting (as proposed or edited), rejecting and accepting together through the ingest
service, with its refusals shown on the page and nothing changed by them."""

import html
import re

import pytest
from django.contrib.auth.models import User

from events.models import Person
from statements.ingest.admin import EDIT_FORMS, segments
from statements.ingest.models import Candidate
from statements.ingest.service import CORRECTIONS, ingest
from statements.models import Statement
from tests.conftest import editors_group

pytestmark = pytest.mark.django_db

TEXT = (
    "Kremlin open to talks, Peskov says\n"
    "Kremlin spokesman Dmitry Peskov said on Tuesday that Moscow was open to talks.\n"
    "“We want peace,” Peskov told reporters in Moscow, “but not at any price.”\n"
    'A senior European diplomat said the plan was "dead on arrival".\n'
    "The two leaders are due to meet in Geneva next month.\n"
)


@pytest.fixture
def source():
    return ingest(
        url="https://example.org/talks", outlet="Example News", published="2025-05-15", text=TEXT
    ).source


@pytest.fixture
def reviewer(client):
    user = User.objects.create_user("reviewer", password="a long passphrase 77b2")
    user.groups.add(editors_group())
    client.force_login(user)
    return user


def review_url(source) -> str:
    return f"/admin/statements/candidate/review/{source.slug}/"


def candidate_of(source, kind: str) -> Candidate:
    return source.candidates.filter(kind=kind).order_by("start").first()


def test_review_page_marks_every_candidate_at_its_offsets(client, reviewer, source):
    candidates = list(source.candidates.order_by("start", "id"))

    page = client.get(review_url(source)).content.decode()
    text = re.search(r'<pre id="review-text">(.*?)</pre>', page, re.S).group(1)
    marked = {}  # candidate id -> (offset, characters) of each run marked for it
    position = 0
    for run in re.finditer(
        r'<mark [^>]*data-candidates="([\d ]+)"[^>]*>(.*?)</mark>|([^<]+)', text
    ):
        ids, chars = (run[1] or "").split(), html.unescape(run[2] or run[3])
        for candidate_id in ids:
            marked.setdefault(int(candidate_id), []).append((position, chars))
        position += len(chars)

    assert len(candidates) >= 4
    assert {c.kind for c in candidates} >= {"quote", "fragment", "claim", "event"}
    for candidate in candidates:
        runs = marked[candidate.pk]
        assert runs[0][0] == candidate.start
        assert "".join(chars for _start, chars in runs) == candidate.excerpt
        assert f'id="candidate-{candidate.pk}"' in page


def test_review_text_is_cut_where_excerpts_overlap():
    first = Candidate(pk=1, kind="claim", start=0, end=10)
    second = Candidate(pk=2, kind="event", start=5, end=15)

    runs = segments("0123456789abcdefghij", [first, second])

    assert [(run.text, run.ids, run.classes) for run in runs] == [
        ("01234", "1", "kind-claim"),
        ("56789", "1 2", "kind-claim kind-event"),
        ("abcde", "2", "kind-event"),
        ("fghij", "", ""),
    ]


def test_review_edit_forms_offer_only_corrections_the_service_takes():
    for target, form_class in EDIT_FORMS.items():
        assert set(form_class.base_fields) <= CORRECTIONS[target], target


def test_review_accepts_a_candidate_as_proposed(client, reviewer, source):
    quote = candidate_of(source, "quote")

    response = client.post(review_url(source), {"accept": quote.pk})

    quote.refresh_from_db()
    assert response.status_code == 302
    assert (quote.review_status, quote.reviewed_by) == ("accepted", reviewer)
    assert list(Statement.objects.order_by("id").values_list("text", flat=True)) == [
        "We want peace,",
        "but not at any price.",
    ]
    assert Statement.objects.first().history.get().history_user == reviewer
    messages = [str(m) for m in client.get(review_url(source)).context["messages"]]
    assert messages[0].startswith(f"Accepted #{quote.pk}: person dmitry-peskov, statement ")


def test_review_accepts_a_candidate_with_the_editors_changes_only(client, reviewer, source):
    quote = candidate_of(source, "quote")
    prefix = f"c{quote.pk}"
    form = EDIT_FORMS["statement"](quote)
    data = {f"{prefix}-{name}": form.initial.get(name) or "" for name in form.fields}

    response = client.post(
        review_url(source),
        {
            **data,
            f"{prefix}-text": "We want peace,",
            f"{prefix}-speaker_label": "the Kremlin spokesman",
            "accept": quote.pk,
        },
    )

    assert response.status_code == 302
    statement = Statement.objects.get()
    assert (statement.text, statement.speaker_label, statement.speaker.name) == (
        "We want peace,",
        "the Kremlin spokesman",
        "Dmitry Peskov",
    )


def test_review_shows_what_refused_an_acceptance_and_changes_nothing(client, reviewer, source):
    quote = candidate_of(source, "quote")
    prefix = f"c{quote.pk}"

    response = client.post(
        review_url(source),
        {f"{prefix}-date": "2025-13-45", f"{prefix}-kind": "quote", "accept": quote.pk},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Candidate #{quote.pk} was not accepted: see below." in page
    assert 'class="review-edit" open' in page
    assert re.search(r'class="review-field errors">\s*<label for="id_c\d+-date"', page)
    assert not Statement.objects.exists()
    assert not Person.objects.exists()
    quote.refresh_from_db()
    assert quote.review_status == "pending"


def test_review_rejects_with_a_reason_and_asks_for_one(client, reviewer, source):
    event = candidate_of(source, "event")

    without = client.post(review_url(source), {"reject": event.pk, f"reason-{event.pk}": "  "})
    event.refresh_from_db()
    status_without = event.review_status
    with_reason = client.post(
        review_url(source), {"reject": event.pk, f"reason-{event.pk}": "Not an event: a plan"}
    )
    event.refresh_from_db()

    assert without.status_code == 200
    assert "Say why the candidate is rejected." in without.content.decode()
    assert status_without == "pending"
    assert with_reason.status_code == 302
    assert (event.review_status, event.reject_reason, event.reviewed_by) == (
        "rejected",
        "Not an event: a plan",
        reviewer,
    )


def test_review_accepts_the_selected_and_names_those_refused(client, reviewer, source):
    quote, fragment = candidate_of(source, "quote"), candidate_of(source, "fragment")
    dateless = [c for c in source.candidates.filter(kind="event") if not c.date]
    refused = dateless[0]

    response = client.post(
        review_url(source),
        {"accept_selected": "1", "selected": [quote.pk, fragment.pk, refused.pk]},
    )

    messages = [str(m) for m in client.get(review_url(source)).context["messages"]]
    statuses = [Candidate.objects.get(pk=c.pk).review_status for c in (quote, fragment, refused)]
    assert response.status_code == 302
    assert statuses == ["accepted", "accepted", "pending"]
    assert messages == [
        f"Accepted 2: #{quote.pk}, #{fragment.pk}.",
        f"Not accepted (1): #{refused.pk} (date: The text gives this event no date: give one "
        "(YYYY, YYYY-MM or YYYY-MM-DD) to accept it.)",
    ]
    # the anonymous source stays anonymous
    assert Statement.objects.get(text="dead on arrival").speaker.kind == "anonymous"


def test_review_of_a_candidate_already_reviewed_says_so(client, reviewer, source):
    quote = candidate_of(source, "quote")
    client.post(review_url(source), {"accept": quote.pk}, follow=True)

    again = client.post(review_url(source), {"accept": quote.pk}, follow=True)
    rejected = client.post(
        review_url(source), {"reject": quote.pk, f"reason-{quote.pk}": "late"}, follow=True
    )

    said = f"Candidate {quote.pk} was already accepted by reviewer; nothing was changed."
    assert [str(m) for m in again.context["messages"]] == [said]
    assert [str(m) for m in rejected.context["messages"]] == [said]
    assert Statement.objects.count() == 2


def test_review_of_a_candidate_of_another_source_is_refused(client, reviewer, source):
    other = ingest(
        url="https://example.org/other",
        outlet="Example News",
        published="2025-05-16",
        text=TEXT.replace("Geneva", "Vienna"),
    ).source
    stranger = candidate_of(other, "quote")

    response = client.post(review_url(source), {"accept": stranger.pk}, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        f"No candidate '{stranger.pk}' in this article."
    ]
    assert Candidate.objects.get(pk=stranger.pk).review_status == "pending"


def test_review_page_is_for_editors_only(client, source):
    staff = User.objects.create_user("staff", is_staff=True)
    anonymous = client.get(review_url(source))
    client.force_login(staff)

    staff_without_permission = client.get(review_url(source))
    posted = client.post(review_url(source), {"accept": candidate_of(source, "quote").pk})

    assert (anonymous.status_code, anonymous["Location"].split("?")[0]) == (302, "/admin/login/")
    assert (staff_without_permission.status_code, posted.status_code) == (403, 403)
    assert not Statement.objects.exists()


def test_review_page_of_an_unknown_source_is_a_404(client, reviewer):
    assert client.get("/admin/statements/candidate/review/no-such-source/").status_code == 404


def test_source_list_links_ingested_sources_to_their_review(client, reviewer, source):
    pending = source.candidates.count()

    page = client.get("/admin/events/source/").content.decode()

    assert f'<a href="{review_url(source)}">review ({pending} to do)</a>' in page


def test_candidate_pages_list_and_show_candidates_without_editing_them(client, reviewer, source):
    quote = candidate_of(source, "quote")

    listed = client.get("/admin/statements/candidate/?review_status__exact=pending")
    shown = client.get(f"/admin/statements/candidate/{quote.pk}/change/")
    posted = client.post(f"/admin/statements/candidate/{quote.pk}/change/", {"kind": "event"})

    assert listed.status_code == 200
    assert listed.context["cl"].result_count == source.candidates.count()
    assert shown.status_code == 200
    assert 'name="_save"' not in shown.content.decode()
    assert posted.status_code == 403
    assert Candidate.objects.get(pk=quote.pk).kind == "quote"
