"""Extraction scored against curated records, the same way for the seeds and any other release.

The measures (docs/ingest.md says how each follows the codebook, fixtures/README.md):

- **quote spans**: every curated quote and fragment has, in each article that prints it, a
  wording that stands inside one of that article's citation excerpts; its offsets there are an
  expected span. Each `quote_spans` entry of a proposed quote or fragment is a proposed span.
  Recall and precision count spans that are exactly equal, start and end.
- **speaker right**, over the spans found: a speaker the dataset already knew (it is in the
  `Known` extraction was given) must be proposed by its slug; one the article introduces must be
  proposed as new (no slug), of the same kind, with the same surname (or, for an organisation,
  the same name); an anonymous speaker must be proposed anonymous, with its slug or none.
- **anonymous on a named person**: spans found whose curated speaker is anonymous and whose
  proposed speaker is a named person or organisation. Must be 0.
- **claim recall**: curated paraphrases of which some proposed claim's excerpt overlaps one of
  the paraphrase's citation excerpts in the article; "with speaker" also asks for the speaker
  right, as above.
- **event dates**: each proposed event with a date whose excerpt overlaps the citation of a
  curated event is checked: its interval must contain the curated event's interval (an open
  start contains every earlier day). Counted, and listed when it does not.
- **statement dates** (reported, no target): quotes found and claims found with the right
  speaker whose interval contains the curated statement's, and whose interval is the curated
  one exactly (as precise as the text, no more).
- **matches**: of the statements, events and figures the article cites that another article
  also cites (so they are in `Known`), how many are matched by a proposal at their citation;
  and how many matches point at a record the article does not cite there (wrong).
- **seconds per article**: `propose()` alone, CPU time of the process (one core's work,
  whatever else the machine runs).
"""

import datetime
import time
from dataclasses import dataclass, field

from statements.ingest.extract import propose
from statements.ingest.proposals import Proposal, Speaker
from statements.ingest.release import Article, interval, known_without


@dataclass
class Score:
    """The counts of one article (or the sum of several)."""

    expected_spans: int = 0
    proposed_spans: int = 0
    exact_spans: int = 0
    speaker_right: int = 0
    anonymous_expected: int = 0
    anonymous_on_named: int = 0
    claims_expected: int = 0
    claims_found: int = 0
    claims_with_speaker: int = 0
    events_dated: int = 0
    events_containing: int = 0
    statements_dated: int = 0
    statements_containing: int = 0
    statements_exact: int = 0
    known_reported: int = 0
    known_matched: int = 0
    wrong_matches: int = 0
    seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)

    def ratios(self) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        return {
            "quote_recall": ratio(self.exact_spans, self.expected_spans),
            "quote_precision": ratio(self.exact_spans, self.proposed_spans),
            "speaker_right": ratio(self.speaker_right, self.exact_spans),
            "anonymous_quotes": self.anonymous_expected,
            "anonymous_on_named": self.anonymous_on_named,
            "claim_recall": ratio(self.claims_found, self.claims_expected),
            "claim_recall_with_speaker": ratio(self.claims_with_speaker, self.claims_expected),
            "event_dates_containing": ratio(self.events_containing, self.events_dated),
            "statement_dates_containing": ratio(self.statements_containing, self.statements_dated),
            "statement_dates_exact": ratio(self.statements_exact, self.statements_dated),
            "match_recall": ratio(self.known_matched, self.known_reported),
            "wrong_matches": self.wrong_matches,
            "seconds_per_article": sum(self.seconds) / len(self.seconds) if self.seconds else 0.0,
            "seconds_max": max(self.seconds, default=0.0),
        }


TARGETS = {
    "quote_recall": (0.97, ">="),
    "quote_precision": (0.95, ">="),
    "speaker_right": (0.92, ">="),
    "anonymous_on_named": (0, "=="),
    "claim_recall": (0.7, ">="),
    "event_dates_containing": (1.0, ">="),
    "seconds_max": (1.0, "<"),
}


def unmet(ratios: dict[str, float]) -> list[str]:
    """The targets a score misses, each as "name value (target)"."""
    failed = []
    for name, (target, op) in TARGETS.items():
        value = ratios[name]
        ok = {">=": value >= target, "==": value == target, "<": value < target}[op]
        if not ok:
            failed.append(f"{name} {value:.3f} (target {op} {target})")
    return failed


def score_article(article: Article, objects: list[dict]) -> tuple[Score, list[Proposal]]:
    known = known_without(objects, article)
    # CPU time of this process: what one article costs one core, whatever else the machine runs
    began = time.process_time()
    proposals = propose(
        article.text, published=article.published, known=known, precision=article.precision
    )
    elapsed = time.process_time() - began
    score = Score(seconds=[elapsed])
    known_slugs = {person.slug for person in known.people}
    people = {
        obj["fields"]["slug"]: obj["fields"] for obj in objects if obj["model"] == "events.person"
    }
    score_quotes(article, proposals, known_slugs, people, score)
    score_claims(article, proposals, known_slugs, people, score)
    score_events(article, proposals, score)
    score_matches(article, proposals, {record.slug for record in known.records}, score)
    return score, proposals


def expected_spans(article: Article) -> dict[tuple[int, int], dict]:
    """Curated quote and fragment spans of the article: each wording at its offsets."""
    spans = {}
    for statement in article.statements:
        if statement["kind"] == "paraphrase":
            continue
        words = [w["text"] for w in statement["wordings"] if w["source"][0] == article.slug]
        for text in words or [statement["text"]]:
            for citation in statement["citations"]:
                index = citation["excerpt"].find(text)
                if index != -1:
                    start = citation["start"] + index
                    spans[(start, start + len(text))] = statement
                    break
    return spans


def score_quotes(article, proposals, known_slugs, people, score: Score) -> None:
    expected = expected_spans(article)
    proposed = {
        span: proposal
        for proposal in proposals
        if proposal.kind in {"quote", "fragment"}
        for span in proposal.quote_spans
    }
    score.expected_spans += len(expected)
    score.proposed_spans += len(proposed)
    for span, statement in expected.items():
        proposal = proposed.get(span)
        if proposal is None:
            score.misses.append(
                f"{article.slug}: quote not found {article.text[span[0] : span[1]][:60]!r}"
            )
            continue
        score.exact_spans += 1
        score_date(proposal, statement, score)
        curated = statement["speaker"][0]
        right = speaker_right(proposal.speaker, curated, known_slugs, people)
        score.speaker_right += right
        if not right:
            got = proposal.speaker.name if proposal.speaker else None
            score.misses.append(
                f"{article.slug}: speaker {got!r} for {curated!r}: {proposal.quote[:50]!r}"
            )
        if people[curated]["kind"] == "anonymous":
            score.anonymous_expected += 1
            if proposal.speaker and proposal.speaker.kind != "anonymous":
                score.anonymous_on_named += 1
    for span, proposal in proposed.items():
        if span not in expected:
            score.misses.append(f"{article.slug}: extra quote {proposal.quote[:60]!r}")


def speaker_right(speaker: Speaker | None, curated: str, known_slugs: set[str], people) -> bool:
    """Whether a proposed speaker is the curated one, as an editor would accept it."""
    if speaker is None:
        return False
    person = people[curated]
    if person["kind"] == "anonymous":
        return speaker.kind == "anonymous" and speaker.slug in {None, curated}
    if curated in known_slugs:
        return speaker.slug == curated
    if speaker.slug is not None or speaker.kind != person["kind"]:
        return False
    names = [person["name"], *person.get("aliases", [])]
    proposed = speaker.name.lower().replace("the ", "")
    return any(
        name.lower().split()[-1] == proposed.split()[-1] if proposed else False for name in names
    )


def overlaps(proposal: Proposal, citation: dict) -> bool:
    return proposal.start < citation["end"] and citation["start"] < proposal.end


def score_claims(article, proposals, known_slugs, people, score: Score) -> None:
    claims = [proposal for proposal in proposals if proposal.kind == "claim"]
    for statement in article.statements:
        if statement["kind"] != "paraphrase":
            continue
        score.claims_expected += 1
        found = [c for c in claims if any(overlaps(c, cit) for cit in statement["citations"])]
        if found:
            score.claims_found += 1
            curated = statement["speaker"][0]
            right = [c for c in found if speaker_right(c.speaker, curated, known_slugs, people)]
            if right:
                score.claims_with_speaker += 1
                score_date(right[0], statement, score)
        else:
            excerpt = statement["citations"][0]["excerpt"]
            score.misses.append(f"{article.slug}: claim not found {excerpt[:70]!r}")


def contains(earliest: datetime.date | None, latest: datetime.date | None, inner: tuple) -> bool:
    inner_earliest, inner_latest = inner
    if earliest is not None and (inner_earliest is None or inner_earliest < earliest):
        return False
    return latest is None or (inner_latest is not None and inner_latest <= latest)


def score_date(proposal: Proposal, statement: dict, score: Score) -> None:
    """A quote or claim found, with the right statement: does its interval contain the
    curated one? Reported, not a target: the codebook dates some statements from context."""
    score.statements_dated += 1
    score.statements_exact += (proposal.date_earliest, proposal.date_latest) == interval(statement)
    if contains(proposal.date_earliest, proposal.date_latest, interval(statement)):
        score.statements_containing += 1
    else:
        score.misses.append(
            f"statement date {proposal.date_earliest}..{proposal.date_latest} does not contain "
            f"{statement['slug']} {interval(statement)}"
        )


def score_events(article: Article, proposals: list[Proposal], score: Score) -> None:
    for proposal in proposals:
        if proposal.kind != "event" or not (proposal.date_earliest or proposal.date_latest):
            continue
        curated = [
            event
            for event in article.events
            if any(overlaps(proposal, citation) for citation in event["citations"])
        ]
        if not curated:
            continue
        score.events_dated += 1
        if any(
            contains(proposal.date_earliest, proposal.date_latest, interval(e)) for e in curated
        ):
            score.events_containing += 1
        else:
            wanted = ", ".join(f"{e['slug']} {interval(e)}" for e in curated)
            score.misses.append(
                f"{article.slug}: event date {proposal.date_earliest}..{proposal.date_latest} "
                f"narrower than {wanted}: {proposal.excerpt[:50]!r}"
            )


def score_matches(article: Article, proposals: list[Proposal], known: set[str], score: Score):
    """Records another article already reported: is the proposal at their citation matched to
    them? A match to a record the article does not cite at that place is wrong."""
    cited = [
        (record["slug"], citation)
        for records in (article.statements, article.events, article.figures)
        for record in records
        for citation in record["citations"]
    ]
    for records in (article.statements, article.events, article.figures):
        for record in records:
            if record["slug"] not in known:
                continue
            score.known_reported += 1
            if any(
                any(match.slug == record["slug"] for match in proposal.matches)
                for proposal in proposals
                if any(overlaps(proposal, citation) for citation in record["citations"])
            ):
                score.known_matched += 1
            else:
                score.misses.append(f"{article.slug}: no match to {record['slug']}")
    for proposal in proposals:
        for match in proposal.matches:
            if not any(slug == match.slug and overlaps(proposal, c) for slug, c in cited):
                score.wrong_matches += 1
                score.misses.append(
                    f"{article.slug}: wrong match {match.slug} for {proposal.excerpt[:50]!r}"
                )


def evaluate(articles: list[Article], objects: list[dict]) -> tuple[Score, dict[str, Score]]:
    total, per_article = Score(), {}
    for article in articles:
        score, _ = score_article(article, objects)
        per_article[article.slug] = score
        total.add(score)
    return total, per_article
