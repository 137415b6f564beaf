"""Who a phrase names: an existing person, a new one, an institution or an anonymous source.

`Resolver.resolve(phrase)` reads the article's own words for a speaker ("the Kremlin
spokesman", "a senior European diplomat", "he") and returns a `Speaker` with how it was found.
The order of the tests is the rule:

1. a pronoun is the last speaker of its kind before it;
2. a person's name in the phrase (not a possessive: "Trump’s advisers" are not Trump) is that
   person: known by name, alias or surname, or new, in the article's fullest spelling;
3. an anonymous head ("official", "sources", "people familiar with …") with no name is an
   anonymous speaker, never a named person, even when the dataset knows someone of that role;
4. an institution ("the Kremlin", "Moscow", "the foreign ministry", "Reuters") is an
   organisation;
5. a role ("the Ukrainian president", "Putin's spokesman") is the person the article itself
   gives that role, else the one known person the dataset describes so, preferring one the
   article names; several candidates and none named leave the role unresolved.
"""

import datetime
import re

from rapidfuzz import fuzz

from statements.ingest import lexicon
from statements.ingest.names import (
    NAME,
    first_person_name,
    last_word,
    local_full_names,
    main_part,
    normal,
    strip_phrase,
    trim_temporal,
)
from statements.ingest.proposals import Known, KnownPerson, Speaker
from statements.ingest.speakers.anaphora import Anaphora
from statements.ingest.speakers.kinds import Kinds
from statements.ingest.speakers.phrases import (
    DEMONYMS,
    DESCRIPTOR,
    DOCUMENTS,
    OUTLETS,
    PERSON_APPOSITION,
    PROPER_INSTITUTION,
    QUALIFIED_ANAPHOR,
    TITLES,
    Found,
    current,
    name_modifies_head,
    person_names,
    qualifier_country,
    role_key,
    titled_person,
    titles_name,
)


class Resolver(Anaphora, Kinds):
    """Resolves speaker phrases against the known people and the article's own introductions."""

    def __init__(self, text: str, known: Known, published: datetime.date) -> None:
        self.text = text
        self.published = published
        self.people = list(known.people)
        self.by_name: dict[str, KnownPerson] = {}
        self.by_surname: dict[str, list[KnownPerson]] = {}
        for person in self.people:
            for name in (person.name, *person.aliases):
                key = normal(name)
                self.by_name.setdefault(key, person)
                self.by_name.setdefault(re.sub(r"^the ", "", key), person)
                if person.kind == "person":
                    self.by_surname.setdefault(key.split()[-1], []).append(person)
        self.known_roles = [
            (role_key(person.description, person.affiliation), person)
            for person in self.people
            if person.kind == "person" and current(person.description, published)
        ]
        self.mentioned = text.lower()
        # a capitalised word the article also writes in lower case ("Analysts", "Missing") is
        # an ordinary word at a sentence's start, not a name
        known_words = {
            w for p in self.people for n in (p.name, *p.aliases) for w in normal(n).split()
        }
        self.common = set(re.findall(r"\b[a-z][\w-]+", text)) - known_words
        self.common |= set(lexicon.ANONYMOUS_HEADS | lexicon.INDEFINITE)
        # capitalised words seen inside a sentence, not only at its start
        self.inner_capitals = {m.group(1) for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w-]+)", text)}
        # a place is where something is said, not who says it ("…, says Istanbul")
        self.common |= {normal(place.name) for place in known.places if " " not in place.name}
        self.local_names = local_full_names(text, self.common)
        self.local_titles: dict[str, dict[str, int]] = {}  # title → name → where first given
        self.local_roles = self.find_local_roles()
        self.current_phrase = ""
        self.history: list[tuple[int, Speaker]] = []  # every named person mentioned
        self.speakers: list[tuple[int, Speaker]] = []  # who was last given words
        # each sentence read so far: (start, end, the person it is about, if any)
        self.sentences: list[tuple[int, int, Speaker | None]] = []

    # -- what the article itself says ------------------------------------------------------
    def find_local_roles(self) -> dict[tuple[str | None, str], set[str]]:
        """Roles the article gives a named person: "Kremlin spokesperson Dmitry Peskov",
        "Steven Cheung, Trump’s communications director"."""
        roles: dict[tuple[str | None, str], set[str]] = {}
        role = (
            rf"(?P<qualifier>(?:[A-Za-z][\w.’']*[ ]+){{0,3}}?)(?P<role>(?i:{lexicon.ROLE_PATTERN}))"
        )
        forward = re.compile(rf"{role},?[ ]+(?P<name>{NAME.pattern})")
        backward = re.compile(rf"(?P<name>{NAME.pattern}),[ ]+(?:the[ ]+|a[ ]+)?{role}")
        for match in [*forward.finditer(self.text), *backward.finditer(self.text)]:
            name = first_person_name(match["name"], self.common)
            if not name or not match["name"][0].isupper():
                continue
            before_role = self.text[max(0, match.start("role") - 30) : match.start("role")]
            if re.search(r"\b(?:to|of|for)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+)?$", before_role):
                continue  # "aide to the Russian president Yuri Ushakov" is no president
            if match.re is backward and re.search(
                r"\b(?i:in|at|from|to|on|near|with|by)\s+$",
                self.text[max(0, match.start() - 8) : match.start()],
            ):
                continue  # "Back in The Hague, the Prime Minister …": a place, no apposition
            key = (
                qualifier_country(match["qualifier"], self),
                lexicon.ROLES[match["role"].lower()],
            )
            roles.setdefault(key, set()).add(self.canonical_name(name))
            # the very words of the title: "Foreign Minister Sergei Lavrov" is "the foreign
            # minister"; "Secretary of State Marco Rubio" holds the same role in other words
            holders = self.local_titles.setdefault(match["role"].lower(), {})
            holders.setdefault(self.canonical_name(name), match.start())
        return roles

    def canonical_name(self, name: str) -> str:
        """The fullest spelling the article gives of a name ("Simes" → "Dimitri Simes")."""
        return self.local_names.get(name.split()[-1].lower(), name) if " " not in name else name

    # -- resolution ------------------------------------------------------------------------
    def resolve(self, phrase: str, position: int) -> Found | None:
        """The speaker a subject phrase names, or None when it names no speaker."""
        label = strip_phrase(trim_temporal(phrase))
        if not label:
            return None
        # "the agency's interlocutor", "the newspaper's source": the outlet it spoke to says
        # whose source, not who; the source is read as "the interlocutor" would be
        outlets = rf"^(the)\s+(?:{OUTLETS})(?:’s|'s)\s+(?=[a-z-]+$)"
        label = re.sub(outlets, r"\1 ", label, flags=re.IGNORECASE)
        self.current_phrase = label
        bare = re.fullmatch(r"the\s+([a-z-]+)", label, re.IGNORECASE)
        if bare and bare[1].lower() in lexicon.ANONYMOUS_HEADS:
            named = self.identified_later(bare[1].lower(), label, position)
            if named:
                return named
        role = re.fullmatch(r"the\s+(?:[\w-]+\s+){0,2}([a-z-]+)", label, re.IGNORECASE)
        if role and role[1].lower() in lexicon.ANONYMOUS_ANAPHORA:
            # "Aide to the Russian President Yuri Ushakov … the presidential aide said": the
            # one the article itself gave that title, never a guess
            found = self.titled(role[1].lower(), label, position)
            if found:
                return found
        if bare and bare[1].lower() in lexicon.ANONYMOUS_ANAPHORA:
            found = self.pronoun("he", label, position, anonymous_only=True)
            return found or self.anonymous(label)
        if bare and bare[1].lower() in lexicon.ORGANISATION_HEADS:
            # "the headquarters said", "the ministry added": the institution just quoted whose
            # name holds that word
            earlier = self.recent_institution(bare[1].lower(), position)
            if earlier:
                return Found(
                    Speaker(earlier.name, earlier.kind, earlier.slug, label),
                    f"'{label}' after {earlier.name}",
                    0.7,
                )
        if bare and bare[1].lower() in DOCUMENTS:
            # "Steve Witkoff has posted a short statement on X. … the statement said": the one
            # who issued it
            return self.author_of(bare[1].lower(), label, position)
        if bare and bare[1].lower() in lexicon.ANAPHORIC_HEADS:
            if self.introduced_unnamed(bare[1].lower(), position):
                # "A senior European diplomat was less restrained. …, the diplomat said": the
                # unnamed one just introduced, never a person named before them; the same
                # source as their own words were given, when they were
                earlier = self.unnamed_source(bare[1].lower(), position)
                if earlier:
                    return Found(
                        Speaker(earlier.name, "anonymous", earlier.slug, label),
                        f"'{label}' after {earlier.name}",
                        0.75,
                    )
                return self.anonymous(label)
            # "the diplomat noted", "the official added": the speaker last named, as "he"
            found = self.pronoun("he", label, position, anonymous_too=True)
            word = bare[1].lower()
            if word in lexicon.ROLES and not (found and word in found.speaker.name.lower()):
                titled = self.titled_exactly(word, lexicon.ROLES[word], position, head_word=True)
                if titled:
                    # "German Chancellor Friedrich Merz … “…,” Macron said. “…,” the chancellor
                    # told reporters": the one the article gave that title, not the last speaker
                    named = self.named(titled, label)
                    return Found(named.speaker, f"'{label}': the article's {word}", 0.75)
            if found:
                return found
        demonym = re.fullmatch(r"the\s+(?P<nation>[A-Z][a-z]+(?:ian|ese|ish|ch|i))", label)
        if demonym and lexicon.country_of(demonym["nation"]):
            # "the Ukrainian said": the one person the article ties to that country
            people = self.of_country(lexicon.country_of(demonym["nation"]), position)
            if len(people) == 1:
                named = people[0]
                speaker = Speaker(named.name, named.kind, named.slug, label)
                return Found(speaker, f"'{label}': the one {demonym['nation']} named", 0.7)
        qualified = QUALIFIED_ANAPHOR.fullmatch(label)
        if qualified and qualified["head"].lower() in lexicon.ANAPHORIC_HEADS:
            found = self.qualified_anaphor(qualified["nation"], qualified["head"], label, position)
            if found:
                return found
        lowered = label.lower()
        if lowered in lexicon.PRONOUNS:
            return self.pronoun(lowered, label, position)
        label = re.sub(r"^(?:with|by|from|to|for|of|among)\s+", "", label, flags=re.IGNORECASE)
        partitive = re.match(
            r"(?:one|two|three|four|five|some|several|many|most|none|each|all|both)\s+of\s+"
            r"(?:them|those|these|(?:the|these|those)\s+(?P<group>.+))$",
            label,
            re.IGNORECASE,
        )
        if partitive and (
            not partitive["group"] or last_word(partitive["group"]) in lexicon.ANONYMOUS_HEADS
        ):
            # "one of them", "two of the officials": part of an unnamed group stays unnamed
            return self.anonymous(label)
        if re.fullmatch(r"another|the other|others|the others|some|one", main_part(label), re.I):
            # "Another, from a Baltic state, …": one more of the unnamed sources just quoted
            return self.anonymous(label)
        peoples = DEMONYMS.match(label)
        if peoples and all(
            lexicon.country_of(word[:-1]) for word in re.findall(r"[A-Z]\w+", peoples.group())
        ):
            # "Russians and Ukrainians", "the Europeans": a people, not its government
            return self.anonymous(peoples.group())
        if (
            PROPER_INSTITUTION.fullmatch(label)
            and any(word.lower() in lexicon.ORGANISATION_HEADS for word in label.split())
            and not titled_person(label, self.common)
        ):
            # "the Institute for the Study of War": a proper name of an institution, whole
            name = re.sub(r"^[Tt]he\s+", "", label)
            return Found(Speaker(name, "organisation", None, label), f"institution: {name}", 0.7)
        head_words = main_part(label)
        names = person_names(label, self)
        head = last_word(head_words)
        anonymous_head = head in lexicon.ANONYMOUS_HEADS and self.is_anonymous(head_words, head)
        if head in lexicon.ORGANISATION_HEADS and head not in lexicon.ROLES:
            # "the Trump administration", "Putin's government": the institution, not the name
            institution = self.institution(label, head_words)
            if institution:
                return institution
        if names and anonymous_head and name_modifies_head(head_words, names[-1]):
            # "a Zelensky adviser", "two Trump aides": the name says whose, not who
            return self.anonymous(label)
        speaking_for = re.fullmatch(r"(?P<head>[\w-]+)\s+(?:for|to)\s+(?P<whom>.+)", label)
        if (
            names
            and speaking_for
            and speaking_for["head"].lower() in lexicon.ANONYMOUS_HEADS
            and names[0] in speaking_for["whom"]
            and not titles_name(label, names[-1])
        ):
            # "Spokesman for Vladimir Putin", "Aide to Zelensky": someone speaking for the
            # named person, read as "Putin's spokesman" is, never the person
            head = speaking_for["head"].lower()
            owned = self.role(f"{names[0].split()[-1]}'s {head}", position)
            return (owned if head in lexicon.ROLES else None) or self.anonymous(label)
        if names and not (anonymous_head and not person_names(head_words, self)):
            return self.named(names[0], label)
        if anonymous_head and names and titles_name(label, names[-1]):
            # "aide to the Russian president Yuri Ushakov": a title and the name it is given
            return self.named(names[-1], label)
        if anonymous_head:
            return self.anonymous(label)
        institution = self.institution(label, head_words)
        if institution:
            return institution
        role = self.role(label, position)
        if role:
            return role
        descriptor = DESCRIPTOR.fullmatch(label)
        if descriptor and not lexicon.country_of(label):
            # "the NSDC secretary", "the head of intelligence": the person just given words
            # whom the article introduced with that title ("the Ukrainian minister" after
            # Lavrov is not; a nationality is read by `qualified_anaphor`)
            return self.titled(descriptor["head"].lower(), label, position)
        return None

    def identified_later(self, head: str, label: str, position: int) -> Found | None:
        """ "“…,” the official said. The official, who later identified himself as Jonathan
        Powell, …": the source the article itself names in the same paragraph is that person."""
        paragraph_end = self.text.find("\n", position)
        ahead = self.text[position : paragraph_end if paragraph_end != -1 else len(self.text)]
        named = re.search(
            rf"\b[Tt]he\s+{re.escape(head)},\s+who\s+(?:later\s+|subsequently\s+|then\s+)?"
            rf"(?:identified|named)\s+(?:himself|herself)\s+(?:[a-z]+\s+){{0,4}}?as\s+"
            rf"(?P<name>{NAME.pattern})",
            ahead,
        )
        name = named and first_person_name(named["name"], self.common)
        if not name or len(name.split()) < 2:
            return None
        found = self.named(name, label)
        return Found(found.speaker, f"'{label}', identified later as {name}", 0.7)

    def named(self, name: str, label: str) -> Found:
        name = self.canonical_name(name)
        if " " not in name and re.search(rf"\b(?:Sir|Dame)\s+{re.escape(name)}\b", label):
            # "Sir Keir", "Dame Priti": a knight is called by the given name, not the surname
            name = next(
                (full for full in self.local_names.values() if full.split()[0] == name), name
            )
        if " " not in name and not self.local_names.get(name.lower()):
            # "Mr Wang" after "Wang Yi", "Prince Faisal" after "Prince Faisal bin Farhan": a
            # name written family name first, or a given name after a royal title, is a word
            # of the one full name the article gives with it before its last word
            holders = {full for full in self.local_names.values() if name in full.split()[:-1]}
            if len(holders) == 1:
                name = holders.pop()
        person = self.known_person(name)
        if person:
            return Found(
                Speaker(person.name, person.kind, person.slug, label),
                f"subject: {person.name}",
                0.9,
            )
        words = name.split()
        titled = re.search(rf"\b(?:{TITLES})\.?\s+{re.escape(name)}\b", label, re.IGNORECASE)
        if len(words) == 1 and not self.local_names.get(words[0].lower()) and not titled:
            if self.is_person_word(name):
                # "said Iryna, a 46-year-old teacher", "President Macron" elsewhere, "Macron
                # said his country …": a person the article names by one name only
                return Found(Speaker(name, "person", None, label), f"subject: {name} (new)", 0.7)
            # a bare unknown capitalised word that the article never gives a first name for is
            # an institution or outlet ("Naftogaz said"), not a person
            return Found(Speaker(name, "organisation", None, label), f"institution: {name}", 0.6)
        return Found(Speaker(name, "person", None, label), f"subject: {name} (new)", 0.75)

    def is_person_word(self, name: str) -> bool:
        """Whether the article shows a single unknown name to be a person's: an apposition
        that says so, a title before it anywhere, or "his"/"her" right after it as subject."""
        word = re.escape(name)
        return bool(
            re.search(rf"\b{word},\s+{PERSON_APPOSITION}", self.text)
            or re.search(rf"\b(?:{TITLES})\.?\s+{word}\b(?!’s|'s)", self.text, re.IGNORECASE)
            or re.search(
                rf"\b{word}\s+(?:\w+\s+){{1,3}}?(?:his|her|he|she)\b[^.!?]{{0,80}}", self.text
            )
        )

    def known_person(self, name: str) -> KnownPerson | None:
        key = normal(name)
        if key in self.by_name:
            return self.by_name[key]
        surname = key.split()[-1]
        people = {person.slug: person for person in self.by_surname.get(surname, [])}
        if not people and len(surname) >= 5:
            # transliterations: Zelenskyy, Zelenskiy, Zelensky
            for known_surname, candidates in self.by_surname.items():
                if fuzz.ratio(surname, known_surname) >= 88:
                    people.update({person.slug: person for person in candidates})
        if len(people) == 1:
            person = next(iter(people.values()))
            given = key.split()[:-1]
            known_given = normal(person.name).split()[:-1]
            if (
                given
                and known_given
                and fuzz.ratio(given[0], known_given[0]) < 70
                and not lexicon.same_given_name(given[0], known_given[0])
            ):
                return None  # the same surname, another first name: someone else
            return person
        return None
