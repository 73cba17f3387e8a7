"""Steps on entities that every language takes the same way: the reading-order record of who was named
where, organisations by name, and pronouns resolved by gender and salience."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection
from typing import Any

from analysis.people import is_common_word, language_of_name
from analysis.quotes.model import Doc, Entity

PRONOUN_REACH = 4  # sentences a pronoun looks back for its person
EVENT_LOOKBACK = 200  # mentions a pronoun looks back over at most


def sentence_of(doc: Doc[Any], tok: int) -> tuple[int, int]:
    """The token range of the sentence a token lies in."""
    s = doc.toks[tok].sent
    return doc.bounds[s] if s >= 0 else (tok, tok + 1)


def add_event(doc: Doc[Any], tok: int, salience: int, entity: Entity) -> None:
    """Record that `entity` was named at `tok`: 3 as the subject of a speech verb, 2 as a subject, 1 plainly,
    0 as a complement.
    Events arrive in reading order except for late-resolved sources, which go where they belong."""
    pos = bisect_right(doc.event_keys, tok)
    doc.event_keys.insert(pos, tok)
    doc.events.insert(pos, (tok, salience, entity))


def initials_compatible(a: str, b: str) -> bool:
    """ "J" and "John" may be the same given name; "John" and "Jim" are not."""
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def earlier_person(doc: Doc[Any], last: str, first: str, gender: str, middle: tuple[str, ...] = ()) -> Entity | None:
    """The latest person named before whom a mention with this surname can stand for: first names (or their
    initials), middle names and gender must not disagree with what the article told about them."""
    for entity in reversed(doc.entities):
        if entity.last != last or entity.kind == "organization":  # the surname first: it rules out most
            continue
        if first and entity.first and not initials_compatible(first, entity.first):
            continue
        if middle and entity.middle and middle != entity.middle:
            continue
        if gender and entity.gender and gender != entity.gender:
            continue
        return entity
    return None


def organization(doc: Doc[Any], name: str, pos: int) -> Entity:
    """The organisation of that name, made on its first mention."""
    key = name.lower()
    for entity in reversed(doc.entities):
        if entity.kind == "organization" and entity.name.lower() == key:
            return entity
    entity = Entity(kind="organization", name=name, first_pos=pos)
    doc.entities.append(entity)
    return entity


def _sentences_between(doc: Doc[Any], earlier: int, later: int) -> int:
    """Sentences of the reporter's own from `earlier` to `later`; quoted sentences in between do not count."""
    if earlier < 0 or later < 0 or later >= len(doc.narrative):
        return later - earlier
    return doc.narrative[later] - doc.narrative[earlier]


def _ordinary_words(name: str) -> bool:
    """Every word of the name is an ordinary word of its language."""
    lang = language_of_name(name)
    return all(is_common_word(word, lang) for word in name.split())


def resolve_pronoun(
    doc: Doc[Any],
    tok: int,
    gender: str,
    morphology_knows_people: bool = False,
    subordinate_openers: Collection[str] = (),
    skip: Callable[[int], bool] | None = None,
) -> Entity | None:
    """The person a "he"/"she" at `tok` stands for: the last one of that gender named within PRONOUN_REACH
    sentences, preferring one named as a subject or speaker.

    Where the language's morphology tells people from other capitalised words (Russian: given names,
    patronymics, agreeing verbs), a word not known as a person is no antecedent unless it spoke, and "she"
    needs a woman the text has shown to be one; elsewhere an unknown capitalised name of two words or more may
    be a foreign name, and is an antecedent when it is a subject. A subject right after one of
    `subordinate_openers` ("why", "that") gives way to its sentence's main subject. Names at the tokens
    `skip` picks are passed over."""
    if not gender:
        return None
    sent = doc.toks[tok].sent
    end = bisect_right(doc.event_keys, tok - 1)
    fallback: Entity | None = None
    for k in range(end - 1, max(-1, end - EVENT_LOOKBACK), -1):
        pos, salience, entity = doc.events[k]
        if _sentences_between(doc, doc.toks[pos].sent, sent) > PRONOUN_REACH:
            break
        if skip is not None and skip(pos):
            continue
        if entity.kind == "organization" or (entity.gender and entity.gender != gender):
            continue
        if entity.kind == "unknown" and not entity.spoke and (morphology_knows_people or salience < 2):
            continue
        if entity.kind == "unknown" and not entity.spoke and " " not in entity.name:
            continue  # one capitalised word nobody showed to be a person: "Construction", "Consumer"
        if entity.kind == "unknown" and not entity.spoke and _ordinary_words(entity.name):
            continue  # "Constitutional Affairs", "Weakest Link": capitalised, but no one's name
        if morphology_knows_people and gender == "f" and entity.gender != "f":
            continue
        if salience >= 2:
            subordinate = pos > 0 and doc.toks[pos - 1].low in subordinate_openers
            return _main_subject(doc, k, entity, gender, morphology_knows_people, subordinate)
        if fallback is None and salience >= 1:
            fallback = entity
    return fallback


def _main_subject(
    doc: Doc[Any], k: int, entity: Entity, gender: str, morphology_knows_people: bool, subordinate: bool
) -> Entity:
    """The sentence's speaker (salience 3) before a later subject that lies in what was said ("Mr Lee said
    he was "amazed" Mr Smith was still there. "…," he said." is Mr Lee); else, when the later subject opens a
    subordinate clause, the sentence's first subject ("Mr Johnson was asked why Mr Smith had resigned. He
    replied: …" is Mr Johnson)."""
    if doc.events[k][1] >= 3:
        return entity
    sent = doc.toks[doc.events[k][0]].sent
    first: Entity | None = None
    for j in range(k - 1, max(-1, k - 20), -1):
        pos, salience, other = doc.events[j]
        if doc.toks[pos].sent != sent:
            break
        if salience < 2 or other is entity or other.kind == "organization":
            continue
        if (other.gender and other.gender != gender) or (other.kind == "unknown" and not other.spoke):
            continue
        if morphology_knows_people and gender == "f" and other.gender != "f":
            continue
        if salience >= 3:
            return other
        first = other
    return first if subordinate and first is not None else entity
