"""The speakers that are no name: an anonymous source, an institution, a role.

`Kinds` is the part of `Resolver` that reads a phrase naming no person: whether an anonymous
head stays anonymous ("a spokesman", not "the Kremlin spokesman"), which institution or
country speaks ("the foreign ministry", "Turkey says"), and who holds a role ("the Ukrainian
president", "Putin's spokesman"): the person the article gives it, else the one the dataset
describes so. It takes from the resolver: `text`, `by_name`, `local_roles`, `known_roles`,
`mentioned`, `current_phrase`, `named`, `known_person`, `titled_exactly`, `recent_person`,
`of_country` and `role_just_written_about`.
"""

import re

from statements.ingest import lexicon
from statements.ingest.names import last_word, normal, surname
from statements.ingest.proposals import Speaker
from statements.ingest.speakers.phrases import Found, qualifier_country


class Kinds:
    """Anonymous sources, institutions and roles."""

    def is_anonymous(self, head_words: str, head: str) -> bool:
        """An anonymous head is anonymous unless a role word is used as a title ("the Kremlin
        spokesman" is a role, "a spokesman" is anonymous)."""
        if head not in {"spokesperson", "spokesman", "spokeswoman", "envoy", "minister"}:
            return True
        first = head_words.lower().split()[0]
        return first in lexicon.INDEFINITE or bool(lexicon.NUMBER_WORDS.match(first))

    def anonymous(self, label: str) -> Found:
        """An anonymous source; the dataset's own group only when the article uses that
        group's distinctive words ("five insiders familiar with Kremlin’s stance"): "Ukrainian
        officials" in another report are not the same officials."""
        key = normal(label)
        person = self.by_name.get(key) or self.by_name.get(re.sub(r"^the ", "", key))
        if person and person.kind == "anonymous" and len(key.split()) >= 3:
            speaker = Speaker(person.name, "anonymous", person.slug, label)
            return Found(speaker, f"anonymous source, known as: {person.name}", 0.8)
        return Found(Speaker(label, "anonymous", None, label), f"anonymous source: {label}", 0.8)

    def institution(self, label: str, head_words: str) -> Found | None:
        key = normal(label)
        bare = re.sub(r"^the ", "", key)
        person = self.by_name.get(key) or self.by_name.get(bare)
        if person and person.kind == "organisation":
            speaker = Speaker(person.name, "organisation", person.slug, label)
            return Found(speaker, f"institution: {person.name}", 0.85)
        target = lexicon.METONYMS.get(bare)
        if target:
            person = self.by_name.get(target) or self.by_name.get("the " + target)
            if person and person.kind == "organisation":
                speaker = Speaker(person.name, "organisation", person.slug, label)
                return Found(speaker, f"institution: {person.name} ({label})", 0.75)
            return Found(Speaker(label, "organisation", None, label), f"institution: {label}", 0.7)
        last = last_word(head_words)
        if last in lexicon.ORGANISATION_HEADS and not lexicon.ROLES.get(last):
            return Found(Speaker(label, "organisation", None, label), f"institution: {label}", 0.7)
        if (
            re.fullmatch(r"[A-Z][\w-]+(?: [A-Z][\w-]+)?", bare.title())
            and lexicon.country_of(bare)
            and bare in lexicon.COUNTRY_NAMES
        ):
            # "Turkey says": a country speaks through its government
            return Found(Speaker(label, "organisation", None, label), f"country: {label}", 0.6)
        return None

    def role(self, label: str, position: int) -> Found | None:
        matches = list(
            re.finditer(
                rf"(?P<qualifier>[\w.’']+(?:\s+[\w.’']+){{0,2}}\s+)?(?P<role>{lexicon.ROLE_PATTERN})\b",
                label,
                re.IGNORECASE,
            )
        )
        # "the Prime Minister’s official spokesman": the role is the one the possessive owns
        match = next((m for m in matches if not re.match(r"(?:’s|'s)\b", label[m.end() :])), None)
        if not match:
            return None
        owned = match is not matches[0]
        label = label[: match.end()]  # the role, not the rest of its clause
        of_country = re.match(r"\s+of\s+(?:the\s+)?([\w.’' ]{2,30})", self.text_after(label))
        key = (
            qualifier_country(match["qualifier"] or "", self)
            or (lexicon.country_of(of_country[1]) if of_country else None),
            lexicon.ROLES[match["role"].lower()],
        )
        local = self.local_roles.get(key, set())
        holders: set[str] = set()
        if key[0] is None and not owned:
            titled = self.titled_exactly(match["role"].lower(), key[1], position)
            local = {titled} if titled else local
        if not local and key[0] is None and not owned:
            # "the head of state" with no country: among the holders of that role the article
            # names ("Russian President Vladimir Putin", "US President Donald Trump"), the one
            # just quoted or just written about
            holders = {n for (_, role), names in self.local_roles.items() if role == key[1]
                       for n in names}  # fmt: skip
            if not holders:
                # none the article titles so: the dataset's holders of the role ("Vladimir
                # Putin held a meeting. … The head of state said"), if just written about
                holders = {p.name for held, p in self.known_roles if held and held[1] == key[1]}
            recent = self.recent_person(holders, position)
            local = {recent} if recent else set()
        if len(local) == 1:
            found = self.named(next(iter(local)), label)
            reason = f"role '{match.group().strip()}': the article names {found.speaker.name}"
            return Found(found.speaker, reason, 0.8)
        candidates = [person for person_key, person in self.known_roles if person_key == key]
        named = [p for p in candidates if surname(p.name) in self.mentioned]
        if len(named) == 1 or (len(candidates) == 1 and not local):
            person = (named or candidates)[0]
            speaker = Speaker(person.name, person.kind, person.slug, label)
            reason = f"role '{match.group().strip()}': {person.name} ({person.description})"
            return Found(speaker, reason, 0.7)
        if key[1] == "spokesperson":
            # "Starmer's spokesman", "a Downing Street spokeswoman": a spokesperson the text
            # does not name is an unnamed source, never the leader they speak for
            return Found(
                Speaker(label, "anonymous", None, label), f"unnamed spokesperson: {label}", 0.6
            )
        bare = re.fullmatch(r"the\s+", label[: match.start("role")], re.IGNORECASE)
        if key[0] is None and not owned and bare and not local and not holders:
            # a role nobody holds in the article or the dataset
            found = self.role_just_written_about(label, key[1], position)
            if found:
                return found
        national = re.fullmatch(r"(?:the\s+)?[A-Z][\w’'-]+\s+", label[: match.start("role")])
        if key[0] is not None and not owned and national and not local and not candidates:
            # "“…,” Ukraine's foreign minister told me" after "When I met Andrii Sybiha, he put
            # it simply": no one the article or the dataset gives the role, so the person just
            # written about, unless the article ties someone else, or them, to another country
            found = self.role_just_written_about(label, key[1], position)
            if found and self.of_country(key[0], position) in ([], [found.speaker]):
                person = self.known_person(found.speaker.name)
                if person is None or lexicon.country_of(person.affiliation) in {None, key[0]}:
                    return found
        return Found(Speaker(label, "person", None, label), f"role '{label}', unresolved", 0.4)

    def text_after(self, label: str) -> str:
        """The words after a role in the phrase it came from ("Minister … of Russia")."""
        return self.current_phrase[len(label) :] if self.current_phrase.startswith(label) else ""
