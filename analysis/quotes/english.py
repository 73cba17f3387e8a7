"""Who said what: direct quotes, reported speech and their speakers, by rules and lexicons.

Three passes over the article:

1. Quotation marks are paired over the whole text (a quote crosses sentences and may run over several
   paragraphs). A quoted span becomes a direct quote when an attribution sits next to it (`"…," he said`,
   `Putin said: "…"`, `noting: "…"`), continues one (`"…," he said. "…"`), or fills a paragraph after one.
   Short quoted words inside a sentence ("excluded") are scare quotes: they stay part of the sentence and
   of whatever statement the sentence reports.
2. Reported speech is found per sentence from a cue: a speech verb with its source before it and its
   content after it (`X argued that …`), the inverted order (`…, X said.`), `according to X`, a light verb
   with a statement noun (`X expressed the opinion that …`) or a participle (`…, claiming that …`).
   Negated cues, modal and infinitive cues, passives and questions are skipped.
3. Sources are resolved by an entity pass in reading order: names (with titles, nationalities and roles)
   introduce people and organisations; surnames, roles ("the President of Russia") and pronouns refer back
   to the most recent fitting one, pronouns preferring people named as subjects or speakers.

Everything is bounded: long texts are cut, windows around cues are a few tokens wide, and the number of
quote marks and results is capped, so hostile input costs linear time.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from analysis.people import load_roles, organisation_key
from analysis.quotes.entities import add_event, earlier_person, organization, resolve_pronoun, sentence_of
from analysis.quotes.model import MAX_QUOTES, SCARE_WORDS, Candidate, Doc, Entity, Mention, Span, Token
from analysis.quotes.pipeline import Language
from analysis.types import SpeakerKind

MAX_QUOTE_MARKS = 20_000
MAX_DIRECT_CHARS = 6_000
MAX_CONTINUED_PARAGRAPHS = 12
NP_WINDOW = 12  # tokens a source phrase may span
APPOSITION_WINDOW = 36  # tokens an apposition between commas or dashes may span
ADVERBIAL_WINDOW = 12  # tokens between a cue and its "that"
MAX_CONTENT_TOKENS = 160  # a reported statement longer than this is cut there

_OPEN = {"“": "d", "„": "d", "«": "g", "‹": "g", "‘": "s"}
_CLOSING_MARKS = {'"', "”", "»", "’", "''"}
_OPENING_MARKS = {'"', "“", "«", "‘", "„", "''", "``"}
_CLOSE = {"”": "d", "»": "g", "›": "g", "’": "s"}
_QUOTE_MARKS = re.compile(r"''|``|[\"“”„«»‹›‘’]")  # '' and `` stand for double quotes in some archives
# One capturing group, the token: `_tokenize` splits the text with it. The repeats are possessive (`++`, `*+`):
# a token never gives characters back, so the engine keeps no place to return to (the same tokens, sooner).
_TOKEN_RE = re.compile(
    r"([A-Za-z]\.(?:[A-Za-z]\.)+"  # U.S., D.C.
    r"|[^\W\d_]++(?:[-‐'’][^\W\d_]++)*+"  # words, hyphenated words, contractions
    r"|\d++(?:[.,:]\d++)*+"
    r"|''|``|\.\.\.|--"  # '' and `` stand for double quotes in some archives
    r"|[^\w\s])",  # any other mark, one character: quote marks, "…", dashes
)
_PARAGRAPH = re.compile(r"[^\n]+")
_TERMINAL = {".", "!", "?", "…", "..."}
_DASHES = {"-", "–", "—", "―", "--"}


# --------------------------------------------------------------------------------------------- lexicon


@dataclass(frozen=True, slots=True)
class _Verb:
    lemma: str
    cls: str  # speech | evidence | cognition | topic
    zero_that: bool
    takes_object: bool
    participle: bool  # the -ing form
    past_participle: bool  # could head a passive ("was told")
    base: bool = False  # the bare form ("say", "claim"): a plural subject, or a noun
    pp_only: bool = False  # a past participle distinct from the past tense ("known", "written")
    infinitive: bool = False  # "wants to", "vowed to": a to-clause states an intention or a promise
    topic_object: bool = False  # "announced his plans": a noun phrase after it is what it was about


class _Phrases:
    """Phrases indexed by their first word, longest first, each with a value: matching is a dict lookup."""

    __slots__ = ("_by_first",)

    def __init__(self, items: Iterable[tuple[str, Any]]) -> None:
        by_first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        for phrase, value in items:
            words = tuple(phrase.lower().split())
            if words:
                by_first.setdefault(words[0], []).append((words, value))
        self._by_first = {k: tuple(sorted(v, key=lambda p: -len(p[0]))) for k, v in by_first.items()}

    @classmethod
    def of(cls, phrases: Iterable[str]) -> _Phrases:
        return cls((p, None) for p in phrases)

    def find(self, toks: list[Token], i: int, limit: int) -> tuple[int, Any]:
        """(length, value) of the longest phrase starting at token i and ending before `limit`."""
        if i >= limit:
            return 0, None
        entries = self._by_first.get(toks[i].low)
        if entries is None:  # most words start no phrase: the one dict lookup the hot path pays
            return 0, None
        for words, value in entries:
            n = len(words)
            if n == 1:
                return 1, value
            if i + n <= limit:
                k = 1
                while k < n and toks[i + k].low == words[k]:
                    k += 1
                if k == n:
                    return n, value
        return 0, None

    def match(self, toks: list[Token], i: int, limit: int) -> int:
        if i >= limit or toks[i].low not in self._by_first:
            return 0  # as in `find`, the common case, decided before any call
        return self.find(toks, i, limit)[0]

    @property
    def first_words(self) -> frozenset[str]:
        return frozenset(self._by_first)

    @property
    def last_words(self) -> frozenset[str]:
        return frozenset(words[-1] for entries in self._by_first.values() for words, _ in entries)


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: _Phrases  # form -> _Verb
    verb_words: frozenset[str]  # single-word verb forms
    according: _Phrases
    statement_nouns: frozenset[str]
    light_verbs: _Phrases
    made_clear: _Phrases
    negations: frozenset[str]
    modals: frozenset[str]
    skip: frozenset[str]  # auxiliaries and adverbs between a source and its cue
    noun_forms: frozenset[str]  # verb forms that are plural nouns as well
    question_starters: frozenset[str]
    infinitive_ok: tuple[tuple[str, ...], ...]
    adverbials: _Phrases
    prepositions: frozenset[str]
    objects: _Phrases
    pronouns: dict[str, str]  # subject pronoun -> m/f/p/n/s/r
    function_words: frozenset[str]
    openers: _Phrases
    asides: _Phrases  # "however", "among other things": set off by commas between source, cue and clause
    countries: dict[str, str]  # any form, lowercase -> canonical country
    country_phrases: _Phrases
    honorifics: dict[str, str]
    title_abbr: frozenset[str]
    title_expansions: dict[str, str]
    roles: frozenset[str]  # lowercase role nouns, multi-word joined by spaces
    body_descriptions: frozenset[str]  # what a lede calls a body before naming it: "the elections watchdog"
    state_nouns: frozenset[str]  # what a country speaks through: "the UK government" is the UK's voice
    role_phrases: _Phrases
    head_roles: frozenset[str]
    modifiers: frozenset[str]
    parties: frozenset[str]
    generic_nouns: frozenset[str]
    org_words: frozenset[str]
    document_nouns: frozenset[str]
    authored_documents: frozenset[str]  # "the report", "the book": its author speaks through it
    edition_words: frozenset[str]  # "BBC Scotland", "NHS England": after initials, a part of the body
    thing_nouns: frozenset[str]  # "Motor Neurone disease": the capitalised words before one name a thing
    place_nouns: frozenset[str]  # "King Cross station", "Broadmoor hospital": the words before one name a place
    plain_person_nouns: frozenset[str]  # "a man in Leeds", "women from Glasgow": no name, no office
    speakerless_records: frozenset[str]  # "a survey suggests", "documents show": nobody's statement
    summary_nouns: frozenset[str]  # ", a recommendation the minister adopted": the reporter's summing up
    plain_cues: frozenset[str]  # "say", "tell": verbs whose whole opening subject is their source
    rule_nouns: frozenset[str]  # "according to the code": in keeping with a rule, not a source
    share_words: frozenset[str]  # a share of a poll's respondents: "half", "most", "a majority"
    share_hedges: frozenset[str]  # words before a share: "nearly", "about", "a full", "a mere"
    number_words: frozenset[str]  # numbers spelt out: "six" in "Six in 10", "twenty" in "Twenty-four percent"
    given_names: dict[str, str]
    determiners: frozenset[str]
    be_forms: frozenset[str]
    name_particles: frozenset[str]
    name_suffixes: frozenset[str]
    subordinators: frozenset[str]
    non_clause_participles: frozenset[str]  # "-ing" words that start no clause: "including"
    verb_particles: frozenset[str]  # "add up", "call off": another verb than the cue
    collective_nouns: frozenset[str]  # take a plural verb: "police say"
    not_before_source: frozenset[str]  # a source phrase after these is no subject: "by", "if"
    before_subject: frozenset[str]  # words after which a clause's subject may come
    pronoun_gender: dict[str, str]
    subject_words: frozenset[str]  # personal subject pronouns
    personal_subjects: frozenset[str]  # "he", "she", "they": they name people
    plural_subjects: frozenset[str]  # subjects a bare verb form goes with
    neuter_pronouns: frozenset[str]
    articles: frozenset[str]
    demonstratives: frozenset[str]
    possessives: frozenset[str]
    apposition_openers: frozenset[str]  # what opens ", the chairwoman of …," or ", who …,"
    complementizers: frozenset[str]  # "that"
    infinitive: frozenset[str]  # "to"
    coordinators: frozenset[str]
    np_links: frozenset[str]  # prepositions inside a source phrase: "a spokesman for the ministry"
    relatives: frozenset[str]
    have_forms: frozenset[str]
    do_forms: frozenset[str]
    calendar_words: frozenset[str]  # days and months: capitalised, never names
    concessives: frozenset[str]  # ", although …" ends a reported statement
    contrast_links: frozenset[str]  # "…, while the Tories say …": another speaker's statement begins
    topic_links: frozenset[str]  # "complained about", "spoke of"
    object_links: frozenset[str]  # "urged X to …", "accused X of …"
    infinitive_adverbs: frozenset[str]  # "vowed to never …", "plans to also …"
    ly_words: frozenset[str]  # "said only …", "said family members …": no manner adverb after the cue
    topic_adverbials: frozenset[str]  # "praised the plan during a rally": where a topic's phrase ends
    time_units: frozenset[str]  # "a week later", "a day after": time, not a name given
    group_places: frozenset[str]  # "officials in Ohio", "experts from the institute"
    participle_links: frozenset[str]  # "by saying", "after adding": the subject speaks
    definite: frozenset[str]  # a role phrase refers back only after these: "the president"
    house_possessives: frozenset[str]  # "our correspondent": the paper's own, named in the article
    press_nouns: frozenset[str]  # "the newspaper said": the paper the article named last
    press_names: frozenset[str]  # the last word of a paper's name: "The Daily Telegraph"
    group_suffixes: tuple[str, ...]  # "Democrats", "Russians": a group, not a person
    nominal_cues: dict[str, str]  # "claim" -> speech, "belief" -> cognition: "his claim that …"
    question_verbs: frozenset[str]  # "asked whether …": the question is what was said
    question_openers: frozenset[str]  # "whether", "if", "why": they open the asked question
    # unions the rules ask for often, built once
    np_openers: frozenset[str] = frozenset()
    det_or_possessive: frozenset[str] = frozenset()
    apposition_starts: frozenset[str] = frozenset()
    clause_starts: frozenset[str] = frozenset()
    clause_links: frozenset[str] = frozenset()
    coordinators_or_comma: frozenset[str] = frozenset()
    name_starters: frozenset[str] = frozenset()  # lowercase words a name or role phrase may start with
    entity_starters: frozenset[str] = frozenset()  # those and the personal pronouns: where the entity pass reads
    never_names: frozenset[str] = frozenset()  # capitalised, still no word of a name: "The", "He", "Monday", "Says"
    cue_starters: frozenset[str] = frozenset()  # words a cue may start with
    reported_starters: frozenset[str] = frozenset()  # words a cue or a noun of saying may start with
    known_nouns: frozenset[str] = frozenset()  # nouns that can stand for a source
    subordinate_openers: frozenset[str] = frozenset()  # "why Mr Smith had resigned": not the main subject
    descriptor_starts: frozenset[str] = frozenset()  # words a title, role, nationality or modifier starts with
    aside_ends: frozenset[str] = frozenset()  # words an aside ends with: "however", "things"
    description_openers: frozenset[str] = frozenset()  # what opens ", a top surrogate," or ", his adviser,"
    share_starts: frozenset[str] = frozenset()  # words a share of respondents may start with, digits aside
    describing_words: frozenset[str] = frozenset()  # words a description after a name may start with
    group_links: frozenset[str] = frozenset()  # "officials in Ohio", "a spokesman for the ministry"
    finite_forms: frozenset[str] = frozenset()  # auxiliaries and modals: a finite verb phrase starts with one
    asked_openers: frozenset[str] = frozenset()  # what opens a reporter's question: "Asked why …", "whether"

    def __post_init__(self) -> None:
        unions = {
            "np_openers": self.articles | self.demonstratives | self.possessives,
            "det_or_possessive": self.articles | self.possessives,
            "apposition_starts": self.articles | self.apposition_openers,
            "description_openers": self.articles | self.apposition_openers | self.possessives,
            "share_starts": self.share_words | self.number_words | {"a", "an"},
            "describing_words": self.articles
            | self.apposition_openers
            | self.roles
            | self.modifiers
            | self.parties
            | self.title_abbr,
            "group_links": self.group_places | self.np_links,
            "finite_forms": self.be_forms | self.have_forms | self.modals | self.do_forms,
            "asked_openers": self.question_starters | {"whether", "if"},
            "clause_starts": self.articles | self.subject_words,
            "clause_links": self.complementizers | self.infinitive,
            "coordinators_or_comma": self.coordinators | {","},
            "name_starters": self.articles
            | self.role_phrases.first_words
            | self.country_phrases.first_words
            | self.modifiers
            | self.parties
            | self.title_abbr
            | frozenset(self.honorifics),
            "known_nouns": self.generic_nouns | self.roles | self.document_nouns | self.org_words,
            "subordinate_openers": self.subordinators
            | self.complementizers
            | frozenset(w for w in self.question_starters if w.startswith("wh") or w == "how")
            | {"whether"},
            "descriptor_starts": self.role_phrases.first_words
            | self.country_phrases.first_words
            | self.modifiers
            | self.parties
            | self.title_abbr
            | frozenset(self.honorifics)
            | {"-", "then-"},
            "cue_starters": self.verbs.first_words
            | self.according.first_words
            | self.light_verbs.first_words
            | self.made_clear.first_words,
        }
        unions["reported_starters"] = unions["cue_starters"] | frozenset(self.nominal_cues)
        unions["entity_starters"] = unions["name_starters"] | self.personal_subjects
        unions["never_names"] = (
            self.function_words | frozenset(self.pronouns) | self.calendar_words | (self.verb_words - self.org_words)
        )
        unions["aside_ends"] = self.asides.last_words
        for name, value in unions.items():
            object.__setattr__(self, name, value)


_Doc = Doc["_Lexicon"]


def _phrases(items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(i.lower().split()) for i in items}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = resources.files("analysis").joinpath("data/speech_en.json").read_text(encoding="utf-8")
    speech: dict[str, Any] = json.loads(raw)
    roles = load_roles("en")
    grammar: dict[str, Any] = speech["grammar"]
    verbs: dict[str, _Verb] = {}
    for lemma, entry in speech["verbs"].items():
        forms: list[str] = entry["forms"]
        for i, form in enumerate(forms):
            key = tuple(form.split())
            verbs[form] = _Verb(
                lemma=lemma,
                cls=entry["class"],
                zero_that=bool(entry.get("zero_that")),
                takes_object=bool(entry.get("object")),
                participle=key[0].endswith("ing"),
                past_participle=i >= 2 and not key[0].endswith("ing"),
                base=i == 0,
                pp_only=i == 4,
                infinitive=bool(entry.get("infinitive")),
                topic_object=bool(entry.get("topic_object")),
            )
    countries: dict[str, str] = {}
    for country, forms in roles.get("countries", {}).items():
        countries[country.lower()] = country
        for form in forms:
            countries.setdefault(form.lower(), country)
    role_groups: dict[str, list[str]] = roles.get("roles", {})
    all_roles = {r.lower() for group in role_groups.values() for r in group}
    return _Lexicon(
        verbs=_Phrases(verbs.items()),
        verb_words=frozenset(f for f in verbs if " " not in f),
        according=_Phrases.of(speech["according_to"]),
        statement_nouns=frozenset(speech["statement_nouns"]),
        light_verbs=_Phrases.of(speech["light_verbs"]),
        made_clear=_Phrases.of(speech["made_it_clear"]),
        negations=frozenset(n for n in speech["negations"] if " " not in n),
        modals=frozenset(speech["modals"]),
        skip=frozenset(speech["auxiliaries"]),
        noun_forms=frozenset(speech["noun_forms"]),
        question_starters=frozenset(speech["question_starters"]),
        infinitive_ok=_phrases(speech["infinitive_ok"]),
        adverbials=_Phrases.of(speech["clause_adverbials"]),
        prepositions=frozenset(speech["prepositions"]),
        objects=_Phrases.of(speech["object_pronouns"]),
        pronouns=dict(speech["subject_pronouns"]),
        function_words=frozenset(speech["function_words"]),
        openers=_Phrases.of(speech["discourse_openers"]),
        asides=_Phrases.of(speech["asides"]),
        countries=countries,
        country_phrases=_Phrases(countries.items()),
        honorifics={k.lower(): v for k, v in roles.get("honorifics", {}).items()},
        title_abbr=frozenset(t.lower() for t in roles.get("title_abbreviations", [])),
        title_expansions={k.lower(): v for k, v in roles.get("title_expansions", {}).items()},
        roles=frozenset(all_roles),
        state_nouns=frozenset(roles["state_nouns"]),
        body_descriptions=frozenset(roles["body_descriptions"]),
        role_phrases=_Phrases.of(all_roles),
        head_roles=frozenset(r.lower() for r in role_groups.get("head", [])),
        modifiers=frozenset(m.lower() for m in roles.get("role_modifiers", [])),
        parties=frozenset(p.lower() for p in roles.get("party_adjectives", [])),
        generic_nouns=frozenset(g.lower() for g in roles.get("generic_person_nouns", [])),
        org_words=frozenset(w.lower() for w in roles.get("org_words", [])),
        document_nouns=frozenset(w.lower() for w in roles.get("document_nouns", [])),
        authored_documents=frozenset(w.lower() for w in roles.get("authored_documents", [])),
        thing_nouns=frozenset(w.lower() for w in roles.get("thing_nouns", [])),
        place_nouns=frozenset(w.lower() for w in roles.get("place_nouns", [])),
        plain_person_nouns=frozenset(w.lower() for w in roles.get("plain_person_nouns", [])),
        edition_words=frozenset(w.lower() for w in roles.get("edition_words", [])),
        speakerless_records=frozenset(w.lower() for w in roles.get("speakerless_records", [])),
        share_words=frozenset(grammar["share_words"]),
        rule_nouns=frozenset(grammar["rule_nouns"]),
        plain_cues=frozenset(grammar["plain_cues"]),
        summary_nouns=frozenset(grammar["summary_nouns"]),
        share_hedges=frozenset(grammar["share_hedges"]),
        number_words=frozenset(grammar["number_words"]),
        given_names={k.lower(): v for k, v in roles.get("given_names", {}).items()},
        determiners=frozenset(grammar["determiners"]),
        be_forms=frozenset(grammar["be_forms"]),
        name_particles=frozenset(grammar["name_particles"]),
        name_suffixes=frozenset(grammar["name_suffixes"]),
        subordinators=frozenset(grammar["subordinators"]),
        non_clause_participles=frozenset(grammar["non_clause_participles"]),
        verb_particles=frozenset(grammar["verb_particles"]),
        collective_nouns=frozenset(grammar["collective_nouns"]),
        not_before_source=frozenset(grammar["not_before_source"]),
        before_subject=frozenset(grammar["before_subject"]),
        pronoun_gender=dict(grammar["pronoun_gender"]),
        personal_subjects=frozenset(w for w, kind in speech["subject_pronouns"].items() if kind in ("m", "f", "p")),
        plural_subjects=frozenset(grammar["plural_subjects"]),
        neuter_pronouns=frozenset(w for w, kind in speech["subject_pronouns"].items() if kind == "n"),
        articles=frozenset(grammar["articles"]),
        demonstratives=frozenset(grammar["demonstratives"]),
        possessives=frozenset(grammar["possessives"]),
        apposition_openers=frozenset(grammar["apposition_openers"]),
        complementizers=frozenset(grammar["complementizers"]),
        infinitive=frozenset(grammar["infinitive"]),
        coordinators=frozenset(grammar["coordinators"]),
        np_links=frozenset(grammar["np_links"]),
        relatives=frozenset(grammar["relatives"]),
        have_forms=frozenset(grammar["have_forms"]),
        do_forms=frozenset(grammar["do_forms"]),
        calendar_words=frozenset(grammar["calendar_words"]),
        concessives=frozenset(grammar["concessives"]),
        contrast_links=frozenset(grammar["contrast_links"]),
        topic_links=frozenset(grammar["topic_links"]),
        object_links=frozenset(grammar["object_links"]),
        infinitive_adverbs=frozenset(grammar["infinitive_adverbs"]),
        ly_words=frozenset(grammar["ly_words"]),
        topic_adverbials=frozenset(grammar["topic_adverbials"]),
        time_units=frozenset(grammar["time_units"]),
        group_places=frozenset(grammar["group_places"]),
        participle_links=frozenset(grammar["participle_links"]),
        definite=frozenset(grammar["definite"]),
        house_possessives=frozenset(grammar["house_possessives"]),
        press_nouns=frozenset(grammar["press_nouns"]),
        press_names=frozenset(grammar["press_names"]),
        group_suffixes=tuple(grammar["group_suffixes"]),
        nominal_cues=dict(speech["nominal_cues"]),
        question_verbs=frozenset(grammar["question_verbs"]),
        question_openers=frozenset(grammar["question_openers"]),
        subject_words=frozenset(
            w for w, kind in speech["subject_pronouns"].items() if kind in ("m", "f", "p", "n", "s")
        ),
    )


# ------------------------------------------------------------------------------------------ tokens


def _tokenize(text: str, lex: _Lexicon) -> list[Token]:
    toks: list[Token] = []
    append = toks.append  # the hottest loop of the engine: names bound once
    title_abbr = lex.title_abbr
    size = len(text)
    taken = 0  # a period joined to an abbreviation is not a token of its own
    e = 0
    # The text split by the pattern alternates what lies between two tokens and a token, so each token's
    # offset is counted from the lengths alone, with no match object and no search.
    pieces = iter(_TOKEN_RE.split(text))
    for between, word in zip(pieces, pieces, strict=False):  # what follows the last token is left over
        s = e + len(between)
        e = s + len(word)
        if s < taken:
            continue
        first = word[0]
        if not first.isalpha():
            append(Token(s, e, word, word, False))
            continue
        low = word.lower()
        if "'" in low or "’" in low:  # a contraction or a possessive: rare, tested only here
            low = low.replace("’", "'")
            if low.endswith("'s") and len(low) > 2 and low != "let's":
                base = len(word) - 2
                append(Token(s, s + base, word[:base], low[:-2], first.isupper()))
                append(Token(s + base, e, word[base:], "'s", False))
                continue
        if e < size and text[e] == "." and ((len(word) == 1 and word.isupper()) or f"{low}." in title_abbr):
            taken = e + 1
            append(Token(s, taken, word + ".", low + ".", first.isupper()))
            continue
        append(Token(s, e, word, low, first.isupper()))
    return toks


# ------------------------------------------------------------------------------------ quote marks


def _mark_role(text: str, i: int, j: int) -> str:
    """'o' opening, 'c' closing, '' undecided, for the mark text[i:j], from the characters either side
    (as Markdown's flanking rules)."""
    ch = text[i:j]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[j] if j < len(text) else " "
    left_open = prev.isspace() or prev in "([{—–-/:;" or prev in _OPEN
    right_closed = nxt.isspace() or nxt in ".,;:!?)]}—–-…" or nxt in _CLOSE
    if left_open and not nxt.isspace():
        return "o"
    if right_closed and not prev.isspace():
        return "c"
    if ch in _OPEN or ch == "``":
        return "o"
    if ch in _CLOSE:
        return "c"
    return ""


def _family(mark: str) -> str:
    if mark in ("‘", "’"):
        return "s"
    return "g" if mark in ("«", "»", "‹", "›") else "d"


def _pair_quotes(text: str) -> list[Span]:
    """Quoted spans in reading order; a quote left open at a paragraph end continues when the next
    paragraph opens with a quote mark (the multi-paragraph convention)."""
    spans: list[Span] = []
    pending: Span | None = None  # a quote left open at the end of the previous paragraph
    marks = 0
    for para in _PARAGRAPH.finditer(text):
        p_start, p_end = para.start(), para.end()
        family = ""
        opened = content_start = -1
        current: Span | None = None
        first_mark = True
        nested = False  # inside a quotation within the open quote, in the same straight marks
        for m in _QUOTE_MARKS.finditer(text, p_start, p_end):
            marks += 1
            if marks > MAX_QUOTE_MARKS:
                return spans
            i, j, mark = m.start(), m.end(), m.group()
            fam = _family(mark)
            role = _mark_role(text, i, j)
            ambiguous = mark in ('"', "''")
            if fam == "s" and (role != "o" or mark != "‘") and not (family == "s" and role == "c"):
                continue  # apostrophes and stray single marks
            is_first = first_mark and not text[p_start:i].strip()
            first_mark = False
            if not family:
                if role == "c" and not ambiguous:
                    continue
                if pending is not None and is_first and mark == text[pending.open_at : pending.open_at + len(mark)]:
                    current = pending
                    current.parts.append((j, j))
                else:
                    if pending is not None:
                        _finish_unclosed(text, pending, spans)
                    current = None
                pending = None
                family, opened, content_start = fam, i, j
                continue
            if fam != family:
                continue  # nested quotes of another kind
            if ambiguous and role == "o" and _continues_after_sentence(text, content_start, i):
                continue  # `"A. "B."`: a quoted paragraph going on where the paragraph break was lost
            if nested and mark == '"':
                nested = role != "c"
                continue
            if mark == '"' and role == "o" and i > content_start and _two_closers_follow(text, j, p_end):
                nested = True  # `"The phrase "value for money" means nothing," he said`
                continue
            if role == "o" and not ambiguous and i > content_start:
                opened, content_start = i, j  # an opening mark while open: the earlier one was stray
                current = None
                continue
            if current is not None:
                current.parts[-1] = (current.parts[-1][0], i)
                current.close_at = i
                spans.append(current)
            elif i > content_start:
                spans.append(Span([(content_start, i)], opened, i))
            family, opened, current = "", -1, None
        if pending is not None:
            _finish_unclosed(text, pending, spans)
            pending = None
        if family:
            if current is not None:
                current.parts[-1] = (current.parts[-1][0], p_end)
                pending = current if len(current.parts) < MAX_CONTINUED_PARAGRAPHS else None
                if pending is None:
                    _finish_unclosed(text, current, spans)
            else:
                pending = Span([(content_start, p_end)], opened, -1)
    if pending is not None:
        _finish_unclosed(text, pending, spans)
    spans.sort(key=lambda s: s.open_at)
    return spans


def _two_closers_follow(text: str, j: int, end: int) -> bool:
    """Whether the next two straight double marks before `end` both close (a letter before, none after):
    the one at j, opening where a closer was due, opens a quotation inside the quote."""
    closers = 0
    for m in _QUOTE_MARKS.finditer(text, j, end):
        if m.group() != '"':
            continue
        if _mark_role(text, m.start(), m.end()) != "c":
            return False
        closers += 1
        if closers == 2:
            return True
    return False


def _continues_after_sentence(text: str, content_start: int, i: int) -> bool:
    """Whether the mark at i, inside an open quote, opens the quote's next paragraph: it follows a finished
    quoted sentence and a space, and a capital follows it."""
    before = text[content_start:i]
    return (
        len(before) > 2
        and before[-1] == " "
        and before.rstrip()[-1:] in ".?!"
        and i + 1 < len(text)
        and text[i + 1].isupper()
    )


def _finish_unclosed(text: str, span: Span, spans: list[Span]) -> None:
    """Keep a quote that stops at a paragraph end only when it opened where quotes open: at the start of
    its paragraph or after a colon or comma."""
    para_start = text.rfind("\n", 0, span.open_at) + 1
    before = text[para_start : span.open_at].rstrip()
    if (not before or before[-1] in ":,") and span.end - span.start <= MAX_DIRECT_CHARS:
        span.close_at = -1
        spans.append(span)


# ---------------------------------------------------------------------------------------- entities


def _in_long_quote(doc: _Doc, i: int) -> bool:
    t = doc.toks[i]
    return t.quote >= 0 and not t.scare


def _role_at(doc: _Doc, i: int, limit: int) -> int:
    """Length in tokens of a role noun ("president", "prime minister") starting at token i, or 0."""
    return doc.lex.role_phrases.match(doc.toks, i, limit)


def _country_at(doc: _Doc, i: int, limit: int) -> tuple[int, str]:
    size, country = doc.lex.country_phrases.find(doc.toks, i, limit)
    if size and all(t.cap or not t.low.isalpha() for t in doc.toks[i : i + size]):
        return size, country
    return 0, ""


def _is_name_word(doc: _Doc, i: int, sent_start: int) -> bool:
    t = doc.toks[i]
    if not t.cap or not t.low[0].isalpha():
        return False
    lex = doc.lex
    if t.low in lex.never_names:
        return False  # "Says" in a title-cased headline is one; "Post" in "The Huffington Post" is not
    # A capitalised common word opening a sentence ("Perhaps", "Separately", "Officials") is no name.
    plain = t.low in lex.generic_nouns or t.low in lex.plain_person_nouns
    generic = plain and t.low not in doc.capital_words  # "Democrats" stays a name
    return not (i == sent_start and (t.low in doc.lower_vocab or generic))


@dataclass(slots=True)
class _Descriptors:
    roles: list[str] = field(default_factory=list)
    country: str = ""
    party: str = ""
    gender: str = ""
    title: bool = False


def _descriptors(doc: _Doc, i: int, limit: int) -> tuple[int, _Descriptors]:
    """Titles, roles, nationalities and modifiers before a name: "then U.S. President", "Sen."."""
    lex = doc.lex
    if i >= limit or doc.toks[i].low not in lex.descriptor_starts:
        return 0, _Descriptors()  # most names have no title or role before them
    d = _Descriptors()
    j = i
    while j < limit and j - i < 8:
        t = doc.toks[j]
        if t.low in lex.honorifics or t.low in lex.title_abbr:
            d.gender = d.gender or lex.honorifics.get(t.low, "")
            if t.low in lex.title_expansions:
                d.roles.append(lex.title_expansions[t.low])
            d.title = True
            j += 1
            continue
        size = _role_at(doc, j, limit)
        if size == 1 and _surname_after_honorific(doc, j, i, limit):
            break  # "Ms King said": after "Ms" an office word with no name after it is her surname
        if size:
            role = " ".join(x.low for x in doc.toks[j : j + size])
            d.roles.append(lex.title_expansions.get(role, role))  # "PM": the prime minister
            d.title = True
            j += size
            if j + 1 < limit and doc.toks[j].low == "of":  # "Secretary of State", "President of Russia"
                k, country = _country_at(doc, j + 1, limit)
                if k:
                    d.country = country
                    j += 1 + k
            continue
        size, country = _country_at(doc, j, limit)
        if size:
            d.country = d.country or country
            j += size
            continue
        if t.low in lex.parties:
            d.party = t.low
            j += 1
            continue
        if t.low in lex.modifiers or t.low in ("-", "then-"):
            j += 1
            continue
        role_at = _role_after_descriptors(doc, j, limit) if j > i else j
        if role_at > j:
            j = role_at  # "Lib Dem foreign affairs spokesman": the words that describe the office
            continue
        break
    if not d.roles and not d.title and not (d.party and _name_follows(doc, j, limit)):
        return 0, _Descriptors()
    return j - i, d


def _surname_after_honorific(doc: _Doc, j: int, start: int, limit: int) -> bool:
    """Whether the capitalised office word at j is a surname: it follows an honorific ("Ms King", "Mr
    Bishop") and no capitalised word follows it ("Mr President Obama" keeps the office)."""
    toks = doc.toks
    if j == start or toks[j - 1].low not in doc.lex.honorifics or not toks[j].cap:
        return False
    return j + 1 >= limit or not toks[j + 1].cap


def _name_follows(doc: _Doc, j: int, limit: int) -> bool:
    """Whether a person's name starts at j: "Liberal Democrat Sarah Teather" (a party, then the name)."""
    toks = doc.toks
    if j + 1 >= limit or not toks[j].cap or not toks[j + 1].cap or toks[j + 1].low in doc.lex.org_words:
        return False
    return toks[j].low in doc.lex.given_names


def _entity_pass(doc: _Doc) -> None:
    """Find names, roles and subject pronouns in reading order and resolve them as they come."""
    toks = doc.toks
    personal_subjects, entity_starters = doc.lex.personal_subjects, doc.lex.entity_starters
    # Most tokens start nothing: the few that may are picked in one pass, and each is read with its
    # sentence; a name read runs on to `i`, and what starts inside it is passed over.
    starters = [
        k
        for k, t in enumerate(toks)
        if (t.cap or t.low in entity_starters)
        and (t.quote < 0 or t.scare)  # not in a long quote (`_in_long_quote`)
        and t.sent >= 0
    ]
    i = 0
    for start in starters:
        if start < i:
            continue
        i = start
        t = toks[i]
        a, b = doc.bounds[t.sent]
        if t.low in personal_subjects:
            subject = _followed_by_verb(doc, i + 1, b)
            gender = doc.lex.pronoun_gender.get(t.low, "")
            entity = resolve_pronoun(doc, i, gender, subordinate_openers=doc.lex.subordinate_openers)
            if entity is not None:
                entity.gender = entity.gender or gender  # "Jane Cobb … she said": a later "he" is someone else
                doc.mentions[i] = Mention(i, i + 1, "pronoun", entity, subject=subject)
                after_opener = i > a and toks[i - 1].low in doc.lex.subordinate_openers
                speaks = subject and not after_opener and _speech_verb_follows(doc, i + 1, b)
                salience = 3 if speaks else (2 if subject else 1)
                add_event(doc, i, salience, entity)
            i += 1
            continue
        consumed = _name_or_role(doc, i, a, b)
        i += max(consumed, 1)


def _name_or_role(doc: _Doc, i: int, sent_start: int, limit: int) -> int:
    """Read a name (with its titles and roles) or a role phrase starting at token i; tokens consumed."""
    toks = doc.toks
    lex = doc.lex
    det = toks[i].low in doc.lex.articles
    j = i + 1 if det else i
    if j >= limit or (not toks[j].cap and toks[j].low not in lex.descriptor_starts):
        return 1  # no title or role can start here and no capitalised word: `_descriptors` need not look
    n_desc, desc = _descriptors(doc, j, limit)
    k = j + n_desc
    core_start = k
    if not n_desc and (k >= limit or not toks[k].cap):
        return 1  # no title or role and no capitalised word ("the" before a plain noun): nothing is named
    while k < limit and k - core_start < 6 and (toks[k].quote < 0 or toks[k].scare):  # not in a long quote
        t = toks[k]
        if k > core_start and toks[k - 1].low in lex.org_words and _known_surname(doc, t.low):
            break  # "the Washington Post Trump said": the paper, then the man
        if k > core_start and t.low in doc.lower_vocab and _known_surname(doc, toks[k - 1].low):
            break  # a title-cased heading: "President Obama Speech at …"
        if det and not n_desc and k > core_start and t.low in lex.given_names and k + 1 < limit and toks[k + 1].cap:
            break  # "the Commons Oliver Heald": the body, then the person
        if (
            _is_name_word(doc, k, sent_start)
            or (len(t.text) == 2 and t.text[1] == "." and t.cap)
            or (
                t.low in doc.lex.name_particles
                and k > core_start
                and k + 1 < limit
                and _is_name_word(doc, k + 1, sent_start)
            )
        ):
            k += 1
        elif t.low == "of" and k > core_start and toks[k - 1].low in lex.org_words and k + 1 < limit:
            if _is_name_word(doc, k + 1, sent_start):
                k += 1
            else:
                break
        elif t.low in doc.lex.name_suffixes and k > core_start:
            k += 1
            break
        else:
            break
    # "Pennsylvania Gov. Ed Rendell", "Interim DNC Chairwoman Donna Brazile": a title inside the run
    # of capitalised words ends the description
    for p in range(k - 2, core_start - 1, -1):
        if toks[p].low in lex.title_abbr or _role_at(doc, p, k - 1):
            n_more, more = _descriptors(doc, p, k - 1)
            if n_more:
                desc.roles.extend(more.roles)
                desc.title = True
                desc.gender = desc.gender or more.gender
                for q in range(core_start, p):
                    size, country = _country_at(doc, q, p)
                    if size:
                        desc.country = desc.country or country
                n_desc += p + n_more - core_start
                core_start = p + n_more
            break
    if k == core_start:
        if desc.roles and (det or desc.title):
            start = i if det else j
            mention = Mention(start, k, "role", None, role=desc.roles[-1], country=desc.country)
            mention.party = desc.party
            # "the president" refers back; "a senior adviser" introduces someone new
            if toks[start].low in lex.definite or (start > 0 and toks[start - 1].low in lex.house_possessives):
                mention.entity = _resolve_role(doc, mention)
            _register_mention(doc, mention, limit)
            holder = _office_of_last_subject(doc, start) if mention.entity is None else None
            if holder is not None:
                # "Michael Howard has backed …. But the Tory leader argued …": he is named here, for a later "he"
                mention.entity = holder
                add_event(doc, start, _salience(doc, mention, limit), holder)
            return k - i
        return 1
    if det and not n_desc:
        # "the Kremlin", "The New York Times": a determiner before a bare proper name marks an organisation.
        mention = Mention(i, k, "org", None)
        mention.entity = _org_between(doc, i + 1, k)
        _register_mention(doc, mention, limit)
        return k - i
    named_thing = k < len(toks) and toks[k].text.islower() and k > core_start
    if named_thing and ((not n_desc and toks[k].low in lex.thing_nouns) or toks[k].low in lex.place_nouns):
        # "Motor Neurone disease", "Iraq war", "King Cross station": the capitalised words name a thing or a
        # place, not a speaker (and no "he" of a later sentence)
        return k - i
    if k - core_start > 1 and toks[k - 1].low in lex.place_nouns and toks[core_start].low in lex.given_names:
        return k - i  # "George Street", "Victoria Station": a place, though it opens with a given name
    start = j if n_desc else core_start
    mention = _classify_name(doc, start, core_start, k, desc)
    _register_mention(doc, mention, limit)
    return k - i


def _known_surname(doc: _Doc, word: str) -> bool:
    return word in doc.surnames


def _classify_name(doc: _Doc, start: int, core: int, end: int, desc: _Descriptors) -> Mention:
    """A place, an organisation or a person, from the words of a name and what stood before it."""
    lex = doc.lex
    toks = doc.toks
    words = [t.low for t in toks[core:end]]
    joined = " ".join(words)
    last = toks[end - 1]
    acronym = _initials(last.text)
    if joined in lex.countries and not desc.roles:
        return Mention(start, end, "place", _org_between(doc, core, end))
    if (
        len(words) == 1
        and joined.endswith(lex.group_suffixes)  # one test for all the suffixes first: most names have none
        and any(
            joined.endswith(x) and (joined[: -len(x)] in lex.parties or joined[: -len(x)] in lex.countries)
            for x in lex.group_suffixes
        )
    ):
        return Mention(start, end, "org", _org_between(doc, core, end))  # "Democrats", "Russians": a group
    if acronym and len(words) == 1 and last.low in doc.surnames:
        acronym = False  # a transcript's "PENCE:" is the person, not an acronym
    if len(words) > 1 and _initials(toks[core].text) and " ".join(words[1:]) in lex.edition_words:
        return Mention(start, end, "org", _org_between(doc, core, end))  # "BBC Scotland", "NHS England"
    if last.low in lex.org_words or (acronym and len(words) == 1):
        return Mention(start, end, "org", _org_between(doc, start if desc.country else core, end))
    if not (desc.title or desc.roles) and _party_name(doc, joined):
        # "Labour", "the Liberal Democrats": a party from its first mention, never the "he" of a later sentence
        return Mention(start, end, "org", _org_between(doc, core, end))
    mention = Mention(start, end, "name", None)
    mention.entity = _person_entity(doc, core, end, desc)
    return mention


def _initials(word: str) -> bool:
    """Two to six capitals, dots aside: "BBC", "NHS", "U.N."."""
    return word.isupper() and 2 <= len(word.replace(".", "")) <= 6


def _org_between(doc: _Doc, a: int, b: int) -> Entity:
    return organization(doc, doc.text[doc.toks[a].start : doc.toks[b - 1].end], doc.toks[a].start)


def _person_entity(doc: _Doc, a: int, b: int, desc: _Descriptors) -> Entity:
    lex = doc.lex
    core = [t for t in doc.toks[a:b] if t.low not in doc.lex.name_suffixes]
    words = [t.low.rstrip(".") for t in core]
    if not words:
        words = [doc.toks[a].low]
    last = words[-1]
    first = words[0] if len(words) > 1 else ""
    if not first and last in lex.given_names and not desc.title:
        # A lone given name ("Hillary") names the one person of that first name, if there is one.
        same = [e for e in doc.entities if e.kind == "person" and e.first == last]
        if len(same) == 1:
            return same[0]
    middle = tuple(words[1:-1])
    gender = desc.gender or (lex.given_names.get(first, "") if first else "")
    best = earlier_person(doc, last, first, gender, middle)
    name = doc.text[core[0].start : core[-1].end] if core else doc.toks[a].text
    if best is None:
        best = Entity(kind="unknown", name=name, last=last, first_pos=doc.toks[a].start)
        doc.entities.append(best)
    if first and (not best.first or len(words) > len(best.name.split())):
        best.name, best.first, best.middle = name, first, middle
    best.gender = best.gender or gender or lex.given_names.get(best.first, "")
    if desc.roles or desc.title or (best.first and best.first in lex.given_names):
        best.evidence = True
        best.kind = "person"
        doc.surnames.add(best.last)
    best.roles.update(desc.roles)
    if len(core) < b - a:
        # "Frank Field MP": a letter after the name is no part of it, but says what the person is
        best.roles.update(t.low for t in doc.toks[a:b] if t.low in lex.name_suffixes and t.low in lex.roles)
    if desc.country:
        best.countries.add(desc.country)
    if desc.party:
        best.parties.add(desc.party)
    return best


def _register_mention(doc: _Doc, mention: Mention, limit: int) -> None:
    toks = doc.toks
    entity = mention.entity
    end = mention.b
    mention.possessive = end < len(toks) and toks[end].low == "'s"
    mention.subject = (
        not mention.possessive
        and (
            _subject_position(doc, mention.a)
            or _after_role_phrase(doc, mention.a)
            or _after_opening_participle(doc, mention.a)
        )
        and _followed_by_verb(doc, end, limit)
    )
    for i in range(mention.a, mention.b):
        doc.mentions[i] = mention
    if entity is None:
        return
    if mention.kind == "name" and entity.kind != "organization":
        _name_after_role(doc, mention, entity, limit)
    surface = doc.text[toks[mention.a].start : toks[mention.b - 1].end]
    if mention.kind != "pronoun":
        entity.forms.setdefault(surface, None)
    entity.mentions += 1
    if entity.kind != "organization" and mention.kind in ("name", "role"):
        _apposition(doc, mention, entity, limit)
    add_event(doc, mention.a, _salience(doc, mention, limit), entity)


def _name_after_role(doc: _Doc, mention: Mention, entity: Entity, limit: int) -> None:
    """ "UKIP's leader, Roger Knapman, has said": the role before the comma is the person named after it, and
    the name is the clause's subject when the role is."""
    toks = doc.toks
    a = mention.a
    role = doc.mentions.get(a - 2) if a >= 2 and toks[a - 1].low == "," else None
    if role is None or role.kind != "role" or role.b != a - 1:
        return
    if role.entity is not None and role.entity is not entity:
        at = bisect_right(doc.event_keys, role.a) - 1
        if at >= 0 and doc.events[at][0] == role.a:
            doc.events[at] = (role.a, doc.events[at][1], entity)  # the role was read as someone else
    role.entity = entity
    entity.roles.add(role.role)
    end = mention.b
    start = role.a
    owner = doc.mentions.get(start - 2) if start >= 2 and toks[start - 1].low == "'s" else None
    if owner is not None:
        start = owner.a  # "UKIP's leader"
    if role.subject or (_subject_position(doc, start) and end + 1 < limit and toks[end].low == ","):
        mention.subject = mention.subject or _followed_by_verb(doc, end + 1, limit)


def _salience(doc: _Doc, mention: Mention, limit: int) -> int:
    """3 for the subject of a speech verb ("Mr Lee said"), 2 for another subject, 1 for any other mention."""
    if not mention.subject:
        return 1
    a = mention.a
    if a > 0 and doc.toks[a - 1].low in doc.lex.subordinate_openers:
        return 2  # "when Mr Johnson announced …": not the sentence's speaker
    return 3 if _speech_verb_follows(doc, mention.b, limit) else 2


def _speech_verb_follows(doc: _Doc, i: int, limit: int) -> bool:
    j = i
    if j + 1 < limit and doc.toks[j].low == "," and doc.toks[j + 1].low in doc.lex.apposition_starts:
        # "Sir Archy Kirkwood, who chairs the committee, said"
        close = next((k for k in range(j + 2, min(limit, j + APPOSITION_WINDOW)) if doc.toks[k].low == ","), -1)
        j = close + 1 if close > 0 else j
    elif j + 1 < limit and doc.toks[j].low == "," and _description_then_speech(doc, j, limit):
        return True  # "Alan Milburn, Labour's election strategist told …"
    while j < limit and j - i < 3 and (doc.toks[j].low in doc.lex.skip or _adverb(doc.toks[j])):
        j += 1
    _size, verb = _verb_at(doc, j, limit) if j < limit else (0, None)
    return verb is not None and verb.cls == "speech" and not verb.participle


def _description_then_speech(doc: _Doc, comma: int, limit: int) -> bool:
    """After a name and a comma, an office with no closing comma and then a speech verb: "(Alan Milburn,)
    Labour's election strategist told"."""
    toks = doc.toks
    role = False
    for k in range(comma + 1, min(limit, comma + 8)):
        low = toks[k].low
        if low in (",", ";", ":") or low in _TERMINAL or toks[k].quote >= 0:
            return False
        _, verb = _verb_at(doc, k, limit)
        if verb is not None and k > comma + 1:
            return role and verb.cls == "speech" and not verb.participle and not verb.base
        role = role or low in doc.lex.roles
    return False


def _apposition(doc: _Doc, mention: Mention, entity: Entity, limit: int) -> None:
    """ "Donna Brazile, the interim chairwoman of the committee," adds roles to the person."""
    toks = doc.toks
    i = mention.b
    if i + 2 >= limit or toks[i].low != "," or toks[i + 1].low not in doc.lex.articles:
        return
    if mention.a > 0 and toks[mention.a - 1].low in doc.lex.prepositions:
        return  # "In a speech in Edinburgh, the prime minister said": a place, then the sentence's subject
    n, desc = _descriptors(doc, i + 2, min(limit, i + 10))
    if not n:
        return
    after = toks[i + 2 + n].low if i + 2 + n < limit else ""
    if after in doc.lex.verb_words or after in doc.lex.skip or after in doc.lex.modals:
        return  # ", the prime minister said …": the role is the subject of its own clause
    entity.roles.update(desc.roles)
    if desc.country:
        entity.countries.add(desc.country)
    if entity.kind == "unknown":
        entity.kind = "person"
        entity.evidence = True
        doc.surnames.add(entity.last)


_BEFORE_SUBJECT_MARKS = {",", ";", ":"} | {"—", "–", "--", "(", "-", "―"} | _OPENING_MARKS | set(_CLOSE) | {"''"}


def _subject_position(doc: _Doc, a: int) -> bool:
    """Whether a phrase starting at token a can be a clause's subject: it opens the sentence or follows a
    conjunction, a comma or a quote, not a preposition, a determiner or an adjective."""
    if a == 0 or doc.toks[a].sent != doc.toks[a - 1].sent:
        return True
    prev = doc.toks[a - 1].low
    if prev in _BEFORE_SUBJECT_MARKS or prev in doc.lex.before_subject:
        return True
    return prev.endswith("ly") and prev.isalpha()


def _after_opening_participle(doc: _Doc, a: int) -> bool:
    """ "Asked on Thursday about the job Mr Johnson told …": after a participle phrase that opens the
    sentence without a comma, the first name is the subject."""
    start, _ = sentence_of(doc, a)
    first = doc.toks[start]
    if a - start > 10 or not first.cap or not first.low.endswith(("ed", "ing")) or first.low in doc.lex.calendar_words:
        return False
    return all(_only_a_possessor(doc, k) and doc.toks[k].low != "," for k in range(start + 1, a))


def _only_a_possessor(doc: _Doc, k: int) -> bool:
    """Token k is no name, or a name that only owns what follows ("Mr Smith's position")."""
    m = doc.mentions.get(k)
    return m is None or (m.b < len(doc.toks) and doc.toks[m.b].low == "'s")


def _after_role_phrase(doc: _Doc, a: int) -> bool:
    """Whether the name at a closes a description that opens the clause: "Labour's deputy minister for women
    Jacqui Smith accused …" (the name is the subject, the words before describe her)."""
    toks = doc.toks
    role = False
    k = a - 1
    while k >= 0 and a - k <= 8 and toks[k].sent == toks[a].sent:
        t = toks[k]
        if not (t.low.isalpha() or t.low == "'s") or t.low in doc.lex.verb_words:
            break
        if (t.low in doc.lex.function_words or t.low in doc.lex.prepositions) and t.low not in doc.lex.np_links:
            break  # "talks with Deputy Prime Minister John Prescott": a complement, not a subject
        role = role or t.low in doc.lex.roles
        if _subject_position(doc, k):
            return role
        k -= 1
    return False


def _followed_by_verb(doc: _Doc, i: int, limit: int) -> bool:
    """Whether token i starts a predicate: a lowercase content word after optional auxiliaries."""
    lex = doc.lex
    toks = doc.toks
    j = i
    if j < limit and toks[j].low == "(":  # "Sen. Lindsey Graham (R-S.C.) told"
        close = next((k for k in range(j + 1, min(limit, j + 10)) if toks[k].low == ")"), -1)
        j = close + 1 if close > 0 else j
    while j < limit and j - i < 4 and toks[j].low in lex.skip and toks[j].low not in ("'s",):
        j += 1
    openers = doc.lex.description_openers
    if j + 1 < limit and (toks[j].low == "," or toks[j].low in _DASHES) and toks[j + 1].low in openers:
        # an apposition follows: "Flynn, a top surrogate, said", "Conlon - who was wrongly convicted - said"
        return True
    if j + 1 < limit and toks[j].low == "," and toks[j + 1].low.endswith("ing") and not toks[j + 1].cap:
        return _aside_then_predicate(doc, j + 1, limit)  # "The chancellor, speaking in Africa, said"
    if j + 1 < limit and toks[j].low == "," and _description_then_speech(doc, j, limit):
        return True  # "Alan Milburn, Labour's election strategist told …"
    if j >= limit:
        return False
    t = toks[j]
    if t.low in lex.verb_words or (j > i and t.low.isalpha()):
        return True
    return (
        t.low.isalpha()
        and not t.cap
        and t.low not in lex.function_words
        and t.low not in lex.prepositions
        and t.low not in ("and", "or", "'s")
    )


def _resolve_role(doc: _Doc, mention: Mention) -> Entity | None:
    """ "the President of Russia", "the American president", "the Russian leader": the person the article
    gave that role; the most recent before, else the first after (a lede may name the office first)."""
    role, country = mention.role, mention.country
    lex = doc.lex
    candidates: list[tuple[int, Entity]] = []
    for entity in doc.entities:
        if entity.kind == "organization":
            continue
        fits = (
            role in entity.roles
            or (role in ("leader", "head of state") and entity.roles & lex.head_roles)
            # "the secretary": the home secretary (but "the foreign secretary" is no shadow foreign secretary)
            or (
                " " not in role
                and any(held.endswith(" " + role) and not held.startswith("shadow ") for held in entity.roles)
            )
        )
        if not fits:
            continue
        if country and entity.countries and country not in entity.countries:
            continue
        if mention.party and entity.parties and mention.party not in entity.parties:
            continue
        score = 2 if country and country in entity.countries else 1
        candidates.append((score, entity))
    if not candidates:
        return None
    best_score = max(score for score, _ in candidates)
    pool = {id(e) for score, e in candidates if score == best_score}
    tok = mention.a
    end = bisect_right(doc.event_keys, tok)
    for k in range(end - 1, -1, -1):
        if id(doc.events[k][2]) in pool:
            return doc.events[k][2]
    return None


def _resolve_roles_forward(doc: _Doc) -> None:
    """Roles named before their holder ("the President of Russia" in a lede) resolve to the first fitting
    person named later."""
    for mention in {id(m): m for m in doc.mentions.values()}.values():
        if mention.kind == "role" and mention.entity is None and doc.toks[mention.a].low in doc.lex.definite:
            mention.entity = _resolve_role_any(doc, mention)
            if mention.entity is not None:
                surface = doc.text[doc.toks[mention.a].start : doc.toks[mention.b - 1].end]
                mention.entity.forms.setdefault(surface, None)
                mention.entity.mentions += 1


def _resolve_role_any(doc: _Doc, mention: Mention) -> Entity | None:
    for entity in doc.entities:
        if entity.kind == "organization" or entity.first_pos < doc.toks[mention.a].start:
            continue
        role_fits = mention.role in entity.roles or (
            mention.role in ("leader", "head of state") and entity.roles & doc.lex.head_roles
        )
        if role_fits and (not mention.country or mention.country in entity.countries):
            return entity
    return None


# ------------------------------------------------------------------------------------- candidates


def _match_phrase(doc: _Doc, i: int, phrases: _Phrases, limit: int) -> int:
    return phrases.match(doc.toks, i, limit)


def _verb_at(doc: _Doc, i: int, limit: int) -> tuple[int, _Verb | None]:
    return doc.lex.verbs.find(doc.toks, i, limit)


def _source_before(doc: _Doc, end: int, floor: int, depth: int = 0) -> tuple[int, int] | None:
    """The source phrase ending just before token `end` (auxiliaries and adverbs skipped), or None.

    Appositions and parentheses count as part of it: "Donna Brazile, the chairwoman of the committee,",
    "the state's campaign chairman, Phil Lovas,", "Sen. Lindsey Graham (R-S.C.)".
    """
    lex = doc.lex
    toks = doc.toks
    j = end - 1
    while j >= floor and end - j <= 6:
        if toks[j].low in lex.skip or _adverb(toks[j]):
            j -= 1
        elif (n := _time_before(doc, j, floor)) > 0:
            j -= n  # "Gowdy earlier Thursday said", "on Tuesday wrote", "Fiorina a month later announced"
        else:
            break
    if j < floor or _in_long_quote(doc, j):
        return None
    if toks[j].low == ")" and depth < 5:
        k = j - 1
        while k > floor and j - k <= 8 and toks[k].low != "(":
            k -= 1
        found = _source_before(doc, k, floor, depth + 1) if toks[k].low == "(" else None
        return (found[0], j + 1) if found is not None else None
    if toks[j].low in _DASHES and depth < 5:
        # "John Dickey -- the chief executive of Ora Media -- told me"
        k = j - 1
        while k > floor and j - k <= APPOSITION_WINDOW and toks[k].low != toks[j].low and not _in_long_quote(doc, k):
            k -= 1
        first = toks[k + 1] if k + 1 < j else None
        if k <= floor or toks[k].low != toks[j].low or first is None:
            return None
        if first.low in lex.apposition_starts or first.low in lex.roles or first.low in lex.modifiers or not first.cap:
            found = _source_before(doc, k, floor, depth + 1)
            if found is not None and doc.mentions.get(found[1] - 1) is not None:
                return found[0], j
        return None
    if toks[j].low == "," and depth < 5:
        k = j - 1
        while k >= floor and j - k <= APPOSITION_WINDOW and toks[k].low != "," and not _in_long_quote(doc, k):
            k -= 1
        if k <= floor or toks[k].low != ",":
            return None
        first = toks[k + 1]
        if (
            first.low in doc.lex.apposition_starts
            or first.low in lex.roles
            or first.low in lex.modifiers
            or first.low[0].isdigit()
            or (first.low.endswith("ing") and not first.cap)  # "Trump, speaking to veterans, said"
            or (not first.cap and k + 2 < j and toks[k + 2].low == "by")  # "The aides, led by X, told"
            or (not first.cap and first.low.endswith("ed") and j - k <= 6)  # "Sullivan, struck by it, told"
            or (first.low in lex.prepositions and not first.cap)  # "Clinton, at a later briefing, said"
            or (j - k <= 4 and not first.cap)
            or _short_label(doc, k + 1, j)
            or _describes_role(doc, k + 1, j)
        ):
            # the description follows the name: the source is what precedes it
            while k - 2 > floor and toks[k - 2].low == "," and _short_label(doc, k - 1, k):
                k -= 2  # "Lance Beebe, 49, a Navy veteran, said": an age or a party label before it
            found = _source_before(doc, k, floor, depth + 1)
            if found is None:
                # two descriptions in a row: "Robert Jackson, 58, MP for Wantage, said"
                found = _source_before(doc, k + 1, floor, depth + 1)
            if found is not None:
                return found[0], j
        # the name follows its description: "The state's campaign chairman, Phil Lovas, said"
        inner = _source_before(doc, j, k + 1, depth + 1)
        if inner is not None and inner[0] == k + 1 and toks[k + 1].cap:
            return inner[0], j
        return _name_before_descriptions(doc, j, floor) if depth == 0 else None
    t = toks[j]
    if t.low in lex.pronouns:
        if t.low in doc.lex.relatives and (j == floor or toks[j - 1].low in doc.lex.coordinators):
            return None
        if t.low in doc.lex.neuter_pronouns and j > floor and toks[j - 1].low not in doc.lex.coordinators_or_comma:
            return None
        return j, j + 1
    head = j
    bare = not _np_head(doc, head)
    if bare and not (_bare_plural(doc, head) and _plural_verb(doc, end)):
        return None
    m = doc.mentions.get(head)
    if m is not None and m.kind == "name" and m.b == head + 1 and m.a >= floor:
        # a person's name is complete with its titles: "the Washington Post Trump said" is Trump
        k = m.a - 1 if m.a > floor and toks[m.a - 1].low in lex.articles else m.a
        other = doc.mentions.get(k - 2) if k - 2 >= floor and toks[k - 1].low == "and" else None
        if other is not None and other.kind == "name" and other.b == k - 1 and other.a >= floor:
            k = other.a  # "Mr. Grassley and Mr. Leahy say"
        if k - 2 >= floor and toks[k - 1].low in ("from", "by") and toks[k - 2].low in lex.document_nouns:
            k -= 2  # "A letter from Mr Hale said": the letter's words are its author's
            while k - 1 >= floor and toks[k - 1].low in lex.np_openers | lex.determiners:
                k -= 1
        return _group_in(doc, k, head + 1, floor, depth) or _person_of_place(doc, k, head + 1, floor) or (k, head + 1)
    common_head = not toks[head].cap
    k = head
    while k - 1 >= floor and head - k < NP_WINDOW - 1:
        p = toks[k - 1]
        if p.quote >= 0 and not p.scare:  # `_in_long_quote`, inlined
            break
        if p.low in doc.lex.np_openers:
            k -= 1
            # "Mr. Morgan of the Sierra Club", "a spokesman for the ministry": the phrase goes on
            if k - 2 >= floor and toks[k - 1].low in doc.lex.np_links and head - k < NP_WINDOW - 3:
                q = toks[k - 2]
                if (q.cap and q.low not in lex.function_words) or q.low in lex.roles or q.low in lex.generic_nouns:
                    k -= 1
                    continue
            if k - 2 >= floor and toks[k - 1].low in ("from", "by") and toks[k - 2].low in lex.document_nouns:
                k -= 1  # "a statement from the ministry", "a letter by the president"
                continue
            break
        if p.low in doc.lex.determiners and p.low not in doc.lex.complementizers:
            k -= 1
            continue
        if p.cap and p.low in lex.function_words:
            break
        if p.low == "'s" or p.cap or p.low in lex.modifiers or p.low in lex.roles or p.low in lex.org_words:
            k -= 1
            continue
        if p.low in ("of", "for", "to", "at", "on", "&", "and", "close") and k - 2 >= floor:
            q = toks[k - 2]
            if q.low in lex.roles or q.low in lex.generic_nouns or q.low in lex.org_words or q.cap:
                k -= 1
                continue
            break
        if p.low in ("from", "by") and k - 2 >= floor and toks[k - 2].low in lex.document_nouns:
            k -= 1  # "a statement from Mr Hale"
            continue
        plain = p.low.isalpha() and not p.cap and p.low not in lex.function_words
        if common_head and plain and p.low not in lex.prepositions and p.low not in lex.verb_words:
            # an adjective in "the published transcript": only when a determiner closes the phrase soon
            if k - 2 >= floor and (toks[k - 2].low in doc.lex.det_or_possessive or toks[k - 2].low == "'s"):
                k -= 1
                continue
            # "the UK's public spending watchdog": two words after an article or a possessive
            opener = k - 3 >= floor and (toks[k - 3].low in doc.lex.articles or toks[k - 3].low == "'s")
            if opener and toks[k - 2].low.isalpha():
                k -= 1
                continue
            run = k - 1
            while run - 1 >= floor and head - run < 3 and _modifier_word(doc, run - 1):
                run -= 1
            people = toks[head].low not in lex.document_nouns  # "new figures show" is no one's statement
            if people and _modifier_word(doc, k - 1) and (run == floor or toks[run - 1].low in _CLAUSE_EDGES):
                k = run  # "…, law enforcement officials say", "and human rights groups warned"
            break
        break
    if toks[k].low in ("of", "for", "to", "at", "and", "'s"):
        return None
    if bare and k > floor and toks[k - 1].low not in _CLAUSE_EDGES and toks[k - 1].low not in lex.subordinators:
        return None  # "what advocates say hurts", "let editorials tell them": a plural inside another clause
    return _group_in(doc, k, head + 1, floor, depth) or (k, head + 1)


def _name_before_descriptions(doc: _Doc, comma: int, floor: int) -> tuple[int, int] | None:
    """ "Michael Mulgrew, president of the teachers' union, which represents city educators, said": a name
    opening the sentence, then descriptions set off by commas (a place, an office, a "which" clause) with no
    verb of speech and no quotation among them, up to the comma before the cue."""
    toks = doc.toks
    a = floor + _match_phrase(doc, floor, doc.lex.openers, comma)
    m = doc.mentions.get(a)
    if m is None or m.a != a or m.kind != "name" or m.b >= comma or toks[m.b].low != ",":
        return None
    if comma - m.b > 2 * APPOSITION_WINDOW:
        return None
    for k in range(m.b, comma):
        t = toks[k]
        abbreviation = t.low == "." and toks[k + 1].low == ","  # "of Flint, Mich., said": no sentence end
        if t.quote >= 0 or t.low in (";", ":") or (t.low in _TERMINAL and not abbreviation):
            return None
        if _verb_at(doc, k, comma)[1] is not None and not _noun_after_link(doc, k):
            return None
    return m.a, comma


def _noun_after_link(doc: _Doc, k: int) -> bool:
    """Whether the verb-like word at k is a noun: after a preposition, an article or a possessive ("director
    of state campaigns", "the report", "Clinton's pledge")."""
    before = doc.toks[k - 1].low if k > 0 else ""
    return before in doc.lex.prepositions or before in doc.lex.det_or_possessive or before in ("'s", "’s")


_LABEL = re.compile(r"\d{1,3}|[RDI]\s?-\s?[A-Z][A-Za-z.]*")  # an age, a party and state: "49", "R-N.Y."


def _short_label(doc: _Doc, a: int, b: int) -> bool:
    """An age or a party-and-state label between commas after a name: ", 49,", ", R-N.Y.,"."""
    if not 0 < b - a <= 5:
        return False
    return bool(_LABEL.fullmatch(doc.text[doc.toks[a].start : doc.toks[b - 1].end]))


def _describes_role(doc: _Doc, a: int, b: int) -> bool:
    """A description between commas that names an office or a kind of person and holds no verb: ", Mrs.
    Obama's chief of staff,", ", the co-author of the report,"."""
    lex = doc.lex
    words = doc.toks[a:b]
    if not words or len(words) > APPOSITION_WINDOW:
        return False
    for k, t in enumerate(words, start=a):
        if t.low in lex.relatives or t.low in lex.subject_words:
            return False
        if t.low in lex.verb_words and not _noun_after_link(doc, k):
            return False
    return any(not t.cap and (t.low in lex.roles or t.low in lex.generic_nouns) for t in words)


_CLAUSE_EDGES = frozenset({",", ";", "—", "–", "--", "and", "but"})
# what may come right before a poll's share that is a clause's subject: "…, and 55 percent", "in which 67 percent"
_RELATIVE_WORDS = frozenset({"who", "whom", "whose", "which"})
_SHARE_EDGES = _CLAUSE_EDGES | {"which", "whom", "that", "while", "whereas", "where", "when"}


def _bare_plural(doc: _Doc, i: int) -> bool:
    """A plural noun no lexicon knows, heading a source: "security specialists say", "Romney's associates
    said", "protest groups say". Only a speech or evidence cue takes it (the callers check)."""
    t = doc.toks[i]
    lex = doc.lex
    word = t.low
    if t.cap or not word.isalpha() or len(word) < 5 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return False
    if word in lex.function_words or word in lex.verb_words or word in lex.prepositions or word in lex.pronouns:
        return False
    before = doc.toks[i - 1].low if i > 0 else ""
    return before in ("'s", "’s") or (before not in lex.be_forms and before not in lex.have_forms)


def _modifier_word(doc: _Doc, k: int) -> bool:
    """A lowercase word that may stand before a source's head: "political" experts, "law enforcement"."""
    t = doc.toks[k]
    lex = doc.lex
    if t.low in lex.determiners:
        return True  # "Several", "Other" open a sentence with a capital
    if t.cap or not t.low.isalpha() or t.low in lex.verb_words or t.low in lex.prepositions:
        return False
    if t.low.endswith(("ing", "ed")):
        return False  # "…, including Friday's tweets": a participle opens no source phrase
    return t.low not in lex.function_words or t.low in lex.determiners


def _bare_close(doc: _Doc, k: int, b: int) -> bool:
    """Whether only the sentence end, a comma or a prepositional phrase follows a cue at the sentence end:
    "…, experts said.", "…, officials said on Monday", not "…, companies declared bankruptcy"."""
    if k >= b:
        return True
    low = doc.toks[k].low
    return low in _TERMINAL or low in (",", ";", "—", "–") or low in doc.lex.prepositions


def _plural_verb(doc: _Doc, k: int) -> bool:
    """A verb at k that a plural subject can take: "say", "said", not "says" (then the plural is a noun
    inside the phrase before it: "emissions rules", "Friday tweets")."""
    if k >= len(doc.toks):
        return False
    word = doc.toks[k].low
    return not (word.endswith("s") and not word.endswith("ss"))


_TIME_LINKS = frozenset({"on", "earlier", "later", "last", "this", "late", "early", "next"})


def _time_before(doc: _Doc, j: int, floor: int) -> int:
    """How many tokens ending at j say when, not who: "Thursday", "on Tuesday", "earlier Thursday", "a month"."""
    toks = doc.toks
    lex = doc.lex
    low = toks[j].low
    if low in lex.calendar_words:
        return 2 if j - 1 >= floor and toks[j - 1].low in _TIME_LINKS else 1
    if low in lex.time_units and j - 1 >= floor and (toks[j - 1].low in lex.articles or toks[j - 1].low.isdigit()):
        return 2
    return 0


def _unclosed_apposition(doc: _Doc, cue: int, a: int) -> tuple[int, int] | None:
    """The named person before an apposition or a relative clause whose closing comma is missing: "Mr
    Galloway, who on Thursday won damages from the Telegraph said …", "Ann Bull, a candidate said …", "Colin
    Asplin, Blackpool Hotel Association said …"."""
    toks = doc.toks
    for k in range(cue - 2, max(a, cue - APPOSITION_WINDOW) - 1, -1):
        t = toks[k]
        if t.low in _TERMINAL or t.low in (";", ":") or (t.quote >= 0 and not t.scare):  # `_in_long_quote`, inlined
            return None
        if t.low != ",":
            continue
        nxt = toks[k + 1].low
        body = doc.mentions.get(k + 1)
        affiliation = body is not None and body.a == k + 1 and body.kind == "org" and body.b == cue
        if doc.lex.pronouns.get(nxt) != "r" and nxt not in ("a", "an") and not affiliation:
            return None  # "which critics claimed": the relative clause has a subject of its own
        m = doc.mentions.get(k - 1)
        if m is None or m.kind != "name" or m.entity is None or m.entity.kind == "organization" or m.a < a:
            return None
        if not _subject_position(doc, m.a):
            return None  # "a book published by Mr Sands, a lawyer, says": the book speaks
        return m.a, k
    return None


def _long_apposition(doc: _Doc, cue: int, a: int) -> tuple[int, int] | None:
    """A named person whose description runs over several commas, a dash pair or a quotation before the
    cue: "Ms. Arnold, who helped found EDGE, an environmental group, said", "Trump's chairman, Rex Early, a
    former state chairman who …, said", "Joe Scarborough, host of MSNBC's "Morning Joe," suggested". The
    nearest such name in subject position before the cue is the source."""
    toks = doc.toks
    lex = doc.lex
    j = cue - 1
    while j > a and (toks[j].low in lex.skip or _adverb(toks[j]) or toks[j].low in lex.calendar_words):
        j -= 1
    if j > a and toks[j].low in _CLOSING_MARKS and toks[j - 1].low == ",":
        j -= 1  # the description ends in a quotation: `host of "Morning Joe,"`
    if j <= a or not (toks[j].low == "," or toks[j].low in _DASHES):
        return None
    for k in range(j - 1, max(a, j - 2 * APPOSITION_WINDOW), -1):
        t = toks[k]
        if t.low in _TERMINAL or t.low in (";", ":"):
            return None
        if not (t.low == "," or t.low in _DASHES) or k + 1 >= j:
            continue
        m = doc.mentions.get(k - 1)
        if m is None or m.b != k or m.a < a:
            continue
        person = m.kind == "name" and m.entity is not None and m.entity.kind != "organization"
        placed = None if person else _person_of_place(doc, m.a, m.b, a)  # "Rep. Tom Cole of Oklahoma, …,"
        if not person and placed is None:
            continue
        start = m.a if placed is None else placed[0]
        if start > a and toks[start - 1].low in lex.prepositions:
            continue  # "director of CREDO Action, which …,": the body the description names
        if not (_subject_position(doc, start) or _after_role_phrase(doc, start) or _described_from(doc, a, start)):
            continue
        first = toks[k + 1]
        if first.cap and first.low not in lex.describing_words:
            continue  # "Smith, Jones and Brown said": a list of names, not a description
        return start, j
    return None


def _described_from(doc: _Doc, a: int, start: int) -> bool:
    """Whether only words that describe a name stand between the clause's start and the name: "Minnesota
    state delegate Mary Susan", "GOP front-runner Donald Trump"."""
    toks = doc.toks
    lex = doc.lex
    first = _clause_start(doc, a, start + 1)
    if start - first > 6:
        return False
    for t in toks[first:start]:
        if t.low in ("'s", "’s", "-"):
            continue
        word = t.low.replace("-", "")
        if not word.isalpha() or t.low in lex.prepositions or (t.low in lex.function_words and not t.cap):
            return False
    return True


def _group_noun(doc: _Doc, k: int) -> bool:
    word = doc.toks[k].low
    return word in doc.lex.generic_nouns or word in doc.lex.roles or word in doc.lex.org_words


def _group_in(doc: _Doc, k: int, end: int, floor: int, depth: int) -> tuple[int, int] | None:
    """A name after a group or a role: "supporters in Congress", "a spokesman for Clinton", "the city of
    Phoenix" are the whole phrase, not the name alone."""
    toks = doc.toks
    lex = doc.lex
    if depth >= 3 or k - 2 < floor or toks[k - 1].low not in lex.group_links:
        return None
    if not _group_noun(doc, k - 2):
        return None
    found = _source_before(doc, k - 1, floor, depth + 1)
    if found is None or found[1] != k - 1:
        return None
    return found[0], end


def _person_of_place(doc: _Doc, k: int, end: int, floor: int) -> tuple[int, int] | None:
    """A person named with the place or body they come from: "Rep. Tom Cole of Oklahoma", "Sen. Jack Reed
    from Rhode Island". The phrase is the person's (token range from the name to `end`); the place alone
    never speaks."""
    toks = doc.toks
    if k - 2 < floor or toks[k - 1].low not in ("of", "from"):
        return None
    person = doc.mentions.get(k - 2)
    place = doc.mentions.get(k)
    if person is None or person.kind != "name" or person.b != k - 1 or place is None or place.a != k:
        return None
    if person.entity is None or person.entity.kind != "person" or toks[person.a].sent != toks[k].sent:
        return None
    if not _subject_position(doc, person.a) and not _after_role_phrase(doc, person.a):
        return None
    return person.a, end


def _plain_noun(doc: _Doc, i: int) -> bool:
    """A lowercase head no lexicon knows: "the conversation", "the clip"."""
    t = doc.toks[i]
    lex = doc.lex
    return not t.cap and t.low not in lex.known_nouns and t.low not in lex.pronouns and i not in doc.mentions


def _adverb(t: Token) -> bool:
    return not t.cap and len(t.low) > 4 and t.low.endswith("ly") and t.low.isalpha()


def _np_head(doc: _Doc, i: int) -> bool:
    t = doc.toks[i]
    lex = doc.lex
    m = doc.mentions.get(i)
    if m is not None and m.kind in ("name", "org", "place", "role") and i == m.b - 1:
        return True
    if t.low in lex.generic_nouns or t.low in lex.roles or t.low in lex.document_nouns:
        return True
    if t.low in lex.body_descriptions:
        return True  # "the UK's public spending watchdog"
    if t.low in lex.org_words and t.low not in ("press",):
        return True
    if t.cap:
        return t.low.isalpha() and t.low not in lex.function_words and t.low not in lex.pronouns
    # any noun a determiner opens close by: "one questioner", "the announcer", "the clip"
    if not t.low.isalpha() or t.low in lex.function_words or t.low in lex.verb_words or t.low.endswith("ly"):
        return False
    for k in range(i - 1, max(-1, i - 4), -1):
        low = doc.toks[k].low
        if low in lex.np_openers or low in ("one",):
            return True
        if low in lex.determiners and low not in lex.complementizers:
            return True  # "Other parties", "many MPs", "some critics"
        if not low.isalpha() or low in lex.function_words or low in lex.prepositions:
            return False
    return False


def _source_after(doc: _Doc, i: int, limit: int) -> tuple[int, int] | None:
    """The source phrase starting at token i: "said Putin", "said 9/11 widow Terry Strada", "said a
    spokesman for the ministry"; an apposition after it is left out."""
    lex = doc.lex
    toks = doc.toks
    if i >= limit or _in_long_quote(doc, i):
        return None
    if toks[i].low in doc.lex.subject_words:
        return i, i + 1
    k = i
    head = -1
    while k < limit and k - i < 12:
        t = toks[k]
        if t.low in _TERMINAL or t.low in (",", ";", ":", "(", ")") or _in_long_quote(doc, k):
            break
        m = doc.mentions.get(k)
        if m is not None and m.a == k and m.kind != "pronoun":
            head, k = m.b - 1, m.b
            continue
        if t.cap or t.low in lex.roles or t.low in lex.generic_nouns or t.low in lex.document_nouns:
            head, k = k, k + 1
            continue
        if k > i and toks[k - 1].low in doc.lex.determiners and _bare_plural(doc, k):
            head, k = k, k + 1  # "one of the organisers"
            continue
        if head < 0 and k > i and toks[k - 1].low in doc.lex.determiners and _noun_closing(doc, k, limit):
            head, k = k, k + 1  # "said the designer, who …", "said one woman, a teacher"
            continue
        if t.low in doc.lex.determiners and k + 2 < limit and toks[k + 1].low == "of" and head < 0:
            k += 2  # "one of those advisers", "some of his aides"
            continue
        if t.low in doc.lex.determiners or t.low in lex.modifiers or t.low[0].isdigit() or t.low in ("/", "-", "'s"):
            k += 1
            continue
        if k == i and (t.low in lex.house_possessives or t.low in lex.possessives):
            k += 1  # "said our correspondent", "added his campaign manager Jeff Weaver"
            continue
        if t.low in doc.lex.np_links and head >= 0 and k + 1 < limit:
            h = toks[head].low
            if h in lex.roles or h in lex.generic_nouns or h in lex.org_words:
                k += 1
                continue
        role_at = _role_after_descriptors(doc, k, limit)
        if role_at > k:
            k = role_at  # "said BBC labour affairs correspondent Stephen Cape": words that describe the role
            continue
        break
    if head < 0:
        return None
    return i, head + 1


def _noun_closing(doc: _Doc, k: int, limit: int) -> bool:
    """A lowercase noun no lexicon knows that ends a source phrase after its determiner: "the designer,",
    "one woman." (a comma, the sentence's end or a preposition follows)."""
    t = doc.toks[k]
    lex = doc.lex
    if t.cap or not t.low.isalpha() or t.low in lex.function_words or t.low in lex.verb_words:
        return False
    if t.low in lex.prepositions or t.low.endswith(("ly", "ing")):
        return False
    nxt = doc.toks[k + 1].low if k + 1 < limit else "."
    return nxt in (",", ";") or nxt in _TERMINAL or nxt in lex.prepositions


def _role_after_descriptors(doc: _Doc, k: int, limit: int) -> int:
    """Where a role or a name starts after up to three lowercase words that describe it ("labour affairs
    correspondent", "home affairs spokesman"), or k when none does."""
    toks = doc.toks
    lex = doc.lex
    for n in range(k, min(limit, k + 4)):
        t = toks[n]
        m = doc.mentions.get(n)
        if n > k and (t.low in lex.roles or (m is not None and m.a == n and m.kind in ("name", "role"))):
            return n
        if not t.low.isalpha() or t.cap or t.low in lex.function_words or t.low in lex.verb_words:
            return k
        if t.low in lex.prepositions or t.low in lex.clause_links:
            return k
    return k


def _clause_start(doc: _Doc, a: int, limit: int) -> int:
    """Skip discourse openers ("But", "In this context,") at the start of a clause."""
    n = _match_phrase(doc, a, doc.lex.openers, limit)
    if n:
        a += n
        if a < limit and doc.toks[a].low == ",":
            a += 1
    return a


# every word at which a reported clause may end in `_content_end`, cues aside (a token outside this set, no
# cue word and in no mention goes on the clause)
_CONTENT_STOPS = frozenset(
    {",", ";", "—", "–", "―", "--", "and", "but", "before", "after", "while"}
    | _DASHES
    | _OPENING_MARKS
    | _CLOSING_MARKS
)


def _content_end(
    doc: _Doc, i: int, limit: int, stop_at_quotes: set[int], subordinate: bool = False, relative: bool = False
) -> int:
    """Token index where a reported clause starting at i ends: the sentence end, a semicolon, or a
    participle cue or attributed quote that starts a statement of its own. In a subordinate clause
    ("After aides insisted that …, the campaign …") it ends where the main clause's subject comes; in a
    relative clause ("X, who said …, joined …") where the main clause's verb comes."""
    toks = doc.toks
    limit = min(limit, i + MAX_CONTENT_TOKENS)
    cue_starters, mentions = doc.lex.cue_starters, doc.mentions  # what a participle or a name starts with
    j = i
    while j < limit:
        t = toks[j]
        if t.low not in _CONTENT_STOPS and t.low not in cue_starters and j not in mentions:
            j += 1  # most words: none of the tests below can end the clause here
            continue
        if subordinate and t.low in (",", "—", "–", "―", "--") and j > i + 1 and j + 1 < limit:
            nxt = toks[j + 1]
            if nxt.low in doc.lex.clause_starts or nxt.low in doc.lex.determiners:
                return j  # "When he announced the cuts, some workers …": the main clause begins
            if nxt.cap and nxt.low not in doc.lex.function_words:
                return j
        if t.quote in stop_at_quotes and toks[j].low in _OPENING_MARKS:
            return j - 1 if j > i and toks[j - 1].low in (",", ":") else j
        if t.low in _CLOSING_MARKS and j > i + 1 and _quotation_closes_clause(doc, j, limit):  # a call per mark only
            return j + 1  # `said things "should be wrapped up by Cleveland," referring to …`
        if t.quote < 0 or t.scare:  # not in a long quote
            if t.low == ";":
                return j
            if t.low in (",", "—", "–", "--", "and", "but") and j > i and _second_statement(doc, j, limit):
                return j
            if j > i + 1 and t.low in cue_starters and _participle_introduces_quote(doc, j, limit):
                return j
            if t.low == "," and j > i + 1 and (_attribution_again(doc, j, limit) or _where_it_was_said(doc, j, limit)):
                return j
            if t.low in _DASHES and j > i + 1 and j + 1 < limit and toks[j + 1].low == "but":
                return j  # "… he's "back" - but does that sum up the mood?": the reporter's turn
            if t.low in _DASHES and j > i + 1 and _verb_follows(doc, j + 1, limit):
                return j  # "Trump - who said he would … - said at a rally": the apposition closes
            if relative and t.low == "," and j > i + 1 and _predicate_follows(doc, j + 1, limit):
                return j  # "Sanders, who said he would campaign with him, ultimately did not show up"
            if j > i + 1 and j in mentions and _attribution_starts(doc, j, limit):
                return j
            if j > i + 1 and (_according_to_follows(doc, j, limit) or _speaker_goes_on(doc, j, limit)):
                return j
            if j > i + 1 and _summing_up(doc, j, limit):
                return j
        j += 1
    while j > i and (toks[j - 1].low in _TERMINAL or toks[j - 1].low in (",", ":")):
        j -= 1
    return j


def _quotation_closes_clause(doc: _Doc, j: int, limit: int) -> bool:
    """Whether the closing mark at j ends a quotation with its comma inside and the reporter's participle
    follows: `"… by Cleveland," referring to the convention`."""
    toks = doc.toks
    if toks[j].low not in _CLOSING_MARKS or toks[j - 1].low != "," or j + 1 >= limit:
        return False
    word = toks[j + 1]
    participle = word.low.endswith("ing") and word.low.isalpha() and not word.cap
    return participle and word.low not in doc.lex.non_clause_participles


def _according_to_follows(doc: _Doc, j: int, limit: int) -> bool:
    """`…, according to a new poll`: a second attribution, not part of what was said."""
    if doc.toks[j].low != "," or j + 1 >= limit:
        return False
    n = _match_phrase(doc, j + 1, doc.lex.according, limit)
    return bool(n) and not _rule_followed(doc, j + 1 + n, min(limit, j + 1 + n + 6))


def _summing_up(doc: _Doc, j: int, limit: int) -> bool:
    """`…, a recommendation the attorney general adopted`, `…, an acknowledgment that …`: the reporter's noun
    phrase that sums up the statement after a comma, not part of it."""
    toks = doc.toks
    if toks[j].low != "," or j + 2 >= limit or toks[j + 1].low not in ("a", "an", "the"):
        return False
    k = j + 2
    while k < min(limit, j + 5) and toks[k].low not in doc.lex.summary_nouns and toks[k].low.isalpha():
        k += 1
    return k < limit and toks[k].low in doc.lex.summary_nouns


def _noun_follows(doc: _Doc, k: int, end: int) -> bool:
    """Whether the word at k goes on the noun phrase, so that the word before it is no head: "law" in
    "according to law enforcement officials", "plan" in "according to the plan's authors"."""
    if k >= end:
        return False
    t = doc.toks[k]
    if t.low in ("'s", "’s"):
        return True
    return t.low.isalpha() and t.low not in doc.lex.prepositions and t.low not in doc.lex.function_words


def _rule_followed(doc: _Doc, k: int, end: int) -> bool:
    """ "according to the ministerial code", "according to plan": in keeping with a rule, nobody's words."""
    while k < end and (doc.toks[k].low.isalpha() or doc.toks[k].low in ("'s", "’s")):
        if doc.toks[k].low in doc.lex.rule_nouns and not _noun_follows(doc, k + 1, end):
            return True
        if doc.toks[k].low in doc.lex.prepositions:
            return False
        k += 1
    return False


def _speaker_goes_on(doc: _Doc, j: int, limit: int) -> bool:
    """The speaker's own next act after the reported clause, with no subject of its own: "… but did not say
    it would be Trump", "… before claiming that …" (the subject's, not the statement's)."""
    toks = doc.toks
    lex = doc.lex
    if toks[j].low not in ("but", "before", "after", "while") or toks[j - 1].low in _OPENING_MARKS:
        return False
    k = j + 1
    negated = False
    while k < limit and k - j < 4 and (toks[k].low in lex.do_forms or toks[k].low in ("not", "n't", "never")):
        negated = negated or toks[k].low in ("not", "n't", "never")
        k += 1
    _, verb = _verb_at(doc, k, limit)
    if verb is None or toks[k].cap or verb.cls not in ("speech", "cognition"):
        return False
    if toks[j].low == "but":
        return negated and verb.base
    return verb.participle


def _verb_follows(doc: _Doc, k: int, limit: int) -> bool:
    """Whether a finite speech verb comes right after a dash or a comma: the sentence's own verb after an
    apposition ("Trump - who once said … - said on Saturday that …", "Trump, who has told aides …, said in a
    statement") or an attribution after what was said ("…, said Mr. Smith")."""
    while k < limit and (doc.toks[k].low in doc.lex.skip or _adverb(doc.toks[k])):
        k += 1
    _, verb = _verb_at(doc, k, limit)
    return verb is not None and verb.cls == "speech" and not verb.participle and not verb.base and not doc.toks[k].cap


def _in_relative_clause(doc: _Doc, i: int, a: int) -> bool:
    """Whether the cue at i lies in a relative clause between commas: "Sands, who endorsed Kerr and said …,"."""
    toks = doc.toks
    for k in range(i - 1, max(a, i - APPOSITION_WINDOW) - 1, -1):
        t = toks[k]
        low = t.low
        if low in _TERMINAL or low in (";", ":") or (t.quote >= 0 and not t.scare):  # `_in_long_quote`, inlined
            return False
        if low == ",":
            return k + 1 < i and toks[k + 1].low in ("who", "which")
    return False


def _predicate_follows(doc: _Doc, k: int, limit: int) -> bool:
    """Whether a verb phrase starts at k, after a comma that closes a relative clause: "…, ultimately did not
    show up", "…, has said", "…, joined the race"."""
    toks = doc.toks
    lex = doc.lex
    while k < limit and _adverb(toks[k]):
        k += 1
    if k >= limit or toks[k].cap or not toks[k].low.isalpha():
        return False
    low = toks[k].low
    finite = lex.finite_forms
    if low in finite or (low.endswith("ed") and low not in lex.function_words):
        return True
    return _verb_at(doc, k, limit)[1] is not None


def _attribution_again(doc: _Doc, j: int, limit: int) -> bool:
    """`… said the cuts were the equivalent of sacking every nurse, he told activists.`: the attribution once
    more at the end of the reported clause (a pronoun, a speech verb, a few words), no part of what was said."""
    toks = doc.toks
    if toks[j].low != "," or j + 2 >= limit or toks[j + 1].low not in doc.lex.personal_subjects:
        return False
    size, verb = _verb_at(doc, j + 2, limit)
    if verb is None or verb.cls != "speech" or verb.base:
        return False
    k = j + 2 + size
    while k < min(limit, j + 2 + size + 4):
        if toks[k].low in _TERMINAL:
            return True
        if not toks[k].low.isalpha() or toks[k].quote >= 0:
            return False
        k += 1
    return k < len(toks) and toks[k].low in _TERMINAL


_OCCASIONS = frozenset(
    {"interview", "statement", "speech", "letter", "briefing", "address", "article", "broadcast", "podcast"}
)


def _where_it_was_said(doc: _Doc, j: int, limit: int) -> bool:
    """`…, in an interview on BBC Radio 4.`: after a comma, the occasion the words were said on, up to the
    sentence's end: the attribution's, not the statement's."""
    toks = doc.toks
    if j + 3 >= limit or toks[j + 1].low != "in" or toks[j + 2].low not in doc.lex.det_or_possessive:
        return False
    k = next((k for k in range(j + 3, min(limit, j + 6)) if toks[k].low in _OCCASIONS), None)
    if k is None:
        return False
    end = next((e for e in range(k + 1, min(len(toks), k + 12)) if toks[e].low in _TERMINAL), None)
    return end is not None and not any(toks[x].low in (",", ";") or toks[x].quote >= 0 for x in range(k + 1, end))


def _attribution_starts(doc: _Doc, j: int, limit: int) -> bool:
    """Whether `Lord Butler said:` starts at token j: a name and a speech verb that introduce a quotation
    or end the sentence, so the words before were not part of what they introduce."""
    m = doc.mentions.get(j)
    if m is None or m.a != j or m.kind not in ("name", "role"):
        return False
    if m.b >= limit:
        return False
    size, verb = _verb_at(doc, m.b, min(len(doc.toks), limit + 1))
    if verb is None or verb.cls != "speech" or verb.base or m.b + size >= len(doc.toks):
        return False
    after = doc.toks[m.b + size].low
    return after in (":",) or after in _OPENING_MARKS or after in _TERMINAL


def _embedded_relative(doc: _Doc, rel: int, limit: int) -> bool:
    """Whether the clause opened by "which"/"who" at `rel` closes with a comma and the sentence then goes on
    with its own verb: "the bill, which critics attacked, had the support of most MPs"."""
    toks = doc.toks
    if toks[rel].low not in doc.lex.relatives:
        return False
    for k in range(rel + 2, min(limit - 1, rel + APPOSITION_WINDOW)):
        if toks[k].low in _TERMINAL or toks[k].low == ";":
            return False
        if toks[k].low == ",":
            nxt = toks[k + 1].low
            return nxt in doc.lex.skip or nxt in doc.lex.be_forms or nxt in doc.lex.have_forms or nxt in doc.lex.modals
    return False


def _second_statement(doc: _Doc, j: int, limit: int) -> bool:
    """Whether a new statement or a clause of the main sentence starts at token j: `, adding that`,
    `and says`, `, but he said`, `, implicitly putting …`."""
    toks = doc.toks
    lex = doc.lex
    k = j + 1
    if toks[j].low == ",":
        n = k + 1 if k < limit and toks[k].low.endswith("ly") else k
        word = toks[n].low if n < limit else ""
        if word.endswith("ing") and word.isalpha() and not toks[n].cap and word not in doc.lex.non_clause_participles:
            return not _participle_aside(doc, n, limit)
    if toks[j].low == "," and k < limit and toks[k].low in lex.concessives:
        # "…, although he again refused …": the reporter's words again; but "the bill, which …, had …" is a
        # relative clause inside the reported one
        return not _embedded_relative(doc, k, limit)
    if toks[j].low == "," and k < limit and toks[k].low in lex.contrast_links and _attributed_clause(doc, k + 1, limit):
        return True  # "Labour say …, while the Tories say …": another speaker's statement
    if toks[j].low == "," and k < limit and toks[k].low in doc.lex.coordinators:
        k += 1
    subject = False
    if k < limit and toks[k - 1].low in doc.lex.coordinators:
        m = doc.mentions.get(k)
        if toks[k].low in doc.lex.personal_subjects:
            k, subject = k + 1, True
        elif m is not None and m.a == k and m.kind == "name":
            k, subject = m.b, True
        elif _bare_quantifier(doc, k + 1, k) is not None:
            k, subject = k + 1, True  # "…, and some said …": unnamed people's statement
        else:
            n = k
            while n < min(limit, k + 4) and _modifier_word(doc, n) and _verb_at(doc, n, limit)[1] is None:
                n += 1
            if k < n < limit and _bare_plural(doc, n - 1) and _plural_verb(doc, n):
                k, subject = n, True  # ", and human rights groups warned that …": a new statement
    if not subject and toks[k - 1].low in doc.lex.coordinators and _attributed_clause(doc, k, limit):
        return True  # "… was flawed and all three of the main parties have said …"
    while k < limit and k - j < 6 and toks[k].low in lex.skip:
        k += 1
    size, verb = _verb_at(doc, k, limit)
    if verb is None or toks[k].cap:
        return False
    if verb.cls == "topic" and not (toks[j].low == "," and toks[j + 1].low in doc.lex.coordinators):
        # only `, and criticized …` is the speaker's next act; `and called` may be inside; but `and dismissed
        # claims of a rift` answers what others said: the speaker's act, not the statement's
        return _answers_claims(doc, k + size, limit)
    if verb.participle:
        return toks[j].low != "and" and not subject
    if toks[j].low == "," and toks[j + 1].low not in doc.lex.coordinators:
        return False  # `X, says Y` is an inverted attribution, handled where it stands
    return not verb.base or subject


def _answers_claims(doc: _Doc, k: int, limit: int) -> bool:
    """Whether the object at k is what others said: "(dismissed) claims of a rift", "(rejected) the suggestion"."""
    if k < limit and doc.toks[k].low in doc.lex.determiners:
        k += 1
    if k >= limit:
        return False
    word = doc.toks[k].low
    return word in doc.lex.statement_nouns or word.rstrip("s") in doc.lex.statement_nouns


def _participle_aside(doc: _Doc, k: int, limit: int) -> bool:
    """Whether the participle at k opens a phrase between commas that the clause's own verb follows:
    "Millennials, numbering 75.3 million, surpassed Baby Boomers" (one clause, not a second statement)."""
    comma = _aside_close(doc, k, limit, 8)
    return (
        comma is not None and _predicate_follows(doc, comma + 1, limit) and _verb_at(doc, comma + 1, limit)[1] is None
    )


def _aside_then_predicate(doc: _Doc, k: int, limit: int) -> bool:
    """Whether the phrase at k closes with a comma that the clause's verb follows: "(The chancellor,) speaking
    during a week-long tour of Africa, said"."""
    comma = _aside_close(doc, k, limit, 14)
    return comma is not None and _predicate_follows(doc, comma + 1, limit)


def _aside_close(doc: _Doc, k: int, limit: int, window: int) -> int | None:
    """The comma that closes the phrase opened at k within `window` tokens, in one sentence and no quotation."""
    for m in range(k + 1, min(limit, k + window)):
        low = doc.toks[m].low
        if low in _TERMINAL or low in (";", ":") or _in_long_quote(doc, m):
            return None
        if low == ",":
            return m
    return None


def _participle_introduces_quote(doc: _Doc, j: int, limit: int) -> bool:
    """A speech participle with a colon at j: "saying:", "adding:"."""
    size, verb = _verb_at(doc, j, limit)
    return verb is not None and verb.participle and j + size < limit and doc.toks[j + size].low == ":"


def _attributed_clause(doc: _Doc, k: int, limit: int) -> bool:
    """Whether a subject and a speech verb of its own start at k: "all three of the main parties have said"."""
    toks = doc.toks
    for m in range(k + 1, min(limit, k + NP_WINDOW)):
        t = toks[m]
        if t.low in _TERMINAL or t.low in (",", ";", ":") or _in_long_quote(doc, m):
            return False
        _size, verb = _verb_at(doc, m, limit)
        if verb is None:
            continue
        if verb.cls != "speech" or verb.participle or t.cap:
            return False
        src = _source_before(doc, m, k) or _poll_share(doc, m, k)  # "…, and more than 4 in 10 said …"
        if src is None:
            return False
        # "all three of the main parties": quantifiers before the phrase belong to it
        return all(x.low in doc.lex.determiners or x.low == "of" for x in toks[k : src[0]])
    return False


def _chars(doc: _Doc, a: int, b: int) -> tuple[int, int]:
    """Character span of tokens [a, b), trimmed of outer punctuation other than quote marks."""
    toks = doc.toks
    while a < b and toks[a].low in (",", ":", "—", "–", "-", "--"):
        a += 1
    while b > a and toks[b - 1].low in (",", ":", ";", "—", "–", "-", "--", ".", "!", "?"):
        b -= 1
    if a >= b:
        return (toks[a].start, toks[a].start) if a < len(toks) else (0, 0)
    return toks[a].start, toks[b - 1].end


def _negated(doc: _Doc, src_end: int, cue: int) -> bool:
    lex = doc.lex
    for k in range(max(src_end, cue - 4), cue):
        low = doc.toks[k].low
        if low in lex.negations or low.endswith("n't"):
            return True
        if low in ("declined", "refused", "failed", "refuses", "declines", "refusing", "declining"):
            return True
    return False


def _is_question(doc: _Doc, a: int, b: int, cue: int) -> bool:
    """A cue inside a question ("did he say?") reports nothing."""
    toks = doc.toks
    last = b - 1
    while last > a and last > b - 50 and toks[last].quote >= 0 and not toks[last].scare:  # `_in_long_quote`
        last -= 1
    if toks[last].low != "?":
        return False
    first = _clause_start(doc, a, b)
    return toks[first].low in doc.lex.question_starters and first < cue


# ------------------------------------------------------------------------------------ direct quotes


def _direct_candidates(doc: _Doc) -> list[Candidate]:
    cands: list[Candidate] = []
    starts = doc.starts
    by_cue: dict[int, Candidate] = {}
    for sid, span in enumerate(doc.spans):
        if span.scare:
            continue
        open_tok = bisect_right(starts, span.open_at) - 1
        close_tok = bisect_right(starts, span.close_at) - 1 if span.close_at >= 0 else -1
        cand = _trailing(doc, span, sid, close_tok) if close_tok >= 0 else None
        if cand is not None:
            _mixed(doc, cand, span, open_tok)
        else:
            cand = _leading(doc, span, sid, open_tok)
        if cand is None:
            continue
        first = by_cue.get(cand.cue_tok)
        if first is not None:
            # `"First," he said, "second."`: one attribution between two parts of one quote
            first.parts.extend(cand.parts)
            first.span_ids += cand.span_ids
            continue
        by_cue[cand.cue_tok] = cand
        cands.append(cand)
    return cands


def _mixed(doc: _Doc, cand: Candidate, span: Span, open_tok: int) -> None:
    """`With thousands of systems, "there is no single point of failure," he said.`: the words before
    the quotation mark are his too, so the statement runs from the sentence start."""
    toks = doc.toks
    a, _b = sentence_of(doc, open_tok)
    a += _match_phrase(doc, a, doc.lex.openers, open_tok)  # "But", "Meanwhile": the reporter's
    while a < open_tok and toks[a].low in (",", "—", "–"):
        a += 1
    if len(span.parts) != 1 or not a < open_tok < cand.cue_tok or span.close_at < 0:
        return
    if toks[a].low in _OPENING_MARKS or sum(t.low.isalpha() for t in toks[a:open_tok]) < 3:
        return
    for k in range(a, open_tok):
        if toks[k].quote >= 0 or toks[k].low in (";", ":") or _cue_of_its_own(doc, k, open_tok):
            return  # another quotation, a list, or a cue of its own
    close_end = span.close_at + (2 if doc.text.startswith("''", span.close_at) else 1)
    cand.direct = False
    cand.parts = [(toks[a].start, close_end)]


def _cue_of_its_own(doc: _Doc, k: int, limit: int) -> bool:
    """A speech verb at k, or another cue followed by "that": "the new rules were …" has none."""
    size, verb = _verb_at(doc, k, limit)
    if verb is None:
        return False
    return verb.cls == "speech" or (k + size < limit and doc.toks[k + size].low in doc.lex.complementizers)


def _window_after(doc: _Doc, close_tok: int) -> int:
    """End (exclusive) of the attribution window after a closing mark: the next terminal mark, quote mark
    or line break, at most 30 tokens on."""
    toks = doc.toks
    j = close_tok + 1
    limit = min(len(toks), close_tok + 31)
    while j < limit:
        t = toks[j]
        if t.quote >= 0 and not t.scare:
            break
        if t.low in _TERMINAL and not (j + 1 < len(toks) and toks[j + 1].low == ")"):
            break  # but not in "(R-Fla.)"
        if "\n" in doc.text[toks[j - 1].end : t.start]:
            break
        j += 1
    return j


def _trailing(doc: _Doc, span: Span, sid: int, close_tok: int) -> Candidate | None:
    """`"…," Putin said.` / `"…," said Putin.` / `"…", according to X.`"""
    toks = doc.toks
    text = doc.text
    if _show_title(doc, span):
        return None  # `on Fox News's "Hannity," Newt Gingrich said …`: the programme, not his words
    inside = text[: span.close_at].rstrip() if span.close_at > 0 else ""
    i = close_tok + 1
    # `"I said: 'Enough,'" he said`, `"… 'Why?'" she asked`: the mark ends a quotation inside the quote; after
    # "?" or "!" the attribution runs on in lower case ("… to hide?'" The election … is not one)
    lower_next = i < len(toks) and toks[i].text.islower()
    if inside[-1:] in ("'", "’") and (inside[-2:-1] == "," or (inside[-2:-1] in ("?", "!") and lower_next)):
        inside = inside[:-1]
    inside_end = inside[-1] if inside else ""  # `this, " Trump said`: a space before the closing mark
    end = _window_after(doc, close_tok)
    if i < end and toks[i].low == ",":
        i += 1
    elif inside_end not in ",.?!…—–-" and not (i < end and toks[i].low in _DASHES):
        return None
    dash = i < end and toks[i].low in _DASHES
    if dash:
        i += 1
    if i >= end:
        return None
    if dash and not _verb_at(doc, i, end)[0]:
        # a signed quote: `"…" ― Carla Sanchez`
        signed = _source_after(doc, i, end)
        if signed is None or not _ends_clause(doc, signed, end):
            return None
        return Candidate(True, list(span.parts), toks[i - 1].text, i - 1, signed, span_ids=(sid,))
    if (
        inside_end in ".…"
        and not dash
        and (toks[i].sent != toks[close_tok].sent or toks[i].low in doc.lex.subject_words)
    ):
        return None  # a new sentence starts after the quote
    lex = doc.lex
    n = _match_phrase(doc, i, lex.according, end)
    if n:
        src = _source_after(doc, i + n, end)
        if src is None:
            return None
        cue = " ".join(t.text for t in toks[i : i + n])
        return Candidate(True, list(span.parts), cue, i, src, span_ids=(sid,))
    size, verb = _verb_at(doc, i, end)
    if verb is not None and not verb.participle:
        src = _source_after(doc, i + size, end)
        if src is None or (src[1] < end and toks[src[1]].low in doc.lex.modals | doc.lex.be_forms):
            return None  # `citing "…," said the candidate could …`: a clause, not an inverted source
        return _quoted_statement(doc, span, sid, _text(doc, i, i + size), i, src, verb.cls)
    # source first: scan to the cue, the phrase before it must be a source
    for k in range(i, end):
        size, verb = _verb_at(doc, k, end)
        if verb is None or (verb.participle and (k == 0 or toks[k - 1].low not in doc.lex.be_forms)):
            continue
        src = _source_before(doc, k, i)
        long = _long_apposition(doc, k, i)
        if long is not None and long[0] == i:
            src = long  # `"…," Scott Pruitt, the attorney general of Oklahoma, one of the states suing, said`
        if src is None and any(t.low == "," for t in toks[k + size : end]):
            continue  # `"…," Warren, who has not endorsed anyone, told reporters`: the verb of an apposition
        if src is None or src[0] - i > 6 or (verb.base and not _plural(doc, src)):
            return None
        if src[0] > i:
            # "panel Chairman Rep. Jason Chaffetz said", "the party's Nachman Shai told": words before the
            # name that describe it
            if not all(_descriptor_word(doc, t) for t in toks[i : src[0]]) and not _described_before(doc, i, src[0]):
                return None
            src = (i, src[1])
        if _negated(doc, src[1], k):
            return None
        if _clause_follows(doc, k + size, verb, len(toks)):
            return None  # `On "This Week," Rubio said that …`: the cue has its own clause; the quote is a title
        return _quoted_statement(doc, span, sid, _text(doc, k, k + size), k, src, verb.cls)
    return None


def _quoted_statement(
    doc: _Doc, span: Span, sid: int, cue: str, cue_tok: int, src: tuple[int, int], cls: str
) -> Candidate:
    """The statement of a quotation attributed after it: the quoted words, or, when they only finish a
    clause the reporter began (`The changes were a "complex and controversial undertaking", he said`), the
    whole clause, as reported speech with a quoted phrase in it."""
    clause = _clause_the_quote_finishes(doc, span)
    if clause is not None:
        return Candidate(False, [clause], cue, cue_tok, src, cls=cls, span_ids=(sid,))
    return Candidate(True, list(span.parts), cue, cue_tok, src, cls=cls, span_ids=(sid,))


def _clause_the_quote_finishes(doc: _Doc, span: Span) -> tuple[int, int] | None:
    """The clause (characters) a quotation completes: it opens in lower case, in one paragraph, after at
    least three of the reporter's words in its sentence that hold a verb and no attribution of their own."""
    toks = doc.toks
    lex = doc.lex
    if len(span.parts) != 1 or not doc.text[span.parts[0][0] : span.parts[0][1]].lstrip()[:1].islower():
        return None
    open_tok = bisect_right(doc.starts, span.open_at) - 1
    start = doc.bounds[toks[open_tok].sent][0]
    words = range(start, open_tok)
    if open_tok - start < 3 or any(toks[k].low in (":", ";") or toks[k].quote >= 0 for k in words):
        return None
    finite = lex.be_forms | lex.have_forms | lex.modals
    if not any(toks[k].low in finite for k in words) or any(_speaks_at(doc, k, open_tok) for k in words):
        return None
    return toks[start].start, span.close_at + 1 if span.close_at > 0 else span.parts[0][1]  # its closing mark too


def _speaks_at(doc: _Doc, k: int, limit: int) -> bool:
    """A finite speech verb at k ("said", "told"; not "proposed by", nor the noun of "The comments were …")."""
    size, verb = _verb_at(doc, k, limit)
    passive = k + size < limit and doc.toks[k + size].low == "by"
    noun = k > 0 and doc.toks[k - 1].low in doc.lex.det_or_possessive
    return verb is not None and verb.cls == "speech" and not verb.participle and not passive and not noun


_TITLE_LINKS = frozenset({"of", "the", "and", "a", "an", "in", "on", "for", "to", "at", "with"})


def _show_title(doc: _Doc, span: Span) -> bool:
    """A short quotation in title case after a possessive or "on" ("NBC's "Meet the Press,"", "on "This
    Week,""): the name of a programme, a book or a film, not words anyone said."""
    if span.words > 5 or len(span.parts) != 1:
        return False
    open_tok = bisect_right(doc.starts, span.open_at) - 1
    if open_tok < 1 or doc.toks[open_tok - 1].low not in ("'s", "’s", "on", "in"):
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", doc.text[span.start : span.end])
    if not words or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _TITLE_LINKS for w in words)


def _described_before(doc: _Doc, i: int, name: int) -> bool:
    """Whether the words from i to a name are a description set off by a comma: `"…," his wife, Gabriela
    Lazar, wrote`, `"…," the group's director, Ann Moss, said`."""
    toks = doc.toks
    lex = doc.lex
    words = toks[i:name]
    if len(words) < 2 or words[-1].low != ",":
        return False
    head = words[-2].low
    if head not in lex.roles and head not in lex.generic_nouns:
        return False
    return all(t.low in lex.possessives or _descriptor_word(doc, t) for t in words[:-1])


def _clause_follows(doc: _Doc, j: int, verb: _Verb, b: int) -> bool:
    """Whether a reported clause follows the cue ending at j: "that …", or a subject and its verb ("said the
    candidate could …", "told POLITICO that …")."""
    toks = doc.toks
    lex = doc.lex
    if verb.takes_object:
        j = _skip_object(doc, j, b)
    if j >= b:
        return False
    if toks[j].low in lex.complementizers:
        return True
    if toks[j].low in lex.personal_subjects and j + 1 < b:
        nxt = toks[j + 1].low
        return nxt in lex.skip or nxt in lex.modals or nxt in lex.be_forms or nxt.endswith("ed")
    if toks[j].low in lex.det_or_possessive:
        for k in range(j + 1, min(b, j + 5)):
            low = toks[k].low
            if low in _TERMINAL or low in (",", ";", ":"):
                return False
            if low in lex.modals or low in lex.be_forms or (low in lex.skip and low not in ("long", "first")):
                return True
    return False


def _no_subject_yet(doc: _Doc, src: tuple[int, int] | None, a: int) -> bool:
    """Whether the source found is none, or only the end of a phrase that a preposition or a verb opens
    ("the service" in "Many speakers at the service said"): the whole subject is still to be found."""
    if src is None:
        return True
    before = doc.toks[src[0] - 1] if src[0] > a else None
    if before is None:
        return False
    # "who have seen | the plans say": a lower-case content word before it governs the phrase found
    verb = before.low.isalpha() and not before.cap and before.low not in doc.lex.function_words
    return verb or before.low in doc.lex.prepositions or before.low in doc.lex.not_before_source


def _opening_subject(doc: _Doc, cue: int, a: int) -> tuple[int, int] | None:
    """The whole subject before a plain "said" / "told" when the narrower rules found no source in it: the
    words from the clause's start, a noun phrase with the modifiers, phrases and relative clause that
    narrow it ("A person familiar with the planning says", "the groups who wrote to her on Thursday say",
    "Friends of Mr. Clinton's who have seen him on the trail say"). Whatever precedes a finite "said" from
    the start of its clause is its subject, as long as no verb of a clause of its own stands in it."""
    toks = doc.toks
    lex = doc.lex
    start = _clause_start(doc, a, cue)
    end = cue
    while end > start and (toks[end - 1].low in lex.skip or _adverb(toks[end - 1])):
        end -= 1
    if end - start < 2 or end - start > 2 * NP_WINDOW:
        return None
    first = toks[start]
    if not (first.low in lex.determiners or first.low in lex.np_openers or first.low[:1].isdigit() or first.cap):
        return None
    if first.low in lex.pronouns or first.low in lex.subordinators or first.low in lex.prepositions:
        return None
    if first.low in lex.function_words and first.low not in lex.determiners:
        return None  # "What campaigners say hurts …": a clause of its own, no subject
    relative = False
    for t in toks[start:end]:
        if t.quote >= 0 or t.low in _TERMINAL or t.low in (";", ":", ",") or t.low in _DASHES:
            return None  # commas and dashes are the narrower rules' (descriptions, inverted attributions)
        if t.low in _RELATIVE_WORDS:
            relative = True
        finite = t.low in lex.be_forms or t.low in lex.have_forms or t.low in lex.modals or t.low in lex.do_forms
        finite = finite and t.low not in ("'s", "’s")  # "China's delegation": a possessive here
        if (finite or (t.low in lex.verb_words and not t.cap)) and not relative:
            return None
    return start, end


def _goes_on_from(doc: _Doc, i: int, a: int) -> bool:
    """Whether the cue at i goes on from a verb before it, with no subject of its own: "… and says", "…, then
    says", "… and then said"."""
    toks = doc.toks
    k = i - 1
    if k > a and toks[k].low == "then":
        k -= 1
    return toks[k].low in doc.lex.coordinators or (toks[k].low == "," and k + 1 < i and toks[k + 1].low == "then")


def _before_aside(doc: _Doc, k: int, floor: int) -> int:
    """Where the source ends before an aside: "officials, however, said", "Carter however said"."""
    toks = doc.toks
    ends = doc.lex.aside_ends
    before_comma = k - 1 > floor and toks[k - 1].low == ","
    if k <= floor or not (toks[k - 1].low in ends or (before_comma and toks[k - 2].low in ends)):
        return k  # no aside ends right before k, nor before a comma there: the common case, decided at once
    for start in range(max(floor, k - 5), k):
        n = _match_phrase(doc, start, doc.lex.asides, k)
        if start + n != k or not n:
            continue
        if start - 1 > floor and toks[start - 1].low == ",":
            return start - 1
        return start
    if k - 1 > floor and toks[k - 1].low == ",":
        for start in range(max(floor, k - 6), k - 1):
            n = _match_phrase(doc, start, doc.lex.asides, k)
            if n and start + n == k - 1 and start - 1 > floor and toks[start - 1].low == ",":
                return start - 1
    return k


def _before_infinitive(doc: _Doc, k: int, floor: int) -> int:
    """Where the source of a cue ends: before "went on to" in "Byrne went on to say", else at the cue."""
    toks = doc.toks
    if k - 1 < floor or toks[k - 1].low not in doc.lex.infinitive:
        return k  # every such phrase ends in "to"
    for phrase in doc.lex.infinitive_ok:
        n = len(phrase)
        if k - n >= floor and all(toks[k - n + m].low == w for m, w in enumerate(phrase)):
            return k - n
    return k


def _descriptor_word(doc: _Doc, t: Token) -> bool:
    """A word that may open a source phrase before its name: "former", "the", "party's", "tech"."""
    lex = doc.lex
    if t.low == "'s" or t.low in lex.articles or t.low in lex.modifiers or t.low in lex.parties:
        return True
    return t.low.isalpha() and t.low not in lex.function_words and t.low not in lex.verb_words


def _leading(doc: _Doc, span: Span, sid: int, open_tok: int) -> Candidate | None:
    """`Putin said: "…"` / `He says, "…"` / `noting: "…"` / `according to X, "…"` / `X: "…"`."""
    toks = doc.toks
    lex = doc.lex
    a, _ = sentence_of(doc, open_tok)
    j = open_tok - 1
    if j < a:
        return None
    punct = toks[j].low if toks[j].low in (":", ",") else ""
    last = j - 1 if punct else j
    # The quote must be the rest of its sentence: a quote followed by more words is a partial quote.
    if span.close_at >= 0:
        after = bisect_right(doc.starts, span.close_at)
        k = after
        while k < len(toks) and toks[k].low in (".", ",", "!", "?", ")", "…"):
            k += 1
        s_end = sentence_of(doc, max(0, k - 1))[1]
        same_sentence = k < len(toks) and k < s_end and toks[k].sent == toks[open_tok].sent
        # `he yelled "You lie!" at the president`: an exclamation or a question is whole where it stands
        whole = not punct and doc.text[span.start : span.end].rstrip()[-1:] in ("!", "?")
        if same_sentence and punct != ":" and (toks[k].quote < 0 or toks[k].scare) and not whole:
            return None
    floor = max(a, last - NP_WINDOW - ADVERBIAL_WINDOW)
    for k in range(last, floor - 1, -1):
        if _in_long_quote(doc, k):
            break
        n = _match_phrase(doc, k, lex.according, last + 1)
        if n:
            src = (k + n, last + 1)
            if punct != "," or src[0] >= src[1] or any(t.low == "," for t in toks[src[0] : src[1]]):
                return None
            return Candidate(True, list(span.parts), _text(doc, k, k + n), k, src, span_ids=(sid,))
        size, verb = _verb_at(doc, k, last + 1)
        if verb is None or (toks[k].cap and k > a):
            continue  # a capitalised "Post" inside a sentence is a name
        if k + size <= last and not punct:
            return None  # `said the "…"` is a partial quote, left to reported speech
        if not punct and verb.cls not in ("speech",):
            return None
        between = last + 1 - (k + size)
        if between > ADVERBIAL_WINDOW:
            return None
        if verb.participle and (k == a or toks[k - 1].low not in doc.lex.be_forms):
            # "… of the country saying: "…"", "saying in a post on Twitter: "…""
            introduces = punct == ":" and (k + size == last + 1 or toks[k + size].low in lex.prepositions)
            if (k > a and toks[k - 1].low in (",", ";", "—", "–", "and")) or k == a or introduces:
                return Candidate(
                    True, list(span.parts), _text(doc, k, k + size), k, None, "participle", verb.cls, span_ids=(sid,)
                )
            return None
        if _bad_cue_context(doc, k, a):
            if verb.pp_only:
                continue  # "in a written statement": an adjective, the cue comes before it
            return None
        found = _unclosed_apposition(doc, k, a) or _source_before(doc, _before_infinitive(doc, k, a), a)
        long = _long_apposition(doc, _before_infinitive(doc, k, a), a)
        if long is not None and (found is None or long[0] < found[0]):
            found = long
        noun = toks[k - 1].low in lex.det_or_possessive if k > a else False  # "saying in a post on Twitter:"
        if verb.base and (noun or (found is not None and not _plural(doc, found) and found[1] == k)):
            continue  # "told Five's Wright Stuff show: "…"": a noun; the cue comes before it
        if found is None and k > a and toks[k - 1].low in doc.lex.coordinators and verb.cls == "speech" and not between:
            # "called on her to resign and said, "…"": the subject of the first verb speaks
            return Candidate(
                True, list(span.parts), _text(doc, k, k + size), k, None, "participle", verb.cls, span_ids=(sid,)
            )
        if found is None:
            return None
        if _negated(doc, found[1], k) or _is_question(doc, a, sentence_of(doc, open_tok)[1], k):
            return None
        return Candidate(True, list(span.parts), _text(doc, k, k + size), k, found, cls=verb.cls, span_ids=(sid,))
    if punct == ":" and last >= a:
        # "Trump on Twitter: "…"" — a bare source before a colon
        start = _clause_start(doc, a, last + 1)
        if last + 1 - start <= 6:
            found = _source_before(doc, last + 1, start)
            if found is not None and found[0] == start:
                return Candidate(True, list(span.parts), ":", j, found, "colon", span_ids=(sid,))
        return _introduced_by_clause(doc, span, sid, start, last + 1)
    return None


def _introduced_by_clause(doc: _Doc, span: Span, sid: int, start: int, colon: int) -> Candidate | None:
    """`Trump went even further: "…"`, `Clinton has since apologized for what happened: "…"`: a short clause
    whose subject is a person or a body introduces the quotation after its colon."""
    toks = doc.toks
    lex = doc.lex
    commas = [k + 1 for k in range(start, colon) if toks[k].low == ","]
    first = commas[-1] if commas else start  # "In a Fox interview, Trump went further: …"
    m = doc.mentions.get(first)
    if m is None or m.a != first or m.kind not in ("name", "pronoun", "role") or m.possessive:
        return None
    if m.kind == "pronoun" and toks[first].low not in lex.personal_subjects:
        return None
    words = toks[m.b : colon]
    if not 0 < len(words) <= 10 or span.words <= SCARE_WORDS or any(t.quote >= 0 for t in words):
        return None
    verbal = lex.skip | lex.be_forms | lex.have_forms | lex.modals | lex.verb_words
    if not any(t.low in verbal or (t.low.endswith("ed") and t.low.isalpha()) for t in words[:3]):
        return None  # the subject's own verb must follow it: "Trump went …" has one, "Trump's plan:" none
    cue = _text(doc, m.b, colon)
    return Candidate(True, list(span.parts), cue, m.b, (m.a, m.b), "colon", span_ids=(sid,))


def _text(doc: _Doc, a: int, b: int) -> str:
    return doc.text[doc.toks[a].start : doc.toks[b - 1].end]


_ASKING = frozenset({"asked", "asking", "wondered", "wondering"})


def _asked_about(doc: _Doc, k: int, floor: int) -> bool:
    """ "Asked why he thought …": the cue sits in the reporter's question, not in a statement."""
    toks = doc.toks
    for x in range(k - 1, max(floor, k - 6), -1):
        if toks[x].low in doc.lex.asked_openers and toks[x - 1].low in _ASKING:
            return True
    return False


def _bad_cue_context(doc: _Doc, k: int, floor: int) -> bool:
    """Infinitives ("to say"), modals ("would argue") and passives ("was told") report nothing."""
    toks = doc.toks
    lex = doc.lex
    if k <= floor:
        return False
    prev = toks[k - 1].low
    if _asked_about(doc, k, floor):
        return True
    if prev == "to":
        return not any(
            k - len(p) >= floor and all(toks[k - len(p) + n].low == w for n, w in enumerate(p))
            for p in lex.infinitive_ok
        )
    j = k - 1
    while j > floor and toks[j].low in lex.skip and toks[j].low not in doc.lex.be_forms:
        j -= 1
    if toks[j].low in lex.modals:
        return True
    size, verb = _verb_at(doc, k, len(toks))
    if verb is not None and verb.past_participle and toks[j].low in doc.lex.be_forms and verb.cls != "topic":
        return True
    if verb is not None and verb.pp_only and toks[j].low not in doc.lex.have_forms:
        return True  # "a group known as …"
    nxt = toks[k + size].low if k + size < len(toks) else ""
    return nxt == "by" or (nxt in doc.lex.verb_particles and size == 1)


# ----------------------------------------------------------------------------------- reported speech


def _reported_candidates(doc: _Doc, direct: list[Candidate]) -> list[Candidate]:
    cands: list[Candidate] = []
    used = {c.cue_tok for c in direct}
    attributed_quotes = {sid for c in direct for sid in c.span_ids}
    toks = doc.toks
    cue_starters, nominal_cues = doc.lex.cue_starters, doc.lex.nominal_cues
    # Most tokens start neither a verb nor a noun of saying: the few that may, outside long quotations
    # (`_in_long_quote`), are picked in one pass, and only they are read below.
    reported_starters = doc.lex.reported_starters
    cue_at = [k for k, t in enumerate(toks) if t.low in reported_starters and (t.quote < 0 or t.scare)]
    for a, b in doc.bounds:
        if b - a < 3:
            continue
        resume_at = a  # no cue starts inside a statement found before
        content_end = -1  # inside the content of a statement found in this sentence
        labelled = _labelled(doc, a)
        if labelled is not None:
            cands.append(labelled)
            used.add(labelled.cue_tok)
            resume_at = labelled.cue_tok + 1
        in_sentence = len(cands)  # the candidates found in this sentence are cands[in_sentence:]
        for k in range(bisect_left(cue_at, resume_at), bisect_left(cue_at, b)):
            i = cue_at[k]
            if i < resume_at or i in used:
                continue
            if i < content_end and _match_phrase(doc, i, doc.lex.according, b):
                continue  # "…, according to him, …" inside his own statement
            found = _reported_at(doc, i, a, b, attributed_quotes) if toks[i].low in cue_starters else None
            if found is not None and len(cands) > in_sentence and _echoes(doc, cands[-1], found[0]):
                # "He said that A, and Russia, according to him, gave up B": his statement goes on through B
                before, after = found[0].parts[0], found[0].parts[1:]
                cands[-1].parts[-1] = (cands[-1].parts[-1][0], before[1])
                cands[-1].parts.extend(after)
                content_end = max(content_end, bisect_right(doc.starts, cands[-1].end - 1))
                used.add(i)
                resume_at = max(found[1], i + 1)
                continue
            nominal = nominal_cues.get(toks[i].low)
            if found is None and nominal is not None and (i >= content_end or nominal == "speech"):
                # inside another statement only a said thing counts: "Cook said Goldsmith's admission that …"
                found = _nominal(doc, i, a, b, attributed_quotes)
            if found is None:
                continue
            cand, resume = found
            content_end = max(content_end, bisect_right(doc.starts, cand.end - 1))
            cands.append(cand)
            used.add(cand.cue_tok)
            resume_at = max(resume, i + 1)
            if len(cands) >= MAX_QUOTES:
                return cands
    return cands


def _nominal(doc: _Doc, i: int, a: int, b: int, attributed: set[int]) -> tuple[Candidate, int] | None:
    """`his claim that …`, `Mr. Trump's repeated warning that …`: a noun that names a statement, its
    possessor the source, the clause after "that" the content."""
    toks = doc.toks
    lex = doc.lex
    if i + 2 < b and toks[i + 1].low not in lex.complementizers:
        return _party_nominal(doc, i, a, b, attributed)
    if i + 2 >= b or toks[i + 1].low not in lex.complementizers or _demonstrative_subject(doc, i + 1, b):
        return None
    k = i - 1
    while k > a and i - k <= 2 and toks[k].low.isalpha() and not toks[k].cap and toks[k].low not in lex.possessives:
        if toks[k].low in lex.verb_words or toks[k].low in lex.articles:
            return None  # "the claim that …" names no one; "made the claim" is a light verb's
        k -= 1
    if k < a:
        return None
    if toks[k].low in lex.possessives and toks[k].low in lex.pronoun_gender | {"their": "p", "its": "n"}:
        source = (k, k + 1)
    elif toks[k].low in ("'s", "’s") and (m := doc.mentions.get(k - 1)) is not None and m.b == k:
        if m.kind not in ("name", "org", "role"):
            return None
        source = (m.a, m.b)
    else:
        return None
    start = i + 2
    if source[0] <= _clause_start(doc, a, b):
        # "His claim that the vote was rigged was rejected": the clause ends where the sentence's own verb
        # comes; when that verb cannot be told ("… drew fire"), nothing is taken
        end = _main_predicate(doc, start, b)
        if end is None:
            return None
    else:
        end = _content_end(doc, start, b, attributed)
    if end - start < 3 or toks[start].quote in attributed:
        return None
    cls = lex.nominal_cues[toks[i].low]
    cand = Candidate(False, [_chars(doc, start, end)], _text(doc, i, i + 1), i, source, "nominal", cls)
    return cand, end


def _party_nominal(doc: _Doc, i: int, a: int, b: int, attributed: set[int]) -> tuple[Candidate, int] | None:
    """ "amid Tory claims the ads were …", "brushed off Labour suggestions a vote for him would …": a party
    word before the noun is its source, and a clause follows without "that"."""
    toks = doc.toks
    if i - 1 < a or toks[i - 1].low not in doc.lex.parties or not _finite_clause_at(doc, i + 1, b):
        return None
    end = _content_end(doc, i + 1, b, attributed)
    if end - (i + 1) < 3 or toks[i + 1].quote in attributed:
        return None
    cls = doc.lex.nominal_cues[toks[i].low]
    cand = Candidate(False, [_chars(doc, i + 1, end)], _text(doc, i, i + 1), i, (i - 1, i), "nominal", cls)
    return cand, end


def _possessed(doc: _Doc, i: int, a: int) -> bool:
    """Whether the word at i follows a possessive ("his", "Mr Hale's"), not "he's" (he is)."""
    prev = doc.toks[i - 1].low
    if prev in doc.lex.possessives:
        return True
    if prev not in ("'s", "’s") or i - 2 < a:
        return False
    owner = doc.toks[i - 2].low
    return owner not in doc.lex.pronouns and owner not in ("there", "here", "what", "where", "it")


def _main_predicate(doc: _Doc, start: int, b: int) -> int | None:
    """Where the sentence's own verb starts after a complement clause that opens at `start` inside its
    subject: "[his claim that the vote was rigged] was rejected", "[the warning that taxes would rise] has
    been ignored". The clause's verb group is passed first; the next auxiliary, modal or verb the lexicon
    knows after a word that is none of those starts the predicate."""
    toks = doc.toks
    lex = doc.lex
    finite = lex.be_forms | lex.have_forms | lex.modals | lex.do_forms | {"will"}
    k = start + 1
    while k < b and not (toks[k].low in finite or (toks[k].low in lex.verb_words and not toks[k].cap)):
        if toks[k].low in _TERMINAL or toks[k].low in (";", ":") or _in_long_quote(doc, k):
            return None
        k += 1
    k += 1  # past the clause's first verb and the rest of its verb group
    while k < b and (toks[k].low in finite or _adverb(toks[k]) or toks[k].low == "not"):
        k += 1
    for n in range(k + 1, min(b, start + MAX_CONTENT_TOKENS)):
        low = toks[n].low
        if low in _TERMINAL or low in (";", ":"):
            return None
        prev = toks[n - 1].low
        joined = prev in lex.coordinators or prev in lex.relatives or prev in ("to", ",", "who") or prev in finite
        if low in finite and not joined and not _in_long_quote(doc, n):
            return n
    return None


def _labelled(doc: _Doc, a: int) -> Candidate | None:
    """A paragraph opened by its speaker and a colon: a transcript's "PENCE: Well, look, …" or a
    headline's "Putin: NATO expansion is a threat"."""
    toks = doc.toks
    if a > 0 and "\n" not in doc.text[toks[a - 1].end : toks[a].start]:
        return None
    # a transcript quoted whole, one opening mark per paragraph: `"PENCE: Well, look, …`
    # (the marks of such a transcript are seldom closed, so they pair badly or not at all)
    quoted = a + 1 < len(toks) and toks[a].low in _OPENING_MARKS and toks[a + 1].text.isupper()
    if quoted:
        a += 1
    limit = min(len(toks), a + 6)
    colon = next((k for k in range(a + 1, limit) if toks[k].low == ":"), -1)
    if colon < 0 or toks[a].low in doc.lex.function_words or (_in_long_quote(doc, a) and not quoted):
        return None
    if quoted and not all(t.text.isupper() for t in toks[a:colon] if t.low.isalpha()):
        return None  # inside quotation marks only a transcript's capitalised speaker labels
    if not all(t.cap or t.low in doc.lex.title_abbr for t in toks[a:colon] if t.low.isalpha()):
        return None
    if quoted and colon == a + 1 and a not in doc.mentions:
        # the label lies inside paired marks, where no names were collected: "HARLOW" is Tom Harlow
        person = next((e for e in doc.entities if e.kind == "person" and e.last == toks[a].low), None)
        if person is not None:
            doc.mentions[a] = Mention(a, colon, "name", person)
    label = doc.mentions.get(a)
    if quoted and label is not None and label.a == a and label.b == colon:
        src: tuple[int, int] | None = (a, colon)
    else:
        src = _source_before(doc, colon, a)
    if src is None or src[0] != a or colon + 1 >= len(toks) or toks[colon + 1].low in _OPENING_MARKS:
        return None
    head = doc.mentions.get(colon - 1)
    known = head is not None and head.entity is not None and head.entity.kind == "person"
    if quoted and head is not None and head.entity is not None:
        known = head.entity.kind == "person" or (head.entity.kind == "unknown" and head.entity.mentions > 1)
    if not known and toks[colon - 1].low not in doc.lex.document_nouns:
        return None  # "Correction:", a title with a colon
    para_end = doc.text.find("\n", toks[colon].end)
    para_end = len(doc.text) if para_end < 0 else para_end
    end = bisect_right(doc.starts, para_end - 1)
    if end - (colon + 1) < 3:
        return None
    start, stop = _chars(doc, colon + 1, end)
    transcript = all(t.text.isupper() for t in toks[a:colon] if t.low.isalpha())
    return Candidate(transcript, [(start, stop)], ":", colon, src, "colon")


def _reported_at(doc: _Doc, i: int, a: int, b: int, attributed: set[int]) -> tuple[Candidate, int] | None:
    lex = doc.lex
    toks = doc.toks
    n = _match_phrase(doc, i, lex.according, b)
    if n:
        return _according(doc, i, n, a, b, attributed)
    n_clear = _match_phrase(doc, i, lex.made_clear, b)
    n_light = 0 if n_clear else _match_phrase(doc, i, lex.light_verbs, b)
    size, verb = _verb_at(doc, i, b)
    if n_clear or (verb is None and n_light):
        size = n_clear or n_light
        verb = _Verb("state", "speech", False, False, False, False)
    elif verb is None:
        return None
    if verb.participle and i > a and _possessed(doc, i, a):
        return None  # "Mr Hale's warning that …": a noun, read as a nominal cue
    if toks[i].cap and i > a and not _headline(doc, a, b):
        return None  # "Says" inside a sentence is a name or a title's word
    if toks[i].cap and i > a and i + size < b and toks[i + size].low in lex.be_forms | lex.modals:
        return None  # "Everything He Says Is a Lie": the cue sits in a relative clause
    if _bad_cue_context(doc, i, a):
        return None
    cue_end = i + size
    # "expressed the opinion that", "reiterated the thesis that", "made it clear that"
    that_follows = False
    stmt = _statement_noun(doc, cue_end, b)
    if stmt:
        cue_end, that_follows = stmt, True
    elif n_clear or n_light:
        if not n_clear or cue_end >= b:
            return None
        if toks[cue_end].low in doc.lex.complementizers:
            cue_end += 1
        elif not _finite_clause_at(doc, cue_end, b):
            return None  # "made it clear he was determined …" needs no "that"; "made the point again" says nothing
        that_follows = True
    if verb.participle and not (i > a and toks[i - 1].low in doc.lex.be_forms):
        return _participle(doc, i, cue_end, verb, a, b, attributed, that_follows)
    source_end = _before_infinitive(doc, i, a)  # where the source of the cue ends
    src = _source_before(doc, _before_aside(doc, source_end, a), a)
    if src is not None and toks[src[0]].low in doc.lex.relatives and src[0] > a:
        src = src if _antecedent_ok(doc, src[0]) else None
    src = _unclosed_apposition(doc, i, a) or src
    if verb.lemma in doc.lex.plain_cues and not verb.participle and _no_subject_yet(doc, src, a):
        src = _opening_subject(doc, _before_aside(doc, i, a), a) or src
    share = _poll_share(doc, source_end, a)
    if share is not None:
        return _poll_answer(doc, i, cue_end, share, b, verb, attributed)
    long = _long_apposition(doc, source_end, a)
    if long is not None and (src is None or long[0] < src[0]):
        src = long
    quantified = _bare_quantifier(doc, i, a) if src is None else None
    src = quantified or src
    if src is None and i > a and _goes_on_from(doc, i, a) and not verb.base:
        # "… and says he will expand the forces": the subject of the first verb goes on speaking
        return _participle(doc, i, cue_end, verb, a, b, attributed, that_follows, coordinated=True)
    if src is None:
        # `…, said Putin.` — inverted order after the content
        if i > a + 2 and toks[i - 1].low in (",",) and not verb.participle and not verb.base:
            after = _source_after(doc, cue_end, b)
            if after is not None and _ends_clause(doc, after, b):
                return _backward_content(doc, i, cue_end, after, a, b, verb, attributed, inverted=True)
        return None
    if verb.base and not _plural(doc, src) and toks[i - 1].low not in doc.lex.do_forms and not quantified:
        return None
    head = _source_head(doc, src)
    if verb.cls in ("topic", "cognition") and _plain_noun(doc, head):
        return None  # "the conversation discussed …": only people and bodies hold views
    if verb.takes_object and _plain_noun(doc, head) and not _plural(doc, src):
        return None  # "the weather encouraged farmers to …" ("other parties accused …" are people)
    if _negated(doc, src[1], i) or _is_question(doc, a, b, i):
        return None
    if src[0] > a and toks[src[0] - 1].low in doc.lex.not_before_source:
        return None
    if src[0] > a and toks[src[0] - 1].low in lex.verb_words and not toks[src[0] - 1].cap:
        return None
    opener = _clause_start(doc, a, b)
    subordinate = opener < src[0] and toks[opener].low in doc.lex.subordinators
    relative = (src[1] - src[0] == 1 and lex.pronouns.get(toks[src[0]].low) == "r") or _in_relative_clause(doc, i, a)
    content = _forward_content(doc, cue_end, b, verb, that_follows, attributed, subordinate, relative)
    if content is not None and verb.infinitive and toks[i - 1].low == "'s" and toks[i].low.endswith("s"):
        return None  # "Clinton's hopes to win": a noun after a possessive, not a verb
    if content is not None and _no_reported_clause(doc, content[0], content[1]):
        return None
    if content is not None:
        c_start, c_end = content
        c_end = _so_alone(doc, c_start, c_end)
        c_end = _through_open_quotation(doc, c_start, c_end)
        cand = Candidate(False, [_chars(doc, c_start, c_end)], _text(doc, i, cue_end), i, src, cls=verb.cls)
        cand.statement = not _only_a_topic(doc, verb, c_start)
        return cand, c_start
    if _no_reported_clause(doc, cue_end, b):
        return None  # "Asked about the budget, Hale said nothing.": what he was asked is not what he said
    return _backward_content(doc, i, cue_end, src, a, b, verb, attributed, inverted=False)


_QUANTIFIER_SOURCES = frozenset({"some", "many", "several", "most", "few", "both"})


def _bare_quantifier(doc: _Doc, cue: int, a: int) -> tuple[int, int] | None:
    """A quantifier standing alone as the subject of a plain speech verb: "Some say …", "Several said …",
    "… and many said …" (unnamed people the sentence before has introduced)."""
    toks = doc.toks
    k = cue - 1
    if k < a or toks[k].low not in _QUANTIFIER_SOURCES or not _plural_verb(doc, cue):
        return None
    if k > a and toks[k - 1].low not in (",", ";", ":", "and", "but") and toks[k - 1].low not in _DASHES:
        return None  # "the some said …" does not occur; "for many said" is no subject
    return k, cue


# a bare amount, or a pronoun standing for the words ("to the right of where I write this, and …")
_NOTHING_SAID = frozenset({"little", "nothing", "much", "less", "more", "anything", "this", "it"})


def _no_reported_clause(doc: _Doc, start: int, end: int) -> bool:
    """Whether the words after a cue are a bare amount, no reported clause: "said little, according to …",
    "said nothing." (A verb with no subject, "which he said was a mistake", is kept: the relative clause
    reports what he said.)"""
    toks = doc.toks
    if start >= end:
        return False
    first = toks[start]
    nxt = toks[start + 1].low if start + 1 < end else "."
    return first.low in _NOTHING_SAID and (nxt in _TERMINAL or nxt in (",", ";", "—", "–", "--"))


def _so_alone(doc: _Doc, start: int, end: int) -> int:
    """Where a reported "so" ends: "half said so in the earlier poll" reports only "so"."""
    toks = doc.toks
    if end - start > 1 and toks[start].low == "so":
        after = toks[start + 1].low
        if after in doc.lex.prepositions or after in _TIME_LINKS:
            return start + 1
    return end


def _poll_share(doc: _Doc, cue: int, a: int) -> tuple[int, int] | None:
    """A share of a poll's respondents as the subject of its cue: "47 percent", "Six in 10", "Nearly half of
    voters in each state", "…, but 55 percent of all voters say", "an electorate in which 67 percent of
    voters say"."""
    toks = doc.toks
    lex = doc.lex
    for k in range(max(a, cue - NP_WINDOW), cue):
        word = toks[k].low
        if word not in lex.share_starts and "-" not in word and not word[:1].isdigit():
            continue  # no share starts at this word (as `_share_at` would find): the common case, without a call
        size = _share_at(doc, k, cue)
        if not size or not _respondents_up_to(doc, k + size, cue):
            continue
        start = k
        while start > a and toks[start - 1].low in lex.share_hedges:
            start -= 1
        if start == a or toks[start - 1].low in _SHARE_EDGES or start == _clause_start(doc, a, cue):
            return start, cue
        return None
    return None


def _respondents_up_to(doc: _Doc, k: int, cue: int) -> bool:
    """Whether only "of" and the respondents ("of voters in each state"), then adverbs, lie between k and
    the cue."""
    toks = doc.toks
    if k < cue and toks[k].low == "of":
        while k < cue and toks[k].low.isalpha() and toks[k].low not in doc.lex.skip:
            k += 1
        if toks[k - 1].low in doc.lex.function_words:
            return False  # "half of voters in each | state …": "state" is no cue here
    while k < cue and (toks[k].low in doc.lex.skip or _adverb(toks[k])):
        k += 1
    return k == cue


def _share_at(doc: _Doc, k: int, limit: int) -> int:
    """Tokens of a share at k: "47 percent", "9%", "Six in 10", "half", "three-quarters", "a majority"."""
    toks = doc.toks
    lex = doc.lex
    if k >= limit:
        return 0
    word = toks[k].low
    if word in lex.share_words:
        return 1
    if k + 1 < limit and word in ("a", "an") and toks[k + 1].low in lex.share_words:
        return 2
    number = (
        word in lex.number_words
        or word[:1].isdigit()
        or ("-" in word and word.split("-")[0] in lex.number_words)  # "twenty-four"
    )
    if not number:
        return 0
    if k + 1 < limit and toks[k + 1].low in ("percent", "%", "per"):
        return 3 if toks[k + 1].low == "per" and k + 2 < limit and toks[k + 2].low == "cent" else 2
    if k + 2 < limit and toks[k + 1].low == "in" and toks[k + 2].low[:1].isdigit():
        return 3
    return 0


def _poll_answer(
    doc: _Doc, i: int, cue_end: int, share: tuple[int, int], b: int, verb: _Verb, attributed: set[int]
) -> tuple[Candidate, int] | None:
    """What a share of the respondents said: a candidate of its own kind, shown to nobody as a quote."""
    if verb.cls not in ("speech", "cognition"):
        return None
    content = _forward_content(doc, cue_end, b, verb, False, attributed)
    if content is None:
        return None
    cand = Candidate(False, [_chars(doc, *content)], _text(doc, i, cue_end), i, share, cls="poll")
    return cand, content[0]


def _source_head(doc: _Doc, src: tuple[int, int]) -> int:
    """The last word of a source phrase before its apposition: "The Glasgow MP, who was expelled, …" is "MP"."""
    for k in range(src[0] + 1, src[1]):
        if doc.toks[k].low in (",", "(") or doc.toks[k].low in _DASHES:
            return k - 1
    return src[1] - 1


def _headline(doc: _Doc, a: int, b: int) -> bool:
    """A title-cased line of its own: "Mayor Says Harbour Will Reopen in May"."""
    text = doc.text
    toks = doc.toks
    start, end = toks[a].start, toks[b - 1].end
    if text[text.rfind("\n", 0, start) + 1 : start].strip() or "\n" in text[start:end]:
        return False
    line_end = text.find("\n", end)
    if text[end : len(text) if line_end < 0 else line_end].strip():
        return False
    words = [t for t in toks[a:b] if t.low.isalpha() and len(t.low) > 3]
    return len(words) >= 3 and sum(t.cap for t in words) >= 0.8 * len(words)


def _plural(doc: _Doc, src: tuple[int, int]) -> bool:
    """Whether a source can go with a bare verb form ("experts say", "they claim"), so that nouns like
    "state" or "report" are not read as cues."""
    toks = doc.toks[src[0] : src[1]]
    if any(t.low in ("and", "&") for t in toks):
        return True
    head = toks[0] if len(toks) == 1 else next((t for t in reversed(toks) if t.low.isalpha()), toks[-1])
    for n, t in enumerate(toks):
        if t.low in (",", "(", "—") or (n and t.low in doc.lex.prepositions):
            break  # "officials in Ohio": the head comes before its phrase
        head = t
    if head.low in doc.lex.plural_subjects or head.low in doc.lex.collective_nouns or head.low in doc.lex.parties:
        return True  # "Labour say": British English gives a party a plural verb
    return head.low.endswith("s") and not head.low.endswith(("ss", "'s")) and len(head.low) > 3


def _ends_clause(doc: _Doc, src: tuple[int, int], b: int) -> bool:
    """After an inverted source ("…, said Putin") only the sentence end or an adverbial may follow."""
    k = src[1]
    if k >= b:
        return True
    t = doc.toks[k]
    if t.low in _TERMINAL or t.low in (",", ";", ":", "(", "—", "–"):
        return True
    if doc.toks[src[0]].low in doc.lex.pronouns:
        return False
    return t.low in doc.lex.prepositions or bool(_match_phrase(doc, k, doc.lex.adverbials, b))


def _antecedent_ok(doc: _Doc, i: int) -> bool:
    """A relative "that"/"which" can be a source when a document or organisation precedes it."""
    prev = doc.toks[i - 1]
    return prev.low in doc.lex.document_nouns or prev.low in doc.lex.org_words


def _statement_noun(doc: _Doc, i: int, b: int) -> int:
    """End of "[the] [adjectives] opinion that" starting at i (after the "that"), or 0."""
    toks = doc.toks
    j = i
    if j < b and toks[j].low in doc.lex.det_or_possessive:
        j += 1
    for k in range(j, min(b, j + 3)):
        if toks[k].low in doc.lex.statement_nouns:
            if k + 1 < b and toks[k + 1].low in doc.lex.complementizers:
                return k + 2
            return 0
        if not toks[k].low.isalpha():
            return 0
    return 0


def _forward_content(
    doc: _Doc,
    i: int,
    b: int,
    verb: _Verb,
    that_follows: bool,
    attributed: set[int],
    subordinate: bool = False,
    relative: bool = False,
) -> tuple[int, int] | None:
    """Content after the cue: `said [to reporters] [on Monday] [that] CONTENT`."""
    toks = doc.toks
    lex = doc.lex
    j = i
    nonfinite = False  # "accused X of …", "urged X to …": an object and a complement, no clause of its own
    if not that_follows and toks[i - 1].low in lex.noun_forms and not (verb.infinitive and _to_clause(doc, i, b)):
        # "states", "reports", "claims" are nouns as often as verbs: only "that" makes them cues
        if i < b and toks[i].low in doc.lex.complementizers:
            that_follows, j = True, i + 1
        else:
            return None
    if verb.lemma == "call" and not that_follows:
        # "called the plan a disaster" names; "called Machado on Friday" phones
        after = _skip_object(doc, j, b)
        word = toks[after].low if j < after < b else ""
        plain = bool(word) and word not in lex.prepositions and (word[0].isalnum() or word in _OPENING_MARKS)
        if not plain and not _names_as(doc, j, b):
            return None
    if not that_follows and j < b and toks[j].low in lex.topic_links and verb.cls in ("speech", "topic"):
        # "complained about his microphone", "spoke of reform": what the statement was about
        j += 1
        that_follows = True
    if not that_follows and verb.infinitive and _to_clause(doc, j, b):
        that_follows = True  # "vowed to repeal the law": the to-clause is what was promised or wanted
    if not that_follows and verb.lemma in lex.question_verbs:
        # "asked whether the plan would pass", "asked Mr Hale if he would resign": the question, its
        # "whether" kept so that it reads as a question
        k = _skip_object(doc, j, b) if verb.takes_object else j
        k = next((x for x in range(j, k) if toks[x].low in lex.question_openers), k)  # "the minister why"
        if k + 2 < b and toks[k].low in lex.question_openers and not toks[k].cap:
            j, that_follows = k, True
    if not that_follows and verb.takes_object and (after := _addressee_then_that(doc, j, b)) > j:
        j, that_follows = after, True  # "told The Post and Courier of Charleston on Saturday that …"
    if not that_follows:
        obj = j
        if verb.takes_object:
            j = _skip_object(doc, j, b)
            if verb.infinitive and j > obj and not _clause_or_complement(doc, j, b):
                j = obj  # "promised a cut in council tax": no addressee, the promise itself
        j = _skip_adverbials(doc, j, b)
        if j < b and toks[j].low in doc.lex.complementizers and not _demonstrative_subject(doc, j, b):
            j += 1
            if j < b and toks[j].low == ",":  # "said that, if elected, he would …"
                j += 1
        elif verb.takes_object and j > i and j < b and toks[j].low in lex.object_links:
            j, nonfinite = obj, True  # "urged Republicans to join", "accused Riyadh of …": the addressee too
        elif verb.takes_object and _object_then_link(doc, j, b) and not _finite_clause_at(doc, j, b):
            # "urged politicians to avoid …": an addressee no lexicon knows ("told ABC the tone of the
            # interview was cordial" is a clause)
            j, nonfinite = obj, True
        elif verb.cls in ("speech", "evidence") and not verb.zero_that and _finite_clause_at(doc, j, b):
            pass  # "denied the party was trying to hide him", "revealed some MPs had used them"
        elif verb.topic_object and not nonfinite and not _clause_ahead(doc, j, b):
            return None  # "announced party consultation on …", "predicts bigger turnout": what it was about
        elif (verb.cls != "topic" and not verb.zero_that) or (j < b and toks[j].low in lex.prepositions):
            return None
        elif j > obj and j < b and toks[j].low in lex.subordinators:
            return None  # "told his advisers as he laboured …": when it was said, not what ("said if …" says)
    if j >= b or toks[j].low in _TERMINAL or toks[j].low in (",", ":", ";"):
        return None
    if toks[j].quote in attributed and not toks[j].scare:
        return None
    end = _content_end(doc, j, b, attributed, subordinate, relative)
    if verb.cls == "topic" and toks[j].low not in lex.complementizers:
        # "criticized the law during a stop in Flint": what was criticized, not where or when
        end = next((k for k in range(j + 2, end) if _topic_adverbial(doc, k)), end)
        while end > j and toks[end - 1].low in (",", "—", "–", "--"):
            end -= 1
    if nonfinite:
        end = _subordinate_clause_at(doc, j, end)
    if end - j < 2:
        return None
    if (
        verb.takes_object
        and verb.lemma in lex.plain_cues
        and not that_follows
        and not nonfinite
        and not _verb_in(doc, j, end)
    ):
        return None  # `"…," he told USA Today`, `told his audience, to rowdy applause`: whom, not what
    return j, end


def _verb_in(doc: _Doc, j: int, end: int) -> bool:
    """Whether the words hold a verb or a quotation: a clause, not only a noun phrase."""
    lex = doc.lex
    finite = lex.finite_forms
    for t in doc.toks[j:end]:
        if t.quote >= 0 or t.low in finite or (t.low in lex.verb_words and not t.cap):
            return True
        if t.low.isalpha() and not t.cap and t.low.endswith(("ed", "es", "ing")):
            return True
    return False


def _through_open_quotation(doc: _Doc, start: int, end: int) -> int:
    """A reported clause that opens a quotation and ends before the quotation closes goes on to its closing
    mark, across sentences: `said the Trump "train may have left the station. I don't want …"` is one
    statement. Only a quotation closed in the same paragraph counts."""
    toks = doc.toks
    last = end - 1
    sid = toks[last].quote
    if sid < 0 or toks[last].scare or toks[start].quote == sid:
        return end
    span = doc.spans[sid]
    if span.close_at < 0 or span.close_at <= toks[last].start or len(span.parts) > 1:
        return end
    k = bisect_right(doc.starts, span.close_at) - 1
    return k + 1 if 0 <= k < len(toks) and toks[k].start == span.close_at else end


def _addressee_then_that(doc: _Doc, j: int, b: int) -> int:
    """The token after "that" when only an addressee and when or where it was said come before it: "told
    customers at a popular Manchester, New Hampshire, breakfast spot that …"; j when anything else does
    (a verb, a pronoun, a quotation)."""
    toks = doc.toks
    lex = doc.lex
    for k in range(j + 1, min(b, j + APPOSITION_WINDOW)):
        t = toks[k]
        if t.low == "that":
            return k + 1 if k + 1 < b else j
        if t.quote >= 0 or t.low in lex.subject_words or t.low in lex.subordinators:
            return j
        if t.low in lex.verb_words and not t.cap:
            return j
        if t.low == "," and not (toks[k - 1].cap or (k + 1 < b and toks[k + 1].cap)):
            return j  # only the commas of a place's name: "Manchester, New Hampshire,"
        if not (t.low.isalnum() or t.low in (",", "'s", "’s", ".", "-")):
            return j
    return j


def _subordinate_clause_at(doc: _Doc, j: int, end: int) -> int:
    """Where a subordinate clause with a subject of its own starts after an object and its complement:
    "accused Mr Blair of being "terrified" of scrutiny | after Labour unveiled its plans" (the reporter's)."""
    for k in range(j + 3, end - 2):
        opens = doc.toks[k].low in doc.lex.subordinators and not _in_long_quote(doc, k)
        if opens and (_finite_clause_at(doc, k + 1, end) or _followed_by_verb(doc, k + 2, end)):
            return k
    return end


def _object_then_link(doc: _Doc, j: int, b: int) -> bool:
    """Whether a short noun phrase at j is followed by "to" and a verb, or by "of": "politicians to avoid …",
    "the big parties of engaging in …"."""
    toks = doc.toks
    lex = doc.lex
    for k in range(j + 1, min(b, j + 5)):
        t = toks[k]
        if t.low in lex.object_links:
            return t.low != "to" or _to_clause(doc, k, b)
        if not t.low.isalpha() or (t.low in lex.function_words and t.low not in lex.determiners):
            return False
        if t.low in lex.verb_words or t.low in lex.prepositions:
            return False
    return False


def _finite_clause_at(doc: _Doc, j: int, b: int) -> bool:
    """Whether a clause starts at j without "that": a subject (a personal pronoun, or a noun phrase of up to a
    dozen words) and then an auxiliary, a modal or a form of "be" or "have" ("the party was trying …")."""
    toks = doc.toks
    lex = doc.lex
    finite = lex.finite_forms
    if j + 1 < b and toks[j].low in lex.subject_words and toks[j].low not in lex.relatives:
        return toks[j + 1].low in finite or toks[j + 1].low in lex.skip or toks[j + 1].low.endswith("ed")
    if j >= b or not (toks[j].low in lex.np_openers or toks[j].low in lex.determiners or toks[j].cap):
        return False
    for k in range(j + 1, min(b, j + 12)):
        t = toks[k]
        if t.low in finite:
            return k > j + 1 or toks[j].cap
        if (not t.low.isalnum() and t.low != "'s") or t.low in lex.relatives:
            return False
        if t.low in lex.coordinators and k + 1 < b and (toks[k + 1].low in lex.np_openers or toks[k + 1].cap):
            continue  # "the words and the judgement were his"
        if t.low in lex.complementizers or (t.low in lex.verb_words and not t.cap) or t.low in lex.coordinators:
            return False
        if t.low in lex.infinitive and _to_clause(doc, k, b):
            return False
    return False


def _clause_or_complement(doc: _Doc, j: int, b: int) -> bool:
    """After an addressee: "that", "to" and a verb, or a clause ("promised voters that …", "… to cut …")."""
    if j >= b:
        return False
    low = doc.toks[j].low
    return low in doc.lex.complementizers or _to_clause(doc, j, b) or _finite_clause_at(doc, j, b)


def _clause_ahead(doc: _Doc, j: int, b: int) -> bool:
    """Whether the words at j make a clause with a verb of its own before the phrase ends: "confirmed
    Campbell will return", "announced the scheme failed"; not "announced plans to help buyers"."""
    toks = doc.toks
    lex = doc.lex
    finite = lex.be_forms | lex.have_forms | lex.modals | lex.do_forms | {"will"}
    if j < b and toks[j].low in lex.subject_words and toks[j].low not in lex.relatives:
        return True
    for k in range(j, min(b, j + 14)):
        t = toks[k]
        if t.low in (",", ";", ":") or t.low in _TERMINAL or t.low in lex.relatives or t.low in lex.complementizers:
            return False
        if t.low in lex.infinitive and _to_clause(doc, k, b):
            return False
        if t.low in finite:
            return k > j
        previous = toks[k - 1].low if k > j else ""
        if k > j and not t.cap and t.low.endswith("ed") and previous not in lex.det_or_possessive:
            return previous not in lex.prepositions
    return False


def _demonstrative_subject(doc: _Doc, j: int, b: int) -> bool:
    """ "said that was impossible": "that" is the clause's subject, a verb follows it at once."""
    nxt = doc.toks[j + 1].low if j + 1 < b else ""
    return nxt in doc.lex.be_forms or nxt in doc.lex.modals or nxt in doc.lex.have_forms


def _only_a_topic(doc: _Doc, verb: _Verb, content_start: int) -> bool:
    """`outlined his interpretation of …`, `mentioned A, B and C`, `spoke about X`: a noun phrase saying what
    the talk was about, not a clause saying what was said. ("called the plan a disaster" says something.)"""
    before = doc.toks[content_start - 1].low
    if before in doc.lex.complementizers:
        return False
    if verb.lemma in _TOLD_OF_VERBS and _told_of(doc, content_start):
        return True  # "tells BBC News of his response", "told the story of …": what it was about
    if before in doc.lex.infinitive and _to_clause(doc, content_start - 1, len(doc.toks)):
        return False  # "urged … to resign"; but "pointed to Tory plans" is the cue's own "to"
    if _clause_as_object(doc, content_start):
        # "pointed to how Mr Blair had …", "points to the fact that …" say something; "outlined what he thinks
        # should be done", "talked about how he fell in love" say what the talk was about
        return verb.lemma in _SUBJECT_MATTER_VERBS
    return before in doc.lex.topic_links or (verb.cls == "topic" and verb.lemma != "call")


# Verbs whose addressee, then "of" or "about", says what the talk was about ("accused X of …" says something).
_TOLD_OF_VERBS = frozenset({"tell", "inform", "brief"})


def _told_of(doc: _Doc, k: int) -> bool:
    """ "told MPs of her plans", "told the story of …": the words after the cue are an addressee or a story,
    then "of" or "about" and what it was about; not a clause ("told ABC the tone of the interview was
    cordial") nor a to-infinitive in it ("told Mr Brown of his intention to stand down" says something)."""
    toks = doc.toks
    end = sentence_of(doc, k)[1]
    after = _skip_object(doc, k, end)
    if not (k < after < end and toks[after].low in ("of", "about")):
        return False
    # a verb after "who …" is the story's ("the story of a supporter who had waited"), not the clause's
    relative = next((j for j in range(after, end) if doc.lex.pronouns.get(toks[j].low) == "r"), end)
    return not _finite_clause_at(doc, k, relative) and not any(_to_clause(doc, j, end) for j in range(after, end))


# Verbs whose "what …"/"how …" object is the subject matter of the talk, not something it claims.
_SUBJECT_MATTER_VERBS = frozenset(
    {"outline", "discuss", "describe", "detail", "lay out", "talk about", "speak about", "speak of", "mention"}
)


def _clause_as_object(doc: _Doc, k: int) -> bool:
    """A clause standing as a noun: "how Mr Blair had complained", "the fact that 40% …"."""
    toks = doc.toks
    if k >= len(toks):
        return False
    if toks[k].low in doc.lex.question_starters and (toks[k].low.startswith("wh") or toks[k].low == "how"):
        return True
    if toks[k].low == "whether":
        return True
    return k + 2 < len(toks) and toks[k + 1].low == "fact" and toks[k + 2].low in doc.lex.complementizers


def _names_as(doc: _Doc, j: int, b: int) -> bool:
    """After "called": a longer object and then what it was called, "called her vote in the Senate a
    mistake", "has called climate change a hoax"; not "called Machado on Friday"."""
    toks = doc.toks
    for k in range(j + 1, min(b, j + 10)):
        t = toks[k]
        if (t.low in doc.lex.articles and t.low not in doc.lex.definite) or t.low in _OPENING_MARKS:
            nxt = toks[k + 1].low if k + 1 < b else ""
            if nxt in doc.lex.time_units:
                return False  # "called her mother a week later"
            return toks[k - 1].low not in doc.lex.prepositions and toks[k - 1].low.isalpha()
        if t.low in _TERMINAL or t.low in (",", ";", ":") or _verb_at(doc, k, b)[1] is not None:
            return False
    return False


def _topic_adverbial(doc: _Doc, k: int) -> bool:
    t = doc.toks[k]
    return (
        t.low in doc.lex.topic_adverbials and not _in_long_quote(doc, k) and doc.toks[k - 1].low not in _OPENING_MARKS
    )


def _to_clause(doc: _Doc, j: int, b: int) -> bool:
    """A to-infinitive starts at j: "to" and a verb, not "to the fund" or "to Clinton"."""
    toks = doc.toks
    if j + 1 >= b or toks[j].low not in doc.lex.infinitive:
        return False
    nxt = toks[j + 1]
    if nxt.low in _OPENING_MARKS and j + 2 < b:
        nxt = toks[j + 2]  # "pledged to "never, ever" attack …": the quoted words are the promise's
    if nxt.cap or not nxt.low.isalpha() or nxt.low in doc.lex.function_words:
        return nxt.low in doc.lex.infinitive_adverbs
    return True


def _skip_object(doc: _Doc, j: int, b: int) -> int:
    """Skip the addressee after "told", "urged": "reporters", "her husband", "the committee", a name."""
    toks = doc.toks
    lex = doc.lex
    if j < b and toks[j].low in lex.det_or_possessive:
        k = j + 1
        while k < b and k - j < 4 and toks[k].low.isalpha() and toks[k].low not in lex.clause_links:
            if toks[k].low in lex.prepositions or (toks[k].low in lex.verb_words and not toks[k].cap):
                break  # "told the committee that", but "told The Huffington Post on Thursday"
            if toks[k].low in lex.subordinators or toks[k].low in lex.subject_words or toks[k].low in lex.np_openers:
                break  # "told his advisers as he …", "told her she …", "told her husband the plan …"
            if toks[k].low == "there" and k + 1 < b and toks[k + 1].low in lex.be_forms | lex.modals:
                break  # "told the Guardian newspaper there would be …": the clause's own "there"
            k += 1
        if k > j + 1:
            return k
    n = _match_phrase(doc, j, lex.objects, b)
    if n:
        return j + n
    bare = _bare_addressee(doc, j, b)
    if bare > j:
        return bare
    m = doc.mentions.get(j)
    if m is not None and m.a == j and m.kind in ("name", "org", "role"):
        k = m.b
        if k + 1 < b and toks[k].low == "'s":
            return _possessed_after(doc, k + 1, b) or k  # "told ABC's "Good Morning America" …"
        while k < b and k - m.b < 2 and not toks[k].cap and toks[k].low in lex.known_nouns:
            k += 1  # "told Labour members …", "told party activists …"
        return k
    return j


_PROGRAMME_NOUNS = frozenset({"show", "programme", "program", "podcast", "broadcast", "newscast", "radio", "host"})


def _possessed_after(doc: _Doc, k: int, b: int) -> int:
    """The end of what a possessive owns after a cue's addressee: a title in quotation marks ("ABC's "Good
    Morning America""), capitalised words ("NBC's Today show", "CNN's Jake Tapper"); 0 when none stands."""
    toks = doc.toks
    t = toks[k]
    if t.quote >= 0 and t.start == doc.spans[t.quote].open_at and doc.spans[t.quote].words <= SCARE_WORDS + 2:
        span = doc.spans[t.quote]
        if span.close_at < 0:
            return 0
        end = bisect_right(doc.starts, span.close_at)
        return end if end <= b else 0
    start = k
    while k < b and k - start < 4 and toks[k].cap and toks[k].low.isalpha():
        k += 1
    if k == start:
        return 0
    while k < b and k - start < 6 and toks[k].low in _PROGRAMME_NOUNS:
        k += 1
    return k


def _bare_addressee(doc: _Doc, j: int, b: int) -> int:
    """ "told party members the Tories …": a bare plural of people (no article) before the reported clause."""
    toks = doc.toks
    lex = doc.lex
    k = j
    while k < b and k - j < 3 and toks[k].low.isalpha() and not toks[k].cap:
        if toks[k].low in lex.function_words or toks[k].low in lex.verb_words or toks[k].low in lex.clause_links:
            return j
        k += 1
        if toks[k - 1].low in lex.known_nouns and k < b and (toks[k].cap or toks[k].low in lex.clause_starts):
            return k
    return j


def _manner_adverb(doc: _Doc, j: int, b: int) -> bool:
    """A word in -ly right after a cue says how it was said ("said quietly that …", "said only that …"), unless
    it opens what was said ("said only the UN had …", "said family members …")."""
    return doc.toks[j].low not in doc.lex.ly_words or (j + 1 < b and doc.toks[j + 1].low in doc.lex.complementizers)


def _skip_adverbials(doc: _Doc, j: int, b: int) -> int:
    """Skip time and place adverbials after a cue ("on Monday", "at a Valdai Club meeting") up to "that"."""
    toks = doc.toks
    lex = doc.lex
    start = j
    while j < b and j - start < ADVERBIAL_WINDOW:
        n = _match_phrase(doc, j, lex.adverbials, b)
        if n and not (j + n < b and toks[j + n].low == "'s"):  # "said Thursday's report …" is no adverbial
            j += n
            continue
        if toks[j].low in (",",) and j + 1 < b and toks[j + 1].low in doc.lex.complementizers:
            j += 1
            continue
        aside = _match_phrase(doc, j + 1, lex.asides, b) if toks[j].low == "," else 0
        if aside and j + aside + 1 < b and toks[j + aside + 1].low == ",":
            j += aside + 1  # "said, however, that …", "said, among other things, that …"
            continue
        if toks[j].low.endswith("ly") and toks[j].low.isalpha() and not toks[j].cap and _manner_adverb(doc, j, b):
            j += 1
            continue
        if (toks[j].low in lex.prepositions and toks[j].low != "to") or (toks[j].low == "to" and j > start):
            # a prepositional phrase: accept it only if a "that" or a clause closes it soon
            short_phrase = True  # only a short phrase with no verb of its own comes before a clause
            for k in range(j + 1, min(b, j + ADVERBIAL_WINDOW)):
                if toks[k].low in doc.lex.complementizers:
                    return k
                if toks[k].low in _TERMINAL or toks[k].low in (";",) or _in_long_quote(doc, k):
                    break
                if toks[k].low in lex.coordinators or toks[k].low in lex.verb_words or k - j > 6:
                    short_phrase = False
                if k > j + 1 and toks[k - 2].low == ",":
                    short_phrase = False  # a comma ends the phrase: the clause comes right after it or not at all
                if short_phrase and k > j + 1 and _clause_after_phrase(doc, k, b):
                    return k
            return j
        break
    return j


def _clause_after_phrase(doc: _Doc, k: int, b: int) -> bool:
    """A clause of its own starts at k, right after a phrase's last word: "said in November | they would …",
    "say in the northern cities, | the race is …"; not inside a name ("in the House | of Commons")."""
    toks = doc.toks
    before = toks[k - 1]
    if before.low in doc.lex.prepositions or before.low in doc.lex.np_openers or (toks[k].cap and before.cap):
        return False
    if k + 1 < b and toks[k + 1].low == "'s":
        return False  # "Friday's tweets": a possessive, not "Friday is"
    return _finite_clause_at(doc, k, b)


def _backward_content(
    doc: _Doc,
    cue: int,
    cue_end: int,
    src: tuple[int, int],
    a: int,
    b: int,
    verb: _Verb,
    attributed: set[int],
    inverted: bool,
) -> tuple[Candidate, int] | None:
    """`CONTENT, Putin said [adverbials].` or a parenthetical `CONTENT, officials say, CONTENT.`"""
    toks = doc.toks
    first = min(src[0], cue)
    lead = first
    while lead - 1 > a and first - lead < 3 and _modifier_word(doc, lead - 1):
        lead -= 1  # "…, political experts said", "…, law enforcement officials say"
    extend = verb.cls == "speech" and _bare_close(doc, max(src[1], cue_end), b)  # not "…, new figures show"
    if lead < first and toks[lead - 1].low in (",", "—", "–", "--") and extend:
        first = lead
        src = (lead, src[1]) if src[0] < cue else src
    if first - 1 < a or toks[first - 1].low not in (",", "—", "–", "--") or verb.cls in ("cognition", "topic"):
        return None  # "X, believes Mr Blair, …": a thought, no statement
    named = _name_before_description(doc, src, first, a)
    if named is not None:  # "…, Alan Milburn, Labour's election strategist told …": the name, then who he is
        first = named
        src = (named, src[1])
    start = _clause_start(doc, a, b)
    if first - start > MAX_CONTENT_TOKENS:
        return None
    if any(toks[k].quote in attributed and not toks[k].scare for k in range(start, first)):
        return None
    if toks[src[0]].low in doc.lex.personal_subjects and _attributed_inside(doc, start, first - 1):
        # "…, the chancellor said the cuts were …, he told activists": the speaker's attribution again, not a
        # second statement (but "… shows that the President asked …, DW reports" is DW's report)
        return None
    tail = max(src[1], cue_end)
    j = tail
    while j < b and toks[j].low not in (",", "—", "–", "--") and toks[j].low not in _TERMINAL:
        if toks[j].low in doc.lex.subordinators and j > tail:
            j = b  # "…, Obama told his advisers as he worked on the speech": the rest says when
            break
        if j - tail > 10 or toks[j].low in doc.lex.clause_links or (toks[j].quote >= 0 and not toks[j].scare):
            return None  # more than adverbials after the cue: it is no attribution at the clause end
        j += 1
    resume = j
    after: tuple[int, int] | None = None
    if j < b and toks[j].low in (",", "—", "–", "--"):
        # a parenthetical attribution: the statement goes on after it
        nxt = j + 1
        _size, v2 = _verb_at(doc, nxt, b)
        described = nxt < b and (toks[nxt].low in doc.lex.apposition_starts or toks[nxt].low in doc.lex.roles)
        if inverted and (described or _describes_named_source(doc, nxt, b)):
            pass  # "…, said David Autor, a professor at M.I.T.": the speaker's description, not more words
        elif v2 is None and not _match_phrase(doc, nxt, doc.lex.according, b):
            end = _content_end(doc, nxt, b, attributed)
            if end - nxt >= 2:
                after = (nxt, end)
    before = first - 1 - start  # the statement's words before the attribution
    if after is None and before < 2:
        return None
    if before == 1 and after is not None and toks[start].low in doc.lex.function_words:
        before = 0  # "Otherwise, she said, …": the reporter's link word
    parts = [_chars(doc, start, first - 1)] if before > 0 else []
    if after is not None:
        # "Loyalty, he noted, has long been …"; "Otherwise, she said, prices …" (the opener is the reporter's)
        parts.append(_chars(doc, *after))
        resume = after[1]
    cand = Candidate(False, parts, _text(doc, cue, cue_end), cue, src, cls=verb.cls)
    return cand, resume


def _name_before_description(doc: _Doc, src: tuple[int, int], first: int, a: int) -> int | None:
    """Where the source starts when a person's name and a comma stand before an office that speaks with no
    closing comma: "…, Alan Milburn, Labour's election strategist told …" (the words before the name are the
    statement, the name and the office its source)."""
    toks = doc.toks
    if first - 2 < a or toks[first - 1].low != ",":
        return None
    m = doc.mentions.get(first - 2)
    if m is None or m.b != first - 1 or m.kind != "name" or m.entity is None or m.entity.kind == "organization":
        return None
    if m.a - 1 < a or toks[m.a - 1].low not in (",", "—", "–", "--"):
        return None  # the name must be set off from the statement too
    if not any(toks[k].low in doc.lex.roles for k in range(src[0], src[1])):
        return None
    return m.a


def _attributed_inside(doc: _Doc, start: int, end: int) -> bool:
    """Whether a speaker named in the clause between start and end speaks there ("the chancellor said")."""
    for k in range(start + 1, end):
        m = doc.mentions.get(k - 1)
        if m is None or m.b != k or m.kind not in ("name", "role", "pronoun") or not m.subject:
            continue
        _, verb = _verb_at(doc, k, end)
        if verb is not None and verb.cls == "speech" and not verb.base and not verb.participle:
            return True
    return False


def _describes_named_source(doc: _Doc, k: int, b: int) -> bool:
    """Whether the words at k, after a source named at a sentence's end, are about that source rather than
    more of the statement: a relative clause (", which monitors extremist statements") or a noun phrase with
    no verb up to the next comma ("…, said Katie Harbath, Facebook's global politics director")."""
    toks = doc.toks
    lex = doc.lex
    if k >= b:
        return False
    if toks[k].low in ("who", "whose", "which"):
        return True
    if not (toks[k].cap or toks[k].low in lex.articles):
        return False
    finite = lex.finite_forms
    end = min(b, k + APPOSITION_WINDOW)
    for m in range(k, end):
        t = toks[m]
        if t.low in (",", ";", ":") or t.low in _TERMINAL or t.low in _DASHES:
            return m > k
        if t.quote >= 0 and not t.scare:
            return False
        if t.low in ("'s", "’s"):
            continue  # "Facebook's": a possessive
        if t.low in finite or t.low in lex.verb_words or t.low in ("will", "won't"):
            return False
        verb_like = not t.cap and t.low.isalpha() and (t.low.endswith("ed") or t.low in lex.function_words)
        if verb_like and t.low not in lex.prepositions and t.low not in lex.articles and t.low not in ("and", "of"):
            return False  # "…, the deal was off": more of the statement
    return end == b


def _describes_source(doc: _Doc, k: int, b: int) -> bool:
    """Whether the words at k describe the source just named: ", a former prime minister", ", who …",
    ", writing for the Post"."""
    if k >= b:
        return False
    toks = doc.toks
    t = toks[k]
    lex = doc.lex
    if t.low in lex.articles:
        # ", the chairman of the panel," describes; ", the deal was off" and ", the minister will resign"
        # are what was said: a description closes with a comma before any verb
        role = False
        for n in range(k + 1, min(b, k + APPOSITION_WINDOW)):
            low = toks[n].low
            if low == "," or low in _TERMINAL or low in ("who", "whose", "which"):
                return role  # ", a pollster who ran the survey."
            if low in lex.verb_words or low in lex.be_forms or low in lex.modals or low in ("will", "won't"):
                return False
            if low in lex.have_forms or low in lex.do_forms or (low.endswith("ed") and low.isalpha()):
                return False
            role = role or low in lex.roles or low in lex.generic_nouns or low in lex.org_words
        return False
    if t.low in lex.apposition_starts or t.low in lex.roles or t.low in lex.modifiers:
        return True
    return not t.cap and t.low.endswith("ing") and t.low.isalpha() and t.low not in lex.non_clause_participles


_ECHO_PRONOUNS = {"him": ("he", "him"), "her": ("she", "her"), "them": ("they", "them")}


def _echoes(doc: _Doc, before: Candidate, cand: Candidate) -> bool:
    """Whether `cand`, "according to him" in the middle of a clause, only recalls whose words the reported
    statement just before it in the sentence are: its first part runs from the sentence's start through that
    statement, and its pronoun can be the same speaker's ("according to her" after "he said" cannot)."""
    if cand.source is None or cand.source[1] - cand.source[0] != 1 or len(cand.parts) < 2 or before.direct:
        return False
    pronoun = doc.toks[cand.source[0]].low
    if pronoun not in _ECHO_PRONOUNS or not cand.cue.lower().startswith("according"):
        return False
    head, tail = cand.parts[0], before.parts[-1]
    if not head[0] <= tail[0] < head[1] or tail[1] > head[1]:
        return False
    if before.source is not None and before.source[1] - before.source[0] == 1:
        spoke = doc.toks[before.source[0]].low
        if any(spoke in forms for forms in _ECHO_PRONOUNS.values()) and spoke not in _ECHO_PRONOUNS[pronoun]:
            return False
    return True


def _according(doc: _Doc, i: int, n: int, a: int, b: int, attributed: set[int]) -> tuple[Candidate, int] | None:
    """`According to X, CONTENT.` / `CONTENT, according to X[, CONTENT].`"""
    toks = doc.toks
    k = i + n
    # a sentence's opening "According to X," may name a long source: "early results of exit polls conducted
    # for The Associated Press and television networks by Edison Research"
    window = NP_WINDOW + n if i > _clause_start(doc, a, b) else 2 * NP_WINDOW + n
    while k < b and k - i < window and toks[k].low not in (",", ";") and toks[k].low not in _TERMINAL:
        if _in_long_quote(doc, k):
            break
        k += 1
    if k == i + n or _rule_followed(doc, i + n, k):
        return None
    src = (i + n, k)
    cue = _text(doc, i, i + n)
    start = _clause_start(doc, a, b)
    if i <= start or (i - 1 > a and toks[i - 1].low == ":"):
        # "It has not gone unnoticed: according to recent polls, …" opens a clause as a sentence would
        if k < b and toks[k].low == "," and _describes_source(doc, k + 1, b):
            # "According to Jack Kelly, writing for the Post, …": skip the source's description (with no comma
            # closing it, "one notable feature of the movie is …" is the statement itself)
            k = next((n for n in range(k + 1, min(b, k + APPOSITION_WINDOW)) if toks[n].low == ","), k)
        if k >= b or toks[k].low != ",":
            return None
        end = _content_end(doc, k + 1, b, attributed)
        if end - (k + 1) < 2:
            return None
        return Candidate(False, [_chars(doc, k + 1, end)], cue, i, src, cls="speech"), end
    if i - start < 2 or toks[i - 1].low not in (",", "—", "–"):
        return None
    parts = [_chars(doc, start, i - 1)]
    resume = k
    if k < b and toks[k].low == "," and _describes_source(doc, k + 1, b):
        # "The plan, according to Jack Kelly, the chairman of the panel, is dead": past the description
        k = next((n for n in range(k + 1, min(b, k + APPOSITION_WINDOW)) if toks[n].low == ","), b)
        if k + 1 < b and (toks[k + 1].low in doc.lex.apposition_starts or toks[k + 1].low in doc.lex.relatives):
            k = b  # ", which …, whose …": the description goes on
    elif k < b and toks[k].low == "," and _describes_named_source(doc, k + 1, b):
        k = b  # "…, according to the SITE group, which monitors …": about the source, not more words
    if k < b and toks[k].low == ",":
        end = _content_end(doc, k + 1, b, attributed)
        if end - (k + 1) >= 2:
            parts.append(_chars(doc, k + 1, end))
            resume = end
    return Candidate(False, parts, cue, i, src, cls="speech"), resume


def _participle(
    doc: _Doc,
    i: int,
    cue_end: int,
    verb: _Verb,
    a: int,
    b: int,
    attributed: set[int],
    that_follows: bool,
    coordinated: bool = False,
) -> tuple[Candidate, int] | None:
    """`…, claiming that …` / `…, adding that …` / `… and says …`: the clause's subject said it."""
    toks = doc.toks
    # "began by saying he would …", "after saying that …": the subject's words too
    linked = i > a + 1 and toks[i - 1].low in doc.lex.participle_links and not coordinated
    before = i - 2 if coordinated and i - 2 > a and toks[i - 1].low == "then" else i - 1  # "…, then says"
    if (before <= a or toks[before].low not in (",", ";", "—", "–", "--", "and", "but")) and not linked:
        return None
    if coordinated and verb.cls not in ("speech", "evidence"):
        return None
    if verb.cls in ("topic", "cognition", "evidence"):
        return None
    relative = _in_relative_clause(doc, i, a)
    content = _forward_content(doc, cue_end, b, verb, that_follows, attributed, relative=relative)
    if content is None or _no_reported_clause(doc, content[0], content[1]):
        return None
    c_start, c_end = content
    c_end = _through_open_quotation(doc, c_start, c_end)
    cand = Candidate(False, [_chars(doc, c_start, c_end)], _text(doc, i, cue_end), i, None, "participle", verb.cls)
    return cand, c_start


# ---------------------------------------------------------------------------------------- assembly


def _link_quotes(doc: _Doc, direct: list[Candidate]) -> list[Candidate]:
    """Join split quotes and follow-on quotes to their attributed neighbour; attribute floating quotes."""
    by_span: dict[int, Candidate] = {c.span_ids[0]: c for c in direct}
    joined = {sid for c in direct for sid in c.span_ids[1:]}
    out: list[Candidate] = []
    prev: Candidate | None = None
    prev_span: Span | None = None
    starts = doc.starts
    for sid, span in enumerate(doc.spans):
        if span.scare:
            continue
        cand = by_span.get(sid)
        if cand is not None:
            out.append(cand)
            prev, prev_span = cand, span
            continue
        if sid in joined:
            prev_span = span
            continue
        if prev is None or prev_span is None:
            continue
        open_tok = bisect_right(starts, span.open_at) - 1
        # `"First," he said. "Second."` / `"First," he said, "second."`
        if _continues(doc, prev, prev_span, span, open_tok):
            prev.parts.extend(span.parts)
            prev.span_ids += (sid,)
            prev_span = span
            continue
        if _floating(doc, span, open_tok, prev):
            float_cand = Candidate(True, list(span.parts), prev.cue, prev.cue_tok, prev.source, "follow", prev.cls)
            float_cand.span_ids = (sid,)
            out.append(float_cand)
            prev, prev_span = float_cand, span
            continue
        prev = prev_span = None
    return out


def _continues(doc: _Doc, prev: Candidate, prev_span: Span, span: Span, open_tok: int) -> bool:
    """Whether a quote goes on with the previous one: only its attribution (or nothing) lies between, in
    the same paragraph, and the new quote runs to the end of its sentence."""
    if prev_span.close_at < 0 or "\n" in doc.text[prev_span.close_at : span.open_at]:
        return False
    close_tok = bisect_right(doc.starts, prev_span.close_at) - 1
    between = range(close_tok + 1, open_tok)
    if len(between) > 50 or not _quote_fills_sentence(doc, span, open_tok):
        return False
    if not between:
        return True
    last = open_tok - 1
    while last > between.start and doc.toks[last].low in _CLOSING_MARKS:
        last -= 1
    if not (between.start <= prev.cue_tok < between.stop) or doc.toks[last].low not in (",", ":", *_TERMINAL):
        return False
    # `"First," said Ann Lee, a lawyer who has seen many cases. "Second."`: the attribution's sentence
    # ends, and a sentence quoted whole goes on with the same voice
    if doc.toks[between.start].sent != doc.toks[last].sent:
        return False  # a sentence of the reporter's own lies between: another voice may have come in
    whole = doc.toks[last].low in _TERMINAL
    for k in between:
        if k == prev.cue_tok:
            continue
        t = doc.toks[k]
        if t.quote >= 0 and not t.scare:
            return False
        if whole:
            continue
        if t.low in doc.lex.complementizers:
            return False
        _size, verb = _verb_at(doc, k, open_tok)
        if verb is not None and not t.cap:
            return False
    return True


def _quote_fills_sentence(doc: _Doc, span: Span, open_tok: int) -> bool:
    """Nothing but punctuation follows the quote before its sentence or paragraph ends."""
    if span.close_at < 0:
        return True
    text = doc.text
    after = span.close_at + (2 if text.startswith("''", span.close_at) else 1)
    for j in range(after, min(len(text), after + 20)):
        c = text[j]
        if c == "\n":
            return True
        if c.isspace() or c in ".,!?;:)…":
            continue
        if c.isalpha():
            return c.isupper() and text[j - 1].isspace()
        return c in _OPEN or c in "\"'`"
    return True


def _link_quotes_and_speech(doc: _Doc, direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    """Followers of attributed quotes, then quoted sentences that go on a reported statement:
    `Mr Blair said talking was the only answer. "You've just got to confront it."`"""
    linked = _link_quotes(doc, direct)
    taken = {sid for c in linked for sid in c.span_ids}
    for sid, span in enumerate(doc.spans):
        if sid in taken or span.scare or span.words <= SCARE_WORDS or len(span.parts) > 1:
            continue
        follower = _after_reported(doc, span, sid, reported)
        if follower is not None:
            linked.append(follower)
    linked.sort(key=lambda c: c.start)
    return linked


def _after_reported(doc: _Doc, span: Span, sid: int, reported: list[Candidate]) -> Candidate | None:
    """A quotation standing as its own sentence right after a reported statement is more of that speaker's
    words."""
    open_tok = bisect_right(doc.starts, span.open_at) - 1
    sent = doc.toks[open_tok].sent
    if sent <= 0 or doc.bounds[sent][0] != open_tok or not _quote_fills_sentence(doc, span, open_tok):
        return None
    if any(c.start <= span.open_at < c.end for c in reported):
        return None  # a quotation inside a reported statement is part of it
    before = [c for c in reported if c.source is not None and doc.toks[c.cue_tok].sent == sent - 1]
    if not before or before[-1].end > span.open_at or before[-1].cls not in ("speech",):
        return None
    prev = before[-1]
    source = prev.source
    if prev.how == "nominal":
        # "he brushed off Labour suggestions that …. "…"": the sentence's subject goes on, not the party
        a, _ = doc.bounds[sent - 1]
        source = _clause_subject(doc, a, prev.cue_tok)
        if source is None:
            return None
    return Candidate(True, list(span.parts), prev.cue, prev.cue_tok, source, "np", prev.cls, span_ids=(sid,))


def _floating(doc: _Doc, span: Span, open_tok: int, prev: Candidate) -> bool:
    """A paragraph that is only a quote, right after a paragraph whose quote is attributed."""
    text = doc.text
    para_start = text.rfind("\n", 0, span.open_at) + 1
    if text[para_start : span.open_at].strip():
        return False
    if not _quote_fills_sentence(doc, span, open_tok):
        return False
    prev_para_end = para_start - 1
    while prev_para_end > 0 and text[prev_para_end - 1] in "\n \t":
        prev_para_end -= 1
    return prev.end <= prev_para_end and prev_para_end - prev.end < 400


def _resolve(doc: _Doc, cands: list[Candidate]) -> None:
    last: Candidate | None = None
    done: list[Candidate] = []  # statements already given their speaker, in reading order
    for cand in sorted(cands, key=lambda c: c.cue_tok):
        if cand.how == "participle":
            _resolve_participle(doc, cand, cands)
            continue
        if cand.source is None:
            continue
        if cand.cls == "poll" or _speakerless_record(doc, cand.source):
            # a poll's respondents or a record speak for nobody: no speaker, a kind /quotes does not show
            cand.cls = cand.cls if cand.cls == "poll" else "record"
            cand.mention = _chars(doc, *cand.source)
            continue
        entity, kind, mention = _resolve_np(doc, cand.source[0], cand.source[1])
        if entity is not None and _named_in_what_was_said(doc, cand, entity):
            entity = _speaker_outside_statement(doc, cand)  # "Mr Blair was wrong, he said": he is not Mr Blair
        if entity is None and (entity := _office_of_last_subject(doc, cand.source[0])) is not None:
            kind = "person"
        owner = doc.mentions.get(cand.source[0]) if cand.how == "nominal" else None
        if owner is not None and owner.entity is not None and owner.kind != "pronoun":
            # "Mr. Trump's claim that …": the possessor's own name speaks
            entity = owner.entity
            kind = "organization" if entity.kind == "organization" else "person"
        if entity is not None and last is not None and _unnamed_speaker_goes_on(doc, cand, last, entity):
            entity = None
        if last is not None and (body := _speaking_body_goes_on(doc, cand, last)) is not None:
            entity, kind = body, "organization"
        # a body described after the article named it is that body; described before, the one named next
        if entity is None and (named := _body_described_again(doc, cand)) is not None:
            entity, kind = named, "organization"
        if entity is None and (named := _body_the_lede_describes(doc, cand)) is not None:
            entity, kind = named, "organization"
        if entity is None and doc.toks[cand.source[0]].low == "its" and cand.source[1] - cand.source[0] <= 2:
            entity = _author_of_it(doc, cand.source[0])  # "… book has prompted speculation with its claims that …"
            if entity is not None:
                kind = "organization" if entity.kind == "organization" else "person"
        if entity is None and (author := _author_of_document(doc, cand, done)) is not None:
            entity, kind = author, "organization" if author.kind == "organization" else "person"
        done.append(cand)
        if cand.how != "follow":
            last = cand
        cand.entity, cand.kind, cand.mention = entity, kind, mention
        if entity is None and _bare_relative(doc, cand.source):
            # "analysts, who said …" speak as the group; "women who want to …": nobody named says nothing
            cand.mention = _group_antecedent(doc, cand.source[0])
        if entity is not None:
            entity.spoke = True
            if entity.kind == "unknown" and _party_name(doc, entity.name):
                entity.kind = cand.kind = "organization"  # "Labour said", "the Tories say": a party
            elif entity.kind == "unknown":
                entity.kind = "person"
                doc.surnames.add(entity.last)


def _named_in_what_was_said(doc: _Doc, cand: Candidate, entity: Entity) -> bool:
    """Whether "he" or "she" after the statement ("…, he said") went to a person named inside the statement."""
    assert cand.source is not None
    a, b = cand.source
    if b - a != 1 or doc.toks[a].low not in doc.lex.pronoun_gender or not cand.parts:
        return False
    if cand.parts[-1][1] > doc.toks[a].start:
        return False
    # the events of the statement's tokens only
    lo = bisect_right(doc.event_keys, bisect_right(doc.starts, cand.parts[0][0] - 1) - 1)
    hi = bisect_right(doc.event_keys, bisect_right(doc.starts, cand.parts[-1][1] - 1) - 1)
    return any(e is entity for _, _, e in doc.events[lo:hi])


def _speaker_outside_statement(doc: _Doc, cand: Candidate) -> Entity | None:
    assert cand.source is not None
    first, last = cand.parts[0][0], cand.parts[-1][1]
    pronoun = cand.source[0]
    return resolve_pronoun(
        doc,
        pronoun,
        doc.lex.pronoun_gender[doc.toks[pronoun].low],
        subordinate_openers=doc.lex.subordinate_openers,
        skip=lambda pos: first <= doc.toks[pos].start < last,
    )


def _office_of_last_subject(doc: _Doc, a: int) -> Entity | None:
    """ "…, Charles Kennedy has said. The Liberal Democrat leader predicted …": an office nobody in the
    article holds, opening a sentence, describes the person the sentence before was about."""
    mention = doc.mentions.get(a)
    if mention is None or mention.kind != "role" or mention.entity is not None or mention.a != a:
        return None
    sent = doc.toks[a].sent
    if doc.toks[a].low not in doc.lex.definite or not mention.subject:
        return None
    if not (_opens_main_clause(doc, a) or _after_quotation(doc, a)):
        return None
    if _office_given_to_another(doc, mention):
        return None
    named = False  # whether the sentence before names a person anywhere
    for k in range(bisect_right(doc.event_keys, a - 1) - 1, -1, -1):
        pos, salience, entity = doc.events[k]
        # the sentence before, or the one before it when the sentence between names nobody ("Michael Howard
        # has backed …. The issue was …. But the Tory leader argued …")
        if doc.toks[pos].sent < sent - 2 or (doc.toks[pos].sent < sent - 1 and named):
            break
        person = entity.kind == "person" or (entity.kind == "unknown" and " " in entity.name)
        if not person:
            continue
        named = named or doc.toks[pos].sent == sent - 1  # the sentence between names someone
        # a subject inside a subordinate clause ("…, where George Bush opposed it") is not what it was about
        subordinate = pos > 0 and doc.toks[pos - 1].low in _SUBORDINATE_SUBJECT
        if salience >= 2 and not subordinate:
            return entity
    return None


def _office_given_to_another(doc: _Doc, mention: Mention) -> bool:
    """Whether the article spoke of the office before as someone's object, unresolved: "Tony Blair called on
    the mayor to apologise. The mayor said …" is about the mayor, whom the subject before is not."""
    for k, m in doc.mentions.items():
        if k >= mention.a or m.a != k or m.kind != "role" or m.role != mention.role or m.entity is not None:
            continue
        before = doc.toks[k - 1].low if k > 0 else ""
        if before in _OBJECT_LINKS or (before in doc.lex.verb_words and not doc.toks[k - 1].cap):
            return True
    return False


# what stands before an office that is someone's object ("called on the mayor", "wrote to the mayor"), unlike
# "before the chancellor announced", where the office is a subject
_OBJECT_LINKS = frozenset({"on", "to", "with", "against", "at"})


# words after which a subject is a subordinate clause's: "where", "when", "because" …
_SUBORDINATE_SUBJECT = frozenset({"where", "when", "while", "because", "if", "although", "as", "after", "before"})


_SENTENCE_LINKS = frozenset({"but", "and", "yet", "so", "however"})


def _after_quotation(doc: _Doc, a: int) -> bool:
    """Token a follows the quotation its sentence opens with: ""We make this offer," the chancellor said"."""
    start = doc.bounds[doc.toks[a].sent][0]
    return a > start + 1 and doc.toks[a - 1].quote >= 0 and doc.toks[start].quote == doc.toks[a - 1].quote


def _opens_main_clause(doc: _Doc, a: int) -> bool:
    """Whether token a opens its sentence's main clause: first in the sentence, after a linking word ("But the
    Tory leader argued"), or after an opening phrase set off by a comma ("On the fourth day of his tour, the UK
    chancellor predicted") in which nobody is named."""
    start = doc.bounds[doc.toks[a].sent][0]
    if start == a or (a == start + 1 and doc.toks[start].low in _SENTENCE_LINKS):
        return True
    if doc.toks[a - 1].low != "," or a - start > 15:
        return False
    return not any(
        (m := doc.mentions.get(k)) is not None and m.entity is not None and m.entity.kind == "person"
        for k in range(start, a - 1)
    )


def _speakerless_record(doc: _Doc, source: tuple[int, int]) -> bool:
    """ "A survey for the charity suggests …", "Documents show …", "research undertaken for the Commission":
    a poll, a survey or the records speak for nobody; "a study by Harvard economists" has its authors."""
    toks = doc.toks
    a, b = source
    while a < b and (toks[a].low in doc.lex.articles or toks[a].low in doc.lex.demonstratives):
        a += 1
    if a >= b or toks[a].low not in doc.lex.speakerless_records:
        return False
    return not any(t.low == "by" for t in toks[a:b])


def _group_antecedent(doc: _Doc, rel: int) -> tuple[int, int] | None:
    """The characters of the group "who" follows, when it can speak: "some analysts and activists, who
    pointed out that …", "officials who said …" (not "women who want …": no lexicon knows them as speaking)."""
    toks = doc.toks
    k = rel - 1
    if k >= 0 and toks[k].low == ",":
        k -= 1
    if k < 0 or toks[rel].low != "who" or not (toks[k].low in doc.lex.generic_nouns or toks[k].low in doc.lex.roles):
        return None
    a, _ = sentence_of(doc, k)
    found = _source_before(doc, k + 1, a)
    first = found[0] if found is not None else k
    return toks[first].start, toks[k].end


def _unnamed_speaker_goes_on(doc: _Doc, cand: Candidate, last: Candidate, entity: Entity) -> bool:
    """ "A spokeswoman said …. She added …": the pronoun goes on with the unnamed speaker just before, not
    with a person named earlier, unless that person was named again in between."""
    if cand.source is None or last.source is None or last.entity is not None or last.kind != "person":
        return False
    a, b = cand.source
    gender = doc.lex.pronoun_gender.get(doc.toks[a].low, "")
    if b - a != 1 or gender not in ("m", "f") or last.mention is None:
        return False
    words = [t.low for t in doc.toks[last.source[0] : last.source[1]]]
    heads = [w for w in words if w in doc.lex.roles or w in doc.lex.generic_nouns]
    if not heads or _plural(doc, last.source) or heads[0] in doc.lex.collective_nouns:
        return False  # one unnamed person ("a spokesman"), not "they" or "people"
    said_gender = next((("f" if w.endswith("woman") else "m") for w in words if w.endswith(("man", "woman"))), "")
    if said_gender and said_gender != gender:
        return False
    s_last, s_cand = doc.toks[last.cue_tok].sent, doc.toks[cand.cue_tok].sent
    if s_cand - s_last > 1 and (not doc.narrative or doc.narrative[s_cand] - doc.narrative[s_last] > 1):
        return False
    lo = bisect_right(doc.event_keys, last.source[1] - 1)
    hi = bisect_right(doc.event_keys, a - 1)
    return all(doc.events[k][2] is not entity for k in range(lo, hi))


LEDE_BODY_REACH = 3  # sentences after the lede in which the body it describes is named speaking


def _body_the_lede_describes(doc: _Doc, cand: Candidate) -> Entity | None:
    """ "…, the UK's public spending watchdog has said. The National Audit Office said …": a body the opening
    sentence describes without naming it is the first body named speaking in the sentences after it."""
    if cand.source is None:
        return None
    a, b = cand.source
    toks = doc.toks
    sent = toks[cand.cue_tok].sent
    if sent > 1 or toks[a].low not in doc.lex.definite or b - a < 2:
        return None
    head = toks[b - 1].low
    two = f"{toks[b - 2].low} {head}"
    if head not in doc.lex.body_descriptions and two not in doc.lex.body_descriptions:
        return None
    for k in range(bisect_right(doc.event_keys, b - 1), len(doc.events)):
        pos, salience, entity = doc.events[k]
        if toks[pos].sent - sent > LEDE_BODY_REACH:
            return None
        if toks[pos].sent > sent and entity.kind == "organization" and salience >= 3:
            return entity
    return None


def _body_described_again(doc: _Doc, cand: Candidate) -> Entity | None:
    """ "In a new report, the Electoral Commission says …. …, says the watchdog.": a body's bare description
    ("the watchdog", "the regulator", "the charity", "the union") names the last body the article named within
    BODY_REACH sentences before it (a name ending in a body's word, or initials; not a paper). Unlike
    `_body_named_before` ("the party" for a party), any kind of body, the nearest one."""
    if cand.source is None:
        return None
    a, b = cand.source
    toks = doc.toks
    lex = doc.lex
    if toks[a].low not in lex.definite or b - a != 2 or toks[b - 1].low not in lex.body_descriptions:
        return None  # the bare description only: "the elections watchdog" may be another body than the last
    sent = toks[a].sent
    end = bisect_right(doc.event_keys, a - 1)
    for k in range(end - 1, max(-1, end - 60), -1):
        pos, _, entity = doc.events[k]
        if sent - toks[pos].sent > BODY_REACH:
            return None
        if entity.kind != "organization" or not entity.name.split():
            continue
        last = entity.name.lower().split()[-1]
        if (last in lex.org_words or _initials(entity.name)) and last not in lex.press_names:
            return entity  # "the Standards Board", "the Electoral Commission", "the FSA"
    return None


DOCUMENT_REACH = 6  # sentences back to the statement that said whose "the book" or "the statement" is


def _author_of_document(doc: _Doc, cand: Candidate, done: list[Candidate]) -> Entity | None:
    """ "The book by journalist X said …. The book also claims …", "In a statement, the party said …. "…,"
    said the statement.": a document named again speaks for the author an earlier statement gave it, when that
    statement named the document outside its own words."""
    if cand.source is None:
        return None
    a, b = cand.source
    toks = doc.toks
    if b - a < 2 or toks[a].low not in doc.lex.definite or toks[a + 1].low not in doc.lex.document_nouns:
        return None
    noun = toks[a + 1].low
    sent = toks[cand.cue_tok].sent
    for earlier in reversed(done):
        if earlier.entity is None or earlier.source is None or _reported_within(doc, earlier, done):
            continue  # "The book alleges that Mr Blair told …": Mr Blair is no author of the book
        s = toks[earlier.cue_tok].sent
        if sent - s > DOCUMENT_REACH:
            return None
        lo, hi = doc.bounds[s]
        for k in range(lo, hi):
            outside = not any(p <= toks[k].start < q for p, q in earlier.parts)
            if toks[k].low == noun and outside and k != a + 1:
                return earlier.entity
    return None


def _reported_within(doc: _Doc, cand: Candidate, others: list[Candidate]) -> bool:
    """Whether the statement's source lies inside what another statement reports."""
    assert cand.source is not None
    at = doc.toks[cand.source[0]].start
    return any(o is not cand and any(p <= at < q for p, q in o.parts) for o in others)


BODY_GOES_ON_REACH = 2  # sentences of the reporter's own between a body's statement and "it said" / "they say"


def _speaking_body_goes_on(doc: _Doc, cand: Candidate, last: Candidate) -> Entity | None:
    """ "The NAO urged …. It said …", "The Tories say …. However, they will …. They claim …": "it" or "they"
    as a statement's source goes on with the body that made the statement just before, unless someone else is
    named as a subject, or a group opens a clause, outside that body's own words."""
    body = last.entity
    if body is None or body.kind != "organization" or cand.source is None or last.source is None:
        return None
    a, b = cand.source
    if b - a != 1 or doc.lex.pronouns.get(doc.toks[a].low) not in ("n", "p") or a <= last.source[0]:
        return None
    s_last, s_cand = doc.toks[last.cue_tok].sent, doc.toks[cand.cue_tok].sent
    if s_cand - s_last > BODY_GOES_ON_REACH and (
        not doc.narrative or doc.narrative[s_cand] - doc.narrative[s_last] > BODY_GOES_ON_REACH
    ):
        return None

    def said_by_body(k: int) -> bool:
        return any(s <= doc.toks[k].start < e for s, e in last.parts)

    lo = bisect_right(doc.event_keys, last.source[1] - 1)
    hi = bisect_right(doc.event_keys, a - 1)
    for k in range(lo, hi):
        pos, salience, entity = doc.events[k]
        if entity is not body and salience >= 2 and not said_by_body(pos):
            return None
    for k in range(min(last.source[1], last.cue_tok + 1), a):
        t = doc.toks[k]
        group = t.low in doc.lex.generic_nouns or t.low in doc.lex.roles
        if group and not said_by_body(k) and k not in doc.mentions and _subject_position(doc, k):
            return None  # "Ministers disagree. They say …"
    return body


def _bare_relative(doc: _Doc, source: tuple[int, int]) -> bool:
    a, b = source
    return b - a == 1 and doc.lex.pronouns.get(doc.toks[a].low) == "r"


def _party_name(doc: _Doc, name: str) -> bool:
    """ "Labour", "Tories", "Lib Dems", "Liberal Democrats": a party, as one word or its plural."""
    words = name.lower().split()
    for w in words:  # most names fail on their first word
        if (w[:-3] + "y" if w.endswith("ies") else w.removesuffix("s")) not in doc.lex.parties:
            return False
    return bool(words)


def _resolve_np(doc: _Doc, a: int, b: int) -> tuple[Entity | None, SpeakerKind, tuple[int, int]]:
    toks = doc.toks
    lex = doc.lex
    # the head comes before any apposition or parenthesis, after the last possessive and before any
    # preposition: "Flynn, a top surrogate,", "Putin's spokesman", "advisers to Mr. Obama"
    for k in range(a + 1, b):
        if toks[k].low in (",", "(") or toks[k].low in _DASHES:
            named = _named_in_apposition(doc, a, k, b)
            if named is not None:
                return named, "person", (toks[a].start, toks[b - 1].end)
            b = k
            break
    titled = _name_after_titled_body(doc, a, b)
    if titled is not None:
        return titled, "person", (toks[a].start, toks[b - 1].end)  # "Shadow leader of the Commons Oliver Heald"
    head_a = a
    for k in range(a, b):
        if toks[k].low == "'s":
            head_a = k + 1
    head_b = b
    # "A Department for Work and Pensions spokeswoman": the role at the end is the head, not the body
    role_last = b - head_a > 2 and (toks[b - 1].low in lex.roles or toks[b - 1].low in lex.generic_nouns)
    for k in range(head_a, b):
        m = doc.mentions.get(k)
        participle = not toks[k].cap and toks[k].low.endswith(("ed", "ing")) and toks[k].low not in lex.modifiers
        if k > head_a and participle and not (k + 1 < b and toks[k + 1].low == "by"):
            head_b = k  # "a lawsuit filed in Manhattan" is a lawsuit; "figures revealed by X" are X's
            break
        if role_last and toks[k].low in doc.lex.np_links:
            continue
        if toks[k].low in doc.lex.np_links and not (m is not None and m.kind in ("role", "org", "name")):
            head_b = k
            break
        if (
            toks[k].low in lex.group_places
            and k > head_a
            and (_group_noun(doc, k - 1) or toks[k - 1].low in lex.plain_person_nouns)
        ):
            head_b = k  # "officials in Ohio" are officials, not Ohio; "a man in Leeds" is a man
            break
    if head_a >= head_b:
        head_a, head_b = a, b
    span = (toks[a].start, toks[b - 1].end)
    t = toks[head_a]
    if head_b - head_a == 1 and (t.low in lex.pronouns or t.low in lex.pronoun_gender):
        p = lex.pronouns.get(t.low) or lex.pronoun_gender[t.low]
        mention = (t.start, t.end)
        if p in ("m", "f"):
            m = doc.mentions.get(head_a)
            gender = doc.lex.pronoun_gender.get(t.low, "")
            entity = (
                m.entity
                if m is not None
                else resolve_pronoun(doc, head_a, gender, subordinate_openers=doc.lex.subordinate_openers)
            )
            return entity, "person", mention
        if p == "r":
            entity = _antecedent(doc, head_a)
            kind: SpeakerKind = entity.kind if entity is not None else "unknown"
            return entity, kind if kind != "unknown" else "person", mention
        if p == "n":
            author = _author_of_it(doc, head_a)  # "Mr Crosby's statement said: …. It added: …"
            if author is not None:
                return author, "organization" if author.kind == "organization" else "person", mention
            return None, "organization", mention
        if p == "p" and (body := _body_subject_before(doc, head_a)) is not None:
            return body, "organization", mention  # "Labour says … They say …": the party speaks on
        return None, "person" if p in ("s", "p") else "unknown", mention
    if head_b - head_a == 1 and toks[head_a].low in lex.document_nouns and head_a >= a + 2:
        owner = doc.mentions.get(head_a - 2) if toks[head_a - 1].low == "'s" else None
        if owner is not None and owner.entity is not None and owner.entity.kind == "person":
            return owner.entity, "person", span  # "Mr Crosby's statement said": its author speaks
    # "Protest groups", "Trump supporters": a capitalised word before a plural head only qualifies it
    qualified = head_b - 1 not in doc.mentions and _bare_plural(doc, head_b - 1)
    for k in range(head_b - 1, head_a - 1, -1):
        m = doc.mentions.get(k)
        if m is not None and m.kind != "pronoun" and not m.possessive and not qualified:
            if m.entity is None or _place_not_speaking(doc, m, a, head_a, head_b):
                break
            kind = "organization" if m.entity.kind == "organization" else "person"
            return m.entity, kind, span
    head = toks[head_b - 1].low
    if head_b - head_a == 2 and toks[head_a].low in lex.definite:
        body = _body_named_before(doc, head_a, head)
        if body is not None:
            return body, "organization", span
    if head in lex.authored_documents and (toks[head_a].low in lex.definite or toks[head_a].low in ("its", "their")):
        author = _document_author(doc, head_a, head)
        if author is not None:  # "Oxfam says in a report, …. The report said": Oxfam speaks through it
            return author, "organization" if author.kind == "organization" else "person", span
    if head in lex.document_nouns or head in lex.org_words:
        return None, "organization", span
    if head in lex.generic_nouns or head in lex.roles:
        return None, "person", span
    return None, "unknown", span


AUTHOR_LOOKBACK = 400  # tokens "the report" looks back over for the report its author was named with


def _document_author(doc: _Doc, tok: int, head: str) -> Entity | None:
    """Who speaks through "the report" (or "the book") at `tok`: the author of the last report the article
    named with its author before it ("Oxfam says in a report", "Robert Peston's new book", "a study by X")."""
    singular = head.rstrip("s") if head.endswith("s") and head.rstrip("s") in doc.lex.authored_documents else head
    for k in range(tok - 1, max(-1, tok - AUTHOR_LOOKBACK), -1):
        if doc.toks[k].low in (singular, singular + "s"):
            author = _author_at(doc, k)
            if author is not None:
                return author
    return None


def _author_at(doc: _Doc, k: int) -> Entity | None:
    """The author named with the document noun at k: its owner ("Oxfam's report", "his new book, …, Philippe
    Sands"), "a report by X", or the speaker who "says in a report"."""
    toks = doc.toks
    lex = doc.lex
    j = k - 1
    while j >= 0 and k - j <= 3 and toks[j].low.isalpha() and not toks[j].cap and toks[j].low not in lex.function_words:
        j -= 1  # "new", "final", "year-long" before the noun
    if j < 0:
        return None
    if toks[j].low == "'s":
        m = doc.mentions.get(j - 1)
        ok = m is not None and m.entity is not None and m.kind in ("name", "org", "role")
        return m.entity if ok and m is not None else None
    if toks[j].low in ("his", "her") and toks[j].sent == toks[k].sent:
        return _person_named_with(doc, j, k)
    if k + 2 < len(toks) and toks[k + 1].low == "by":
        m = doc.mentions.get(k + 2)
        return m.entity if m is not None and m.a == k + 2 and m.kind in ("name", "org") else None
    if toks[j].low in ("a", "an", "its", "their") and j >= 1 and toks[j - 1].low == "in" and k + 2 < len(toks):
        m = doc.mentions.get(k + 2)  # "In a new report, the Electoral Commission says"
        if toks[k + 1].low == "," and m is not None and m.a == k + 2 and m.kind in ("name", "org") and m.subject:
            return m.entity
    if toks[j].low in ("a", "an") and j >= 2 and toks[j - 1].low == "in":
        _, verb = _verb_at(doc, j - 2, j - 1)
        m = doc.mentions.get(j - 3)
        if verb is not None and verb.cls == "speech" and m is not None and m.b == j - 2 and m.kind in ("name", "org"):
            return m.entity  # "Oxfam says in a report"
    return None


def _person_named_with(doc: _Doc, pronoun: int, k: int) -> Entity | None:
    """The person "his"/"her" at `pronoun` stands for, in the document's own sentence: the subject named after
    the phrase that opens it ("In his new book, Lawless World, Philippe Sands argues"), else the one before."""
    _, end = sentence_of(doc, pronoun)
    for n in range(k + 1, min(end, k + 12)):
        m = doc.mentions.get(n)
        if m is not None and m.a == n and m.kind == "name" and m.subject and m.entity is not None:
            return m.entity if m.entity.kind == "person" else None
    gender = doc.lex.pronoun_gender.get(doc.toks[pronoun].low, "")
    return resolve_pronoun(doc, pronoun, gender, subordinate_openers=doc.lex.subordinate_openers) if gender else None


def _author_of_it(doc: _Doc, tok: int) -> Entity | None:
    """Who "it" (or "its") speaks for when the sentence before gave a document its author's words ("Mr Crosby's
    statement said: …. It added: …"; "The report said: …. It also points out …"), or its own sentence named the
    document ("… book has prompted speculation with its claims that …")."""
    sent = doc.toks[tok].sent
    for k in range(tok - 1, max(-1, tok - AUTHOR_LOOKBACK), -1):
        if doc.toks[k].sent < sent - 1:
            return None
        low = doc.toks[k].low
        if low in doc.lex.authored_documents and k + 1 < len(doc.toks) and doc.toks[k].quote < 0:
            _, verb = _verb_at(doc, k + 1, len(doc.toks))
            # the document spoke in the sentence before, or "it" is in the document's own sentence ("Robert
            # Peston's new book has prompted speculation with its claims that …")
            if doc.toks[k].sent == sent or (verb is not None and verb.cls == "speech"):
                owner = _author_at(doc, k)
                if owner is None and k > 0 and doc.toks[k - 1].low in doc.lex.definite:
                    owner = _document_author(doc, k - 1, low)
                return owner
    return None


def _name_after_titled_body(doc: _Doc, a: int, b: int) -> Entity | None:
    """The person named at the end of an office and the body it is of, written before the name with no comma:
    "Shadow leader of the Commons Oliver Heald" (but "advisers to Mr. Obama" are the advisers)."""
    toks = doc.toks
    last = doc.mentions.get(b - 1)
    if last is None or last.b != b or last.kind != "name" or last.entity is None or last.a <= a + 2:
        return None
    before = toks[last.a - 1]
    body_word = before.cap or before.low in doc.lex.org_words  # "of the Commons", "of the Commons committee"
    if last.entity.kind == "organization" or not body_word or before.low in doc.lex.roles:
        return None
    of = next((k for k in range(a + 1, last.a - 1) if toks[k].low == "of"), None)
    if of is None or not any(toks[k].low in doc.lex.roles for k in range(a, of)):
        return None
    return last.entity


def _place_not_speaking(doc: _Doc, m: Mention, a: int, head_a: int, head_b: int) -> bool:
    """A place that only qualifies the source: "the UK elections watchdog" is the watchdog, not the UK (but
    "the UK government" is the UK's); "Brown's Britain" is a book's title, owned by someone, not the country."""
    place = m.kind == "place" or (m.entity is not None and m.entity.name.lower() in doc.lex.countries)
    if not place:
        return False
    if head_a > a:
        return True
    return m.b < head_b and doc.toks[head_b - 1].low not in doc.lex.state_nouns


BODY_REACH = 4  # sentences of the reporter's own "the party" looks back over for the party


def _body_named_before(doc: _Doc, tok: int, head: str) -> Entity | None:
    """The organisation "the party", "the newspaper" or "the committee" stands for: the last one named within
    BODY_REACH sentences that is of that kind (a party; a paper; a body whose name ends in that word), one
    named as a subject before one named in passing ("the UK Independence Party could sue … Mr Kilroy-Silk's
    Veritas Party. The party argues …")."""
    sent = doc.toks[tok].sent
    end = bisect_right(doc.event_keys, tok - 1)
    passing: Entity | None = None
    for k in range(end - 1, max(-1, end - 60), -1):
        pos, salience, entity = doc.events[k]
        if sent - doc.toks[pos].sent > BODY_REACH and (
            not doc.narrative or doc.narrative[sent] - doc.narrative[doc.toks[pos].sent] > BODY_REACH
        ):
            break
        if entity.kind == "person" or not _body_of_kind(doc, entity, head):
            continue  # a party named only in passing ("Labour's campaign") is still a party
        if salience >= 2:
            return entity
        passing = passing or entity
    return passing or _only_body_of_kind(doc, end, head)


def _only_body_of_kind(doc: _Doc, end: int, head: str) -> Entity | None:
    """Beyond reach, "the party" is still the party when the article named no other before it."""
    bodies = {
        organisation_key(entity.name): entity
        for _, _, entity in doc.events[:end]
        if entity.kind != "person" and _body_of_kind(doc, entity, head)
    }
    return next(iter(bodies.values())) if len(bodies) == 1 else None


def _body_of_kind(doc: _Doc, entity: Entity, head: str) -> bool:
    lex = doc.lex
    last = entity.name.lower().split()[-1] if entity.name.split() else ""
    if head == "party":
        return _party_name(doc, entity.name) or last == "party"
    if head in lex.press_nouns:
        return last in lex.press_names
    return head in lex.org_words and last == head


def _named_in_apposition(doc: _Doc, a: int, comma: int, b: int) -> Entity | None:
    """ "UKIP's leader, Roger Knapman,": a role with no name, then the person's name set off after it."""
    if any((m := doc.mentions.get(k)) is not None and m.kind == "name" for k in range(a, comma)):
        return None
    if not any(doc.toks[k].low in doc.lex.roles or doc.toks[k].low in doc.lex.generic_nouns for k in range(a, comma)):
        return None
    m = doc.mentions.get(comma + 1)
    if m is None or m.a != comma + 1 or m.kind != "name" or m.entity is None or m.entity.kind == "organization":
        return None
    if m.b < b and doc.toks[m.b].low not in (",", ")") and doc.toks[m.b].low not in _DASHES:
        return None
    return m.entity


def _body_subject_before(doc: _Doc, tok: int) -> Entity | None:
    """The organisation "they" stands for: the last mention before it, within the sentence before, is a body
    named as a subject ("Labour says …. They say …"); any person or group named since makes it unsure."""
    sent = doc.toks[tok].sent
    end = bisect_right(doc.event_keys, tok - 1)
    for k in range(end - 1, max(-1, end - 6), -1):
        pos, salience, entity = doc.events[k]
        if sent - doc.toks[pos].sent > 1:
            return None
        if entity.kind == "organization" and salience >= 2:
            return entity
        if entity.kind != "organization":
            return None
    return None


def _antecedent(doc: _Doc, rel: int) -> Entity | None:
    """The entity a relative "who" refers to: a name or role right before it ("Mr. King, who said …");
    a common noun there ("listeners who said") names nobody in particular."""
    k = rel - 1
    if k >= 0 and doc.toks[k].low == ",":
        k -= 1
    m = doc.mentions.get(k) if k >= 0 else None
    if m is not None and m.entity is not None and not m.possessive and m.b == k + 1:
        return m.entity
    return None


def _resolve_participle(doc: _Doc, cand: Candidate, cands: list[Candidate]) -> None:
    """The speaker of `…, claiming that …` is the nearest person subject before it in the sentence, else
    the source of the statement the sentence already reports."""
    a, _ = sentence_of(doc, cand.cue_tok)
    # "Carson said he saw no need …, telling …": Carson tells, not the "he" of his words; but in "The record
    # reveals that Putin wanted …, saying …" only the subject inside the clause is a person
    for embedded_too in (False, True):
        for k in range(cand.cue_tok - 1, a - 1, -1):
            if _in_long_quote(doc, k):
                continue
            m = doc.mentions.get(k)
            if m is None or m.entity is None or not m.subject or m.entity.kind == "organization":
                continue
            if m.kind in ("name", "pronoun", "role") and (embedded_too or not _embedded_subject(doc, m.a, a)):
                cand.entity, cand.kind = m.entity, "person"
                cand.mention = (doc.toks[m.a].start, doc.toks[m.b - 1].end)
                cand.entity.spoke = True
                return
    for other in cands:
        if other is cand or other.how == "participle" or other.cue_tok > cand.cue_tok:
            continue
        if doc.toks[other.cue_tok].sent == doc.toks[cand.cue_tok].sent and other.mention is not None:
            cand.entity, cand.kind, cand.mention = other.entity, other.kind, other.mention
            return
    for k in range(a, cand.cue_tok):
        m = doc.mentions.get(k)
        if m is not None and m.subject and m.entity is not None:
            cand.entity = m.entity
            cand.kind = "organization" if m.entity.kind == "organization" else "person"
            cand.mention = (doc.toks[m.a].start, doc.toks[m.b - 1].end)
            return
    subject = _clause_subject(doc, a, cand.cue_tok)
    thing = subject is not None and _plain_noun(doc, subject[1] - 1) and not _bare_plural(doc, subject[1] - 1)
    if subject is not None and not thing:  # "The poster shows him saying …": a thing says nothing
        # "Several Democrats cautioned against it, saying …", "The magazine has been outspoken, arguing …"
        cand.entity, cand.kind, cand.mention = _resolve_np(doc, *subject)
        if cand.entity is not None:
            cand.entity.spoke = True


def _embedded_subject(doc: _Doc, k: int, a: int) -> bool:
    """Whether the subject at k opens a clause inside another: after a speech verb ("said he saw"), "that",
    a subordinator ("after he clinched"), a relative or a question word ("which he said", "what he meant")."""
    if k <= a:
        return False
    prev = doc.toks[k - 1]
    lex = doc.lex
    if prev.low in lex.complementizers or prev.low in lex.subordinators or prev.low in lex.relatives:
        return True
    if prev.low in lex.question_starters and not prev.cap:
        return True
    return prev.low in lex.verb_words and not prev.cap


_FINITE_ENDINGS = ("ed",)


def _clause_subject(doc: _Doc, a: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase that opens the sentence as its subject: what stands before its first verb (an
    auxiliary, a verb the lexicon knows, or a past form), if that is a whole source phrase."""
    toks = doc.toks
    lex = doc.lex
    start = _clause_start(doc, a, limit)
    for k in range(start + 1, min(limit, start + NP_WINDOW + APPOSITION_WINDOW)):
        t = toks[k]
        if t.cap or _in_long_quote(doc, k) or t.low in (";", ":") or t.low in _TERMINAL:
            continue
        verbal = t.low in lex.skip or t.low in lex.be_forms or t.low in lex.have_forms or t.low in lex.modals
        verbal = verbal or t.low in lex.verb_words or (t.low.endswith(_FINITE_ENDINGS) and t.low.isalpha())
        if not verbal or toks[k - 1].low in ("'s", "’s"):
            continue
        found = _source_before(doc, k, start)
        if found is not None and found[0] == start and doc.toks[found[0]].low not in lex.relatives:
            return found
        if toks[k - 1].low != ",":
            return None  # the first verb follows no subject phrase
    return None


def _drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """A statement inside another by the same speaker ("…, according to him, …") is part of it."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Candidate] = []
    for cand in cands:
        nested = False
        for other in kept[-8:]:
            if other.start <= cand.start and cand.end <= other.end and other is not cand:
                same = other.entity is not None and other.entity is cand.entity
                if same or (cand.entity is None and cand.mention is not None and not cand.direct and other.direct):
                    nested = True
                    break
                if cand.start == other.start and cand.end == other.end:
                    nested = True
                    break
        if not nested:
            kept.append(cand)
    return kept


# ---------------------------------------------------------------------------------------------- API


def _classify_scare(doc: _Doc) -> None:
    """Short quoted words inside a sentence are scare quotes unless a cue is attached to them."""
    toks = doc.toks
    starts = doc.starts
    for span in doc.spans:
        if span.words > SCARE_WORDS or len(span.parts) > 1:
            continue
        inside = doc.text[span.start : span.end].rstrip()
        open_tok = bisect_right(starts, span.open_at) - 1
        before = toks[open_tok - 1].low if open_tok > 0 else ""
        close_tok = bisect_right(starts, span.close_at) - 1 if span.close_at >= 0 else -1
        after = toks[close_tok + 1].low if 0 <= close_tok < len(toks) - 1 else ""
        attached = before in (":",) or (inside[-1:] in ",?!" and after not in ("",)) or after == ","
        # `“Here he is,” she said. “Come in.”`: a whole sentence in quotation marks is no scare quote
        attached = attached or (before in _TERMINAL and inside[-1:] in ".!?" and len(span.parts) == 1)
        if not attached:
            span.scare = True
            for s, e in span.parts:
                for k in range(bisect_right(starts, s - 1), bisect_right(starts, e - 1)):
                    toks[k].scare = True
            for pos in (span.open_at, span.close_at):
                k = bisect_right(starts, pos) - 1
                if pos >= 0 and 0 <= k < len(toks) and toks[k].start == pos:
                    toks[k].scare = True


# offices a headline's subject ("Blair defends …") holds when the text gives them to nobody else; not
# "chancellor" or "leader", which many hold at once
_HEAD_ROLES = frozenset({"president", "prime minister", "premier", "head of state", "head of government"})


def _read_names(doc: _Doc) -> None:
    _classify_scare(doc)
    _entity_pass(doc)
    _resolve_roles_forward(doc)


def _keep_text(doc: _Doc, text: str) -> str:
    return text  # English attributions split a quote into parts; there is nothing inside to drop


def _one_statement_per_span(direct: list[Candidate], reported: list[Candidate]) -> list[Candidate]:
    return _drop_nested(direct + reported)


# A peer is known by the title and one name ("Lord Falconer"): the name alone reads as a surname nobody uses.
_PEERAGE_TITLES = ("Lord", "Lady", "Baroness", "Baron", "Viscount", "Earl")


def _shown_name(entity: Entity) -> str:
    """The name /quotes and /people show: the name as the article gives it, with a peer's title when the
    article names the peer by no first name ("Lord Falconer", not "Falconer")."""
    if entity.kind != "person" or entity.first or " " in entity.name:
        return entity.name
    for form in entity.forms:
        for title in _PEERAGE_TITLES:
            if f" {title} {entity.name} " in f" {form} ":  # "Liberal Democrat peer Lord Carlile"
                return f"{title} {entity.name}"
    return entity.name


ENGLISH: Language[_Lexicon] = Language(
    code="en",
    lexicon=_lexicon,
    tokenize=_tokenize,
    pair_quotes=lambda text, lex: _pair_quotes(text),
    read_names=_read_names,
    direct_candidates=_direct_candidates,
    reported_candidates=_reported_candidates,
    link_followers=_link_quotes_and_speech,
    resolve_speakers=_resolve,
    one_statement_per_span=_one_statement_per_span,
    drop_inner_attribution=_keep_text,
    shown_name=_shown_name,
    pronouns=lambda lex: lex.pronouns,
    cue_words=lambda lex: lex.verb_words,
    head_roles=lambda lex: _HEAD_ROLES,
    surname_form=lambda word: False,  # English surnames have no form of their own
    thought_is_position=False,
)
