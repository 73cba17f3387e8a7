"""Build the common-word lexicons `analysis.people.is_common_word` reads: words that are ordinary lower-case
words of the language, so that a capitalised one ("Construction", "Shadow") is not taken for a name.

    python -m bench.build_common_words --english WORDLIST --russian HUNSPELL_DIC

WORDLIST is SCOWL's British English list of size 50 (Debian's `wbritish`, one word a line, proper nouns
capitalised); HUNSPELL_DIC is Alexander Lebedev's Russian dictionary (Debian's `hunspell-ru`, `ru_RU.dic`: one
lemma a line with its affix flags, proper nouns capitalised). Both keep the capitals of proper nouns, which is
what the lexicon needs: a word is kept only when the list has it in lower case and never capitalised, so
"bill", "brown", "mark" or "мороз", which are also names, are not in it. Russian keeps nouns only (the lemmas
without the affix flags of adjectives and verbs): a capitalised adjective or verb is never taken for a name anyway,
and the list stays small. Words shorter than three letters are left out.

Writes analysis/data/common_en.txt.gz and common_ru.txt.gz (sorted, one word a line, gzip with a fixed
timestamp so that a rebuild from the same lists is byte-identical). Their licences are in
analysis/data/COMMON_WORDS_LICENSE.txt.
"""

from __future__ import annotations

import argparse
import gzip
import io
from collections.abc import Iterable
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "analysis" / "data"
# The dictionary's affix flags that only adjectives (A) and verbs (B, L) carry.
_RU_NOT_NOUN_FLAGS = frozenset("ABL")


def lower_case_only(words: Iterable[str], *, min_letters: int = 3) -> list[str]:
    """The words the list has in lower case and never with a capital."""
    words = list(words)
    capitalised = {w.lower() for w in words if w[:1].isupper()}
    return sorted({w for w in words if len(w) >= min_letters and w.isalpha() and w.islower() and w not in capitalised})


def english(path: Path) -> list[str]:
    return lower_case_only(path.read_text(encoding="utf-8").split())


def russian(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]  # the first line is the entry count
    entries = [line.strip().partition("/") for line in lines if line.strip()]
    lemmas = [word.replace("ё", "е") for word, _, _ in entries]
    nouns = {word.replace("ё", "е") for word, _, flags in entries if not _RU_NOT_NOUN_FLAGS & set(flags)}
    return [w for w in lower_case_only(lemmas) if w in nouns]


def write(words: list[str], path: Path) -> None:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as out:
        out.write(("\n".join(words) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())
    print(f"{path.name}: {len(words)} words, {path.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--english", type=Path, required=True, help="SCOWL size-50 British English word list")
    parser.add_argument("--russian", type=Path, required=True, help="hunspell ru_RU.dic")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)
    write(english(args.english), args.out / "common_en.txt.gz")
    write(russian(args.russian), args.out / "common_ru.txt.gz")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
