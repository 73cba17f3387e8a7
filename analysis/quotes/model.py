"""The one model of the quote engine, shared by every language: tokens, quoted spans, the people and
organisations an article names (entities) and the words that name them (mentions), candidate statements and
the document that holds them while the pipeline runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from analysis.types import QuoteKind, SpeakerKind

MAX_CHARS = 300_000  # beyond this an "article" is a dump; its head is analysed
MAX_QUOTES = 1_000
SCARE_WORDS = 3  # quoted spans this short, not attached to a cue, are names or scare quotes

LexiconT = TypeVar("LexiconT")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    low: str  # lower case, normalised ("’s" -> "'s", "ё" -> "е")
    cap: bool
    sent: int = -1  # the sentence it lies in
    quote: int = -1  # the quoted span it lies in
    scare: bool = False  # inside a scare quote: read as part of the sentence
    long_quote: bool = False  # inside the words of a quote longer than SCARE_WORDS


@dataclass(slots=True)
class Span:
    """A quoted span: the characters inside its marks, one part per paragraph it runs over."""

    parts: list[tuple[int, int]]
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark, -1 when the quote stops at a paragraph end
    words: int = 0
    scare: bool = False
    attributed: bool = False

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@dataclass(slots=True)
class Entity:
    """A person or organisation the article names, with everything the article told about it."""

    kind: SpeakerKind
    name: str
    first: str = ""
    middle: tuple[str, ...] = ()
    last: str = ""
    gender: str = ""
    roles: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)  # the bodies those roles are in ("генсек НАТО": NATO)
    countries: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    forms: dict[str, None] = field(default_factory=dict)  # the surface forms seen, in order
    # the name as it should be shown: (confidence, the words as written, the case they were read in)
    shown: tuple[int, tuple[str, ...], str | None] = (-1, (), None)
    mentions: int = 0
    first_pos: int = 0
    evidence: bool = False  # a title, role or given name says it is a person
    spoke: bool = False


@dataclass(slots=True)
class Mention:
    """Words that name an entity: token range [a, b)."""

    a: int
    b: int
    kind: str  # name | org | place | role | pronoun | title
    entity: Entity | None
    subject: bool = False
    possessive: bool = False
    role: str = ""
    country: str = ""
    party: str = ""
    name_a: int = -1  # the name's own tokens inside the mention (after its roles)
    governed: bool = False  # after a preposition: never a speaker
    outlet: str = ""  # a news outlet inside an unnamed source: "источники Reuters"
    body: str = ""  # the first body inside it: "представители Пентагона"


@dataclass(slots=True)
class Candidate:
    """A statement found at a cue: its content, the cue and the source phrase, then its resolved speaker."""

    direct: bool
    parts: list[tuple[int, int]]  # content character spans
    cue: str
    cue_tok: int
    source: tuple[int, int] | None  # token range of the source phrase
    how: str = "np"  # np | participle | gerund | follow | colon | locative | signed (a headline "… — губернатор")
    cls: str = "speech"  # speech | evidence | cognition | topic | poll | record
    person: str = "s"  # what the cue verb agrees with
    case: str = "nom"  # the case the source phrase is read in
    entity: Entity | None = None
    kind: SpeakerKind = "unknown"
    mention: tuple[int, int] | None = None  # character span of the mention
    span_ids: tuple[int, ...] = ()  # quoted spans it covers
    statement: bool = True  # False: only what was talked about ("outlined his plan"), not what was said
    what: QuoteKind = "statement"  # what the attribution reports, once the pipeline has judged it

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


@dataclass(slots=True)
class Doc(Generic[LexiconT]):
    text: str
    toks: list[Token]
    lex: LexiconT
    bounds: list[tuple[int, int]]  # token range of each sentence
    spans: list[Span]
    starts: list[int]  # start offset of each token
    lower_vocab: set[str]  # words the text writes in lower case
    capital_words: set[str]  # words the text writes with a capital inside sentences
    entities: list[Entity] = field(default_factory=list)
    mentions: dict[int, Mention] = field(default_factory=dict)  # every token of a mention -> mention
    events: list[tuple[int, int, Entity]] = field(default_factory=list)  # (token, salience, entity)
    event_keys: list[int] = field(default_factory=list)
    surnames: set[str] = field(default_factory=set)  # of the people found so far
    # per sentence: how many sentences of the reporter's own (not wholly inside a quotation) come before it,
    # so that a long quotation does not push its speaker out of a pronoun's reach
    narrative: list[int] = field(default_factory=list)
