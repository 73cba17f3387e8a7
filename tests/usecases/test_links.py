"""What a post with a link is made of: its own text, the links worth fetching, what a page adds."""

from __future__ import annotations

from usecases.links import fetchable_links, is_substantial, own_text, page_addition

PAGE = "\n\n".join(
    [
        "The ferry company serving the outer islands will run twice as many crossings this summer, after a record "
        "number of bookings in the spring.",
        '"We have never seen demand like this," said managing director Sven Aaberg at a press conference in the '
        "harbour office.",
        "The extra crossings start on 1 June and run until the end of August. A second vessel, leased from a "
        "mainland operator, will cover the early morning and late evening routes.",
    ]
)

TEASER = (
    "Island commuters, rejoice: the ferry company serving the outer islands will run twice as many crossings "
    "this summer after record bookings in the spring, and a second vessel will cover the early routes."
)


def test_links_worth_fetching() -> None:
    links = ["https://t.me/channel/5", "https://example.org/a", "ftp://example.org/f", "https://example.org/b"]
    assert fetchable_links(links) == ["https://example.org/a", "https://example.org/b"]


def test_the_posts_own_text_is_what_remains_without_its_links() -> None:
    assert own_text("Read this https://example.org/a", ["https://example.org/a"]) == "Read this"
    # Telegram marks "example.org/a" as a link; it is found with "http://" in front.
    assert own_text("See example.org/a now", ["http://example.org/a"]) == "See   now"
    assert own_text("https://example.org/a", ["https://example.org/a"]) == ""


def test_a_headline_is_not_substantial_a_paragraph_is() -> None:
    assert not is_substantial("Ferries: twice the crossings this summer")
    assert not is_substantial("Subscribe to our channel!\n#news #islands\n@islandnews")
    assert is_substantial(TEASER)


def test_a_page_adds_the_paragraphs_the_post_does_not_have() -> None:
    added = page_addition(TEASER, PAGE)
    assert added is not None
    assert "Sven Aaberg" in added and "A second vessel" in added


def test_a_page_adds_nothing_when_the_post_has_it_all() -> None:
    assert page_addition(PAGE + "\n\nMore at the link below.", PAGE) is None


def test_a_page_about_something_else_adds_nothing() -> None:
    post = (
        "The city council approved the new budget on Tuesday after a long debate about school funding and the "
        "cost of repairing the old bridge; the opposition voted against it."
    )
    assert page_addition(post, PAGE) is None
