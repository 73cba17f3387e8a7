"""Who said what in Russian news: direct quotes, reported speech and their speakers, by rules and lexicons.

The forms a Russian news text uses (the lexicons are `data/speech_ru.json` and `data/roles_ru.json`):

- direct quotes with the attribution after them: «…», — сказал Путин. «…» — пишет РБК. «…!» — добавил он;
  before them: Песков подчеркнул: «…»; and quotes that go on in the next paragraph;
- reported speech: Путин заявил, что … · …, заявил Путин. · …, сообщили в Кремле. · по словам Путина, … ·
  …, по данным Минобороны. · как отметил министр, … · Об этом сообщил … (the sentence before) ·
  …, подчеркнув, что … (the speaker of the sentence);
- negated cues ("не сказал", "отказался сообщить") and questions report nothing.

Speakers are read from the words around the cue: a name (with its roles: "пресс-секретарь президента Дмитрий
Песков"), a role alone ("министр", resolved to the person the text gave that role), a pronoun (он, она:
the last person of that gender named nearby) or a body ("в Кремле", ТАСС, «Коммерсант»). Russian word order
is free, so the grammar decides: a subject is in the nominative and agrees with the verb (заявил, заявила,
заявили), a noun after a preposition never speaks, "по словам" takes the genitive. Names are shown in the
nominative (`analysis.names_ru.lemma`): "по словам Владимира Путина" gives "Владимир Путин".

Precision first: a statement whose speaker cannot be told is kept with its mention and no speaker; a wrong
speaker is worse than none.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from analysis import names_ru
from analysis.people import is_common_word, load_roles, organisation_name
from analysis.quotes.entities import add_event, earlier_person, organization, resolve_pronoun, sentence_of
from analysis.quotes.model import SCARE_WORDS, Candidate, Doc, Entity, Mention, Span, Token
from analysis.quotes.pipeline import Language

SOURCE_WINDOW = 14  # tokens a source phrase may span after its cue

_TOKEN = re.compile(
    r"[^\W\d_]\.(?=[^\S\n]*[^\W\d_])"  # an initial: "В. Путин"
    r"|[^\W\d_]+(?:[-‐][^\W\d_]+)*"
    r"|\d+(?:[.,:]\d+)*"
    r"|\.\.\.|…|[^\w\s]"
)
_QUOTE_CHARS = set('«»„“”"')
_DASHES = {"—", "–", "-", "―"}
_TERMINAL = {".", "!", "?", "…", "..."}
_BREAKS = {".", "!", "?", "…", "...", ";", ",", ":", "(", ")"} | _DASHES
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|инична)(?:а|у|ем|ом|е|ой|у)?$")


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class _Verb:
    lemma: str
    cls: str  # speech | evidence | cognition
    person: str  # m | f | p | n | s (singular, any gender)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: dict[str, _Verb]
    gerunds: dict[str, str]
    according: dict[tuple[str, ...], str]
    light_verbs: dict[tuple[str, ...], _Verb]
    statement_nouns: frozenset[str]
    negations: frozenset[str]
    pronouns: dict[str, str]
    objects: frozenset[str]
    prepositions: frozenset[str]
    openers: tuple[tuple[str, ...], ...]
    adverbs: frozenset[str]
    function_words: frozenset[str]
    complementizers: frozenset[str]
    about_this: tuple[tuple[str, ...], ...]
    roles: dict[tuple[str, ...], str]  # any case form of a role phrase -> the role in the nominative
    head_roles: frozenset[str]  # who leads a body: "генсек", "глава", "председатель"
    role_first: frozenset[str]
    modifiers: frozenset[str]
    countries: dict[tuple[str, ...], str]
    country_nominatives: frozenset[str]  # forms of a country that can be a subject ("Дания", "США", "Киев")
    orgs: dict[tuple[str, ...], str]  # any form, lower-case words -> canonical name
    org_first: frozenset[str]
    org_locatives: dict[tuple[str, ...], str]
    org_words: dict[str, str]  # any case form -> the noun in the nominative
    generic: frozenset[str]
    media: frozenset[str]  # news outlets: after a cue with more to follow, they were told, not telling
    org_suffixes: tuple[str, ...]  # "Госпогранслужба", "Роспотребнадзор": one word naming a body
    not_bodies: frozenset[str]  # acronyms of things, not of bodies: "ЧС", "ПВО", "ВВП"
    document_cues: frozenset[str]  # "говорится", "указывается": in a body's document
    documents: frozenset[str]  # "сообщении", "заявлении": the documents a body speaks through
    introduces_speech: frozenset[str]  # "обратился", "выступил": a quoted paragraph after is the speech
    infinitive_cues: frozenset[str]  # "пообещал построить …": an infinitive clause is the statement
    accusation_cues: frozenset[str]  # "обвинил власти в фальсификациях": "X в Y" is the statement
    accusation_prepositions: frozenset[str]
    naming_cues: frozenset[str]  # "назвал решение незаконным": what it was called is the statement
    according_first: frozenset[str] = frozenset()  # first words of `according`, to skip most tokens at once
    light_first: frozenset[str] = frozenset()  # first words of `light_verbs`

    def __post_init__(self) -> None:
        object.__setattr__(self, "according_first", frozenset(k[0] for k in self.according))
        object.__setattr__(self, "light_first", frozenset(k[0] for k in self.light_verbs))


def _person_of(form: str) -> str:
    """The grammatical person a verb form agrees with, from its ending."""
    base = form[:-2] if form.endswith(("ся", "сь")) else form
    if base.endswith("ла") or base.endswith("на"):
        return "f"
    if base.endswith("ли") or base.endswith("ны") or base.endswith(("ют", "ят", "ат", "ут")):
        return "p"
    if base.endswith("ло"):
        return "n"
    if base.endswith("л") or base.endswith("н"):
        return "m"
    return "s"


def _other_past_forms(forms: list[str]) -> list[str]:
    """The neuter past of every feminine past form ("заявила" -> "заявило"): the subject of news is often a
    neuter body ("министерство", "правительство", "ведомство"); and the feminine and plural past of every
    masculine one ("рассказывал" -> "рассказывала", "рассказывали": "Как рассказывали в институте, …")."""
    past = [f + end for f in forms if f.endswith("л") for end in ("а", "и")]
    every = [*forms, *past]
    neuter = [f[:-1] + "о" for f in every if f.endswith("ла")] + [f[:-3] + "ось" for f in every if f.endswith("лась")]
    return list(dict.fromkeys(f for f in past + neuter if f not in forms))


def _phrase_table(items: dict[str, str] | list[str]) -> dict[tuple[str, ...], str]:
    if isinstance(items, list):
        return {tuple(i.lower().split()): i for i in items}
    return {tuple(k.lower().split()): v for k, v in items.items()}


def _declined_phrases(phrases: list[str], gender: str = "m") -> dict[tuple[str, ...], str]:
    """Every phrase with its first word in each case: "министр иностранных дел" -> "министра иностранных дел"."""
    table: dict[tuple[str, ...], str] = {}
    for phrase in phrases:
        words = phrase.lower().split()
        table[tuple(words)] = phrase.lower()
        for form in names_ru.declension(words[0], gender).values():
            table.setdefault((form, *words[1:]), phrase.lower())
        if words[0].endswith(("ый", "ий", "ой")) and len(words) > 1:
            stem = words[0][:-2]
            for ending in ("ого", "ому", "ым", "ом"):
                head_forms = names_ru.declension(words[1], gender)
                for form in head_forms.values():
                    table.setdefault((stem + ending, form, *words[2:]), phrase.lower())
    return table


def _noun_forms(nouns: list[str]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for noun in nouns:
        forms[noun] = noun
        gender = "f" if noun.endswith(("а", "я", "ь")) and noun != "союз" else "m"
        if noun.endswith(("о", "е")):
            stem = noun[:-1]
            for ending in ("а", "у", "ом", "е") if noun.endswith("о") else ("я", "ю", "ем", "и"):
                forms.setdefault(stem + ending, noun)
            continue
        for form in names_ru.declension(noun, gender).values():
            forms.setdefault(form, noun)
    return forms


_Doc = Doc["_Lexicon"]


@cache
def _lexicon() -> _Lexicon:
    raw = resources.files("analysis").joinpath("data", "speech_ru.json").read_text(encoding="utf-8")
    speech: dict[str, Any] = json.loads(raw)
    roles = load_roles("ru")
    verbs: dict[str, _Verb] = {}
    for lemma, entry in speech["verbs"].items():
        for form in [*entry["forms"], *_other_past_forms(entry["forms"])]:
            verbs.setdefault(form, _Verb(lemma, entry["class"], _person_of(form)))
    light: dict[tuple[str, ...], _Verb] = {}
    for phrase in speech["light_verbs"]:
        words = tuple(phrase.split())
        light[words] = _Verb(phrase, "speech", _person_of(words[0]))
    role_phrases = [r for group in roles.get("roles", {}).values() for r in group]
    role_table = _declined_phrases(role_phrases)
    countries: dict[tuple[str, ...], str] = {}
    for country, forms in roles.get("countries", {}).items():
        for form in [country, *forms]:
            countries[tuple(form.lower().split())] = country
    orgs: dict[tuple[str, ...], str] = {}
    for name in roles.get("organizations", []):
        words = name.lower().split()
        orgs[tuple(words)] = name
        if len(words) == 1 and not name.isupper():
            for form in names_ru.declension(words[0], "m").values():
                orgs.setdefault((form,), name)
    return _Lexicon(
        verbs=verbs,
        gerunds=dict(speech["gerunds"]),
        according={tuple(k.split()): v for k, v in speech["according"].items()},
        light_verbs=light,
        statement_nouns=frozenset(speech["statement_nouns"]),
        negations=frozenset(speech["negations"]),
        pronouns=dict(speech["pronouns"]),
        objects=frozenset(speech["object_pronouns"]),
        prepositions=frozenset(speech["prepositions"]),
        openers=tuple(sorted((tuple(o.split()) for o in speech["openers"]), key=len, reverse=True)),
        adverbs=frozenset(speech["adverbs"]),
        function_words=frozenset(speech["capital_function_words"]),
        complementizers=frozenset(speech["complementizers"]),
        about_this=tuple(tuple(p.split()) for p in speech["about_this"]),
        document_cues=frozenset(speech["document_says"]["cues"]),
        documents=frozenset(speech["document_says"]["documents"]),
        introduces_speech=frozenset(speech["introduces_speech"]),
        infinitive_cues=frozenset(speech["infinitive_complement"]),
        accusation_cues=frozenset(speech["accusation"]["verbs"]),
        accusation_prepositions=frozenset(speech["accusation"]["preposition"]),
        naming_cues=frozenset(speech["naming"]),
        roles=role_table,
        head_roles=frozenset(roles.get("roles", {}).get("head", [])),
        role_first=frozenset(k[0] for k in role_table),
        modifiers=frozenset(m.lower() for m in roles.get("role_modifiers", [])),
        countries=countries,
        country_nominatives=frozenset(
            c.lower() for c in [*roles.get("countries", {}), *roles.get("country_nominatives", [])]
        ),
        orgs=orgs,
        org_first=frozenset(k[0] for k in orgs),
        org_locatives=_phrase_table(roles.get("org_locatives", {})),
        org_words=_noun_forms(roles.get("org_words", [])),
        generic=frozenset(roles.get("generic_person_nouns", [])),
        media=frozenset(m.lower() for m in roles.get("media", [])),
        org_suffixes=tuple(roles.get("org_suffixes", [])),
        not_bodies=frozenset(a.lower() for a in roles.get("acronyms_not_bodies", [])),
    )


# ------------------------------------------------------------------------------------------ tokens


def _tokenize(text: str, lex: _Lexicon) -> list[Token]:
    toks: list[Token] = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        low = word.lower().replace("ё", "е")
        if low == "о." and toks and toks[-1].low == "и." and m.start() - toks[-1].end <= 1:
            # "И.о. мэра", "и. о. губернатора": acting, one word, not two initials
            first = toks.pop()
            toks.append(Token(first.start, m.end(), text[first.start : m.end()], "и.о.", first.cap))
            continue
        toks.append(Token(m.start(), m.end(), word, low, word[0].isupper()))
    return toks


def _pair_quotes(text: str) -> list[Span]:
    """Quoted spans per paragraph: «…» with „…“ inside, straight "…" and English “…”."""
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", text):
        stack: list[tuple[str, int]] = []
        for i in range(para.start(), para.end()):
            ch = text[i]
            if ch not in _QUOTE_CHARS:
                continue
            prev = text[i - 1] if i > para.start() else " "
            nxt = text[i + 1] if i + 1 < para.end() else " "
            if ch == '"':
                opening = (prev.isspace() or prev in "([«„—–-:;/") and not nxt.isspace()
                if stack and stack[-1][0] == '"' and not opening:
                    _, at = stack.pop()
                    if not stack:
                        spans.append(Span([(at + 1, i)], at, i))
                elif opening:
                    stack.append(('"', i))
                continue
            if ch == "«" or ch == "„" or (ch == "“" and not (stack and stack[-1][0] == "„")):
                stack.append((ch, i))
                continue
            want = {"»": "«", "“": "„", "”": "“"}[ch]
            while stack and stack[-1][0] != want:
                stack.pop()  # a mark left open inside is stray
            if stack:
                _, at = stack.pop()
                if not stack:
                    spans.append(Span([(at + 1, i)], at, i))
        if stack and stack[0][0] in '«“"':
            at = stack[0][1]
            before = text[para.start() : at].rstrip()
            if not before or before[-1] in ":,—–-":
                spans.append(Span([(at + 1, para.end())], at, -1))
    spans.sort(key=lambda s: s.open_at)
    return spans


# ---------------------------------------------------------------------------------------- entities


def _phrase_at(doc: _Doc, i: int, limit: int, table: dict[tuple[str, ...], str], longest: int = 6) -> tuple[int, str]:
    toks = doc.toks
    for n in range(min(longest, limit - i), 0, -1):
        key = tuple(t.low for t in toks[i : i + n])
        value = table.get(key)
        if value is not None:
            return n, value
    return 0, ""


def _role_at(doc: _Doc, i: int, limit: int) -> tuple[int, str]:
    """A role phrase at token i, with its modifiers: "бывший министр обороны", "пресс-секретарь"."""
    lex = doc.lex
    j = i
    while j < limit and j - i < 3 and (doc.toks[j].low in lex.modifiers or doc.toks[j].low in ("экс", "-")):
        j += 1
    if j >= limit or (doc.toks[j].low not in lex.role_first and not doc.toks[j].low.startswith("экс-")):
        return 0, ""
    low = doc.toks[j].low.removeprefix("экс-")
    if low != doc.toks[j].low:
        n, role = _phrase_at_words(doc, j, limit, lex.roles, first=low)
    else:
        n, role = _phrase_at(doc, j, limit, lex.roles)
    return (j - i + n, role) if n else (0, "")


def _phrase_at_words(doc: _Doc, i: int, limit: int, table: dict[tuple[str, ...], str], first: str) -> tuple[int, str]:
    for n in range(min(6, limit - i), 0, -1):
        key = (first, *(t.low for t in doc.toks[i + 1 : i + n]))
        if key in table:
            return n, table[key]
    return 0, ""


def _org_at(doc: _Doc, i: int, limit: int) -> tuple[int, str]:
    t = doc.toks[i]
    if t.low in doc.lex.org_first:
        n, name = _phrase_at(doc, i, limit, doc.lex.orgs)
        if n and (doc.toks[i].cap or not doc.toks[i].low.isalpha() or _ministry(name)):
            return n, name  # "минздрав" is often written in lower case
    if _acronym(t) and t.low not in ("и", "в") and t.low not in doc.lex.not_bodies:
        n, _ = _phrase_at(doc, i, limit, doc.lex.countries)
        return (0, "") if n else (1, t.text)  # "США" is a country; "МЧС" a body
    return 0, ""


def _ministry(name: str) -> bool:
    return name.startswith("Мин") and " " not in name and name[3:4].islower()


def _acronym(t: Token) -> bool:
    letters = t.text.replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _country_at(doc: _Doc, i: int, limit: int) -> tuple[int, str]:
    if not doc.toks[i].cap:
        return 0, ""
    return _phrase_at(doc, i, limit, doc.lex.countries, longest=3)


def _name_word(doc: _Doc, i: int, sent_start: int) -> bool:
    """A capitalised word that can be part of a person's name."""
    t = doc.toks[i]
    if not t.cap or not t.text[0].isalpha() or t.long_quote or len(t.text) == 1:
        return False  # a lone capital is a letter ("в соцсети Х"), not a name
    if len(t.text) == 2 and t.text.endswith("."):
        return True  # an initial
    if _ADJECTIVE_PLURAL.search(t.low) and t.low not in names_ru.known_lemmas():
        return False  # "Ракетных войск", "Вооруженные силы": capitalised adjectives
    if _OBLIQUE_ADJECTIVE.search(t.low) and i + 1 < len(doc.toks) and doc.toks[i + 1].sent == t.sent:
        nxt = doc.toks[i + 1]
        noun_follows = _ADJECTIVE.search(nxt.low) or _GENITIVE.search(nxt.low)
        if nxt.text.islower() and noun_follows and not _PAST_TENSE.search(nxt.low):
            return False  # "Главного военно-политического управления": an adjective before its noun
    if _acronym(t) or t.low in doc.lex.function_words or t.low in doc.lex.verbs or t.low in doc.lex.pronouns:
        return False
    if i == sent_start and t.low in doc.lex.role_first:
        return False
    if i == sent_start and _surname_gender_by_verb(doc, i, i + 1):
        return True  # "Москалькова опубликовала …"
    return not (i == sent_start and not _looks_like_name(doc, t) and not _name_pair(doc, i))


_OBLIQUE_ADJECTIVE = re.compile(r"(?:ого|его|ому|ему|ой|ей|ых|их|ым|им|ую|юю)$")
_ATTRIBUTIVE = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ей|ых|их)$")
_PARTICLES = frozenset({"де", "фон", "ван", "бен", "аль", "ибн", "ле", "ла", "дер", "дель", "да", "ди", "эль"})
_ADJECTIVE_PLURAL = re.compile(r"(?:ых|их|ые|ие|ими|ыми|ое)$")


def _name_pair(doc: _Doc, i: int) -> bool:
    """A sentence opening with two capitalised words, then a lower-case word: a first name and a surname."""
    toks = doc.toks
    if i + 2 >= len(toks) or toks[i + 1].sent != toks[i].sent:
        return False
    second, after = toks[i + 1], toks[i + 2]
    if not second.cap or not second.text.isalpha() or _acronym(second) or second.low in doc.lex.function_words:
        return False
    if (second.low,) in doc.lex.countries or second.low in doc.lex.org_first or toks[i].low in doc.lex.org_words:
        return False
    # "Талси Габбард заявила", not "Защита Трампа заявила", "Летом Байден заявил": a given name first, or a
    # surname-shaped nominative second
    surname = bool(_SURNAME_NOMINATIVE.search(second.low) or _SURNAME_OTHER.search(second.low))
    # "Вечером Путин собрал …", "Зимой Зеленский …": an adverb of time in the instrumental, no given name
    adverb = toks[i].low.endswith(("ом", "ём", "ем", "ью", "ой")) and not names_ru.is_given_name(toks[i].low)
    surname = surname and not adverb
    reads_as_name = names_ru.is_given_name(toks[i].low) or (surname and names_ru.may_be_nominative(second.text))
    if after.text[:1].islower() and after.low not in doc.lex.prepositions:
        return reads_as_name or _foreign_name_pair(doc, i)
    # "Рафаэль Надаль, один из …": a name set off by its description
    return after.low == "," and _foreign_name_pair(doc, i)


def _foreign_name_pair(doc: _Doc, i: int) -> bool:
    """A first name no table knows and a surname of no Russian shape ("Рафаэль Надаль"): the second word
    comes back later in the text as a name of its own, and the first is no ordinary word."""
    first, second = doc.toks[i], doc.toks[i + 1]
    if is_common_word(first.text, "ru") or is_common_word(second.text, "ru"):
        return False
    key = _key(second.text)
    return any(
        t.cap and t.sent != second.sent and k > 0 and doc.toks[k - 1].sent == t.sent and _key(t.text) == key
        for k, t in enumerate(doc.toks[i + 2 :], start=i + 2)
    )


# "Песков", "Мишустин", "Зеленский", "Трубецкой"; not "Женщина", "Причина", "Машина" (nouns in -ина)
_SURNAME_NOMINATIVE = re.compile(r"(?:ов|ев|ёв|ин|ын|ский|цкий)$")


def _looks_like_name(doc: _Doc, t: Token) -> bool:
    """At a sentence's start a capital proves nothing: a name there must be known as one."""
    if names_ru.is_given_name(t.low) or _SURNAME_NOMINATIVE.search(t.low):
        return True
    if t.low in doc.capital_words:
        return True
    return t.low in names_ru.known_lemmas()


def _entity_pass(doc: _Doc) -> None:
    """Names, roles, bodies and pronouns in reading order, each resolved as it comes."""
    toks = doc.toks
    lex = doc.lex
    for a, b in doc.bounds:
        i = a
        while i < b:
            t = toks[i]
            span = doc.spans[t.quote] if t.quote >= 0 else None
            if span is not None and span.words <= SCARE_WORDS and t.low in _QUOTE_CHARS and span.open_at == t.start:
                i = _title(doc, i, a, b)
                continue
            if t.long_quote or not t.text[0].isalpha():
                i += 1
                continue
            governed = _governed(doc, i, a)
            if i > a and t.low in _POSSESSIVE_PERSON and _possessive_according(doc, i - 1, b):
                person = _POSSESSIVE_PERSON[t.low]  # "по его словам": whose words, like a "он"
                entity = resolve_pronoun(doc, i, person, morphology_knows_people=True) if person != "p" else None
                doc.mentions[i] = Mention(i, i + 1, "pronoun", entity)
                i += 1
                continue
            if t.low in lex.pronouns and (not t.cap or i == a):
                if t.low in ("он", "она"):
                    entity = resolve_pronoun(doc, i, lex.pronouns[t.low], morphology_knows_people=True)
                    doc.mentions[i] = Mention(i, i + 1, "pronoun", entity)
                    if entity is not None:
                        add_event(doc, i, 1, entity)
                elif t.low in lex.pronouns:
                    doc.mentions[i] = Mention(i, i + 1, "pronoun", None)
                i += 1
                continue
            n, org = _org_at(doc, i, b)
            if n:
                m, _ = _country_at(doc, i + n, b) if i + n < b else (0, "")
                if m:  # "Минобороны России", "МИД Грузии": one body
                    org = doc.text[toks[i].start : toks[i + n + m - 1].end]
                    n += m
                entity = organization(doc, org, toks[i].start)
                _register(doc, Mention(i, i + n, "org", entity, governed=governed))
                i += n
                continue
            if t.low in lex.org_words:
                i = _body_phrase(doc, i, b, governed)
                continue
            if t.cap and _ATTRIBUTIVE.search(t.low) and t.low not in lex.adverbs:
                j = i + 1
                while j < b and j - i < 3 and toks[j].low not in lex.org_words and _ADJECTIVE.search(toks[j].low):
                    if toks[j].cap:
                        break
                    j += 1
                if j < b and toks[j].low in lex.org_words:
                    i = _body_phrase(doc, j, b, governed, start=i)  # "Донецкой областной прокуратуры"
                    continue
            if t.low in lex.generic and not governed:
                i = _generic_phrase(doc, i, b)  # "Источники Украинской службы Би-би-си"
                continue
            n, country = _country_at(doc, i, b)
            if n:
                entity = organization(doc, country, toks[i].start)
                _register(doc, Mention(i, i + n, "place", entity, governed=governed))
                i += n
                continue
            n, role = _role_at(doc, i, b)
            if n:
                i = _role_phrase(doc, i, n, role, a, b, governed)
                continue
            if _name_word(doc, i, a):
                if _body_word(doc, t):  # "Госпогранслужба Украины", "Роспотребнадзор"
                    m, _ = _country_at(doc, i + 1, b) if i + 1 < b else (0, "")
                    org = doc.text[t.start : toks[i + m].end]
                    _register(doc, Mention(i, i + 1 + m, "org", organization(doc, org, t.start), governed=governed))
                    i += 1 + m
                    continue
                k = _name_end(doc, i, a, b)
                if governed and k - i > 1 and not names_ru.is_given_name(t.low):
                    k = i + 1  # "в Дагестан Арчаков": the preposition's noun, then another name
                elif _place_before_name(doc, i, k):
                    k = i + 1  # "штата Флорида Мэтт Гейц": a place, then the person
                elif k - i > 1 and _after_a_noun(doc, i) and not names_ru.is_given_name(t.low):
                    k = i + 1  # "имени Гамалеи Гинцбург", "из Краснодара Султан": the noun's complement
                _person_mention(doc, i, i, k, "", governed)
                i = k
                continue
            i += 1


_ADJECTIVE = re.compile(r"(?:ого|его|ому|ему|ой|ей|ых|их|ий|ый|ая|яя|ое|ее|ые|ие|ую|юю|ом|ем|ым|им|ыми|ими)$")


def _body_phrase(doc: _Doc, i: int, b: int, governed: bool, start: int = -1) -> int:
    """A body named by a common noun: "Министерство обороны России", "пресс-служба Курского суда", "Армия
    Сирии". With what completes it, it is a named body; alone ("ведомство", "компания") it names none."""
    toks = doc.toks
    start = i if start < 0 else start
    j = i + 1
    if j < b and toks[j].cap and toks[j].text[0].isalpha() and not names_ru.is_cyrillic(toks[j].text):
        # "газета Independent", "журнал Foreign Policy": the body's own name, in Latin letters
        k = j
        while (
            k < b and k - j < 3 and toks[k].cap and toks[k].text[0].isalpha() and not names_ru.is_cyrillic(toks[k].text)
        ):
            k += 1
        name = doc.text[toks[j].start : toks[k - 1].end]
        _register(doc, Mention(start, k, "org", organization(doc, name, toks[i].start), governed=governed))
        return k
    while j < b and j - i < 7:
        n, _ = _country_at(doc, j, b)
        n = (
            n
            or _org_at(doc, j, b)[0]
            or _office_of_head(doc, i, j, b)
            or int(bool(_DECLINED_ACRONYM.match(toks[j].text)))
        )
        if n:
            j += n
            continue
        t = toks[j]
        if _complement(doc, j) or (t.cap and _ADJECTIVE.search(t.low) and not names_ru.is_given_name(t.low)):
            j += 1
            continue
        break
    while j > i + 1 and _ADJECTIVE.search(toks[j - 1].low) and not toks[j - 1].cap:
        j -= 1  # a trailing adjective belongs to what follows
    entity = None
    if j > i + 1 or start < i:
        # named in the nominative whatever its case here: "в администрации Белого дома" -> "Администрация ..."
        head = doc.lex.org_words.get(toks[i].low, toks[i].low)
        words = [*(_agree(t.text, head, toks[i].text) for t in toks[start:i]), head, *(t.text for t in toks[i + 1 : j])]
        name = " ".join(words) if start < i else " ".join([head, *(t.text for t in toks[i + 1 : j])])
        entity = organization(doc, name[0].upper() + name[1:], toks[start].start)
    _register(doc, Mention(start, j, "org", entity, governed=governed))
    return j


_DECLINED_ACRONYM = re.compile(r"^[А-ЯЁ]{2,}[а-яё]{1,2}$")  # "Музей истории ГУЛАГа", "сотрудники МИДа"


def _office_of_head(doc: _Doc, i: int, j: int, b: int) -> int:
    """The words of a head's office right after its noun ("Канцелярия премьер-министра", "Офис президента"):
    they name the body; 0 when none stand there."""
    if j != i + 1 or not doc.toks[j].low.endswith(("а", "я")):
        return 0
    n, role = _role_at(doc, j, b)
    return n if n and role in doc.lex.head_roles else 0


def _agree(adjective: str, noun: str, written: str = "") -> str:
    """An adjective before a body's noun, in the nominative: "Следственного" + "комитет" -> "Следственный";
    before the noun in the nominative (`written`) it is in the nominative already ("Большой театр")."""
    low = adjective.lower()
    if written.lower() == noun:
        return adjective
    m = re.search(r"(ого|его|ому|ему|ым|им|ом|ем|ой|ей|ую|юю|ая|яя|ое|ее|ый|ий)$", low)
    if m is None:
        return adjective
    stem = adjective[: m.start()]
    last = stem[-1:].lower()
    soft = m.group(1)[0] in "еия" and last == "н"  # "Верхний", "последней": soft adjectives
    if noun.endswith(("а", "я", "ь")):
        ending = "яя" if soft else "ая"
    elif noun.endswith(("о", "е")):
        ending = "ее" if soft else "ое"
    else:
        ending = "ий" if soft or last in "гкхжшчщ" else "ый"
    return stem + ending


def _generic_phrase(doc: _Doc, i: int, b: int) -> int:
    """Sources, experts, officials: people the text does not name, with what completes them."""
    toks = doc.toks
    j = i + 1
    outlet = body = ""
    while j < b and j - i < 8:
        m = doc.mentions.get(j)
        n, org = _org_at(doc, j, b)
        if n and org.lower() in doc.lex.media:
            outlet = outlet or org
        elif n:
            body = body or org
        n = n or _country_at(doc, j, b)[0]
        if n:
            j += n
        elif _complement(doc, j) or (toks[j].cap and _ADJECTIVE.search(toks[j].low)):
            j += 1
        elif m is not None and m.kind == "title" and m.a == j:
            outlet = outlet or (m.role if m.role.lower() in doc.lex.media else "")
            j = m.b
        else:
            break
    _register(doc, Mention(i, j, "role", None, role=toks[i].low, outlet=outlet, body=body))
    return j


def _title(doc: _Doc, i: int, a: int, b: int) -> int:
    """A short quoted name ("«Азимут»", "Крылья Советов") names a thing, never a person; after a noun like
    "авиакомпания" or "издание" the two are one body."""
    toks = doc.toks
    span = doc.spans[toks[i].quote]
    end = bisect_right(doc.starts, span.close_at) if span.close_at >= 0 else bisect_right(doc.starts, span.end - 1)
    end = min(end, b)
    inner = doc.text[span.start : span.end].strip()
    if not inner or not (inner[0].isupper() or inner[0].isdigit()):  # "«12-й канал»" is a name too
        return end
    start = i
    if i > a and toks[i - 1].low in doc.lex.org_words:
        start = i - 1
    mention = Mention(start, end, "title", None, governed=_governed(doc, start, a))
    mention.role = inner
    for k in range(start, end):
        doc.mentions[k] = mention
    return end


def _place_before_name(doc: _Doc, i: int, k: int) -> bool:
    """A run of three or more capitalised words whose first is a long word and no given name: a place or a
    body in the genitive before a person's name ("Нидерландов Дик Схоф"); short ones are Korean or Chinese
    names ("Юн Сок Ёль")."""
    first = doc.toks[i]
    return k - i >= 3 and len(first.text) >= 5 and not names_ru.is_given_name(first.low)


def _body_word(doc: _Doc, t: Token) -> bool:
    low = t.low
    if names_ru.is_given_name(low) or low in names_ru.known_lemmas():
        return False
    return any(low.endswith(x) and len(low) > len(x) + 2 for x in doc.lex.org_suffixes)


def _governed(doc: _Doc, i: int, sent_start: int) -> bool:
    """Whether a phrase at token i stands after a preposition (adjectives may come between)."""
    j = i - 1
    while j >= sent_start and i - j <= 3:
        low = doc.toks[j].low
        if low in doc.lex.prepositions:
            return True
        if not low.isalpha() or low in doc.lex.verbs or low in doc.lex.function_words:
            return False
        if not low.endswith(("ого", "его", "ому", "ему", "ым", "им", "ой", "ей", "ом", "ем", "ую", "юю", "ых", "их")):
            return False  # a noun, not an adjective agreeing with what follows
        j -= 1
    return False


def _name_end(doc: _Doc, i: int, sent_start: int, limit: int) -> int:
    """The end of a run of name words at i: "Владимир Владимирович Путин", "В. Путин", "Юн Сок Ёль"."""
    k = i
    while k < limit and k - i < 5:
        if k > i and (_country_at(doc, k, limit)[0] or _org_at(doc, k, limit)[0]):
            break
        if _name_word(doc, k, sent_start if k == i else -1):
            if k > i and names_ru.is_given_name(doc.toks[k].low) and not names_ru.is_given_name(doc.toks[k - 1].low):
                break  # "Флориды Марко Рубио": the name starts at its given name
            if k > i and names_ru.is_cyrillic(doc.toks[k].text) != names_ru.is_cyrillic(doc.toks[k - 1].text):
                break  # "газете Telegraph Джонсон": an outlet, then a person
            if k == i + 1 and _known_surname_declined(doc, doc.toks[i]):
                break  # "выступление Шахназарова Путин отреагировал": one person's genitive, then another
            prev = doc.toks[k - 1].low
            if (
                k > i
                and prev.endswith(("ии", "ской", "ского", "ских", "ной", "ного"))
                and not names_ru.is_given_name(prev)
            ):
                break  # "Болгарии Отар ...": a place in the genitive, then the name
            k += 1
        elif k > i and doc.toks[k].low in _PARTICLES:
            p = k
            while p < limit and doc.toks[p].low in _PARTICLES and p - k < 3:
                p += 1
            if p < limit and _name_word(doc, p, -1):
                k = p  # "Урсула фон дер Ляйен"
            else:
                break
        else:
            break
    return max(k, i + 1)


def _known_surname_declined(doc: _Doc, t: Token) -> bool:
    """A surname the text has already given a person, here in another case than the one it was named in."""
    key = _key(t.text)
    return key != t.low and any(e.kind == "person" and e.last == key for e in doc.entities)


def _role_phrase(doc: _Doc, i: int, n: int, role: str, sent_start: int, limit: int, governed: bool) -> int:
    """A role and what completes it ("пресс-секретарь президента России"), then the name it introduces."""
    toks = doc.toks
    j = i + n
    lower_words = 0
    place_phrase = False
    while j < limit and j - i < 14:
        t = toks[j]
        if t.long_quote:
            break
        m, _ = _country_at(doc, j, limit)
        if m:
            j += m
            continue
        m, _ = _org_at(doc, j, limit)
        if m:
            j += m
            continue
        title = doc.mentions.get(j)
        if title is not None and title.kind == "title" and title.a == j:
            j = title.b  # "представитель группировки «Таврия» Владислав Волошин"
            continue
        place_adjective = t.cap and _OBLIQUE_ADJECTIVE.search(t.low) and j + 1 < limit and toks[j + 1].cap
        if place_adjective and not names_ru.is_given_name(t.low) and not names_ru.is_given_name(toks[j + 1].low):
            j += 1  # "руководитель центра Юго-Восточной Азии ...": a place's name, not a person's
            continue
        m, _ = _role_at(doc, j, limit)
        if m and not _name_word(doc, j, -1):
            j += m  # "пресс-секретарь президента"
            continue
        if _name_word(doc, j, -1):
            k = _name_end(doc, j, -1, limit)
            after = toks[k] if k < limit else None
            # a capitalised word followed by a lower-case complement belongs to the role ("Самарской области"),
            # as does one followed by another name ("мэр Одессы Геннадий Труханов")
            if k - j == 1 and not names_ru.is_given_name(toks[j].low):
                if after is not None and (
                    _complement(doc, k) or (_name_word(doc, k, -1) and names_ru.is_given_name(after.low))
                ):
                    j = k
                    continue
                if toks[j].low.endswith(("ы", "ии")) and toks[j].low not in names_ru.known_lemmas():
                    j = k  # "генпрокурор Абхазии Адгур Агрба", "сообщил мэр Одессы.": a place in the genitive
                    if after is not None and _name_word(doc, k, -1):
                        continue
                    break
            if not names_ru.is_cyrillic(toks[j].text) and after is not None and _name_word(doc, k, -1):
                j = k  # "главы Cinia Ари-Юсси Кнаапила": a company named in Latin letters, then the person
                continue
            if _place_before_name(doc, j, k):
                j += 1  # "Премьер-министр Нидерландов Дик Схоф"
            elif k - j > 1 and j > i + n and _after_a_noun(doc, j) and not names_ru.is_given_name(toks[j].low):
                # "директор центра имени Гамалеи Гинцбург"; right after the role ("певица Нора Лима") the two
                # words are the person's first name and surname
                j += 1
            _person_mention(doc, i, j, k, role, governed)
            body = _role_body(doc, i + n, j)
            entity = doc.mentions[i].entity
            if body and entity is not None:
                entity.bodies.add(body)
            return k
        if t.low in ("в", "во", "на", "от", "при", "по") and not place_phrase and j + 1 < limit:
            nxt = toks[j + 1]
            if nxt.cap and not names_ru.is_given_name(nxt.low) and j + 2 < limit and toks[j + 2].cap:
                place_phrase = True  # "посол Грузии в Болгарии Отар ...", "сенатор от Флориды Марко Рубио"
                j += 2
                continue
        if t.cap and _ADJECTIVE.search(t.low) and not names_ru.is_given_name(t.low):
            j += 1  # "глава Одесской областной ...", "корреспондент Русской службы ..."
            continue
        if t.cap or not t.low.isalpha():
            break
        if not _complement(doc, j) or lower_words >= 6:
            break
        lower_words += 1
        j += 1
    mention = Mention(i, j, "role", None, role=role, governed=governed)
    mention.entity = _resolve_role(doc, mention)
    _register(doc, mention)
    return j


_GENITIVE = re.compile(r"(?:[аяыи]|ого|его|ой|ей|ых|их|ов|ев|ий|дел|сил|войск|служб|стран|наук)$")
# genitive plurals without an ending, and nouns that never decline ("директор бюро")
_GENITIVE_WORDS = frozenset({"дел", "сил", "войск", "служб", "стран", "наук", "бюро", "радио", "метро", "жюри"})
_PAST_TENSE = re.compile(r"(?:[иыеяуа]л[иоа]?|л[ао]?сь|лся)$")


def _complement(doc: _Doc, j: int) -> bool:
    """A lower-case word that completes a role in the genitive ("президента", "иностранных дел", "ведомства"),
    not a verb or a link."""
    low = doc.toks[j].low
    lex = doc.lex
    return (
        bool(_GENITIVE.search(low))
        and (low in _GENITIVE_WORDS or not (_PAST_TENSE.search(low) and not _noun_in_ala(low)))
        and low.isalpha()
        and not doc.toks[j].cap
        and low not in lex.verbs
        and not low.endswith(("ся", "сь"))  # "сообщается", "является": a verb
        and low not in lex.gerunds
        and low not in lex.introduces_speech
        and low not in lex.prepositions
        and low not in lex.function_words
        and low not in lex.adverbs
        and low not in lex.pronouns
        and low not in lex.complementizers
        and low not in lex.objects
        and low not in ("и", "а", "но", "или", "который", "которая", "которые", "которого")
    )


def _noun_in_ala(low: str) -> bool:
    """A genitive in "-ала" of a noun the dictionary knows ("канала", "генерала", "начала"); any other word
    in "-ала" is a verb's past ("задержала", "сказала") and completes no role or body."""
    return low.endswith("ала") and (is_common_word(low[:-1], "ru") or is_common_word(low[:-3] + "ало", "ru"))


def _person_mention(doc: _Doc, a: int, name_a: int, name_b: int, role: str, governed: bool) -> None:
    toks = doc.toks
    words = [t for t in toks[name_a:name_b] if not _PATRONYMIC.search(t.low) or name_b - name_a == 1]
    if not role and not any(names_ru.is_cyrillic(t.text) for t in words):
        org = organization(doc, doc.text[toks[name_a].start : toks[name_b - 1].end], toks[name_a].start)
        _register(doc, Mention(a, name_b, "org", org, governed=governed))
        return
    entity = _person_entity(doc, words, role)
    mention = Mention(a, name_b, "name", entity, name_a=name_a, role=role, governed=governed)
    _register(doc, mention)
    gender = _past_verb_gender(doc, name_b)
    if gender and not governed:
        # "Рита Ора посвятила …": the subject of a past verb is in the nominative, and the verb gives the gender
        entity.gender = entity.gender or gender
        _observe_name(doc, entity, mention, "nom", gender)
    else:
        _observe_name(doc, entity, mention, None, "")
    if entity.kind == "unknown" and not governed:
        _surname_with_its_verb(doc, entity, mention)


def _surname_with_its_verb(doc: _Doc, entity: Entity, mention: Mention) -> None:
    """A surname by its ending that a past verb of the same gender follows is a person of that gender, whatever
    the verb: "Москалькова опубликовала список …" (then "Она отметила" is her), "Шмыгаль провел"."""
    if mention.b - mention.a != 1:
        return
    gender = _surname_gender_by_verb(doc, mention.a, mention.b)
    if gender and entity.gender in ("", gender):
        entity.kind, entity.evidence, entity.gender = "person", True, gender


def _surname_gender_by_verb(doc: _Doc, a: int, b: int) -> str:
    """ "m" or "f" when the word at `a` ends like a surname of that gender and a past verb agreeing with it
    follows (adverbs between); "" otherwise."""
    word = doc.toks[a].low
    k = b
    while k < len(doc.toks) and k - b < 3 and doc.toks[k].low in doc.lex.adverbs:
        k += 1
    if k >= len(doc.toks) or doc.toks[k].sent != doc.toks[a].sent or word in doc.lower_vocab:
        return ""
    if is_common_word(word, "ru"):
        return ""  # "Женщина пояснила": a noun, not a surname
    verb = doc.toks[k].low.removesuffix("ся").removesuffix("сь")
    if verb.endswith("ла") and _PAST_TENSE.search(verb) and _SURNAME_FEMININE.search(word) and word[-2:] != "ая":
        return "f"
    if verb.endswith("л") and len(verb) > 3 and _SURNAME_NOMINATIVE.search(word):
        return "m"
    if _SURNAME_EITHER_GENDER.search(word) and _PAST_TENSE.search(verb) and verb.endswith(("л", "ла")):
        return "f" if verb.endswith("ла") else "m"  # "Лукашенко заявил", "Тимошенко заявила", "Пашинян"
    return ""


# surnames a man and a woman share, undeclined in the nominative: "Лукашенко", "Кобахидзе", "Пашинян", "Ткачук"
_SURNAME_EITHER_GENDER = re.compile(r"(?:енко|дзе|швили|ян|янц|ук|юк)$")


def _past_verb_gender(doc: _Doc, k: int) -> str:
    """ "f" or "m" when token k is a past verb in the feminine or masculine singular ("посвятила", "заявил")."""
    if k >= len(doc.toks) or doc.toks[k].cap or doc.toks[k].sent != doc.toks[k - 1].sent:
        return ""
    low = doc.toks[k].low
    if not _PAST_TENSE.search(low) or low in doc.lex.function_words or low in doc.lex.prepositions:
        return ""
    if low.endswith(("ла", "лась")):
        return "f"
    return "m" if low.endswith("лся") or (low.endswith("л") and low[-2:-1] in "аеиоуыя") else ""


def _key(word: str) -> str:
    return names_ru.key_word(word.lower().rstrip("."))


def _person_entity(doc: _Doc, words: list[Token], role: str) -> Entity:
    first_tok = words[0] if len(words) > 1 else None
    last_tok = words[-1]
    last = _key(last_tok.text)
    first = _key(first_tok.text) if first_tok is not None else ""
    given = names_ru.given_name_gender(first_tok.low) if first_tok is not None else ""
    if first_tok is None and names_ru.is_given_name(last_tok.low) and not role:
        # A given name alone names the one person of that first name, if there is one.
        same = [e for e in doc.entities if e.kind == "person" and e.first == last]
        if len(same) == 1:
            return same[0]
    best = earlier_person(doc, last, first, given) or _earlier_in_oblique_case(doc, last_tok, first, given)
    name = " ".join(t.text for t in words)
    if best is None:
        best = Entity(kind="unknown", name=name, last=last, first_pos=words[0].start)
        doc.entities.append(best)
    if first and not best.first:
        best.first = first
    best.gender = best.gender or given
    # "Зураб Джапаридзе": two capitalised Cyrillic words, the first no adjective, read as first name and surname
    written_out = first_tok is not None and len(words) <= 3 and not _ATTRIBUTIVE.search(first_tok.low)
    written_out = written_out and all(names_ru.is_cyrillic(t.text) and len(t.text) > 2 for t in words)
    if role or given or last in names_ru.known_keys() or written_out:
        best.evidence = True
        best.kind = "person"
    if role:
        best.roles.add(role)
    return best


_OBLIQUE_ENDING = re.compile(r"(?:а|у|ом|е)$")  # "Нехаммера", "Нехаммеру", "Нехаммером", "Нехаммере"


def _earlier_in_oblique_case(doc: _Doc, word: Token, first: str, given: str) -> Entity | None:
    """A person named before with a surname that ends in a consonant ("Нехаммер"), here in another case
    ("по мнению Нехаммера"), which the name tables do not know to decline."""
    ending = _OBLIQUE_ENDING.search(word.low)
    if ending is None or len(word.low) - len(ending.group()) < 3:
        return None
    stem = word.text[: ending.start()]
    if not stem[-1:].isalpha() or stem[-1].lower() in "аеёиоуыэюяй" or _SURNAME_NOMINATIVE.search(stem.lower()):
        return None  # "Иванова" may be a woman's own name, not Иванов's genitive
    entity = earlier_person(doc, _key(stem), first, given)
    return entity if entity is not None and entity.kind == "person" else None


def _register(doc: _Doc, mention: Mention) -> None:
    for k in range(mention.a, mention.b):
        doc.mentions[k] = mention
    entity = mention.entity
    if entity is None:
        return
    surface = doc.text[
        doc.toks[mention.name_a if mention.name_a >= 0 else mention.a].start : doc.toks[mention.b - 1].end
    ]
    if mention.kind == "name":
        entity.forms.setdefault(surface, None)
    entity.mentions += 1
    verb = None if mention.governed else _verb_next_to(doc, mention)
    if verb is not None and verb.person in ("m", "f") and entity.kind != "organization":
        entity.gender = entity.gender or verb.person  # "Захарова заявила": a woman
        if verb.cls == "speech" and mention.kind == "name" and not _after_a_noun(doc, mention.a):
            entity.spoke = True  # "— сказал Путин": a later "он" may stand for him (not "в реке Волчья")
    # how likely a later "он" means this one: a subject of a verb, a plain mention, a noun's complement
    introduces = mention.b < len(doc.toks) and doc.toks[mention.b].low == ":"  # "… Роман Падун: «…»"
    if verb is not None or introduces or (not mention.governed and _subject_of_a_verb(doc, mention)):
        salience = 2
    elif mention.governed or _after_a_noun(doc, mention.a):
        salience = 0
    else:
        salience = 1
    add_event(doc, mention.a, salience, entity)


def _subject_of_a_verb(doc: _Doc, mention: Mention) -> bool:
    """ "Литвин ранее комментировал ...": a past-tense verb after the name (adverbs between)."""
    k = mention.b
    toks = doc.toks
    while k < len(toks) and k - mention.b < 3 and toks[k].low in doc.lex.adverbs:
        k += 1
    return k < len(toks) and toks[k].sent == toks[mention.a].sent and bool(_PAST_TENSE.search(toks[k].low))


def _after_a_noun(doc: _Doc, a: int) -> bool:
    """Whether a name stands right after a common noun, completing it: "слова Ланзы", "имени Гамалеи",
    "интервью британской Telegraph" (adjectives between)."""
    while a > 1 and doc.toks[a - 1].text.islower() and _ATTRIBUTIVE.search(doc.toks[a - 1].low):
        a -= 1
    if a == 0:
        return False
    prev = doc.toks[a - 1]
    lex = doc.lex
    if a >= 2 and _according_at(doc, a - 2, a)[0] == 2:
        return False  # "по утверждению Элисон Морган": the whole name is whose words they are
    if a >= 4 and doc.toks[a - 4].low == "," and _document_owner(doc, a):
        return False  # "следует из заявления главы …", "говорится в сообщении Бэкона": whose document it is
    return (
        prev.text.isalpha()
        and prev.text.islower()
        and prev.low not in lex.adverbs
        and prev.low not in lex.function_words
        and prev.low not in lex.prepositions
        and prev.low not in lex.complementizers
        and prev.low not in ("и", "а", "но", "или")
        and prev.low not in lex.verbs
        and not _PAST_TENSE.search(prev.low)
        and not _ADJECTIVE.search(prev.low)
    )


def _document_owner(doc: _Doc, a: int) -> bool:
    """Whether the words at `a` name whose document the statement before comes from: "…, следует из
    заявления [a]", "…, говорится в заявлении [a]"."""
    toks = doc.toks
    cue, link, noun = toks[a - 3].low, toks[a - 2].low, toks[a - 1].low
    if cue == "следует":
        return link == "из" and noun in _FOLLOWS_FROM
    return cue in doc.lex.document_cues and link in ("в", "во") and noun in doc.lex.documents


def _verb_next_to(doc: _Doc, mention: Mention) -> _Verb | None:
    """The cue the mention is the subject of, right after it or (inverted) right before it."""
    toks = doc.toks
    k = mention.b
    while k < len(toks) and k - mention.b < 3 and toks[k].low in doc.lex.adverbs:
        k += 1
    if k < len(toks) and toks[k].sent == toks[mention.a].sent and toks[k].low in doc.lex.verbs:
        return doc.lex.verbs[toks[k].low]
    k = mention.a - 1
    outlet = doc.mentions.get(k)
    if outlet is not None and outlet is not mention and outlet.b == mention.a and _is_media(doc, outlet):
        k = outlet.a - 1  # "сообщил РИА Новости Марочко": told to the agency, said by Марочко
    if k >= 0 and toks[k].sent == toks[mention.a].sent and toks[k].low in doc.lex.verbs:
        words = [t.text for t in toks[max(mention.a, mention.name_a) : mention.b]]
        if mention.kind == "name" and len(words) > 1 and names_ru.name_case(words) is not None:
            return None  # "Захарова предложила Хантеру Байдену": told, not telling
        return doc.lex.verbs[toks[k].low]
    return None


def _resolve_role(doc: _Doc, mention: Mention) -> Entity | None:
    """ "министр", "президент": the person the text gave that role, the most recent one; "глава альянса":
    the one the text made the head of that body ("генсек НАТО Марк Рютте"), by any name the body goes by."""
    for _pos, _sal, entity in reversed(doc.events):
        if entity.kind == "person" and any(r == mention.role or r.startswith(mention.role + " ") for r in entity.roles):
            return entity
    body = _role_body(doc, mention.a + 1, mention.b)
    if not body or mention.role not in doc.lex.head_roles:
        return None
    for _pos, _sal, entity in reversed(doc.events):
        if entity.kind == "person" and body in entity.bodies and entity.roles & doc.lex.head_roles:
            return entity
    return None


def _role_body(doc: _Doc, a: int, b: int) -> str:
    """The body a role is held in, as one key for all its names: "НАТО" and "альянса" are NATO's."""
    for k in range(a, b):
        n, name = _org_at(doc, k, b)
        if not n:
            name = doc.lex.org_words.get(doc.toks[k].low, "")
        if name:
            return (organisation_name(name, "ru") or name).lower()
    return ""


# ------------------------------------------------------------------------------------- candidates


def _negated(doc: _Doc, cue: int, floor: int) -> bool:
    """ "не сказал", "не стал уточнять", "отказался сообщить": nothing was said."""
    for k in range(cue - 1, max(floor - 1, cue - 4), -1):
        low = doc.toks[k].low
        if low in doc.lex.negations:
            return True
        if low not in doc.lex.adverbs and low not in ("стал", "стала", "стали", "смог", "смогла", "захотел"):
            break
    return False


def _verb_at(doc: _Doc, i: int) -> _Verb | None:
    t = doc.toks[i]
    if t.long_quote:
        return None
    return doc.lex.verbs.get(t.low)


def _chars(doc: _Doc, a: int, b: int) -> tuple[int, int]:
    toks = doc.toks
    while a < b and toks[a].low in (",", ":", "—", "–", "-", "что", "чтобы"):
        a += 1
    while b > a and toks[b - 1].low in _BREAKS:
        b -= 1
    if a >= b:
        return -1, -1
    return toks[a].start, toks[b - 1].end


def _clause_start(doc: _Doc, a: int, b: int) -> int:
    """Skip openers ("Ранее", "При этом", "Кроме того,") at a sentence's start."""
    toks = doc.toks
    moved = True
    while moved and a < b:
        moved = False
        for opener in doc.lex.openers:
            n = len(opener)
            if a + n <= b and tuple(t.low for t in toks[a : a + n]) == opener:
                a += n
                if a < b and toks[a].low == ",":
                    a += 1
                moved = True
                break
    return a


_POSSESSIVES = frozenset({"его", "ее", "её", "их"})


def _only_bodies_between(doc: _Doc, role: Mention, name: Mention) -> bool:
    """Whether only the bodies a role belongs to stand between it and a name: "замглавы фракции «Слуга
    народа» Максим Ткаченко", "глава МИД России Сергей Лавров"."""
    k = role.b
    while k < name.a:
        m = doc.mentions.get(k)
        if m is not None and m.a == k and m.kind in ("org", "title", "place"):
            k = m.b
        elif doc.toks[k].low in '«»"' or _complement(doc, k):
            k += 1
        else:
            return False
    return True


_ONE_OF = frozenset({"один", "одна", "одно", "одного", "одной"})


def _source_after(doc: _Doc, i: int, b: int, person: str = "s") -> tuple[int, int] | None:
    """The source phrase after an inverted cue: "заявил Путин", "сказал он журналистам", "заявила РИА Новости
    замруководителя аппарата ЛДПР Элеонора Кавшар", "сообщили в Кремле", "пишет «Коммерсант»". A person named
    in another case ("сказал Путину") was spoken to, not speaking."""
    toks = doc.toks
    lex = doc.lex
    k = i
    while k < b and toks[k].low in lex.adverbs:
        k += 1
    if k + 2 < b and toks[k].low in _ONE_OF and toks[k + 1].low == "из":
        k += 2  # "как выразился один из собеседников Axios": those sources speak
    if k not in doc.mentions:
        # "пишут местные СМИ", "сообщает дагестанское издание «Черновик»": adjectives before the source
        j = k
        while j < b and j - k < 3 and _adjective_like(toks[j].low) and not toks[j].cap:
            j += 1
            m = doc.mentions.get(j)
            if m is not None and m.a == j:
                k = j
                break
    found: list[Mention | tuple[int, int]] = []
    if k + 1 < b and toks[k].low in _POSSESSIVES and k + 1 not in doc.mentions and _complement_noun(doc, k + 1):
        k += 1  # "сообщает его друг": the friend speaks
    if k < b and k not in doc.mentions and _complement_noun(doc, k):
        # "сказал парламентарий", "сообщил собеседник агентства": a common noun names the source, and
        # a name after it is who it is ("заявил зампред ЦБ Габуния")
        end = k + 1
        while end < b and end - k < 6:
            m = doc.mentions.get(end)
            if m is not None and m.a == end and m.kind in ("org", "place", "title"):
                end = m.b
            elif m is not None and m.a == end and m.kind == "name":
                return k, m.b
            elif _complement(doc, end) and end not in doc.mentions:
                end += 1
            else:
                break
        return k, end
    while k < b and k - i < SOURCE_WINDOW:
        t = toks[k]
        if t.low in _TERMINAL or t.low in (",", ";", ":", "(", ")") or (t.low in _DASHES and k > i) or t.long_quote:
            break
        if _citation_at(doc, k):
            break  # whom the source cites is read when it is resolved
        if t.low in lex.prepositions:
            if found and not _is_media(doc, found[-1]):
                break
            end = _skip_phrase(doc, k + 1, b)
            if t.low in ("в", "во") and _body_at(doc, k + 1, b):
                found.append((k, end))  # "сообщили в Кремле", "в пресс-службе ведомства"
            k = end
            continue
        m = doc.mentions.get(k)
        if m is not None and m.a == k:
            if m.kind in ("org", "place", "title", "pronoun") or _agrees(doc, m, person if person != "p" else "s"):
                found.append(m)
            k = m.b
            continue
        k += 1
    if not found:
        return None
    # A body first and a person after it: the body was told ("заявила РИА Новости глава ...").
    people = [f for f in found if isinstance(f, Mention) and f.kind in ("name", "role", "pronoun")]
    first = found[0]
    pick = people[0] if people else first
    if (
        len(people) > 1
        and people[0].kind == "role"
        and people[1].kind == "name"
        and _only_bodies_between(doc, people[0], people[1])
    ):
        return people[0].a, people[1].b  # "замглавы фракции «Слуга народа» Максим Ткаченко": the name after
    if len(found) > 1 and not isinstance(first, tuple) and not isinstance(found[1], tuple):
        between = doc.toks[first.b : found[1].a]
        if any(t.low in ("и", "или") for t in between):
            return first.a, first.b  # "сообщает Bloomberg и другие СМИ": the first named
    if not people and isinstance(first, Mention) and _is_media(doc, first):
        if len(found) > 1:
            pick = found[1]  # "сообщили РИА Новости в пресс-службе": the agency was told
        elif person == "p" or _more_after(doc, first, b):
            return None  # "сообщили РИА Новости" (they told the agency), "рассказал РИА Новости ..."
    return (pick.a, pick.b) if isinstance(pick, Mention) else pick


def _more_after(doc: _Doc, m: Mention, b: int) -> bool:
    """Whether words follow an outlet before its clause ends: then it was spoken to ("рассказал РИА Новости
    …"), unless they name whom the outlet cites ("сообщает ТАСС со ссылкой на МЧС")."""
    k = m.b
    if _citation_at(doc, k):
        return False
    return k < b and doc.toks[k].low not in _TERMINAL and doc.toks[k].low not in (",", ";", "(", ")")


def _citation_at(doc: _Doc, k: int) -> bool:
    """ "со ссылкой на" starts at token k."""
    toks = doc.toks
    return k + 2 < len(toks) and (toks[k].low, toks[k + 1].low, toks[k + 2].low) == ("со", "ссылкой", "на")


def _cited(doc: _Doc, source: tuple[int, int], cue: int) -> tuple[int, int] | None:
    """Whom a source cites, when it names them: "сообщает ТАСС со ссылкой на МЧС", "ТАСС со ссылкой на
    прокуратуру Кузбасса передал", "пишет со ссылкой на губернатора Владимира Сальдо" — the words are theirs.
    Sources nobody is meant to know ("со ссылкой на источники") and documents leave the outlet the speaker."""
    a, b = source
    for k in (b, cue + 1, *range(a + 1, cue)):
        if not _citation_at(doc, k):
            continue
        j = k + 3
        noun = False
        while j < len(doc.toks) and j - k < 6 and j not in doc.mentions and doc.toks[j].low.isalpha():
            low = doc.toks[j].low
            if doc.toks[j].cap:
                return None
            if not (low in _POSSESSIVES or _adjective_like(low)):
                if noun or not low.endswith(("у", "ю")):
                    return None  # "со ссылкой на источники", "на его указ", "на жену музыканта X": not X
                noun = True  # "на его супругу Изабель Ле Нувель": the name in apposition
            j += 1  # "на местную прокуратуру", "на его супругу"
        m = doc.mentions.get(j)
        if m is None or m.a != j or m.kind not in ("name", "org", "title", "role") or (noun and m.kind != "name"):
            return None
        if (m.entity is None and m.kind != "title") or (m.kind == "role" and m.role in doc.lex.generic):
            return None  # "на местную прокуратуру": a body nobody named
        if m.b < len(doc.toks) and doc.toks[m.b].cap and doc.toks[m.b].text[0].isalpha():
            return None  # "на South China Morning Post": a name the mention did not take whole
        return m.a, m.b
    return None


def _adjective_like(low: str) -> bool:
    """An adjective's ending, and not a noun's that looks like one ("заявление", "решение")."""
    return bool(_ADJECTIVE.search(low)) and not low.endswith(("ение", "ание", "тие", "ство", "ье"))


def _complement_noun(doc: _Doc, k: int) -> bool:
    """A lower-case noun in the nominative right after a cue: "парламентарий", "собеседник"."""
    t = doc.toks[k]
    lex = doc.lex
    return (
        t.low.isalpha()
        and not t.cap
        and len(t.low) > 3
        and t.low not in lex.objects
        and t.low not in lex.function_words
        and t.low not in lex.prepositions
        and t.low not in lex.complementizers
        and t.low not in lex.verbs
        and not _adjective_like(t.low)
        and not t.low.endswith(("ам", "ям", "ому", "ему", "у", "ю", "ой", "ей"))  # datives: told, not telling
    )


def _is_media(doc: _Doc, found: Mention | tuple[int, int]) -> bool:
    if not isinstance(found, Mention) or found.kind not in ("org", "title"):
        return False
    name = found.role if found.kind == "title" else (found.entity.name if found.entity else "")
    low = name.lower()
    if found.kind == "title" and low not in doc.lex.media:
        # told to an outlet, in the dative: "«Известиям»", "«Коммерсанту»", "«Ведомостям»", "«Медузе»"
        return any(form in doc.lex.media for form in _dative_nominatives(low))
    return low in doc.lex.media


def _dative_nominatives(low: str) -> tuple[str, ...]:
    if low.endswith(("ам", "ям")):
        return low[:-1], low[:-2] + "и"
    if low.endswith(("у", "ю")):
        return (low[:-1],)
    if low.endswith("е"):
        return (low[:-1] + "а",)
    return ()


def _body_at(doc: _Doc, k: int, b: int) -> bool:
    """A body named after "в": "в Кремле", "в МЧС", "в «Газпроме»", "в ведомстве", "в Центре по примирению"."""
    if k >= b:
        return False
    if _phrase_at(doc, k, b, doc.lex.org_locatives, longest=3)[0]:
        return True
    m = doc.mentions.get(k)
    if m is not None and m.a == k and m.kind in ("org", "title"):
        return True
    for j in range(k, min(b, k + 3)):
        t = doc.toks[j]
        if t.low in doc.lex.org_words:
            return True  # "в региональном управлении", "в российском оборонном ведомстве"
        if not (_ADJECTIVE.search(t.low) and not t.cap):
            break
    t = doc.toks[k]
    return t.cap and (t.low,) not in doc.lex.countries


def _skip_phrase(doc: _Doc, k: int, b: int) -> int:
    """Past a noun phrase after a preposition ("в интервью РИА Новости", "на брифинге") to what follows."""
    toks = doc.toks
    start = k
    while k < b and k - start < 6:
        t = toks[k]
        if t.low in _BREAKS or t.low in _TERMINAL:
            break
        m = doc.mentions.get(k)
        if m is not None and m.kind in ("name", "role", "pronoun") and k > start and not m.governed:
            break
        if m is not None and m.kind == "title" and m.a == k:
            k = m.b
            continue
        k += 1
    return min(k, b)


def _source_before(doc: _Doc, a: int, cue: int, person: str) -> tuple[int, int] | None:
    """The subject of a cue: the nearest name, role, pronoun or body before it in its clause that is not
    after a preposition and agrees with the verb ("Президент Украины Владимир Зеленский во время встречи с
    премьер-министром Дании сказал")."""
    toks = doc.toks
    if cue - 2 >= a and toks[cue - 1].low == "и":
        for k in range(cue - 2, max(a, cue - 30) - 1, -1):  # "X обвинил … и заявил, что …": X said both
            if toks[k].low in _TERMINAL or toks[k].low in (";", ":"):
                break
            if toks[k].low in doc.lex.verbs:
                return _source_before(doc, a, k, person)
    k = cue - 1
    while k >= a:
        t = toks[k]
        if t.low in (";", ":") or t.low in _TERMINAL or (t.long_quote and t.quote >= 0):
            return None
        if t.low in doc.lex.complementizers or t.low in ("который", "которая", "которые", "которого", "где", "когда"):
            return None
        if t.low == "чего" and k > a and doc.toks[k - 1].low in ("после", "вследствие", "результате"):
            return None  # "…, после чего оппозиция обвинила": a new clause, its subject not before it
        if t.low == "," and k + 1 < cue and toks[k + 1].low in _BUT_CLAUSE and _only_adverbs(doc, k + 2, cue):
            # "Байден помиловал сына Хантера, хотя говорил, что …": no subject of its own, so the sentence's
            return _opening_subject(doc, a, k, person)
        if t.low in doc.lex.verbs and k < cue - 1 and toks[k].low not in doc.lex.adverbs:
            return None  # another verb between: "X сделал так, что сказал ..." is not X's statement
        m = doc.mentions.get(k)
        if m is not None and m.b == k + 1:
            if m.a < a:
                return None
            if not m.governed and not _noun_complement(doc, m) and _agrees(doc, m, person):
                return m.a, m.b
            office = None if m.governed else _office_of_someone(doc, m, person)
            if office is not None:
                return office
            k = m.a - 1
            continue
        if t.low == "там" and k == cue - 1:
            return None  # "там заявили": those just named, not a new speaker
        k -= 1
    return None


_BUT_CLAUSE = frozenset({"хотя", "но", "однако"})


def _only_adverbs(doc: _Doc, a: int, b: int) -> bool:
    """Whether at most two adverbs stand between a clause's conjunction and its verb ("хотя неоднократно")."""
    words = doc.toks[a:b]
    return len(words) <= 2 and all(t.low in doc.lex.adverbs or t.low.endswith("но") for t in words)


def _opening_subject(doc: _Doc, a: int, b: int, person: str) -> tuple[int, int] | None:
    """The subject that opens the sentence's first clause (a name, role or pronoun in agreement, not after a
    preposition or a noun), or None."""
    for k in range(_clause_start(doc, a, b), b):
        m = doc.mentions.get(k)
        if m is None or m.a != k:
            continue
        if m.kind in ("name", "role", "pronoun", "org") and not m.governed and not _after_a_noun(doc, m.a):
            return (m.a, m.b) if _agrees(doc, m, person) else None
        return None
    return None


def _noun_complement(doc: _Doc, m: Mention) -> bool:
    """A body or title right after a common noun completes it ("из сообщения «Коммерсанта»", "слова Путина")."""
    return m.kind in ("title", "org") and _after_a_noun(doc, m.a)


def _agrees(doc: _Doc, m: Mention, person: str) -> bool:
    """Whether a mention can be the subject of a verb of this person: nominative and in agreement."""
    if m.kind == "pronoun":
        p = doc.lex.pronouns.get(doc.toks[m.a].low, "")
        return p == person or (person == "s" and p in ("m", "f"))
    if m.kind == "place":
        return _surface(doc, m).lower() in doc.lex.country_nominatives  # "Дании сообщило": a genitive
    if m.kind in ("org", "title"):
        return True
    if person == "p" and not (m.kind == "role" and m.role in doc.lex.generic):
        return False  # one person does not take "заявили"
    if m.kind == "role":
        if m.role in doc.lex.generic:
            return True  # "источники сообщили", "эксперт заявил"
        k = m.a
        while k < m.b - 1 and doc.toks[k].low in doc.lex.modifiers:
            k += 1
        if k > m.a and doc.toks[k - 1].low in _ACTING:
            return True  # "врио губернатора": the indeclinable "acting" heads it, the office is in the genitive
        return _nominative_role(doc, doc.toks[k].low, m.role)
    words = doc.toks[m.name_a : m.b]
    if not words:
        return False
    if m.role and m.name_a > m.a:
        head = m.role.split()[0]
        oblique = set(names_ru.declension(head, "m").values()) - {head}
        title = doc.toks[max(0, m.a - 1) : m.name_a]
        acting = any(t.low in _ACTING for t in title)  # "врио губернатора": the office is in the genitive
        if not acting and any(t.low in oblique for t in title):
            return False  # "бизнесмену Вивеку Рамасвами": the title in the dative, so the name too
    gender = person if person in ("m", "f") else ""
    first_gender = names_ru.given_name_gender(words[0].low) if len(words) > 1 else ""
    if gender and first_gender and first_gender != gender:
        return False
    if len(words) > 1 and names_ru.name_case([t.text for t in words]) is not None:
        return False  # "Вивеку Рамасвами предложил": a name in the dative is whom it was offered to
    if len(words) == 1 and _place_in_oblique_case(doc, words[0].low):
        return False  # "Вашингтону", "Берлином": a place the table knows, in another case
    if len(words) == 1 and _written_nominative(doc, words[0].text) is not None:
        return False  # "отдав победу Януковичу": the text writes "Янукович" as the nominative
    # every word must read as a nominative of the verb's gender: not "Пескова" with "заявил"
    return all(len(t.text) <= 2 or names_ru.may_be_nominative(t.text, gender) for t in words)


_ACTING = frozenset({"врио", "и.о.", "обязанности"})


def _office_of_someone(doc: _Doc, m: Mention, person: str) -> tuple[int, int] | None:
    """ "Адвокат Мусаевой заявил": an office in the nominative before a name in the genitive is someone of
    that person's (their lawyer), the subject, unnamed; the person named is not the speaker."""
    if m.kind != "name" or not m.role or m.name_a <= m.a or person not in ("m", "f", "s"):
        return None
    office = Mention(m.a, m.name_a, "role", None, role=m.role)
    if not _agrees(doc, office, person):
        return None
    for k in range(m.a, m.name_a):
        doc.mentions[k] = office
    if m.entity is not None:
        m.entity.roles.discard(m.role)  # the office is not the named person's: the lawyer is not the client
    return m.a, m.name_a


def _place_in_oblique_case(doc: _Doc, word: str) -> bool:
    for ending in ("у", "ом", "е", "ем"):
        if word.endswith(ending) and (word[: -len(ending)],) in doc.lex.countries:
            return True
    return False


def _nominative_role(doc: _Doc, word: str, role: str) -> bool:
    first = role.split()[0]
    return word == first or word.startswith("экс-") or word in ("замруководителя", "замглавы", "замминистра")


def _direct_after(doc: _Doc, sid: int, span: Span) -> Candidate | None:
    """«…», — сказал Путин. / «…» — пишет РБК. / «…», — цитирует ТАСС Пескова."""
    toks = doc.toks
    interrupted = len(span.parts) > 1  # «…, — сказал Зеленский. — …»: the attribution after the first part
    close_at = span.parts[0][1] - 1 if interrupted else span.close_at
    close = bisect_right(doc.starts, close_at) - 1
    k = close + 1
    while k < len(toks) and toks[k].low in (",", "!", "?", "…", "...", "."):
        k += 1
    if k >= len(toks) or toks[k].low not in _DASHES:
        return None
    if "\n" in doc.text[close_at : toks[k].start]:
        return None
    k += 1
    while k < len(toks) and k - close < 6 and toks[k].low in doc.lex.adverbs:
        k += 1
    if k >= len(toks):
        return None
    verb = _verb_at(doc, k)
    if verb is None and toks[k].low in doc.lex.document_cues:
        return _direct_from_document(doc, span, k)  # «…», — говорится в сообщении (ведомства).
    if verb is None or _negated(doc, k, close + 1):
        return None
    _, b = sentence_of(doc, k)
    limit = max(b, k + 1)
    end = _clause_end(doc, k + 1, len(toks))
    source = _source_after(doc, k + 1, min(end, limit if limit > k + 1 else end))
    if verb.lemma == "процитировать":
        source = _person_quoted(doc, k + 1, min(end, limit if limit > k + 1 else end)) or source
    how = "locative" if source is not None and toks[source[0]].low in doc.lex.prepositions else "np"
    cand = _candidate(True, span.start, span.end, toks[k].text, k, source, verb.cls, verb.person, how=how)
    cand.parts = list(span.parts)  # «…», — сообщили в Кремле: the body speaks, as in reported speech
    if verb.lemma == "процитировать":
        cand.case, cand.person = "gen", "s"  # "цитирует Путина «Интерфакс»": the person quoted speaks
    return cand


def _person_quoted(doc: _Doc, a: int, b: int) -> tuple[int, int] | None:
    """The person after "цитирует", whichever side of the outlet ("цитирует Небензю агентство ТАСС",
    "цитирует ТАСС Пескова"): the one quoted, in the accusative."""
    for k in range(a, b):
        m = doc.mentions.get(k)
        if m is not None and m.a == k and m.kind in ("name", "role"):
            return m.a, m.b
    return None


def _direct_from_document(doc: _Doc, span: Span, k: int) -> Candidate | None:
    """«…», — говорится в сообщении военного ведомства: the body behind the document said the quoted words;
    the document alone ("в сообщении") stands for the body the text has named."""
    toks = doc.toks
    if k + 2 >= len(toks) or toks[k + 1].low not in ("в", "во") or toks[k + 2].low not in doc.lex.documents:
        return None
    end = k + 3
    while end < len(toks) and toks[end].low not in _BREAKS and toks[end].quote < 0 and end - k < 8:
        end += 1
    source = (k + 3, end) if end > k + 3 else (k + 2, k + 3)
    cand = _candidate(True, span.start, span.end, " ".join(t.text for t in toks[k : k + 3]), k, source, case="gen")
    cand.parts = list(span.parts)
    return cand


def _clause_end(doc: _Doc, k: int, limit: int) -> int:
    toks = doc.toks
    while k < limit and toks[k].low not in _TERMINAL and "\n" not in doc.text[toks[k - 1].end : toks[k].start]:
        k += 1
    return k


def _direct_before(doc: _Doc, sid: int, span: Span) -> Candidate | None:
    """Песков подчеркнул: «…» / Как сказал Путин, «…» / Песков: «…» (a person's name, a colon, the quote)."""
    toks = doc.toks
    open_tok = bisect_right(doc.starts, span.open_at) - 1
    k = open_tok - 1
    if k < 0 or toks[k].low not in (":", ","):
        return None
    between = doc.text[toks[k].end : span.open_at]
    if "\n" in between and not (toks[k].low == ":" and not between.strip() and _fills_paragraph(doc, span)):
        return None  # "…, сообщает его друг:" then the words as a paragraph of their own are his
    a, _ = sentence_of(doc, k)
    colon = toks[k].low == ":"
    # the cue nearest before the colon, with only adverbials and addressees after it
    for j in range(k - 1, max(a - 1, k - 10), -1):
        verb = _verb_at(doc, j)
        if verb is not None:
            if _negated(doc, j, a):
                return None
            inverted = j > a and toks[j - 1].low in (",", "—", "–")  # "…, сообщает его друг:"
            source = _source_after(doc, j + 1, k) if inverted else None
            source = source or _source_before(doc, a, j, verb.person)
            how = "np"
            if source is None and j > a and toks[j - 1].low in doc.lex.pronouns:
                source = (j - 1, j)
            if source is None:
                source = _source_after(doc, j + 1, k)
            return _candidate(True, span.start, span.end, toks[j].text, j, source, verb.cls, verb.person, how=how)
        if toks[j].low in _BREAKS or toks[j].quote >= 0:
            break
    if colon:
        m = doc.mentions.get(k - 1)
        if m is not None and m.b == k and m.kind in ("name", "org") and m.a == _clause_start(doc, a, k):
            return _candidate(True, span.start, span.end, ":", k, (m.a, m.b), "speech", "s", how="np")
    return None


def _direct_candidates(doc: _Doc) -> list[Candidate]:
    cands: list[Candidate] = []
    previous: Candidate | None = None
    previous_end = -1
    for sid, span in enumerate(doc.spans):
        if span.words < 2:
            continue
        cand = _direct_after(doc, sid, span) if span.close_at >= 0 or len(span.parts) > 1 else None
        if span.words <= SCARE_WORDS:  # "Вину не признаю", - заявил Сахаров: short, but attributed
            if cand is not None and cand.source is not None:
                span.attributed = True
                cands.append(cand)
            continue
        if cand is None or cand.source is None:
            before = _direct_before(doc, sid, span)
            cand = before if before is not None and before.source is not None else cand
        if cand is None and _fills_paragraph(doc, span):
            cand = _introduced_speech(doc, span)
        if cand is None and previous is not None and _continues(doc, previous_end, span):
            cand = _candidate(True, span.start, span.end, previous.cue, previous.cue_tok, previous.source, previous.cls)
            cand.how = "follow"
        if cand is None:
            continue
        span.attributed = True
        cands.append(cand)
        previous, previous_end = cand, span.close_at if span.close_at >= 0 else span.end
    return cands


def _introduced_speech(doc: _Doc, span: Span) -> Candidate | None:
    """ "Владимир Путин обратился к гражданам с видеообращением." then «…» as a paragraph of its own: the
    subject of the paragraph before, introduced as speaking, says the quoted words."""
    para_start = doc.text.rfind("\n", 0, span.open_at)
    if para_start <= 0:
        return None
    k = bisect_right(doc.starts, para_start) - 1  # the last token of the paragraph before
    while k >= 0 and doc.toks[k].low in _TERMINAL:
        k -= 1
    if k < 0 or doc.toks[k].quote >= 0:
        return None
    a, b = sentence_of(doc, k)
    for j in range(a, b):
        if doc.toks[j].low not in doc.lex.introduces_speech and doc.toks[j].low not in doc.lex.verbs:
            continue
        verb = _verb_at(doc, j) or _Verb(doc.toks[j].low, "speech", _person_of(doc.toks[j].low))
        source = _source_before(doc, a, j, verb.person)
        if source is None or _negated(doc, j, a):
            return None
        return _candidate(True, span.start, span.end, doc.toks[j].text, j, source, verb.cls, verb.person)
    return None


def _fills_paragraph(doc: _Doc, span: Span) -> bool:
    """Whether the quote opens its paragraph and nothing but punctuation follows it there."""
    text = doc.text
    para_start = text.rfind("\n", 0, span.open_at) + 1
    if text[para_start : span.open_at].strip():
        return False
    if span.close_at < 0:
        return True
    line_end = text.find("\n", span.close_at)
    return not text[span.close_at + 1 : line_end if line_end >= 0 else len(text)].strip(" .,!?…")


def _continues(doc: _Doc, previous_end: int, span: Span) -> bool:
    """A quote that fills its paragraph right after an attributed one goes on with it."""
    text = doc.text
    para_start = text.rfind("\n", 0, span.open_at) + 1
    if text[para_start : span.open_at].strip():
        return False
    between = text[previous_end:para_start]
    if between.count("\n") > 3 or len(between) > 400:
        return False
    tail = text[span.close_at + 1 : text.find("\n", span.close_at) if "\n" in text[span.close_at :] else len(text)]
    return span.close_at < 0 or not tail.strip(" .,!?…")


def _reported_candidates(doc: _Doc) -> list[Candidate]:
    cands: list[Candidate] = []
    toks = doc.toks
    for a, b in doc.bounds:
        if any(t.low == "?" for t in toks[a:b]) and toks[b - 1].low == "?":
            continue  # a question reports nothing
        i = a
        while i < b:
            t = toks[i]
            if t.long_quote:
                i += 1
                continue
            n, cls = _according_at(doc, i, b)
            if n:
                cand = _according(doc, i, n, cls, a, b)
                if cand is not None:
                    cands.append(cand)
                i += n
                continue
            if t.low in doc.lex.document_cues:
                cand = _document_says(doc, i, a, b)
                if cand is not None:
                    cands.append(cand)
                i += 1
                continue
            if t.low == "следует" and (cand := _follows_from(doc, i, a, b)) is not None:
                cands.append(cand)
                i += 1
                continue
            verb = _verb_at(doc, i)
            if verb is None:
                verb = _light_verb_at(doc, i, b)
            if verb is not None:
                cand = _reported_at(doc, i, verb, a, b, cands)
                if cand is not None:
                    cands.append(cand)
            elif t.low in doc.lex.gerunds:
                cand = _gerund_at(doc, i, a, b)
                if cand is not None:
                    cands.append(cand)
            i += 1
    signed = _signed_line(doc)
    if signed is not None and not any(c.start < signed.end and signed.start < c.end for c in cands):
        cands.insert(0, signed)
    for listed in _listed_statements(doc):
        if not any(c.start < listed.end and listed.start < c.end for c in cands):
            cands.append(listed)
    return cands


# "Другие заявления Пескова на брифинге:", "Главное из брифинга представителя МИД Марии Захаровой:"
_STATEMENTS_NOUNS = frozenset(
    {"заявления", "заявлений", "брифинга", "выступления", "интервью", "пресс-конференции", "тезисы", "послания"}
)
_TOPIC_PREFIX = re.compile(r"^(?:О|Об|Обо|Про)\s[^:]{3,120}:\s+(?=\S)")


def _listed_statements(doc: _Doc) -> list[Candidate]:
    """Each item of a list a paragraph introduces as someone's statements ("Другие заявления Пескова на
    брифинге:" then "▪️ …" lines): one statement per item, by the person named in the paragraph, without the
    topic the item opens with ("О визите Шольца: …"). Items with a cue of their own are read by their cue."""
    out: list[Candidate] = []
    for a, b in doc.bounds:
        if b - a < 3 or doc.toks[b - 1].low != ":" or not _ends_paragraph(doc, b - 1):
            continue
        noun = next((k for k in range(a, b) if doc.toks[k].low in _STATEMENTS_NOUNS), -1)
        source = _list_speaker(doc, noun, b) if noun >= 0 else None
        if source is None:
            continue
        for start, end in _list_items(doc.text, doc.toks[b - 1].end):
            words = doc.text[start:end]
            topic = _TOPIC_PREFIX.match(words)
            start += topic.end() if topic else 0
            k = bisect_right(doc.starts, start)
            inside = range(max(0, k - 1), bisect_right(doc.starts, end))
            if len(doc.text[start:end].split()) < 3 or any(doc.toks[j].low in doc.lex.verbs for j in inside):
                continue
            out.append(_candidate(False, start, end, doc.toks[noun].text, noun, source, case="gen"))
    return out


def _ends_paragraph(doc: _Doc, k: int) -> bool:
    rest = doc.text[doc.toks[k].end : doc.toks[k].end + 4].lstrip(" *_")
    return rest.startswith("\n")


def _list_speaker(doc: _Doc, noun: int, b: int) -> tuple[int, int] | None:
    """The one person named after the statements noun ("заявления Пескова"), not two ("Путина и Токаева")."""
    for k in range(noun + 1, b):
        m = doc.mentions.get(k)
        if m is None or m.a != k:
            continue
        if m.kind not in ("name", "role") or (m.entity is None and m.kind == "role"):
            return None
        after = doc.toks[m.b].low if m.b < len(doc.toks) else ""
        return None if after in ("и", "или", ",") else (m.a, m.b)
    return None


_ITEM_MARK = re.compile(r"^[\s*_]*(?:[—–•▪●◾■►➡✅❗⚡📌👉🔹🔸🔻🔴-]|\d+[.)])[\ufe0f\s*_]*")


_HEADING = re.compile(r"^(?:О|Об|Обо|Про)\s\S+(?:\s\S+){0,5}$")


def _list_items(text: str, pos: int) -> list[tuple[int, int]]:
    """The items of a list that starts after `pos`: lines that open with a bullet or a number, or (the
    bullets cleaned away) lines with no full stop at their end, as news channels write their lists; a heading
    inside it ("Об «Орешнике»:", "О Западе") is passed over; the list ends at the first other line."""
    items: list[tuple[int, int]] = []
    line_start = text.find("\n", pos)
    while 0 <= line_start < len(text):
        line_start += 1
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        bare = line.strip(" *_\ufe0f")
        if not bare or bare.endswith(":") or _HEADING.match(bare):
            line_start = line_end
            continue
        mark = _ITEM_MARK.match(line)
        if mark is None and bare[-1] in ".?!…":
            break
        start, end = line_start + (mark.end() if mark else len(line) - len(line.lstrip(" *_"))), line_end
        while end > start and (text[end - 1].isspace() or text[end - 1] in ".;*_"):
            end -= 1
        items.append((start, end))
        line_start = line_end
    return items


def _signed_line(doc: _Doc) -> Candidate | None:
    """A headline signed by an office or a body in lower case: "В области сбиты шесть беспилотников —
    губернатор", "Белгород снова обстрелян — власти" (a capitalised signature, "… — МВД", is read with the
    headline). The first line only, a paragraph of its own without a full stop."""
    if not doc.bounds:
        return None
    a, b = doc.bounds[0]
    toks = doc.toks
    if b - a < 5 or toks[b - 1].low in _TERMINAL or "\n" not in doc.text[toks[b - 1].end : toks[b - 1].end + 2]:
        return None
    for k in range(b - 2, a + 2, -1):
        if toks[k].low not in _DASHES:
            continue
        m = doc.mentions.get(k + 1)
        if m is None or m.a != k + 1 or m.b != b or m.kind not in ("role", "org") or toks[k + 1].cap:
            return None
        c = _chars(doc, a, k)
        if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 3:
            return None
        person = "p" if m.kind == "role" and m.role in doc.lex.generic else "s"
        return _candidate(False, c[0], c[1], toks[k].text, k, (m.a, m.b), "speech", person, how="signed")
    return None


def _document_says(doc: _Doc, i: int, a: int, b: int) -> Candidate | None:
    """ "…, говорится в сообщении ведомства." or "В заявлении МИД говорится, что …": the body behind the
    document speaks; its name (in the genitive) follows the document's."""
    toks = doc.toks
    if i + 2 < b and toks[i + 1].low in ("в", "во") and toks[i + 2].low in doc.lex.documents:
        if i - 1 <= a or toks[i - 1].low not in (",", "—", "–"):
            return None
        source_end = i + 3
        while source_end < b and toks[source_end].low not in _BREAKS and toks[source_end].quote < 0:
            source_end += 1
        source = (i + 3, source_end) if source_end > i + 3 else (i + 2, i + 3)
        c = _chars(doc, _clause_start(doc, a, i), i - 1)
    else:
        k = i - 1
        while k > a and toks[k].low not in doc.lex.documents:
            k -= 1
        if k <= a or toks[k - 1].low not in ("в", "во") or i + 2 >= b or toks[i + 1].low != ",":
            return None
        if toks[i + 2].low not in doc.lex.complementizers:
            return None
        plain = i > k + 1 and all(t.low not in _BREAKS and t.quote < 0 for t in toks[k + 1 : i])
        source = (k + 1, i) if plain else (k, k + 1)  # not "в документе, который есть у РИА Новости,"
        c = _chars(doc, i + 3, _content_end(doc, i + 3, b))
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2 or _inside_a_quote(doc, c):
        return None
    cue = " ".join(t.text for t in toks[i : i + 3]) if source[0] > i else toks[i].text
    return _candidate(False, c[0], c[1], cue, i, source, "speech", "s", case="gen")


# what a statement "follows from", in the genitive: "следует из заявления главы администрации"
_FOLLOWS_FROM = {
    "заявления": "speech",
    "сообщения": "speech",
    "публикации": "speech",
    "письма": "speech",
    "ответа": "speech",
    "поста": "speech",
    "доклада": "evidence",
    "отчета": "evidence",
    "сводки": "evidence",
    "данных": "evidence",
}


def _follows_from(doc: _Doc, i: int, a: int, b: int) -> Candidate | None:
    """ "…, следует из заявления главы администрации Ивана Федорова": the statement before the comma is the
    one whose document it is (named in the genitive after the document); a document no one is named for
    ("следует из документа, который …") gives nothing."""
    toks = doc.toks
    if i - 1 <= a or toks[i - 1].low != "," or i + 3 >= b or toks[i + 1].low != "из":
        return None
    cls = _FOLLOWS_FROM.get(toks[i + 2].low)
    if cls is None:
        return None
    end = i + 3
    while end < b and toks[end].low not in _BREAKS and toks[end].quote < 0:
        end += 1
    if end == i + 3 or toks[i + 3].low in doc.lex.prepositions:
        return None
    c = _chars(doc, _clause_start(doc, a, i), i - 1)
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2 or _inside_a_quote(doc, c):
        return None
    cue = " ".join(t.text for t in toks[i : i + 3])
    return _candidate(False, c[0], c[1], cue, i, (i + 3, end), cls, "s", case="gen")


def _inside_a_quote(doc: _Doc, chars: tuple[int, int]) -> bool:
    a = bisect_right(doc.starts, chars[0]) - 1
    b = bisect_right(doc.starts, chars[1] - 1)
    return any(t.long_quote or t.low in "«»" for t in doc.toks[max(0, a) : b])


def _light_verb_at(doc: _Doc, i: int, b: int) -> _Verb | None:
    """ "выразил уверенность, что", "дал понять, что": a statement noun makes a light verb a cue."""
    if doc.toks[i].low not in doc.lex.light_first:
        return None
    for words, verb in doc.lex.light_verbs.items():
        n = len(words)
        if tuple(t.low for t in doc.toks[i : i + n]) != words:
            continue
        j = i + n
        if n == 1:
            if j < b and doc.toks[j].low in doc.lex.statement_nouns:
                return verb
            return None
        return verb
    return None


def _according_at(doc: _Doc, i: int, b: int) -> tuple[int, str]:
    if doc.toks[i].low not in doc.lex.according_first:
        return 0, ""
    if _possessive_according(doc, i, b):
        return 3, doc.lex.according[(doc.toks[i].low, doc.toks[i + 2].low)]  # "по его словам"
    for words, cls in doc.lex.according.items():
        n = len(words)
        if tuple(t.low for t in doc.toks[i : i + n]) == words:
            return n, cls
    return 0, ""


_POSSESSIVE_PERSON = {"его": "m", "ее": "f", "её": "f", "их": "p"}


def _possessive_according(doc: _Doc, i: int, b: int) -> bool:
    """ "по его словам", "по ее мнению", "по их данным": the pronoun is the source."""
    toks = doc.toks
    return i + 2 < b and toks[i + 1].low in _POSSESSIVE_PERSON and (toks[i].low, toks[i + 2].low) in doc.lex.according


def _according(doc: _Doc, i: int, n: int, cls: str, a: int, b: int) -> Candidate | None:
    """ "по словам Путина, …" / "…, по словам Путина." / "как сообщает ТАСС, …" / "…, по данным Минобороны"."""
    toks = doc.toks
    k = i + n
    while k < b and k - i < SOURCE_WINDOW and toks[k].low not in (",", ";", "—", "–") and toks[k].low not in _TERMINAL:
        k += 1
    possessive = _possessive_according(doc, i, b)
    if k == i + n and not possessive:
        return None
    inverted = toks[i].low == "как"
    source = (i + 1, i + 2) if possessive else _source_after(doc, i + n, k) if inverted else (i + n, k)
    if source is None:
        return None
    start = _clause_start(doc, a, b)
    cue = " ".join(t.text for t in toks[i : i + n])
    if i <= start:
        if k >= b or toks[k].low != ",":
            return None
        k = _past_apposition(doc, k, b)
        end = _content_end(doc, k + 1, b)
        c = _chars(doc, k + 1, end)
    else:
        if toks[i - 1].low not in (",", "—", "–"):
            return None
        c = _chars(doc, start, i - 1)
        if k < b and toks[k].low == ",":
            tail = _chars(doc, k + 1, _content_end(doc, k + 1, b))
            if tail[0] >= 0 and c[0] >= 0:
                # "Ответ, по ее словам, будет жестким": the words on both sides, the attribution left out
                cand = _candidate(False, c[0], c[1], cue, i, source, cls, "s", case="nom" if inverted else "gen")
                cand.parts.append(tail)
                return cand if len(doc.text[c[0] : tail[1]].split()) - n >= 2 else None
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2:
        return None
    cand = _candidate(False, c[0], c[1], cue, i, source, cls, "s", case="nom" if inverted else "gen")
    return cand


_PARTICIPLE = re.compile(r"(?:вш|ущ|ющ|ащ|ящ|ем|им|нн)(?:ий|ая|ее|ие|его|ей|ему|им|ими|их|ую|ем|ой)$")


def _past_apposition(doc: _Doc, comma: int, b: int) -> int:
    """The comma that closes a participle phrase about the source ("По утверждению Элисон Морган,
    представлявшей гособвинение, …"), or the comma given when none follows it."""
    if comma + 1 >= b or not _PARTICIPLE.search(doc.toks[comma + 1].low):
        return comma
    for j in range(comma + 2, min(b, comma + 8)):
        if doc.toks[j].low == ",":
            return j
        if doc.toks[j].low in _BREAKS or doc.toks[j].low in doc.lex.complementizers:
            break
    return comma


def _content_end(doc: _Doc, i: int, b: int) -> int:
    """Where a statement starting at token i ends: the sentence end, an inverted attribution of its own, or
    the subject's next cue ("обвинил X в Y и заявил, что …")."""
    toks = doc.toks
    j = i
    while j < b:
        t = toks[j]
        if t.low == "и" and j > i and j + 1 < b and toks[j + 1].low in doc.lex.verbs and not t.long_quote:
            return j
        if not t.long_quote and t.low in (",", "—", "–") and j + 1 < b:
            nxt = toks[j + 1]
            if nxt.low in doc.lex.verbs or nxt.low in doc.lex.gerunds or _according_at(doc, j + 1, b)[0]:
                return j
        if t.low == ";" or (t.low in _DASHES and not t.long_quote and _attribution_follows(doc, j + 1, b)):
            return j
        j += 1
    return b


def _attribution_follows(doc: _Doc, k: int, b: int) -> bool:
    """Whether another attribution opens at k: "… – правда сам задержанный утверждает, что …" (a subject of
    a few words, a cue, then "что")."""
    for j in range(k, min(b - 2, k + 6)):
        low = doc.toks[j].low
        if low in _BREAKS or doc.toks[j].long_quote:
            return False
        if low in doc.lex.verbs and doc.toks[j + 1].low == "," and doc.toks[j + 2].low in doc.lex.complementizers:
            return j > k
    return False


_INSTRUMENTAL = re.compile(r"(?:ым|им|ыми|ими|ой|ей|ами|ями)$")  # "незаконным", "антисемитским", "ложью" aside
_INFINITIVE = re.compile(r"(?:[аяеиуыо]ть(?:ся)?|(?:вести|нести|везти|йти|расти|спасти)(?:сь)?)$")
_NOT_INFINITIVES = frozenset({"сеть", "путь", "суть", "мать", "знать", "треть", "смерть", "плоть", "власть", "часть"})


# cues whose object, a noun phrase, is what was said: what was promised, threatened, forecast
_OBJECT_STATEMENTS = frozenset({"пообещать", "пригрозить", "прогнозировать"})


def _object_phrase_at(doc: _Doc, k: int) -> bool:
    """A noun phrase opens at k: a lower-case word that is no pronoun, preposition or "что"."""
    t = doc.toks[k]
    lex = doc.lex
    return (
        t.text.islower()
        and t.low not in lex.objects
        and t.low not in lex.prepositions
        and t.low not in lex.complementizers
    )


def _framed_start(doc: _Doc, cue: str, k: int, b: int) -> int:
    """Where the statement of a cue that takes no "что" starts: the infinitive after "пообещал", "призвал
    (власти)", "предложил (министерству)"; the accused after "обвинил" when "в …" follows. -1 if none."""
    toks = doc.toks
    lex = doc.lex
    if k >= b or toks[k].low in _BREAKS:
        return -1
    if cue in lex.infinitive_cues:
        for j in range(k, min(b, k + 5)):
            low = toks[j].low
            if low in _BREAKS or toks[j].long_quote or low in lex.complementizers:
                return -1
            if _INFINITIVE.search(low) and low not in _NOT_INFINITIVES and not low.endswith("ость"):
                return j
    if cue in _OBJECT_STATEMENTS and k + 1 < b and _object_phrase_at(doc, k):
        return k  # "Франция обещает военную поддержку …", "Москва пригрозила ударами по Европе"
    if cue in lex.naming_cues:
        for j in range(k + 1, min(b, k + 8)):
            low = toks[j].low
            if low in _BREAKS and not toks[j].quote >= 0:
                return -1
            if _INSTRUMENTAL.search(low) and toks[j - 1].low not in lex.prepositions and not toks[j].cap:
                return k
        return -1
    if cue in lex.accusation_cues:
        for j in range(k + 1, min(b, k + 8)):
            if toks[j].low in _BREAKS:
                return -1
            if toks[j].low in lex.accusation_prepositions:
                return k
    return -1


def _reported_at(doc: _Doc, i: int, verb: _Verb, a: int, b: int, earlier: list[Candidate]) -> Candidate | None:
    toks = doc.toks
    lex = doc.lex
    if _negated(doc, i, a):
        return None
    cue_end = i + 1
    if verb.lemma in lex.light_verbs.get(tuple(t.low for t in toks[i : i + 2]), _Verb("", "", "")).lemma:
        cue_end = i + 2
    elif (toks[i].low,) in lex.light_verbs:
        cue_end = i + 2  # "выразил уверенность"
    start = _clause_start(doc, a, b)
    # "как заявил министр, …" / "…, как сообщили в Кремле."
    as_cue = (i > a and toks[i - 1].low == "как") or (
        i > a + 1 and toks[i - 2].low == "как" and toks[i - 1].low in lex.adverbs
    )
    if as_cue:
        return _as_cue(doc, i, verb, a, b)
    # "Об этом заявил Путин": the sentence before is the statement
    about = _about_this(doc, start, i)
    if about:
        return _about_previous(doc, i, verb, a, b)
    framed = _framed_start(doc, verb.lemma, cue_end, b)
    if framed >= 0:  # "X пообещал построить …", "X обвинил власти в …"
        if _indirect_question(doc, start):
            return None  # "Как он предлагал закончить войну": how it was proposed, a headline's question
        source = _source_before(doc, start, i, verb.person)
        end = _content_end(doc, framed, b)
        c = _chars(doc, framed, end)
        if source is None or c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2:
            return None
        return _candidate(False, c[0], c[1], toks[i].text, i, source, verb.cls, verb.person)
    # "X заявил, что …" / "X заявил: …"
    j = _skip_after_cue(doc, cue_end, b)
    if j < b and toks[j].low == "," and j + 1 < b and toks[j + 1].low in lex.complementizers:
        source = _source_before(doc, start, i, verb.person) or _source_after_before_comma(doc, cue_end, j)
        if source is None and verb.person == "p":
            source = _locative_before(doc, start, i)
        content_start = j + 2
    elif j + 2 < b and toks[j].low == "," and toks[j + 1].low in ("о", "об") and toks[j + 2].low in ("том",):
        return None
    elif j < b and toks[j].low in ("о", "об") and j + 3 < b and toks[j + 1].low == "том" and toks[j + 2].low == ",":
        if j + 3 < b and toks[j + 3].low in lex.complementizers:
            source = _source_before(doc, start, i, verb.person)
            content_start = j + 4
        else:
            return None
    elif j < b and toks[j].low == ":" and not (j + 1 < b and toks[j + 1].quote >= 0 and toks[j + 1].long_quote):
        inverted = _inverted(doc, i, verb, start, a, b)  # "…, сообщает его друг Иван Петров:"
        if inverted is not None:
            return inverted
        source = _source_before(doc, start, i, verb.person)
        content_start = j + 1
    else:
        return _inverted(doc, i, verb, start, a, b)
    if source is None or (verb.cls == "evidence" and not _is_body(doc, source)):
        return None
    if toks[j].low == ":" and _clause_end(doc, j + 1, b) == j + 1:
        words = _paragraphs_after_colon(doc, j)  # "Иван Петров рассказал:" and the words as their own paragraph
        if words is None:
            return None
        return _candidate(False, *words, toks[i].text, i, source, verb.cls, verb.person)
    end = _content_end(doc, content_start, b)
    c = _chars(doc, content_start, end)
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2:
        return None
    if any(toks[k].long_quote for k in range(content_start, min(end, content_start + 1))):
        span = doc.spans[toks[content_start].quote]
        if span.attributed:
            return None
    cue = " ".join(t.text for t in toks[i:cue_end])
    how = "locative" if toks[source[0]].low in lex.prepositions else "np"
    cand = _candidate(False, c[0], c[1], cue, i, source, verb.cls, verb.person, how=how)
    if end == b and toks[b - 1].low == ":":
        more = _paragraphs_after_colon(doc, b - 1)  # "…, что задач три:" and the list below
        if more is not None:
            cand.parts.append(more)
    return cand


def _is_body(doc: _Doc, source: tuple[int, int]) -> bool:
    m = doc.mentions.get(source[1] - 1)
    return m is not None and m.kind in ("org", "place")


def _skip_after_cue(doc: _Doc, j: int, b: int) -> int:
    """Past addressees and adverbials between a cue and its clause: "заявил журналистам в понедельник"."""
    toks = doc.toks
    lex = doc.lex
    start = j
    while j < b and j - start < 10:
        t = toks[j]
        if t.low in (",", ":", ";") or t.low in _TERMINAL:
            return j
        if t.low in lex.objects or t.low in lex.adverbs or t.low in lex.prepositions:
            j += 1
            continue
        m = doc.mentions.get(j)
        if m is not None and m.a == j:
            j = m.b
            continue
        if t.long_quote:
            return j
        if t.low.isalpha() and t.low not in lex.complementizers and t.low not in lex.verbs:
            j += 1
            continue
        return j
    return j


def _source_after_before_comma(doc: _Doc, i: int, j: int) -> tuple[int, int] | None:
    """ "заявил глава МИД Сергей Лавров, что …": a subject after the verb."""
    found = _source_after(doc, i, j)
    if found is None:
        return None
    m = doc.mentions.get(found[0])
    return found if m is not None and m.kind in ("name", "role") else None


def _inverted(doc: _Doc, i: int, verb: _Verb, start: int, a: int, b: int) -> Candidate | None:
    """ "…, заявил Путин." / "…, — сообщили в Кремле." / "…, пишет «Коммерсант»"."""
    toks = doc.toks
    k = i - 1
    while k > start and toks[k].low in doc.lex.adverbs:
        k -= 1
    if k <= start or toks[k].low not in (",", "—", "–") or verb.lemma in _OBJECT_VERBS:
        return None  # "…, призвала страны ЕС": the noun after the verb is an object
    if k - 1 > start and _closes_long_quote(doc, k - 1 if toks[k - 1].low != "," else k - 2):
        return None  # «…», — сказал он: a direct quote, attributed by the direct pass
    end = _clause_end(doc, i + 1, b)
    if toks[end - 1].low == ":":
        end -= 1
    source = _source_after(doc, i + 1, end)
    if source is None or (verb.cls == "evidence" and _is_media(doc, doc.mentions.get(source[0], source))):
        return None  # "…, выяснила Би-би-си": an outlet's own finding is its report, not a statement
    # nothing but adverbials may follow the source: "…, заявил Путин журналистам в Кремле."
    m = doc.mentions.get(source[0])
    if m is not None and m.kind in ("name", "place") and not _agrees(doc, m, verb.person):
        return None  # "…, рассказал о сигналах Вашингтону": a place in the dative is no subject
    cstart = start
    while cstart < k and toks[cstart].low in ("—", "–", "-", ","):
        cstart += 1
    if any(toks[x].long_quote and doc.spans[toks[x].quote].attributed for x in range(cstart, k)):
        return None
    c = _chars(doc, cstart, k)
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 3:
        return None
    if _indirect_question(doc, cstart):
        return None  # "В чем его новшество, объясняет обозреватель": a question, not a statement
    how = "locative" if toks[source[0]].low in doc.lex.prepositions else "np"
    cand = _candidate(False, c[0], c[1], toks[i].text, i, source, verb.cls, verb.person, how=how)
    tail = _interrupted_tail(doc, source[1], b)
    if tail is not None:  # "Разрешена реклама, уточняет минздрав, будет после 21.00": one statement
        cand.parts.append(tail)
    if end < b and toks[end].low == ":":
        more = _paragraphs_after_colon(doc, end)  # "…, сообщает его друг:" and more words below
        if more is not None:
            cand.parts.append(more)
    return cand


_NEW_CLAUSE = frozenset({"и", "а", "но", "или", "однако", "хотя", "причем", "причём", "зато", "ведь", "тогда"})
_GERUND_LIKE = re.compile(r"(?:в|вши|вшись|я|ясь|ась)$")  # "отвечая", "добавив", "выступая": the speaker's act


def _interrupted_tail(doc: _Doc, comma: int, b: int) -> tuple[int, int] | None:
    """The rest of a statement its attribution interrupts, after the comma that closes the attribution: a
    predicate that goes on to the sentence's end ("…, уточняет минздрав, будет только после 21.00"). What
    says more of the speaker ("…, сказал он, отвечая на вопрос", "…, который …", "…, и добавил …") is not."""
    toks = doc.toks
    if comma + 2 >= b or toks[comma].low != ",":
        return None
    first = toks[comma + 1]
    lex = doc.lex
    if first.cap or not first.low.isalpha() or first.low in lex.prepositions or first.low in lex.gerunds:
        return None
    if _GERUND_LIKE.search(first.low) or first.low.startswith("котор") or first.low in _NEW_CLAUSE:
        return None
    if _ADJECTIVE.search(first.low) or _PARTICIPLE.search(first.low) or _complement(doc, comma + 1):
        return None  # "…, сообщил источник, близкий к …", "представитель департамента дел, цифровизации …"
    if first.low in lex.verbs or _content_end(doc, comma + 1, b) < b:
        return None
    c = _chars(doc, comma + 1, b)
    return c if c[0] >= 0 and len(doc.text[c[0] : c[1]].split()) >= 2 else None


_LIST_MARKS = ("—", "–", "-", "•", "▪", "●", "*")


def _paragraphs_after_colon(doc: _Doc, colon: int) -> tuple[int, int] | None:
    """The words a colon at the end of its paragraph introduces: the next paragraph, and the ones after it
    while they go on a list it opens ("▪️ …", "— …"). A quotation there is the direct pass's."""
    text = doc.text
    pos = doc.toks[colon].end
    line_end = text.find("\n", pos)
    if line_end < 0 or text[pos:line_end].strip():
        return None
    start = line_end
    while start < len(text) and text[start].isspace():
        start += 1
    if start >= len(text) or text[start] in _QUOTE_CHARS:
        return None
    listed = text[start] in _LIST_MARKS or not text[start].isalnum()
    end = start
    while True:
        nl = text.find("\n", end)
        end = len(text) if nl < 0 else nl
        nxt = end
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        if not listed or nxt >= len(text) or text[nxt] != text[start]:
            break
        end = nxt
    while start < end and not text[start].isalnum() and text[start] not in _QUOTE_CHARS:
        start += 1  # the dash or bullet that opens the words
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".;"):
        end -= 1
    return (start, end) if len(text[start:end].split()) >= 3 else None


_QUESTION_WORDS = frozenset(
    {"почему", "зачем", "как", "кто", "какой", "какая", "какое", "какие", "сколько", "где", "куда", "откуда"}
    | {"когда", "чем", "чего", "кому"}
)


def _indirect_question(doc: _Doc, k: int) -> bool:
    toks = doc.toks
    first = toks[k].low
    # "Что на практике меняет решение, рассказывает корреспондент": a sentence never opens with the "что" of
    # "that", so there it asks "what"
    opens = first == "что" and (k == 0 or toks[k - 1].sent != toks[k].sent)
    return (
        first in _QUESTION_WORDS
        or opens
        or (first in ("в", "о", "на") and k + 1 < len(toks) and toks[k + 1].low in ("чем", "чём", "каком", "какой"))
    )


def _locative_before(doc: _Doc, start: int, cue: int) -> tuple[int, int] | None:
    """ "В Кремле заявили, что …", "В компании утверждают, что …": the body named before a plural cue."""
    for k in range(start, cue - 1):
        if doc.toks[k].low in ("в", "во") and _body_at(doc, k + 1, cue):
            end = _skip_phrase(doc, k + 1, cue)
            return k, min(end, cue)
    return None


_OBJECT_VERBS = frozenset({"призвать", "процитировать", "обвинить", "предложить", "потребовать", "назвать"})


def _closes_long_quote(doc: _Doc, k: int) -> bool:
    t = doc.toks[k]
    return t.low in _QUOTE_CHARS and t.quote >= 0 and doc.spans[t.quote].words > SCARE_WORDS


def _as_cue(doc: _Doc, i: int, verb: _Verb, a: int, b: int) -> Candidate | None:
    """ "Как заявил министр, …" / "…, как сообщили в Кремле." """
    toks = doc.toks
    as_tok = i - 1 if toks[i - 1].low == "как" else i - 2
    end = i + 1
    while end < b and toks[end].low not in (",", ";") and toks[end].low not in _TERMINAL:
        end += 1
    source = _source_after(doc, i + 1, end)
    if source is None:
        return None
    start = _clause_start(doc, a, b)
    tail_part = (-1, -1)
    if as_tok <= start:
        if end >= b or toks[end].low != ",":
            return None
        c = _chars(doc, end + 1, _content_end(doc, end + 1, b))
    else:
        if toks[as_tok - 1].low not in (",", "—", "–"):
            return None
        c = _chars(doc, start, as_tok - 1)
        if end < b and toks[end].low == ",":  # the statement goes on after the parenthesis
            tail = _chars(doc, end + 1, _content_end(doc, end + 1, b))
            if tail[0] >= 0 and c[0] >= 0:
                tail_part = tail
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) + len(doc.text[tail_part[0] : tail_part[1]].split()) < 2:
        return None
    how = "locative" if toks[source[0]].low in doc.lex.prepositions else "np"
    cand = _candidate(False, c[0], c[1], f"как {toks[i].text}", i, source, verb.cls, verb.person, how=how)
    if tail_part[0] >= 0:  # the parenthesis is the reporter's words, not the statement's
        cand.parts.append(tail_part)
    return cand


def _about_this(doc: _Doc, start: int, i: int) -> bool:
    words = tuple(t.low for t in doc.toks[start:i] if t.low not in _QUOTE_CHARS)  # "Об этом «Известиям» заявил"
    return any(words[: len(p)] == p for p in doc.lex.about_this) and len(words) <= 4


def _about_previous(doc: _Doc, i: int, verb: _Verb, a: int, b: int) -> Candidate | None:
    """ "Об этом заявил Песков": the previous sentence of the paragraph is the statement."""
    s = doc.toks[i].sent
    if s <= 0:
        return None
    pa, pb = doc.bounds[s - 1]
    if "\n\n" in doc.text[doc.toks[pb - 1].end : doc.toks[a].start] and not _lone_sentence(doc, s - 1):
        return None
    if any(doc.toks[k].long_quote for k in range(pa, pb)):
        return None
    end = _clause_end(doc, i + 1, b)
    source = _source_before(doc, _clause_start(doc, a, b), i, verb.person)
    told = source is not None and _is_media(doc, doc.mentions.get(source[0], source)) and source[1] == i
    if source is None or told:  # "Об этом РИА Новости рассказал начальник отделения": the agency was told
        source = _source_after(doc, i + 1, end) or (None if told else source)
    if source is None:
        return None
    if "\n\n" in doc.text[doc.toks[pb - 1].end : doc.toks[a].start] and any(
        doc.toks[k].low in doc.lex.verbs for k in range(pa, pb)
    ):
        return None  # the paragraph before has its own attribution ("…, передает Reuters.")
    c = _chars(doc, _clause_start(doc, pa, pb), pb)
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 3:
        return None
    how = "locative" if doc.toks[source[0]].low in doc.lex.prepositions else "np"
    return _candidate(False, c[0], c[1], doc.toks[i].text, i, source, verb.cls, verb.person, how=how)


def _lone_sentence(doc: _Doc, s: int) -> bool:
    """A paragraph of one sentence that ends with a full stop: what "Об этом сообщил мэр" in the next
    paragraph refers to, as a lede is (a headline has no full stop)."""
    pa, pb = doc.bounds[s]
    before = doc.text[doc.toks[doc.bounds[s - 1][1] - 1].end : doc.toks[pa].start] if s > 0 else "\n\n"
    return "\n" in before and doc.toks[pb - 1].low == "." and pb - pa > 3


def _gerund_at(doc: _Doc, i: int, a: int, b: int) -> Candidate | None:
    """ "…, подчеркнув, что …": the subject of the sentence said it."""
    toks = doc.toks
    if i <= a or toks[i - 1].low != ",":
        return None
    framed = _framed_start(doc, toks[i].low, i + 1, b)  # "…, обвинив власти в …", "…, призвав отменить …"
    if framed < 0 and not (i + 2 < b and toks[i + 1].low == "," and toks[i + 2].low in doc.lex.complementizers):
        return None
    content = framed if framed >= 0 else i + 3
    end = _content_end(doc, content, b)
    c = _chars(doc, content, end)
    if c[0] < 0 or len(doc.text[c[0] : c[1]].split()) < 2:
        return None
    return _candidate(False, c[0], c[1], toks[i].text, i, None, doc.lex.gerunds[toks[i].low], "s", how="gerund")


# ----------------------------------------------------------------------------------------- resolve


def _resolve(doc: _Doc, cands: list[Candidate]) -> None:
    for cand in sorted(cands, key=lambda c: c.cue_tok):
        if cand.how == "gerund":
            _resolve_gerund(doc, cand, cands)
            continue
        if cand.source is None:
            continue
        cited = _cited(doc, cand.source, cand.cue_tok) if cand.how in ("np", "locative") else None
        if cited is not None:
            cand.source, cand.how, cand.case = cited, "np", "acc"
        a, b = cand.source
        cand.mention = (doc.toks[a].start, doc.toks[b - 1].end)
        if cand.how == "locative":
            _resolve_locative(doc, cand, a, b)
            if cand.entity is None and b - a == 2 and doc.toks[a + 1].low in _BODY_LOCATIVES:
                cand.entity = _outlet_that_spoke(doc, cand, cands, doc.toks[a + 1].low)  # "заявили в ведомстве"
            continue
        if any(doc.toks[k].low in ("и", "или") for k in range(a, b)):
            cand.kind = "person"  # "по мнению Иванова и его коллег": more than one speaker
            continue
        # the head of the source phrase: "полиции" in "по данным полиции Нидерландов"; a common noun heads
        # nobody's name unless a name stands in apposition at its end ("зампред ЦБ Габуния")
        while a < b - 1 and a not in doc.mentions and _adjective_like(doc.toks[a].low) and not doc.toks[a].cap:
            a += 1  # "украинского проекта DeepState"
        unnamed = doc.mentions.get(a)
        owner = _owner_of_channel(doc, unnamed) if unnamed is not None and unnamed.b == b else None
        if owner is not None:  # "как сообщает телеграм-канал Асада": Асад speaks through it
            cand.entity, cand.kind = owner, "person"
            owner.spoke = True
            continue
        if unnamed is not None and unnamed.kind == "org" and unnamed.entity is None and unnamed.b == b:
            named = _body_named_before(doc, a, b) or _outlet_that_spoke(doc, cand, cands, doc.toks[b - 1].low)
            if named is not None:  # "пишет разведка" after "Британская военная разведка"
                cand.entity, cand.kind = named, "organization"
                named.spoke = True
                continue
        if b - a == 1 and doc.toks[a].low in _INVESTIGATION and (body := _investigators_named(doc, a)) is not None:
            cand.entity, cand.kind = body, "organization"  # "По версии следствия" after the СК named it
            body.spoke = True
            continue
        if b - a == 1 and (doc.toks[a].low in _BODY_REFERENCES or doc.toks[a].low in doc.lex.documents):
            bare = doc.toks[a].low not in _BODY_REFERENCES
            cand.entity = _last_organization(doc, a, subject_within=_DOCUMENT_REACH if bare else -1)
            cand.kind = "organization"
            if cand.entity is not None:
                cand.entity.spoke = True
            elif cand.direct:
                cand.mention = None  # «…», — говорится в сообщении: whose, the text does not say near enough
            continue
        m = doc.mentions.get(a)
        if (m is None or m.a != a) and cand.case != "gen":
            last = doc.mentions.get(b - 1)
            m = last if last is not None and last.kind == "name" else None
        elif m is not None and m.a != a:
            m = None  # "по словам соратников Веремейчика": the associates spoke, not Веремейчик
        last = doc.mentions.get(b - 1)
        if m is not None and m.kind == "role" and last is not None and last.kind == "name" and last.b == b:
            m = last  # "замглавы фракции «Слуга народа» Максим Ткаченко": the name after the title
        if m is None:
            continue
        if m.kind == "title":  # «Коммерсант», авиакомпания «Азимут»
            cand.entity, cand.kind = organization(doc, m.role, doc.toks[m.a].start), "organization"
            cand.entity.spoke = True
            cand.entity.mentions = max(cand.entity.mentions, 1)  # named here, so among the article's people
            continue
        if m.kind == "pronoun":
            p = doc.lex.pronouns.get(doc.toks[m.a].low, "") or _POSSESSIVE_PERSON.get(doc.toks[m.a].low, "")
            if p == "p" or p == "n":
                cand.kind = "unknown"
                continue
            entity = m.entity
            if cand.person in ("m", "f") and entity is not None and entity.gender and entity.gender != cand.person:
                entity = None
            cand.entity, cand.kind = entity, "person"
            if entity is None and doc.toks[m.a].low in _POSSESSIVE_PERSON:
                cand.mention = None  # "по его словам" with nobody in reach: whose words is unknown, so no statement
        elif m.kind in ("org", "place"):
            cand.entity, cand.kind = m.entity, "organization"
        elif m.kind == "role":
            whose = doc.mentions.get(m.b)
            of_someone = whose is not None and whose.kind == "name" and whose.name_a == m.b  # "Адвокат Мусаевой"
            entity = (
                m.entity
                or _role_named_elsewhere(doc, m, cand.person)
                or (None if of_someone else _sole_person_for(doc, m, cand.person))
                or (None if of_someone else _epithet_for(doc, m, cand.person, cands))
            )
            cand.entity, cand.kind = entity, "person"
            outlet = None
            if m.role in doc.lex.generic:
                outlet = _outlet_in(doc, m) or _outlet_that_spoke(doc, cand, cands, doc.toks[m.b - 1].low)
            elif m.role.startswith("корреспондент") and cand.entity is None:
                outlet = _outlet_that_spoke(doc, cand, cands, doc.toks[m.b - 1].low)  # "корреспондент издания"
            if outlet is not None:  # "источники Reuters", "корреспонденты Би-би-си": the outlet reports
                cand.entity, cand.kind = outlet, "organization"
        else:
            entity = m.entity
            if entity is not None and cand.person in ("m", "f"):
                if entity.gender and entity.gender != cand.person:
                    entity = None
                else:
                    entity.gender = entity.gender or cand.person
            cand.entity, cand.kind = entity, "person"
            if entity is not None and entity.kind == "unknown" and cand.cue.lower().split()[-1] in _MEDIA_VERBS:
                entity.kind, entity.name = "organization", _surface(doc, m)  # "передает Франс Пресс"
                cand.kind = "organization"
            elif entity is not None:
                _observe_name(doc, entity, m, cand.case, cand.person)
        if cand.entity is not None and cand.entity.kind == "unknown" and not _surname_like(cand.entity, cand.case):
            cand.entity = None  # "сообщила Книга рекордов": a capitalised word is no one's name by itself
        if cand.entity is not None:
            cand.entity.spoke = True
            if cand.entity.kind == "unknown":
                cand.entity.kind = "person" if cand.person != "p" else "organization"


_CHANNELS = frozenset({"телеграм-канал", "канал", "аккаунт", "блог", "страница", "страницы"})


def _owner_of_channel(doc: _Doc, m: Mention) -> Entity | None:
    """The person whose channel or account speaks: "телеграм-канал Асада", "аккаунт Маска"."""
    if m.kind != "org" or m.entity is not None or doc.toks[m.b - 1].low not in _CHANNELS:
        return None
    owner = doc.mentions.get(m.b)
    if owner is None or owner.a != m.b or owner.kind != "name" or owner.entity is None:
        return None
    return owner.entity if owner.entity.kind == "person" else None


def _sole_person_for(doc: _Doc, m: Mention, person: str) -> Entity | None:
    """The one person the text has named before a bare role nobody was given ("…, — сказал парламентарий"
    after "Депутат Госдумы Антропенко …"): with nobody else in sight the role is theirs. A role of a body or
    a country ("президент Франции") or of many people is someone else's."""
    if m.role in doc.lex.generic or m.country or person == "p" or _of_a_body(doc, m) or _former(doc, m):
        return None
    before = {id(e): e for pos, _, e in doc.events if pos < m.a and e.kind == "person"}
    if len(before) != 1:
        return None
    (entity,) = before.values()
    if m.role in _HEAD_ROLES and entity.roles and not entity.roles & _HEAD_ROLES:
        return None  # "Министр обороны X заявил … Президент заявил": the president is someone else
    return None if entity.gender and person in ("m", "f") and entity.gender != person else entity


_EPITHET_REACH = 3  # sentences of the reporter's back an office may stand for the person who just spoke
_NOT_THE_SAME = frozenset({"бывший", "бывшая", "экс", "экс-", "тогдашний", "тогдашняя", "покойный", "новый", "новая"})


def _role_named_elsewhere(doc: _Doc, m: Mention, person: str) -> Entity | None:
    """The one person the post names with this office and its complement, later on ("Президент Абхазии
    заявил, что …" in the headline, "Президент Абхазии Аслан Бжания" in the text; "губернатор объявил …", then
    "Самарский губернатор Вячеслав Федорищев")."""
    if m.role in doc.lex.generic or person == "p" or _former(doc, m):
        return None
    words = {t.low for t in doc.toks[m.a : m.b]} - doc.lex.modifiers
    found: dict[int, Entity] = {}
    for k, named in doc.mentions.items():
        if named.a != k or named.kind != "name" or named.role != m.role or named.entity is None or k < m.b:
            continue
        if words <= {t.low for t in doc.toks[named.a : max(named.a + 1, named.name_a)]}:
            found[id(named.entity)] = named.entity
    if len(found) != 1:
        return None
    (entity,) = found.values()
    return None if entity.gender and person in ("m", "f") and entity.gender != person else entity


def _former(doc: _Doc, m: Mention) -> bool:
    """ "бывший президент", "экс-премьер", "новый канцлер": not whoever holds the office in the post."""
    return any(doc.toks[k].low in _NOT_THE_SAME or doc.toks[k].low.startswith("экс-") for k in range(m.a, m.b))


def _epithet_for(doc: _Doc, m: Mention, person: str, cands: list[Candidate]) -> Entity | None:
    """A national leader's office standing for the person the post has just quoted: "Дональд Трамп заявил, …
    Избранный президент Соединенных Штатов обещал …", "Путин ранее заявлял … Президент РФ также отмечал …".
    Only when nobody else was named since (but in what that person said), that person holds no other office
    in the post, and the office is not a former or a new one ("бывший президент" is someone else)."""
    if m.role not in _HEAD_ROLES or person not in ("m", "f", "s") or m.governed or _former(doc, m):
        return None
    spoke = [c for c in cands if c.cue_tok < m.a and c.source is not None and c.entity is not None]
    if not spoke:
        return None
    last = max(spoke, key=lambda c: c.cue_tok)
    entity = last.entity
    if entity is None or entity.kind != "person" or last.source is None:
        return None
    if doc.narrative[doc.toks[m.a].sent] - doc.narrative[doc.toks[last.cue_tok].sent] > _EPITHET_REACH:
        return None
    since = min(last.source[0], last.cue_tok)
    for pos, _, other in doc.events:
        inside = any(s <= doc.toks[pos].start < e for s, e in last.parts)
        if since <= pos < m.a and other is not entity and other.kind != "organization" and not inside:
            return None  # someone else was named in between: the office may be theirs
    if entity.roles - _HEAD_ROLES or (m.country and entity.countries and m.country not in entity.countries):
        return None
    if entity.gender and person in ("m", "f") and entity.gender != person:
        return None
    return entity


def _of_a_body(doc: _Doc, m: Mention) -> bool:
    """Whether a body or a place follows the role as its complement ("президент Франции", "глава МИД"); a news
    agency there was told ("сказал парламентарий РИА Новости")."""
    after = doc.mentions.get(m.b)
    if after is not None and after.kind in ("org", "place") and not _is_media(doc, after):
        return True
    body = _role_body(doc, m.a + 1, m.b)
    return (bool(body) and body not in doc.lex.media) or any(_country_at(doc, k, m.b)[0] for k in range(m.a + 1, m.b))


# "в сообщении ведомства": the body the article has just named
_BODY_REFERENCES = frozenset({"ведомства", "ведомство", "министерства", "министерство", "пресс-службы", "пресс-служба"})


def _body_named_before(doc: _Doc, a: int, b: int) -> Entity | None:
    """The body an unnamed common noun stands for ("разведка", "британская разведка"): the last one named
    before it whose name has that noun ("Британская военная разведка")."""
    head = doc.lex.org_words.get(doc.toks[b - 1].low)
    if head is None:
        return None
    for pos, _, entity in reversed(doc.events):
        if pos < a and entity.kind == "organization" and head in entity.name.lower().split():
            return entity
    return None


_DOCUMENT_REACH = 2  # sentences back a document alone ("говорится в сообщении") looks for its body


def _last_organization(doc: _Doc, tok: int, subject_within: int = -1) -> Entity | None:
    """The body named last before `tok` (a country or a place is none). With `subject_within`, only a body
    that was the subject of a sentence that near ("Минздрав выпустил заявление. «…», — говорится в
    сообщении"): a document alone names nobody, and a body in passing is not its author."""
    sent = doc.toks[tok].sent
    for pos, salience, entity in reversed(doc.events):
        m = doc.mentions.get(pos)
        if pos >= tok or entity.kind != "organization" or m is None or m.kind not in ("org", "title"):
            continue
        if subject_within < 0:
            return entity
        if doc.narrative[sent] - doc.narrative[doc.toks[pos].sent] > subject_within:
            return None
        if salience >= 2 and not m.governed:
            return entity
    return None


def _last_body(doc: _Doc, tok: int) -> Entity | None:
    """The body named last before `tok` that is not a news outlet ("сообщили РИА Новости в пресс-службе
    ведомства": the agency was told)."""
    for pos, _, entity in reversed(doc.events):
        m = doc.mentions.get(pos)
        if pos < tok and entity.kind == "organization" and m is not None and m.kind in ("org", "title"):
            known = entity.spoke or (names_ru.is_cyrillic(entity.name) and _known_body(entity.name, doc.lex))
            if entity.name.lower() not in doc.lex.media and known:
                return entity  # not "ATACMS" in "ракеты ATACMS": a capitalised Latin word is no body by itself
    return None


_MEDIA_VERBS = frozenset({"пишет", "пишут", "передает", "передаёт", "передают", "сообщает", "сообщают"})


def _surface(doc: _Doc, m: Mention) -> str:
    return doc.text[doc.toks[m.name_a if m.name_a >= 0 else m.a].start : doc.toks[m.b - 1].end]


_SPOKESPEOPLE = frozenset({"представители", "представителей", "сотрудники", "сотрудников"})


def _outlet_in(doc: _Doc, m: Mention) -> Entity | None:
    """Who speaks through unnamed people: the outlet of "источники Reuters", the body of "представители
    Пентагона"; "эксперты МИД" stay unnamed."""
    if m.outlet:
        return organization(doc, m.outlet, doc.toks[m.a].start)
    if m.body and m.role in _SPOKESPEOPLE:
        return organization(doc, m.body, doc.toks[m.a].start)
    return None


# an outlet named by what it is ("пишет издание", "по данным издания", "корреспондент издания"), and a body by
# its kind ("заявили в ведомстве"): the one that has just spoken
_OUTLET_NOUNS = frozenset({"издание", "издания", "агентство", "агентства", "проект", "проекта"})
_BODY_LOCATIVES = frozenset({"ведомстве", "министерстве"})
_OUTLET_REACH = 3  # sentences of the reporter's back


_INVESTIGATION = frozenset({"следствие", "следствия", "следствию", "следствием"})


def _investigators_named(doc: _Doc, tok: int) -> Entity | None:
    """The investigators "следствие" stands for: the last investigative body the post named before it
    ("Следственный комитет", "СК", "СКР", "ГСУ СК"), if any."""
    for k in range(bisect_right(doc.event_keys, tok - 1) - 1, -1, -1):
        entity = doc.events[k][2]
        name = entity.name.lower()
        if entity.kind == "organization" and ("следствен" in name or name.split()[0] in ("ск", "скр", "гсу")):
            return entity
    return None


def _outlet_that_spoke(doc: _Doc, cand: Candidate, cands: list[Candidate], noun: str) -> Entity | None:
    """The outlet or body the post has just quoted, for a source named only by what it is: "…, пишет The
    Insider. По данным издания, …"; "В МВД заявили, что … «…», — заявили в ведомстве". An outlet noun needs an
    outlet (one that "пишет", "передает", "сообщает" or that the lexicon knows as media)."""
    outlet = noun in _OUTLET_NOUNS
    if not outlet and noun not in _BODY_LOCATIVES:
        return None
    before = [c for c in cands if c.cue_tok < cand.cue_tok and c.entity is not None and c.kind == "organization"]
    if not before:
        return None
    last = max(before, key=lambda c: c.cue_tok)
    entity = last.entity
    if entity is None or entity.kind != "organization":
        return None
    if doc.narrative[doc.toks[cand.cue_tok].sent] - doc.narrative[doc.toks[last.cue_tok].sent] > _OUTLET_REACH:
        return None
    source = last.source or (0, 0)
    for pos in range(last.cue_tok + 1, cand.cue_tok):
        m = doc.mentions.get(pos)
        named = m is not None and m.kind in ("org", "title") and m.entity is not entity and m.a == pos
        if named and not source[0] <= pos < source[1]:
            return None  # "Сотрудник «Публики» …, пишет издание": another outlet or body was named since
    media = entity.name.lower() in doc.lex.media or any(
        c.entity is entity and c.cue.lower().split()[-1] in _MEDIA_VERBS for c in before
    )
    return entity if media == outlet else None


def _genitive_pair(words: tuple[str, ...]) -> bool:
    """Whether a first name and surname read as a man's genitive: a known given name in an oblique form, or
    both ending in a consonant and "-а" ("Элгуджа Кокосадзе" is not: only one does)."""
    first, last = words[0].lower(), words[-1].lower()
    if names_ru.given_name_gender(first) and names_ru.lemma(words[0]) != words[0]:
        return True
    return all(w.endswith("а") and len(w) > 2 and w[-2] not in "аеёиоуыэюя" for w in (first, last))


def _surname_like(entity: Entity, case: str | None = None) -> bool:
    """A name seen without a first name, role or title is taken for a surname only if it ends like one:
    Russian surname endings, or a consonant or an indeclinable vowel (Гетц, Рютте); not "Книга"."""
    if entity.first:
        return True
    word = names_ru.lemma(entity.name.split()[-1], case).lower()  # "по словам Кипера": Кипер
    return (
        bool(_SURNAME_NOMINATIVE.search(word) or _SURNAME_FEMININE.search(word) or _SURNAME_OTHER.search(word))
        or word[-1:] not in "аяыиь"
        or word in names_ru.known_lemmas()
    )


_SURNAME_FEMININE = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая|ая|швили)$")
# surnames of the region by their endings: Джапаридзе, Зурабишвили, Пашинян, Лукашенко, Ковальчук, Вучич
_SURNAME_OTHER = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая|дзе|швили|ян|янц|енко|ук|юк|чук|вич|ич|ани|ели|ия)$")


def _resolve_locative(doc: _Doc, cand: Candidate, a: int, b: int) -> None:
    """ "сообщили в Кремле": a named body speaks; "в пресс-службе ведомства" names nobody in particular."""
    n, body = _phrase_at(doc, a + 1, b, doc.lex.org_locatives, longest=3)
    cand.kind = "organization"
    cand.mention = (doc.toks[a + 1].start, doc.toks[b - 1].end) if b > a + 1 else cand.mention
    m = doc.mentions.get(a + 1)
    if m is not None and m.kind in ("org", "title") and m.a == a + 1:
        name = _from_locative(m.role) if m.kind == "title" else (m.entity.name if m.entity else "")
        cand.entity = organization(doc, name, doc.toks[a].start) if name else None
    if cand.entity is None and n and body[:1].isupper():
        cand.entity = organization(doc, body, doc.toks[a].start)
    words = cand.entity.name.lower().split() if cand.entity is not None else []
    if len(words) == 2 and words[0] == "пресс-служба" and words[1] in _BODY_REFERENCES:
        cand.entity = _last_body(doc, a)  # "в пресс-службе ведомства": the body the post has named
    if cand.entity is not None:
        cand.entity.spoke = True


def _from_locative(name: str) -> str:
    """ "в «Ростехе»" -> "Ростех", "в Еврокомиссии" -> "Еврокомиссия": a one-word title after "в"."""
    if " " in name or not names_ru.is_cyrillic(name) or len(name) < 5:
        return name
    if name.endswith("ии"):
        return name[:-1] + "я"
    if name.endswith("е") and name[-2] not in "аеёиоуыэюяь":
        return name[:-1]
    return name


# a case ending and what the nominative has instead: "Януковичу" / "Янукович", "Бжанию" / "Бжания"
_OBLIQUE_TO_NOMINATIVE = (("ому", ""), ("ом", ""), ("ем", ""), ("ым", ""), ("у", ""), ("а", ""), ("е", ""))
_OBLIQUE_TO_NOMINATIVE_VOWEL = (("ю", "я"), ("ей", "я"), ("ии", "ия"), ("у", "а"), ("ой", "а"), ("е", "а"))


def _written_nominative(doc: _Doc, word: str) -> str | None:
    """The nominative of a capitalised word in another case, when the text writes that nominative too
    ("отдав победу Януковичу" in a text that says "Виктор Янукович"; "цитирует Бжанию" beside "Бжания")."""
    low = word.lower().replace("ё", "е")
    if _SURNAME_FEMININE.search(low) or low.endswith(("ову", "еву", "ину", "ыну")):
        return None  # "Хрущёва" is a woman's own name beside "Хрущев"; the name tables read those forms
    for ending, nominative in (*_OBLIQUE_TO_NOMINATIVE, *_OBLIQUE_TO_NOMINATIVE_VOWEL):
        if not low.endswith(ending) or len(low) - len(ending) < 2:
            continue
        form = low[: len(low) - len(ending)] + nominative
        if form in doc.capital_words or any(t.low == form and t.cap for t in doc.toks):
            return word[: len(low) - len(ending)] + nominative
    return None


def _observe_name(doc: _Doc, entity: Entity, m: Mention, case: str | None, person: str) -> None:
    """Remember the fullest reading of the name, preferring one whose case the grammar told (a subject is a
    nominative, "по словам" takes the genitive); a word in another case whose nominative the text also writes
    is read as that nominative."""
    words = tuple(t.text for t in doc.toks[m.name_a : m.b] if not _PATRONYMIC.search(t.low) or m.b - m.name_a == 1)
    written = tuple(_written_nominative(doc, w) for w in words)
    if all(written):
        words, case = tuple(w for w in written if w), "nom"
    score = len(words) * 2 + (1 if case in ("nom", "gen") else 0)
    if score > entity.shown[0]:
        entity.shown = (score, words, case)


def _resolve_gerund(doc: _Doc, cand: Candidate, cands: list[Candidate]) -> None:
    sent = doc.toks[cand.cue_tok].sent
    for other in cands:
        if other is cand or other.how == "gerund" or doc.toks[other.cue_tok].sent != sent:
            continue
        if other.cue_tok < cand.cue_tok and other.mention is not None:
            cand.entity, cand.kind, cand.mention = other.entity, other.kind, other.mention
            return
    a, _ = doc.bounds[sent]
    for k in range(_clause_start(doc, a, cand.cue_tok), cand.cue_tok):
        m = doc.mentions.get(k)
        if m is not None and m.a == k and not m.governed and m.kind in ("name", "role", "pronoun"):
            cand.entity, cand.kind = m.entity, "person"
            cand.mention = (doc.toks[m.a].start, doc.toks[m.b - 1].end)
            if m.entity is not None:
                m.entity.spoke = True
            return


# ---------------------------------------------------------------------------------------------- API


def _drop_overlaps(direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    """A reported statement inside a direct quote's span, or the same span twice, is one statement."""
    kept = list(direct)
    for cand in sorted(reported, key=lambda c: (c.start, -(c.end - c.start))):
        if any(o.start <= cand.start < o.end or cand.start <= o.start < cand.end for o in kept):
            continue
        kept.append(cand)
    return sorted(kept, key=lambda c: c.start)


_INNER = re.compile(r"([,.!?…]?)\s+[—–]\s+(\w+)[^—–«»]{0,160}?[.,]\s+[—–]\s+")
# «Это будет непросто, но он сможет, — сказал Зеленский. — Потому что …»: the attribution between two dashes
_INTERRUPTION = re.compile(r"[,.!?…]\s+[—–]\s+((?:\w+\s+){0,2}?)(\w+)[^—–«»\n]{1,160}?[.,:]\s+[—–]\s+(?=\w)")


def _pair_and_split_quotes(text: str, lex: _Lexicon) -> list[Span]:
    """Quoted spans, each quote interrupted by its own attribution given as two parts around it."""
    spans = _pair_quotes(text)
    for span in spans:
        if len(span.parts) != 1:
            continue
        start, end = span.parts[0]
        m = _INTERRUPTION.search(text, start, end)
        if m is None or m.group(2).lower().replace("ё", "е") not in lex.verbs:
            continue
        if any(w.lower() not in lex.adverbs for w in m.group(1).split()):
            continue
        span.parts = [(start, m.start() + 1), (m.end(), end)]
    return spans


def _drop_inner_attribution(doc: _Doc, text: str) -> str:
    """ "Мы знаем, — сказала она. — Но не всё": the words between the dashes are the reporter's."""

    def cut(m: re.Match[str]) -> str:
        if m.group(2).lower() not in doc.lex.verbs:
            return m.group(0)
        return (m.group(1) if m.group(1) in ".!?…" else ".") + " "

    return _INNER.sub(cut, text)


def _shown(entity: Entity) -> str:
    """The name in the nominative: "Владимир Путин" for "по словам Владимира Путина"."""
    if entity.kind == "organization" or not entity.shown[1]:
        return entity.name
    _, words, case = entity.shown
    gender = names_ru.given_name_gender(words[0]) if len(words) > 1 else ""
    gender = gender or entity.gender
    if case is None:
        case = names_ru.name_case(words)  # "Стивену Розенбергу", "Никитой Журавелем": the words show it
    if case is None and gender == "m" and not names_ru.may_be_nominative(words[-1], "m"):
        case = "gen"  # a man's surname in an oblique form ("Рамазана Рабаданова"): read as a genitive
    if case is None and len(words) > 1 and _genitive_pair(words):
        case = "gen"  # "Хавьера Милея": the given name shows the genitive
    return " ".join(names_ru.lemma(w, case, gender) for w in words)


# offices a headline's subject ("Путин назвал …") holds when the text gives them to nobody else
_HEAD_ROLES = frozenset(
    {"президент", "глава государства", "лидер", "глава правительства", "премьер-министр", "премьер", "канцлер"}
)


def _known_body(words: str, lex: _Lexicon) -> str | None:
    """A body by its name in the lexicon ("ТАСС", "Минздрав") or by an acronym that is no country and no
    thing ("МЧС", "ВОЗ"; not "США", "ЧС")."""
    key = tuple(words.lower().split())
    if key in lex.orgs:
        return lex.orgs[key]
    letters = words.replace("-", "")
    acronym = 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()
    return words if acronym and key not in lex.countries and key[0] not in lex.not_bodies else None


def _candidate(
    direct: bool,
    start: int,
    end: int,
    cue: str,
    cue_tok: int,
    source: tuple[int, int] | None,
    cls: str = "speech",
    person: str = "s",
    case: str = "nom",
    how: str = "np",
) -> Candidate:
    return Candidate(direct, [(start, end)], cue, cue_tok, source, how=how, cls=cls, person=person, case=case)


def _reported_outside_direct(doc: _Doc, direct: list[Candidate]) -> list[Candidate]:
    return [c for c in _drop_overlaps(direct, _reported_candidates(doc)) if not c.direct]


def _in_order(direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    return sorted(direct + reported, key=lambda c: c.start)


RUSSIAN: Language[_Lexicon] = Language(
    code="ru",
    lexicon=_lexicon,
    tokenize=_tokenize,
    pair_quotes=_pair_and_split_quotes,
    read_names=_entity_pass,
    direct_candidates=_direct_candidates,
    reported_candidates=_reported_outside_direct,
    link_followers=lambda doc, direct, reported: direct,  # followers are found with the direct quotes
    resolve_speakers=_resolve,
    one_statement_per_span=_in_order,
    drop_inner_attribution=_drop_inner_attribution,
    shown_name=_shown,
    pronouns=lambda lex: lex.pronouns,
    cue_words=lambda lex: lex.verbs,
    head_roles=lambda lex: _HEAD_ROLES,
    surname_form=lambda word: bool(_SURNAME_NOMINATIVE.search(word.lower())),
    known_body=lambda words, lex: _known_body(words, lex),
    headline_is_sentence=True,
    unnamed_sources=lambda lex: lex.generic,
)
