"""What the headline tells the quote engine, in every language: a statement it carries ("Зеленский: «…»",
"Taxes must be trusted - Kennedy") and the person it is about ("Путин назвал условия …"), who is the one an
office in the text stands for ("Российский президент заявил …") when the text itself gives nobody that office."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

from analysis import names_ru
from analysis.people import name_key, organisation_name, person_matches
from analysis.quotes.entities import organization
from analysis.quotes.model import Candidate, Doc, Entity, Mention
from analysis.types import Quote

_OPEN = '«"“„'
_CLOSE = '»"”“'
_NAME_WORD = r"[A-ZА-ЯЁ][\w’'.-]*"
# "Зеленский: «…»", "Лавров: США …"
_SPEAKER_COLON = re.compile(rf"^(?P<who>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s*:\s*(?P<what>.{{8,}})$")
_BODY_COLON = re.compile(rf"^(?P<who>{_NAME_WORD}(?:\s+[\w-]+){{1,3}})\s*:\s*(?P<what>.{{8,}})$")
# "Taxes must be trusted - Kennedy", "«…» — Песков"
_SIGNED = re.compile(rf"^(?P<what>.{{8,}}?)\s+[-–—]\s+(?P<who>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})$")
_BULLETS = " \t*•▪●◾◼■►▶➡✅❗❕⚡🔹🔸🔴🟢🔵📌👉💬️-–—"
_LEADING_NAME = re.compile(rf"^(?P<who>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s+(?P<rest>[a-zа-яё])")


def _person(
    doc: Doc[Any], who: str, lang: str, shown_name: Any, bodies: bool = False, people: bool = True
) -> Entity | None:
    """The person (or, with `bodies`, the organisation) of the text the headline names, by the product's own
    name matching; without `people`, only a body (the people were searched for the same words already)."""
    kinds = ("person", "organization") if bodies else ("person",)
    if not people:
        kinds = ("organization",)
    for entity in doc.entities:
        if entity.kind in kinds and person_matches(who, shown_name(entity), entity.forms, lang=lang):
            return entity
    return None


def _well_known(who: str) -> bool:
    """A name the name tables know as a person's ("Путин", "Trump"), in any script and case."""
    return any(names_ru.key_word(w) in names_ru.known_keys() for w in who.split())


def _named(
    doc: Doc[Any],
    who: str,
    lang: str,
    shown_name: Any,
    surname: Callable[[str], bool],
    known_body: Callable[[str], str | None] = lambda words: None,
    new_people: bool = True,
    people_searched: bool = False,
) -> Entity | None:
    """The person or body the headline names: one of the text's, else a body known by these words
    ("Минобороны: …" over a text that says "военное ведомство"), else (with `new_people`) a new person if the
    words read as a person's name (a well-known name, or a surname by its form) and the text never writes them
    in lower case. `people_searched`: no person of the text was found for these words, so only bodies are
    looked at."""
    entity = _person(doc, who, lang, shown_name, bodies=True, people=not people_searched)
    if entity is not None:
        return entity
    body = organisation_name(who, lang) or known_body(who)
    if body is not None:
        return organization(doc, body, 0)
    if not new_people:
        return None
    words = who.split()
    if any(w.lower() in doc.lower_vocab for w in words) or not name_key(who, lang):
        return None
    if not (_well_known(who) or surname(words[-1])):
        return None
    entity = Entity(kind="person", name=who, last=words[-1].lower(), first_pos=0)
    entity.forms[who] = None
    entity.mentions = 1
    doc.entities.append(entity)
    return entity


def headline_quote(
    doc: Doc[Any],
    title: str,
    lang: str,
    shown_name: Any,
    verbs: Any,
    surname: Callable[[str], bool],
    known_body: Callable[[str], str | None] = lambda words: None,
    in_text: bool = False,
) -> tuple[Entity, str, bool] | None:
    """(speaker, words, direct) of a statement the headline carries, or None. `in_text`: the line is a
    paragraph of the text, which says "X: …" of the text's own people or known bodies only, and never signs
    a line at its end ("00:00 Приветствие. Ведущий — Виктор Нехезин" is a credit)."""
    title = " ".join(title.split())
    m = _SPEAKER_COLON.match(title) or (None if in_text else _SIGNED.match(title))
    body_only = m is None
    if m is None:
        m = _BODY_COLON.match(title)
        if m is None:
            return None
    who, what = m.group("who"), m.group("what").strip()
    if any(w.lower().replace("ё", "е") in verbs for w in who.split()):
        return None  # "Путин заявил: …" is a cue, not a name (told before any name is looked up: "He said: …")
    if body_only and _person(doc, who, lang, shown_name, bodies=True) is None:
        return None  # "Британская военная разведка: …": only a body the text names so
    direct = what[:1] in _OPEN
    words = what.strip(_OPEN + _CLOSE + " .")
    if len(words.split()) < 3:
        return None
    entity = _named(doc, who, lang, shown_name, surname, known_body, new_people=not in_text)
    if entity is None:
        return None
    return entity, words, direct


def paragraph_statements(
    doc: Doc[Any],
    lang: str,
    shown_name: Any,
    verbs: Any,
    surname: Callable[[str], bool],
    known_body: Callable[[str], str | None],
    taken: list[Candidate],
) -> list[Candidate]:
    """Paragraphs written like a headline ("▪️Лавров: западные страны не готовы …", "Reuters: …"): the words
    after the colon are the statement of the person or body before it. A paragraph another rule has already
    read is left to it."""
    found: list[Candidate] = []
    pos = 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if ":" not in line:
            continue  # every form read here ("X: …") has its colon
        lead = len(line) - len(line.lstrip(_BULLETS))
        said = headline_quote(doc, line[lead:], lang, shown_name, verbs, surname, known_body, in_text=True)
        if said is None:
            continue
        entity, words, direct = said
        who = line[lead:].split(":")[0].strip()
        known = entity.spoke or (entity.evidence if entity.kind == "person" else _known(who, lang, known_body))
        if entity.kind == "unknown" or not known:
            continue  # "The Latest: …", "Poll: …": a capitalised word nobody showed to be a speaker
        at = line.find(words, lead)
        if at < 0:
            continue
        s, e = start + at, start + at + len(words)
        if any(c.start < e and s < c.end for c in taken):
            continue
        cand = Candidate(direct, [(s, e)], ":", -1, None, how="colon")
        cand.entity, cand.kind, cand.mention = entity, entity.kind, (start + lead, start + lead + len(who))
        entity.spoke = True
        found.append(cand)
    return found


def _known(who: str, lang: str, known_body: Callable[[str], str | None]) -> bool:
    return organisation_name(who, lang) is not None or known_body(who) is not None


def headline_subject(
    doc: Doc[Any], title: str, lang: str, shown_name: Any, surname: Callable[[str], bool]
) -> Entity | None:
    """The person the headline opens with as its subject: "Путин назвал …", "Blair defends …"."""
    m = _LEADING_NAME.match(" ".join(title.split()))
    if m is None:
        return None
    who = m.group("who")
    first = who.split()[0]
    return _person(doc, who, lang, shown_name) or _named(
        doc, first, lang, shown_name, surname, people_searched=first == who
    )


def resolve_head_roles(doc: Doc[Any], candidates: list[Candidate], subject: Entity, head_roles: frozenset[str]) -> None:
    """An office nobody in the text was given ("Российский президент", "глава государства") is held by the
    person the headline is about; so is any office the lede opens with ("Goldsmith denies claim" / "The
    attorney general has denied …"): the lede's subject is the headline's."""
    for cand in candidates:
        if cand.entity is not None or cand.source is None:
            continue
        mention: Mention | None = doc.mentions.get(cand.source[0])
        if mention is None or mention.kind != "role" or mention.entity is not None:
            continue
        if mention.role.lower() not in head_roles and not _opens_lede(doc, mention):
            continue
        cand.entity, cand.kind = subject, "person"
        subject.spoke = True


def resolve_headline_role(doc: Doc[Any], candidates: list[Candidate], lead_end: int, unnamed: Collection[str]) -> None:
    """A role the headline names no one for ("Российский посол в ООН обвинил …") is held by the person who
    speaks in the text's first paragraph, which names them ("Постпред Василий Небензя заявил …")."""
    first_paragraph = doc.text.find("\n", lead_end)
    first_paragraph = len(doc.text) if first_paragraph < 0 else first_paragraph
    below = sorted((c for c in candidates if lead_end <= c.start < first_paragraph), key=lambda c: c.start)
    anyone = next((c.entity for c in below if c.entity is not None), None)
    for cand in candidates:
        if cand.how == "signed" and cand.entity is None and anyone is not None:
            # "Белгород снова обстрелян — власти": whoever gives the report in the first paragraph
            cand.entity, cand.kind = anyone, "organization" if anyone.kind == "organization" else "person"
    first = next((c.entity for c in below if c.entity is not None and c.entity.kind == "person"), None)
    if first is None:
        return
    for cand in candidates:
        if cand.start >= lead_end or cand.entity is not None or cand.source is None or cand.person == "p":
            continue
        mention: Mention | None = doc.mentions.get(cand.source[0])
        if mention is not None and mention.kind == "role" and mention.role not in unnamed:
            cand.entity, cand.kind = first, "person"


def _opens_lede(doc: Doc[Any], mention: Mention) -> bool:
    """The mention is the subject the article's first sentence opens with."""
    first = doc.bounds[0][0] if doc.bounds else 0
    while first < mention.a and not doc.toks[first].low[:1].isalnum():
        first += 1
    return doc.toks[mention.a].sent == 0 and mention.a - first <= 1


def title_quote(entity: Entity, words: str, direct: bool, shown_name: Any) -> Quote:
    """A statement of the headline: it is not in the text, so it points at the text's start."""
    return Quote(
        text=words,
        start=0,
        end=0,
        direct=direct,
        mention=entity.name,
        speaker=shown_name(entity),
        speaker_kind="organization" if entity.kind == "organization" else "person",
        cue=":",
        sentence_index=-1,
        score=0.7 if direct else 0.5,
        in_title=True,
    )
