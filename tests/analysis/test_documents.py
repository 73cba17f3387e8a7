"""Files people send: what is read from them, and the reason when nothing is."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.documents import (
    DocumentRefused,
    decode_text,
    markdown_to_text,
    page_article,
    read_document,
    refusal_before_reading,
    sniff,
)

ARTICLE = "\n\n".join(
    [
        "Harbour Cleanup Finds Lost Fishing Gear",
        "Volunteers removed more than three tonnes of lost fishing nets from the harbour floor during a weekend "
        "cleanup, the organisers said on Monday.",
        "Divers worked in pairs for two days, and a crane from the shipyard lifted the heaviest nets onto the quay.",
    ]
)


def refusal(name: str, data: bytes, mime: str | None = None) -> str:
    with pytest.raises(DocumentRefused) as caught:
        read_document(name, data, mime)
    return caught.value.key


def test_a_text_file_is_read_as_it_is() -> None:
    doc = read_document("cleanup.txt", ARTICLE.encode())
    assert doc.text == ARTICLE and doc.kind == "text" and doc.title is None


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8 with a byte order mark", b"\xef\xbb\xbf" + ARTICLE.encode()),
        ("utf-16 with a byte order mark", ARTICLE.encode("utf-16")),
        ("windows-1252", (ARTICLE + " Café owners welcomed the news; “a relief”, one said.").encode("cp1252")),
    ],
)
def test_text_in_other_encodings(encoding: str, data: bytes) -> None:
    assert read_document("cleanup.txt", data).text.startswith("Harbour Cleanup Finds Lost Fishing Gear")


def test_russian_in_windows_1251() -> None:
    text = "Городской совет одобрил строительство нового моста через залив во вторник. " * 3
    assert decode_text(text.encode("cp1251")) == text


def test_markdown_is_reduced_to_its_words() -> None:
    source = """---
title: "Harbour Cleanup Finds Lost Fishing Gear"
date: 2025-03-03
---
# Harbour cleanup

Volunteers removed **three tonnes** of nets, *the organisers* said ([source](https://example.org/x)).

![A crane lifts a net](crane.jpg)

> Divers worked in pairs.

- first_item_name stays as written
"""
    doc = read_document("notes.md", source.encode())
    assert doc.title == "Harbour Cleanup Finds Lost Fishing Gear"
    assert doc.text.startswith("Harbour Cleanup Finds Lost Fishing Gear\n\nHarbour cleanup\n")
    assert "Volunteers removed three tonnes of nets, the organisers said (source)." in doc.text
    assert "Divers worked in pairs." in doc.text
    assert "first_item_name" in doc.text
    assert "crane.jpg" not in doc.text and "**" not in doc.text and "https://" not in doc.text
    assert markdown_to_text("No markup at all.") == (None, "No markup at all.")


def test_an_html_file_is_extracted() -> None:
    page = (
        "<html><head><title>Harbour cleanup | Coast News</title></head><body><nav>Home · Sport</nav><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")[1:])
        + "</article></body></html>"
    )
    doc = read_document("page.HTML", page.encode())
    assert doc.kind == "html"
    assert "Volunteers removed more than three tonnes" in doc.text and "Sport" not in doc.text


@pytest.mark.parametrize(
    ("name", "data", "key"),
    [
        ("paper.pdf", b"%PDF-1.7\n...", "pdf"),
        ("paper.txt", b"%PDF-1.7\n...", "pdf"),  # named as text, but a PDF all the same
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "image"),
        ("letter.docx", b"PK\x03\x04\x14\x00word/document.xml", "office"),
        ("notes.txt", b"PK\x03\x04\x14\x00data.csv", "archive"),
        ("song.mp3", b"ID3\x03\x00", "media"),
        ("tool.exe", b"MZ\x90\x00\x03\x00", "program"),
        ("notes.txt", bytes(range(256)) * 8, "binary"),
        ("notes.txt", b"", "empty"),
        ("notes.txt", b"   \n\t ", "empty"),
        ("table.csv", b"a,b\n1,2\n", "unsupported"),
        ("page.html", b"<html><body><nav>Home</nav></body></html>", "no_article"),
    ],
)
def test_what_is_not_an_article_is_refused_with_its_reason(name: str, data: bytes, key: str) -> None:
    assert refusal(name, data) == key


def test_text_that_only_looks_like_a_signature_is_text() -> None:
    for start in ("BMW sold more cars this year. ", "MZ Motors opened a plant. ", "ID3 is a tag format. "):
        assert read_document("a.txt", (start * 5).encode()).text.startswith(start)
    assert sniff(b"BMW sold") is None


def test_a_file_without_a_suffix_is_judged_by_its_declared_type() -> None:
    assert read_document("README", ARTICLE.encode(), "text/plain").text == ARTICLE
    assert refusal("README", ARTICLE.encode()) == "unsupported"
    assert refusal("scan", b"...", "application/pdf") == "pdf"
    assert refusal("clip", b"...", "video/mp4") == "media"


def test_refusal_from_the_name_alone() -> None:
    assert refusal_before_reading("report.txt", None) is None
    assert refusal_before_reading("index.htm", None) is None
    refused = refusal_before_reading("report.pdf", "application/pdf")
    assert refused is not None and refused.key == "pdf"
    unsupported = refusal_before_reading("data.json", "application/json")
    assert unsupported is not None and unsupported.values == {"suffix": ".json"}


def test_a_refusal_survives_the_trip_from_a_worker_process() -> None:
    copy = pickle.loads(pickle.dumps(DocumentRefused("unsupported", suffix=".csv")))
    assert copy.key == "unsupported" and copy.values == {"suffix": ".csv"}


def test_a_plain_text_page() -> None:
    page = page_article(ARTICLE.encode("cp1252"), "https://example.org/t", "windows-1252", html=False)
    assert page is not None and page.text == ARTICLE
    assert page_article(b"tiny", None, None, html=False) is None


@given(st.binary(max_size=3000), st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a", "a.csv"]))
def test_any_bytes_give_a_document_or_a_reason(data: bytes, name: str) -> None:
    try:
        doc = read_document(name, data)
    except DocumentRefused as refused:
        assert refused.key
    else:
        assert doc.text.strip()


def test_utf8_with_a_broken_byte_is_refused_not_read_as_another_charset() -> None:
    text = "Le président a déclaré que les négociations continueraient la semaine prochaine. " * 20
    damaged = text.encode("utf-8")
    damaged = damaged[:20] + b"\xff" + damaged[20:]
    with pytest.raises(DocumentRefused) as refused:
        decode_text(damaged)
    assert refused.value.key == "encoding"
    # Text in a single-byte charset is still read.
    assert decode_text(text.encode("latin-1")) == text
    russian = "Президент России заявил, что переговоры продолжатся на следующей неделе. " * 20
    assert decode_text(russian.encode("cp1251")) == russian
