"""The quote pipeline, written once for every language.

read the article (tokens, quote marks, sentences, the people and organisations it names)
  → direct candidates (quoted spans with an attribution next to them)
  → reported candidates (a cue with its content clause and its source phrase)
  → followers (quotes that go on a quote already attributed)
  → speakers (each source phrase resolved to a person or organisation)
  → one statement per span (nested and overlapping candidates merged)
  → quotes with a score, and the people who spoke.

A `Language` supplies only what differs between languages: its lexicon, how words and quote marks are read,
its rules for cues, sources and boundaries, and how a name is shown.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic

from analysis.quotes.headline import (
    headline_quote,
    headline_subject,
    paragraph_statements,
    resolve_head_roles,
    resolve_headline_role,
    title_quote,
)
from analysis.quotes.model import MAX_CHARS, MAX_QUOTES, SCARE_WORDS, Candidate, Doc, Entity, LexiconT, Span, Token
from analysis.sentences import split_sentences, token_sentences
from analysis.types import Person, Quote, QuoteKind, Sentence, SpeakerKind

_QUOTE_MARK = re.compile('["“”«»„]')


@dataclass(frozen=True, slots=True)
class Language(Generic[LexiconT]):
    code: str
    lexicon: Callable[[], LexiconT]
    tokenize: Callable[[str, LexiconT], list[Token]]
    pair_quotes: Callable[[str, LexiconT], list[Span]]
    read_names: Callable[[Doc[LexiconT]], None]  # the entity pass: names, roles, pronouns in reading order
    direct_candidates: Callable[[Doc[LexiconT]], list[Candidate]]
    reported_candidates: Callable[[Doc[LexiconT], list[Candidate]], list[Candidate]]
    link_followers: Callable[[Doc[LexiconT], list[Candidate], list[Candidate]], list[Candidate]]
    resolve_speakers: Callable[[Doc[LexiconT], list[Candidate]], None]
    one_statement_per_span: Callable[[list[Candidate], list[Candidate]], list[Candidate]]
    drop_inner_attribution: Callable[[Doc[LexiconT], str], str]  # «…, — сказал он. — …» loses the middle
    shown_name: Callable[[Entity], str]
    pronouns: Callable[[LexiconT], Collection[str]]
    cue_words: Callable[[LexiconT], Collection[str]]  # single-word cues: "Путин заявил: …" names no speaker
    head_roles: Callable[[LexiconT], frozenset[str]]  # offices the headline's subject may hold in the text
    surname_form: Callable[[str], bool]  # a word that is a surname by its form alone ("Путин", "Шойгу": no)
    # a body the language's lexicon knows by these words ("МЧС", "Минобороны"), beyond the shared aliases
    known_body: Callable[[str, LexiconT], str | None] = lambda words, lex: None
    # the headline is a sentence of the text ("Посол обвинил Украину в …", "X заявила, что …"), read by the same
    # rules; English headlines are headlinese ("Blair defends …") and are only read for "X: …" and "… - X"
    headline_is_sentence: bool = False
    # nouns that name sources nobody is meant to know ("источник", "эксперты"): no role of a named person
    unnamed_sources: Callable[[LexiconT], Collection[str]] = lambda lex: ()
    # Russian news gives a named source's stated position as "считает"; in English "believes", "hopes",
    # "wants to" report a thought, said only when the person's own words are quoted in it
    thought_is_position: bool = True


def extract(
    text: str,
    sentences: Sequence[Sentence],
    language: Language[Any],
    title: str | None = None,
    every_attribution: bool = False,
) -> tuple[list[Quote], list[Person]]:
    """Direct and reported quotes of an article with their speakers, and the people it names; the headline,
    when given, adds the statement it carries and the person it is about. Attributions that are no statement
    (thoughts, topics, polls) are left out, or kept with their kind when `every_attribution` asks for them."""
    if not text or not text.strip():
        return [], []
    lead = _headline_lead(title, language)
    read_out = read(lead + text[:MAX_CHARS], _after_lead(sentences, lead, language.code), language)
    if read_out is None:
        return [], []
    doc, sent_index = read_out
    direct = language.direct_candidates(doc)
    reported = language.reported_candidates(doc, direct)
    direct = language.link_followers(doc, direct, reported)
    candidates = direct + reported
    language.resolve_speakers(doc, candidates)
    for cand in paragraph_statements(
        doc,
        language.code,
        language.shown_name,
        language.cue_words(doc.lex),
        language.surname_form,
        lambda words: language.known_body(words, doc.lex),
        candidates,
    ):
        (direct if cand.direct else reported).append(cand)
    if lead:
        resolve_headline_role(doc, candidates, len(lead), language.unnamed_sources(doc.lex))
    subject = headline_subject(doc, title, language.code, language.shown_name, language.surname_form) if title else None
    if subject is not None:
        resolve_head_roles(doc, candidates, subject, language.head_roles(doc.lex))
    for cand in reported:
        cand.what = _attribution_kind(doc, cand, language.thought_is_position)
    others = [c for c in reported if c.what != "statement" and c.mention is not None] if every_attribution else []
    reported = [c for c in reported if c.what == "statement"]
    inherit_followers(direct)
    # a statement nobody can be named for ("…, claiming that …" with no subject in sight) is left out
    direct = [c for c in direct if c.mention is not None]
    reported = [c for c in reported if c.mention is not None]
    candidates = language.one_statement_per_span(direct, reported)
    candidates = (candidates + _beside(language.one_statement_per_span([], others), candidates))[:MAX_QUOTES]
    quotes = build_quotes(doc, candidates, sent_index, language)
    said = None
    if title:
        said = headline_quote(
            doc,
            title,
            language.code,
            language.shown_name,
            language.cue_words(doc.lex),
            language.surname_form,
            lambda words: language.known_body(words, doc.lex),
        )
        if said is not None:
            said[0].spoke = True
    if lead:
        quotes = _off_the_lead(quotes, len(lead), keep_title=said is None)
    if said is not None:
        quotes.insert(0, title_quote(*said, shown_name=language.shown_name))
    return quotes, people(doc, language)


def _headline_lead(title: str | None, language: Language[Any]) -> str:
    """The headline as the text's first paragraph, for a language whose headlines are sentences."""
    if not title or not language.headline_is_sentence:
        return ""
    return " ".join(title.split()) + "\n\n"


def _after_lead(sentences: Sequence[Sentence], lead: str, language: str) -> list[Sentence]:
    """The text's sentences moved past the headline, which is read as one more sentence before them."""
    if not lead:
        return list(sentences)
    shift = len(lead)
    moved = [replace(s, start=s.start + shift, end=s.end + shift) for s in sentences]
    headline = [replace(s, index=-1, paragraph=-1) for s in split_sentences(lead.strip(), language)]
    return [*headline, *moved] if moved else []


def _off_the_lead(quotes: list[Quote], shift: int, keep_title: bool) -> list[Quote]:
    """Quotes placed back in the text without the headline; one said in the headline is marked so (its offsets
    0, as for every headline statement), or left out when the headline already gave its statement otherwise."""
    out: list[Quote] = []
    for q in quotes:
        if q.start < shift:
            if keep_title and q.end <= shift:
                out.append(replace(q, start=0, end=0, parts=(), mention_start=-1, mention_end=-1, in_title=True))
            continue
        out.append(_shifted(q, -shift))
    return out


def _shifted(q: Quote, by: int) -> Quote:
    parts = tuple((s + by, e + by) for s, e in q.parts)
    ms, me = (q.mention_start + by, q.mention_end + by) if q.mention_start >= 0 else (-1, -1)
    return replace(q, start=q.start + by, end=q.end + by, parts=parts, mention_start=ms, mention_end=me)


def _beside(extra: list[Candidate], kept: list[Candidate]) -> list[Candidate]:
    """The attributions of other kinds that overlap no statement kept: a statement is never displaced."""
    return [c for c in extra if not any(c.start < k.end and k.start < c.end for k in kept)]


def _attribution_kind(doc: Doc[Any], cand: Candidate, thought_is_position: bool) -> QuoteKind:
    """What a reported attribution is: a statement, or one of the kinds /quotes does not show."""
    if cand.cls in ("poll", "record"):
        return "poll" if cand.cls == "poll" else "record"
    if not cand.statement:
        return "topic"
    return "thought" if _unvoiced_thought(doc, cand, thought_is_position) else "statement"


def _unvoiced_thought(doc: Doc[Any], cand: Candidate, thought_is_position: bool) -> bool:
    """ "Britons believe …", "critics fear …": a thought of a group or of nobody named is no statement; where
    the language reports positions as thoughts, a named person's or a body's ("Путин считает, что …") is its
    position. Elsewhere a thought is a statement only when it quotes the thinker's own words ("wants to see
    "proper health checks""); a lone quoted word is a label the reporter borrowed."""
    if cand.cls != "cognition":
        return False
    if not thought_is_position:
        return not any(cand.start <= span.start and span.end <= cand.end and span.words > 1 for span in doc.spans)
    if cand.kind == "organization":
        return False
    entity = cand.entity
    if entity is None:
        return True
    return entity.kind != "organization" and not (entity.evidence or " " in entity.name)


def read(text: str, sentences: Sequence[Sentence], language: Language[Any]) -> tuple[Doc[Any], list[int]] | None:
    """The article as the rules read it, and the index in `sentences` of each of its sentences."""
    lex = language.lexicon()
    toks = language.tokenize(text, lex)
    if not toks:
        return None
    starts = [t.start for t in toks]
    bounds, sent_index = token_sentences(toks, starts, sentences, text)
    spans = language.pair_quotes(text, lex)
    mark_spans(toks, starts, spans)
    lower_vocab = {t.low for t in toks if t.text.islower()}
    capital_words = {t.low for a, b in bounds for t in toks[a + 1 : b] if t.cap and t.text[0].isalpha()}
    doc: Doc[Any] = Doc(text, toks, lex, bounds, spans, starts, lower_vocab, capital_words)
    doc.narrative = narrative_positions(toks, bounds)
    language.read_names(doc)
    return doc, sent_index


def narrative_positions(toks: list[Token], bounds: list[tuple[int, int]]) -> list[int]:
    """For each sentence, the number of the reporter's own sentences before it; a sentence whose words are
    all inside a long quotation is not one of them."""
    positions: list[int] = []
    count = 0
    for a, b in bounds:
        positions.append(count)
        quoted = False  # a word seen, and every word so far inside a long quotation
        for k in range(a, b):
            t = toks[k]
            if t.low[:1].isalnum():
                if not t.long_quote:
                    quoted = False
                    break
                quoted = True
        if not quoted:
            count += 1
    return positions


def mark_spans(toks: list[Token], starts: list[int], spans: list[Span]) -> None:
    """Tell each token which quoted span it lies in (the marks belong to the span too; a span nested in an
    earlier one keeps only its own new words) and count the span's words."""
    for sid, span in enumerate(spans):
        claimed: list[Token] = []
        words = 0
        for s, e in span.parts:
            for k in range(bisect_right(starts, s - 1), bisect_right(starts, e - 1)):
                t = toks[k]
                if t.quote < 0:
                    t.quote = sid
                    claimed.append(t)
                    if t.low[0].isalnum():
                        words += 1
        span.words = words
        if words > SCARE_WORDS:  # a token claimed here is marked by no earlier span
            for t in claimed:
                t.long_quote = True
        for pos in (span.open_at, span.close_at):
            if pos >= 0:
                k = bisect_right(starts, pos) - 1
                if 0 <= k < len(toks) and toks[k].start == pos and toks[k].quote < 0:
                    toks[k].quote = sid


def inherit_followers(quoted: list[Candidate]) -> None:
    """A quote that only goes on ("…," he said. "…") has the speaker of the quote before it, in reading order,
    whether that one was wholly quoted or a quote mixed into reported speech."""
    last: Candidate | None = None
    for cand in quoted:
        if cand.how == "follow" and last is not None:
            cand.entity, cand.kind, cand.mention = last.entity, last.kind, last.mention
        else:
            last = cand


def quote_text(doc: Doc[Any], cand: Candidate) -> str:
    """The statement's words on one line; the parts of a quote split by its attribution joined again."""
    out = ""
    previous_end = -1
    for s, e in cand.parts:
        piece = " ".join(doc.text[s:e].split()).strip()
        paragraph_break = "\n" in doc.text[previous_end:s] if previous_end >= 0 else False
        previous_end = e
        if not piece:
            continue
        if not out:
            out = piece
        elif paragraph_break and out[-1].isalnum() and piece[:1].isupper():
            out = f"{out}. {piece}"  # a part that ends its paragraph ends its sentence
        elif out[-1] == "," and piece[:1].isupper():
            out = out[:-1] + ". " + piece
        elif out[-1] == "," and piece[:1].islower():
            out = out[:-1] + " " + piece
        elif out[-2:-1] == "," and out[-1] in "'’" and piece[:1].isupper():
            out = f"{out[:-2]}.{out[-1]} {piece}"  # `I said: 'Enough,'` then "And …": a nested quote ends it
        else:
            out = f"{out} {piece}"
    return out.strip(" ,;:—–-")


def score(cand: Candidate, text: str, named: bool) -> float:
    """How strong a key quote it is: direct, by a named person, of a readable length, a real statement."""
    words = len(text.split())
    value = 0.35 if cand.direct else 0.0
    if cand.entity is not None:
        value += 0.3 if cand.kind == "person" and named else (0.25 if cand.kind == "person" else 0.15)
    if 10 <= words <= 35:
        value += 0.25
    elif 6 <= words <= 60:
        value += 0.15
    elif words > 3:
        value += 0.05
    if cand.cls == "topic":
        value -= 0.15
    elif cand.cls in ("cognition", "evidence"):
        value -= 0.05
    if _QUOTE_MARK.search(text):
        value += 0.05
    return round(max(0.0, min(1.0, value)), 3)


def build_quotes(
    doc: Doc[Any], candidates: list[Candidate], sent_index: list[int], language: Language[Any]
) -> list[Quote]:
    quotes: list[Quote] = []
    pronouns = language.pronouns(doc.lex)
    for cand in sorted(candidates, key=lambda c: c.start):
        text = quote_text(doc, cand)
        if cand.direct:
            text = language.drop_inner_attribution(doc, text)
        if len(text.split()) < 2 and not _whole_utterance(doc, cand):
            continue
        ms, me = cand.mention if cand.mention is not None else (-1, -1)
        mention = doc.text[ms:me] if ms >= 0 else ""
        entity = cand.entity
        kind: SpeakerKind = cand.kind
        if entity is not None:
            kind = "organization" if entity.kind == "organization" else "person"
        named = bool(mention) and entity is not None and mention[:1].isupper() and mention.lower() not in pronouns
        k = bisect_right(doc.starts, cand.start) - 1
        s = doc.toks[k].sent if k >= 0 else -1
        quotes.append(
            Quote(
                text=text,
                start=cand.start,
                end=cand.end,
                direct=cand.direct,
                mention=mention,
                speaker=language.shown_name(entity) if entity is not None else None,
                speaker_kind=kind,
                cue=cand.cue,
                sentence_index=sent_index[s] if 0 <= s < len(sent_index) else -1,
                mention_start=ms,
                mention_end=me,
                score=score(cand, text, named),
                parts=tuple(cand.parts) if len(cand.parts) > 1 else (),
                kind=cand.what,
            )
        )
    return quotes


def _whole_utterance(doc: Doc[Any], cand: Candidate) -> bool:
    """A one-word direct quote that is all the speaker said (`"Denver," he answered`, `"No!" she shouted`):
    its punctuation stands inside the marks, so it is an utterance, not a word the reporter borrowed."""
    if not cand.direct or len(cand.parts) != 1:
        return False
    s, e = cand.parts[0]
    inside = doc.text[s:e].rstrip()
    return inside[-1:] in (",", "!", "?", ".") and inside[:1].isupper()


def aliases(entity: Entity, name: str) -> tuple[str, ...]:
    """Other forms of the name, once each: a role that opens a sentence ("The President of Russia") is
    the same alias as in mid-sentence."""
    seen = {name.lower()}
    out: list[str] = []
    for form in entity.forms:
        if form.startswith("The ") and entity.kind == "person":
            form = "the " + form[4:]
        if form.lower() not in seen:
            seen.add(form.lower())
            out.append(form)
    return tuple(out)


def people(doc: Doc[Any], language: Language[Any]) -> list[Person]:
    """The people and organisations that spoke, or that the article shows to be people."""
    found: list[Person] = []
    for entity in doc.entities:
        if entity.kind == "unknown" or not entity.mentions:
            continue
        if entity.kind == "organization" and not entity.spoke:
            continue
        if entity.kind == "person" and not (entity.spoke or entity.evidence):
            continue
        name = language.shown_name(entity)
        found.append(Person(name, entity.kind, aliases(entity, name), entity.mentions))
    found.sort(key=lambda p: -p.mentions)
    return found
