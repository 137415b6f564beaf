"""The words a speaker phrase is read with, and what reading it gives.

Titles, documents, institutions' proper names, peoples and the month names of "until January
2025"; the small tests on a phrase that need no memory of the article beyond the resolver's
tables; and `Found`, the result every test returns.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from statements.ingest import lexicon
from statements.ingest.names import (
    NAME,
    POSSESSIVE,
    first_person_name,
    last_word,
    main_part,
    normal,
)
from statements.ingest.proposals import Speaker

if TYPE_CHECKING:
    from statements.ingest.speakers.resolver import Resolver

# a single name after one of these is a person's surname ("Foreign Minister Fidan")
TITLES = "|".join(
    lexicon.split_words(
        "mr mrs ms dr minister president secretary spokesman spokeswoman spokesperson envoy "
        "general gen ambassador chancellor premier senator governor mayor adviser advisor"
    )
)

# "the Hungarian minister", "the top Russian diplomat": a role word qualified by a nationality
QUALIFIED_ANAPHOR = re.compile(
    r"[Tt]he\s+(?:(?:top|senior|chief|veteran|former)\s+)?(?P<nation>[A-Z][\w-]+)\s+(?P<head>[a-z]+)"
)
# what an institution or an official issues, and how: "the statement said" is its issuer's
DOCUMENTS = lexicon.split_words("statement communique communiqué readout post")
ISSUED = "issued|posted|released|published|put out|sent out"

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}


@dataclass(frozen=True)
class Found:
    """A resolved speaker and the one-line reason an editor reads."""

    speaker: Speaker
    how: str
    confidence: float


# a capitalised name joined by "of", "for", "on" or "and": "the Institute for the Study of War",
# "the Ministry of Foreign Affairs"
PROPER_INSTITUTION = re.compile(
    r"(?:[Tt]he\s+)?(?!The\b)[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
    r"(?:\s+(?:of|for|on|and)(?:\s+the)?(?:\s+[A-Z][\w’'-]*)+)+"
)
# "Russians", "the Europeans", "Russians and Ukrainians": peoples, named by their plural
DEMONYMS = re.compile(
    r"(?:[Tt]he\s+)?[A-Z]\w+s(?:\s+and\s+(?:the\s+)?[A-Z]\w+s)?(?=$|[\s,](?!\s*[A-Z]))"
)
# an apposition that says a single name is a person's: "Iryna, a 46-year-old teacher"
PERSON_APPOSITION = (
    r"(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:\d+-year-old|"
    + "|".join(sorted(lexicon.PERSON_NOUNS))
    + r")\b"
)
# a phrase of time or place opening a sentence before its subject ("In Berlin, …")
OPENING_ADVERBIAL = re.compile(
    r"(?:(?:In|On|At|For|After|Before|During|Since|Meanwhile|Later|Earlier|Separately|Last|"
    r"This|Speaking|Asked)\b[^,.;]{0,50},\s*)"
)

# a sentence opening with a role and its verb: "The foreign minister was not finished."
ROLE_SUBJECT = re.compile(
    rf"(?P<phrase>[Tt]he\s+(?:[\w-]+(?:’s|'s)?\s+){{0,2}}?(?i:{lexicon.ROLE_PATTERN}))(?=\s+[a-z])"
)

# the outlets a source speaks to: "the agency's interlocutor" is an unnamed source
OUTLETS = "agency|newspaper|paper|outlet|publication|channel|broadcaster|magazine|station"
# a definite description by a title word: "the NSDC secretary", "the head of intelligence"
DESCRIPTOR = re.compile(
    r"[Tt]he\s+(?:[\w-]+\s+){0,2}?(?P<head>[a-z][\w-]+)(?:\s+of\s+(?:the\s+)?[a-z][\w\s-]*)?"
)


def titles_name(label: str, name: str) -> bool:
    """Whether a phrase is a title given to the name that ends it, a title word or an
    institution's name right before the name and no article opening it ("aide to the Russian
    president Yuri Ushakov"), not an
    unnamed source tied to that person ("a spokesman for Vladimir Putin", "sources close to
    Dmitry Peskov")."""
    before = label[: len(label) - len(name)] if label.endswith(name) else ""
    first = label.split()[0].lower()
    # the word before the name is a title, or closes an institution's name ("Adviser to the
    # head of the Presidential Office Mykhailo Podolyak"), never a preposition ("close to")
    title = re.search(
        rf"\b(?:(?i:{lexicon.ROLE_PATTERN}|{TITLES}|aide|adviser|advisor)|[A-Z][\w-]+)\s+$",
        before.strip(" ,") + " ",
    )
    return bool(
        title
        and len(name.split()) >= 2
        and first not in lexicon.INDEFINITE
        and not lexicon.NUMBER_WORDS.match(first)
        and not last_word(main_part(label)).endswith("s")
    )


def titled_person(label: str, common: set[str]) -> bool:
    """Whether a phrase is a person's title and name ("Secretary of the National Security and
    Defense Council of Ukraine Rustem Umerov"), not the institution its title names."""
    name = first_person_name(label, common)
    return bool(
        re.match(rf"(?:the\s+)?(?:{TITLES}|head|chair\w*|director|deputy)\b", label, re.I)
        and name
        and len(name.split()) >= 2
    )


def singular(label: str) -> bool:
    """Whether an anonymous speaker is one person ("a Turkish official"), whom a later "he"
    may be, rather than a group ("two officials", "sources")."""
    first, head = label.lower().split()[0], last_word(main_part(label))
    return first in {"a", "an", "one", "the", "another"} and not head.endswith("s")


def previous_paragraph_start(text: str, position: int) -> int:
    """Where the paragraph before the one holding `position` starts (blank lines skipped)."""
    starts = [m.end() for m in re.finditer(r"\n\s*", text[:position])]
    starts = [0, *starts]
    return starts[-2] if len(starts) >= 2 else 0


def name_modifies_head(head_words: str, name: str) -> bool:
    """Whether a name stands before its noun phrase's anonymous head with no comma between
    ("a Zelensky adviser"), rather than in apposition to it ("Yermak, a senior official")."""
    at = head_words.rfind(name.split()[-1])
    return (
        at != -1
        and "," not in head_words[at:]
        and bool(head_words[at + len(name.split()[-1]) :].strip())
    )


def person_names(phrase: str, resolver: "Resolver") -> list[str]:
    """The person names in a phrase, in order, leaving out possessives and places."""
    names = []
    for match in NAME.finditer(phrase):
        if POSSESSIVE.match(phrase[match.end() : match.end() + 3]):
            continue
        name = first_person_name(match.group(), resolver.common)
        if not name:
            continue
        if lexicon.country_of(name) or normal(name) in lexicon.METONYMS:
            continue
        person = resolver.by_name.get(normal(name))
        if person and person.kind != "person":
            continue
        # a single unknown word names someone only if the article also writes it capitalised
        # inside a sentence (an institution: "Bankova said"), not only at the start of one
        # ("Dollar notes", "Hopes for talks")
        unknown_word = len(name.split()) == 1 and not (
            resolver.known_person(name) or resolver.local_names.get(name.lower())
        )
        if unknown_word and (
            name.lower() in lexicon.ORGANISATION_HEADS
            or (name not in resolver.inner_capitals and not resolver.is_person_word(name))
        ):
            continue
        names.append(name)
    return names


def qualifier_country(qualifier: str, resolver: "Resolver") -> str | None:
    """The country a role's qualifier points to: "Ukrainian" → ua; "Putin’s" → Putin's."""
    # "the Kremlin's spokesman": an institution's possessive qualifies as its name does
    words = [re.sub(r"(?:’s|'s)$", "", word) for word in qualifier.strip().split()]
    # the word nearest the role qualifies it: "… with Ukrainian President" is Ukraine's
    for size in range(1, len(words) + 1):
        code = lexicon.country_of(" ".join(words[-size:]))
        if code:
            return code
    qualifier = qualifier.strip()
    possessive = re.match(r"(?P<name>[A-Z][\w-]+)(?:’s|'s|’|')", qualifier)
    if possessive:
        person = resolver.known_person(possessive["name"])
        if person:
            return lexicon.country_of(person.affiliation)
    return None


def role_key(description: str, affiliation: str) -> tuple[str | None, str] | None:
    """A known person's role as a key: "Kremlin spokesperson" → (ru, spokesperson)."""
    described = re.sub(r"\([^)]*\)", "", description)
    match = re.search(lexicon.ROLE_PATTERN, described, re.IGNORECASE)
    if not match:
        return None
    before = described[: match.start()]
    after = described[match.end() :]
    country = (
        lexicon.country_of(before.split(",")[-1])
        or lexicon.country_of(re.split(r"[,;]| until | from ", after)[0])
        or lexicon.country_of(affiliation)
    )
    return country, lexicon.ROLES[match.group().lower()]


def current(description: str, published: datetime.date) -> bool:
    """Whether a role held "until January 2025" (outside brackets) still held at publication."""
    described = re.sub(r"\([^)]*\)", "", description)
    match = re.search(r"until (\w+) (\d{4})", described)
    if match and match[1].lower() in MONTHS:
        year, month = int(match[2]), MONTHS[match[1].lower()]
        return published <= datetime.date(year, month, calendar.monthrange(year, month)[1])
    return True
