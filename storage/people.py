"""One row per person in a chat's archive, under the fullest name the archive knows.

An article that says only "Putin" and another that says "Vladimir Putin" are about one person: when the
shorter form fits one fuller name the chat knows (`analysis.people.fullest_name`), its row is merged into the
fuller one, whichever article came first, and its statements and timeline events are shown under the fuller
name. A surname two known people share ("Clinton" beside Bill and Hillary Clinton) stays a row of its own.

`merge_forms` runs inside the transaction that stores an article, on the names that article brought;
`regroup_chat` runs once over a whole archive (the people_names migration) with today's rules for names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from analysis.people import fullest_name, language_of_name, name_tokens, speaker_form
from storage.base import Conn

# Probing a surname that half the archive shares stays bounded: the fuller names of one surname a chat knows.
_PROBE_LIMIT = 200


async def merge_person(conn: Conn, chat_id: int, source_id: int, target_id: int) -> None:
    """Move everything of person `source_id` to `target_id` (statements, events, lookup keys) and delete it."""
    async with conn.execute("SELECT name FROM people WHERE id = ?", (source_id,)) as cur:
        source = await cur.fetchone()
    async with conn.execute("SELECT name, kind FROM people WHERE id = ?", (target_id,)) as cur:
        target = await cur.fetchone()
    if source is None or target is None or source_id == target_id:
        return
    await conn.execute(
        "UPDATE quotes SET person_id = ?, speaker = ?, speaker_kind = ? WHERE person_id = ?",
        (target_id, target[0], target[1], source_id),
    )
    await conn.execute(
        "UPDATE events SET speaker = ? WHERE chat_id = ? AND speaker = ?", (target[0], chat_id, source[0])
    )
    await conn.execute(
        "INSERT INTO person_keys (chat_id, key, person_id) SELECT chat_id, key, ? FROM person_keys "
        "WHERE person_id = ? ON CONFLICT DO NOTHING",
        (target_id, source_id),
    )
    await conn.execute("DELETE FROM people WHERE id = ?", (source_id,))


async def _probe(conn: Conn, chat_id: int, names: Iterable[str]) -> dict[int, str]:
    """The chat's people who may be another form of one of `names`: the same surname or first name."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    for name in names:
        words = name_tokens(name, language_of_name(name))
        if words:
            keys |= {words[0], words[-1]}
        if len(words) == 1 and name.split():
            prefixes.add(name.split()[-1] + " ")  # "Digby" may be the first name of a stored "Digby Jones"
    found: dict[int, str] = {}
    for key in sorted(keys):
        async with conn.execute(
            "SELECT p.id, p.name FROM person_keys k CROSS JOIN people p "
            "WHERE p.id = k.person_id AND k.chat_id = ? AND k.key = ? AND p.kind = 'person' LIMIT ?",
            (chat_id, key, _PROBE_LIMIT),
        ) as cur:
            found.update({r[0]: r[1] for r in await cur.fetchall()})
    for prefix in sorted(prefixes):
        async with conn.execute(
            "SELECT id, name FROM people WHERE chat_id = ? AND name >= ? AND name < ? AND kind = 'person' LIMIT ?",
            (chat_id, prefix, prefix + "\U0010ffff", _PROBE_LIMIT),
        ) as cur:
            found.update({r[0]: r[1] for r in await cur.fetchall()})
    return found


async def merge_forms(conn: Conn, chat_id: int, names: Iterable[str]) -> int:
    """Merge every stored person that is a shorter form of one fuller name into it, among the people who share
    a surname or first name with `names` (the people an article just brought). Returns how many rows merged."""
    rows = await _probe(conn, chat_id, names)
    return await _merge_rows(conn, chat_id, rows)


async def _merge_rows(conn: Conn, chat_id: int, rows: dict[int, str]) -> int:
    id_of = {name: person_id for person_id, name in rows.items()}
    tokens = {name: name_tokens(name, language_of_name(name)) for name in id_of}
    # A name can only be a form of a name with the same surname or, alone, the same first name.
    by_word: dict[str, list[str]] = {}
    for name, words in tokens.items():
        for word in {words[0], words[-1]} if words else ():
            by_word.setdefault(word, []).append(name)
    merged = 0
    # Shortest names first: "Putin" is settled before anything merges into "Vladimir Putin".
    for name in sorted(id_of, key=lambda n: (len(tokens[n]), n)):
        words = tokens[name]
        if not words:
            continue
        known = [n for n in dict.fromkeys(by_word.get(words[-1], []) + by_word.get(words[0], [])) if n in id_of]
        target = fullest_name(name, known, language_of_name(name))
        if target is not None and target != name:
            await merge_person(conn, chat_id, id_of[name], id_of[target])
            del id_of[name]
            merged += 1
    return merged


# The keys a name query finds a person by (name, kind → keys): computed by the analysis, given to storage.
KeysOf = Callable[[str, str], Iterable[str]]


async def regroup_chat(conn: Conn, chat_id: int, keys_of: KeysOf) -> None:
    """Bring one chat's stored people under today's rules: known organisations under their one name, party
    and office words out of people's names, no person that is only an ordinary word, one row per person, found
    by the keys `keys_of` gives for their name."""
    async with conn.execute("SELECT id, name, kind FROM people WHERE chat_id = ? ORDER BY id", (chat_id,)) as cur:
        people = [(r[0], r[1], r[2]) for r in await cur.fetchall()]
    id_of = {name: person_id for person_id, name, _ in people}
    for person_id, name, kind in people:
        lang = language_of_name(name)
        form = speaker_form(name, kind, lang=lang)
        if form is None:
            # No one: the statements stay, without a speaker.
            await conn.execute(
                "UPDATE quotes SET person_id = NULL, speaker = NULL, speaker_kind = 'unknown' WHERE person_id = ?",
                (person_id,),
            )
            await conn.execute("UPDATE events SET speaker = NULL WHERE chat_id = ? AND speaker = ?", (chat_id, name))
            await conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
            del id_of[name]
            continue
        new_name, new_kind = form
        if new_name != name and new_name in id_of:
            await merge_person(conn, chat_id, person_id, id_of[new_name])
            del id_of[name]
            continue
        if (new_name, new_kind) != (name, kind):
            await conn.execute("UPDATE people SET name = ?, kind = ? WHERE id = ?", (new_name, new_kind, person_id))
            await conn.execute(
                "UPDATE quotes SET speaker = ?, speaker_kind = ? WHERE person_id = ?", (new_name, new_kind, person_id)
            )
            await conn.execute(
                "UPDATE events SET speaker = ? WHERE chat_id = ? AND speaker = ?", (new_name, chat_id, name)
            )
            del id_of[name]
            id_of[new_name] = person_id
        await conn.executemany(
            "INSERT INTO person_keys (chat_id, key, person_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(chat_id, key, person_id) for key in keys_of(new_name, new_kind)],
        )
    async with conn.execute("SELECT id, name FROM people WHERE chat_id = ? AND kind = 'person'", (chat_id,)) as cur:
        persons = {r[0]: r[1] for r in await cur.fetchall()}
    await _merge_rows(conn, chat_id, persons)


async def regroup_all(conn: Conn, keys_of: KeysOf) -> None:
    """`regroup_chat` for every chat that has people."""
    async with conn.execute("SELECT DISTINCT chat_id FROM people ORDER BY chat_id") as cur:
        chats = [r[0] for r in await cur.fetchall()]
    for chat_id in chats:
        await regroup_chat(conn, chat_id, keys_of)
