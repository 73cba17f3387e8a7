"""Every way an article arrives: links, files, articles cut over several posts, and the same article twice.

The real application over real HTTP against the Bot API double; the pages are served by a server the tests
start on 127.0.0.1, which the bot's fetch guard is told to allow (and nothing else).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.compose import fetch_config
from bot.config import Config
from tests.botapi import origin_channel
from tests.e2e.articles import (
    FERRY_PAGE,
    FERRY_TEASER,
    FERRY_TITLE,
    LIBRARY_PARTS,
    REPORT_TXT,
    SECOND_POST,
    SHARED_AS_ALPHA,
    SHARED_AS_BETA,
)
from tests.e2e.conftest import LOCAL_PAGES, RunningBot
from tests.pages import PageServer, send
from usecases.services import Limits

CHAT = 6001
OTHER_CHAT = 6002
POSTED = int(datetime(2025, 4, 1, 12, 0, tzinfo=UTC).timestamp())


def serve_ferry(pages: PageServer, path: str = "/news/ferry") -> str:
    pages.routes[path] = lambda r: send(r, 200, FERRY_PAGE.encode(), "text/html; charset=utf-8")
    return pages.url(path)


def channel(message_id: int, title: str = "Norvik Culture", chat_id: int = -100555) -> dict[str, Any]:
    return origin_channel(chat_id, title, message_id=message_id, username=title.lower().replace(" ", ""), date=POSTED)


async def raw_text(bot: RunningBot, number: int) -> str:
    exported = await bot.services.repo.export_articles(CHAT)
    return str(next(a["text"] for a in exported if a["number"] == number))


async def quiet(bot: RunningBot) -> None:
    """Until everything sent has been taken and answered: no update waiting or in a handler, no series open or
    waiting for its next part, no part stored and not yet joined, no article owing its card. A second answer
    to a series would have come by then."""
    repo = bot.services.repo

    async def settled() -> bool:
        return (
            not bot.api.pending_updates()
            and not bot.services.series.holding
            and not await repo.unfinished_updates()
            and not await repo.pending_groups()
            and not await repo.owed_answers()
        )

    deadline = asyncio.get_running_loop().time() + 60
    while not await settled():
        assert asyncio.get_running_loop().time() < deadline, "the bot never settled"
        await asyncio.sleep(0.02)  # polling the state the bot writes as it goes


# --- links -----------------------------------------------------------------------------------------------


async def test_a_link_post_stores_the_page_with_its_title_author_and_date(start_bot: Any, pages: PageServer) -> None:
    url = serve_ferry(pages)
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, url)
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None
        lines = card.text.splitlines()
        assert lines[0] == FERRY_TITLE
        assert lines[1].startswith("Island Gazette · 2 May 2025 · #1")
        assert f'href="{url}"' in (card.html or "")

        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None
        assert article.title == FERRY_TITLE and article.author == "Petra Holm"
        assert article.source.kind == "link" and article.source.url == url
        text = await raw_text(bot, 1)
        assert "A second vessel, leased from a mainland operator" in text
        assert "newsletter" not in text and "Weather" not in text  # the site's furniture stayed out


async def test_a_headline_and_a_link_from_a_channel_keeps_both_sources(start_bot: Any, pages: PageServer) -> None:
    url = serve_ferry(pages)
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, f"Ferries: twice the crossings this summer\n{url}", forward_origin=channel(7))
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith(FERRY_TITLE)
        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None
        kinds = [s.kind for s in await bot.services.repo.sources(CHAT, article.id)]
        assert kinds == ["link", "channel"]


async def test_a_post_with_its_own_text_keeps_it_and_adds_the_page(start_bot: Any, pages: PageServer) -> None:
    url = serve_ferry(pages)
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, f"{FERRY_TEASER}\n\nRead more: {url}", forward_origin=channel(8))
        await bot.api.wait_for_messages(CHAT, 1)
        text = await raw_text(bot, 1)
        assert text.startswith(FERRY_TEASER)  # the post's own words first, as its reader saw them
        assert "A second vessel, leased from a mainland operator" in text  # then what the page adds
        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None and article.source.kind == "channel"
        assert [s.kind for s in await bot.services.repo.sources(CHAT, article.id)] == ["channel", "link"]


async def test_a_redirect_to_a_private_address_is_refused_without_connecting(start_bot: Any, pages: PageServer) -> None:
    private = PageServer(host="127.0.0.2").start()  # loopback, but not the address the guard allows
    try:
        private.routes["/admin"] = lambda r: send(r, 200, FERRY_PAGE.encode(), "text/html")
        pages.routes["/go"] = lambda r: send(r, 302, b"", None, Location=private.url("/admin"))
        async with start_bot(**LOCAL_PAGES) as bot:
            bot.api.push_message(CHAT, pages.url("/go"))
            bot.api.push_message(CHAT, "http://10.20.30.40/router/settings")
            replies = await bot.api.wait_for_messages(CHAT, 2)
            for reply in replies:
                assert reply.text == "I could not read the link: it points to a private or local address."
            assert await bot.services.repo.count_articles(CHAT) == 0
        assert private.requests == []
        assert [path for path, _ in pages.requests] == ["/go"]
    finally:
        private.stop()


async def test_a_slow_page_times_out_with_a_reason(start_bot: Any, pages: PageServer) -> None:
    release = threading.Event()

    def slow(r: BaseHTTPRequestHandler) -> None:
        release.wait(60)  # released at the test's end; until then only the bot's fetch timeout ends the wait
        send(r, 200, FERRY_PAGE.encode(), "text/html")

    pages.routes["/slow"] = slow
    try:
        async with start_bot(**LOCAL_PAGES, fetch_timeout=0.5) as bot:
            bot.api.push_message(CHAT, pages.url("/slow"))
            (reply,) = await bot.api.wait_for_messages(CHAT, 1)
            assert reply.text == "I could not read the link: the page took too long to answer."
    finally:
        release.set()


async def test_a_page_with_more_text_than_an_article_may_have_is_refused_as_a_page(
    start_bot: Any, pages: PageServer
) -> None:
    url = serve_ferry(pages)
    async with start_bot(limits=Limits(max_text_chars=500), **LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, url)
        (reply,) = await bot.api.wait_for_messages(CHAT, 1)
        assert reply.text == (
            "I could not read the link: the page has more text than the 500 characters I take in one article."
        )
        assert await bot.services.repo.count_articles(CHAT) == 0


def test_a_links_whole_fetch_is_bounded_by_the_one_timeout(bot_config: Config) -> None:
    fetching = fetch_config(replace(bot_config, fetch_timeout=7.0))
    assert fetching.total_deadline == 7.0 and fetching.timeout_read <= 7.0 and fetching.timeout_connect <= 7.0


async def test_a_fetch_in_progress_does_not_hold_up_other_chats(start_bot: Any, pages: PageServer) -> None:
    release = threading.Event()

    def held(r: BaseHTTPRequestHandler) -> None:
        release.wait(20)
        send(r, 200, FERRY_PAGE.encode(), "text/html")

    pages.routes["/held"] = held
    try:
        async with start_bot(**LOCAL_PAGES) as bot:
            bot.api.push_message(CHAT, pages.url("/held"))
            await bot.api.wait_until(lambda: pages.requests, what="the fetch to start")
            bot.api.push_command(OTHER_CHAT, "/help")
            (help_,) = await bot.api.wait_for_messages(OTHER_CHAT, 1)
            assert help_.text is not None and "How to use Précis" in help_.text
            assert bot.api.bot_messages(CHAT) == []  # the page is still being fetched
            release.set()
            (card,) = await bot.api.wait_for_messages(CHAT, 1)
            assert card.text is not None and card.text.startswith(FERRY_TITLE)
    finally:
        release.set()


async def test_an_oversized_page_is_cut_and_its_article_still_stored(start_bot: Any, pages: PageServer) -> None:
    # A page whose article comes first and a huge inline script after it, as many sites' pages are.
    big = FERRY_PAGE.replace("</article>", "</article><script>var state = '" + "x" * 300_000 + "';</script>")
    pages.routes["/big"] = lambda r: send(r, 200, big.encode(), "text/html; charset=utf-8")
    async with start_bot(**LOCAL_PAGES, fetch_max_bytes=20_000) as bot:
        bot.api.push_message(CHAT, pages.url("/big"))
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None
        lines = card.text.splitlines()
        assert lines[0] == "✂️ The page was longer than 20 kB: I read its first 20 kB."
        assert lines[2] == FERRY_TITLE
        assert "residents of the smaller islands" in (await raw_text(bot, 1)).lower()
        # When the cap comes before any article, the size is the reason given.
        late = FERRY_PAGE.replace("<article>", "<script>var state = '" + "x" * 300_000 + "';</script><article>")
        pages.routes["/late"] = lambda r: send(r, 200, late.encode(), "text/html; charset=utf-8")
        bot.api.push_message(CHAT, pages.url("/late"))
        reply = (await bot.api.wait_for_messages(CHAT, 2))[-1]
        assert reply.text == "I could not read the link: the page is larger than 20 kB."


async def test_when_the_link_fails_the_posts_own_text_is_stored(start_bot: Any, pages: PageServer) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, f"{REPORT_TXT}\n\nSource: {pages.url('/gone')}")
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None
        lines = card.text.splitlines()
        assert (
            lines[0]
            == "⚠️ I could not read the link (the site answered with error 404), so I stored the post's own text."
        )
        assert lines[2] == "Harbour Cleanup Finds Tonnes of Lost Fishing Gear"
        assert await bot.services.repo.count_articles(CHAT) == 1


async def test_a_link_to_something_that_is_not_a_page(start_bot: Any, pages: PageServer) -> None:
    pages.routes["/paper"] = lambda r: send(r, 200, b"%PDF-1.7 ...", "application/pdf")
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, pages.url("/paper"))
        (reply,) = await bot.api.wait_for_messages(CHAT, 1)
        assert reply.text == "I could not read the link: it is not a web page (application/pdf)."
        assert await bot.services.repo.count_articles(CHAT) == 0


# --- several posts, one article --------------------------------------------------------------------------


async def test_an_article_in_three_posts_becomes_one_with_one_answer(start_bot: Any) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        pushed = [
            bot.api.push_message(CHAT, part, forward_origin=channel(300 + i)) for i, part in enumerate(LIBRARY_PARTS)
        ]
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        await quiet(bot)
        assert len(bot.api.bot_messages(CHAT)) == 1
        assert card.text is not None and card.text.startswith("City Library Reopens After Two Years of Renovation")
        assert card.reply_to_message_id == pushed[0].message_id
        assert await bot.services.repo.count_articles(CHAT) == 1
        text = await raw_text(bot, 1)
        positions = [text.index(part.splitlines()[-1]) for part in LIBRARY_PARTS]
        assert positions == sorted(positions)  # every part, in the channel's order
        assert await bot.services.repo.pending_groups() == []
        # Every part stands for the article: /summary in reply to the last one finds it.
        bot.api.push_command(CHAT, "/summary", reply_to_message_id=pushed[-1].message_id)
        reply = (await bot.api.wait_for_messages(CHAT, 2))[-1]
        assert reply.text is not None and reply.text.startswith("City Library Reopens")


async def test_posts_that_do_not_continue_each_other_stay_apart(start_bot: Any) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, LIBRARY_PARTS[0], forward_origin=channel(300))
        bot.api.push_message(CHAT, SECOND_POST, forward_origin=channel(900, "Rail Watch", chat_id=-100777))
        replies = await bot.api.wait_for_messages(CHAT, 2)
        titles = sorted((m.text or "").splitlines()[0] for m in replies)
        assert titles == [
            "City Library Reopens After Two Years of Renovation",
            "Rail Strike Halts Trains Across the Region",
        ]
        assert await bot.services.repo.count_articles(CHAT) == 2


async def test_an_album_with_a_caption_is_one_article(start_bot: Any) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        first = bot.api.push_message(CHAT, photo=b"\xff\xd8\xff one", caption=SECOND_POST, media_group_id="alb-1")
        bot.api.push_message(CHAT, photo=b"\xff\xd8\xff two", media_group_id="alb-1")
        bot.api.push_message(CHAT, photo=b"\xff\xd8\xff three", media_group_id="alb-1")
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("Rail Strike Halts Trains Across the Region")
        assert card.reply_to_message_id == first.message_id
        # An album with no caption at all gets one answer, not one per photo.
        for n in range(3):
            bot.api.push_message(CHAT, photo=b"\xff\xd8\xff" + bytes([n]), media_group_id="alb-2")
        replies = await bot.api.wait_for_messages(CHAT, 2)
        await quiet(bot)
        assert len(bot.api.bot_messages(CHAT)) == 2
        assert (replies[1].text or "").startswith("I can only read text.")
        assert await bot.services.repo.count_articles(CHAT) == 1


async def test_parts_waiting_when_the_bot_stops_are_joined_at_the_next_start(start_bot: Any) -> None:
    async with start_bot(**{**LOCAL_PAGES, "series_wait": 30}) as bot:
        first = bot.api.push_message(CHAT, LIBRARY_PARTS[0], forward_origin=channel(300))
        bot.api.push_message(CHAT, LIBRARY_PARTS[1], forward_origin=channel(301))

        async def both_stored() -> bool:
            groups = await bot.services.repo.pending_groups()
            return bool(groups) and len(await bot.services.repo.group_parts(*groups[0])) == 2

        for _ in range(200):
            if await both_stored():
                break
            await asyncio.sleep(0.05)
        assert await both_stored()
        assert bot.api.bot_messages(CHAT) == []  # stopped during the wait, before any answer
    async with start_bot(**LOCAL_PAGES) as bot:
        (card,) = await bot.api.wait_for_messages(CHAT, 1)
        assert card.text is not None and card.text.startswith("City Library Reopens")
        assert card.reply_to_message_id == first.message_id
        assert "Every delay was worth it" in await raw_text(bot, 1)
        assert await bot.services.repo.pending_groups() == []
        await quiet(bot)
        assert len(bot.api.bot_messages(CHAT)) == 1  # the parts were not taken a second time


# --- the same article twice ------------------------------------------------------------------------------


async def test_the_same_link_with_tracking_parameters_is_known(start_bot: Any, pages: PageServer) -> None:
    url = serve_ferry(pages)
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, url)
        await bot.api.wait_for_messages(CHAT, 1)
        again = url.replace("/news/ferry", "/news/ferry/") + "?utm_source=telegram&utm_medium=social#comments"
        bot.api.push_message(CHAT, f"Worth reading {again}", forward_origin=channel(12, "Island Life"))
        reply = (await bot.api.wait_for_messages(CHAT, 2))[-1]
        assert reply.text is not None and reply.text.startswith("I already have this article: #1.")
        assert FERRY_TITLE in reply.text
        assert [path for path, _ in pages.requests] == ["/news/ferry"]  # not fetched again
        assert await bot.services.repo.count_articles(CHAT) == 1
        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None
        names = [s.name for s in await bot.services.repo.sources(CHAT, article.id)]
        assert names == ["Island Gazette", "Island Life"]


async def test_the_same_text_from_two_channels_is_stored_once(start_bot: Any) -> None:
    async with start_bot(**LOCAL_PAGES) as bot:
        bot.api.push_message(CHAT, SHARED_AS_ALPHA, forward_origin=channel(40, "Alpha News", chat_id=-100401))
        await bot.api.wait_for_messages(CHAT, 1)
        bot.api.push_message(CHAT, SHARED_AS_BETA, forward_origin=channel(41, "Beta Daily", chat_id=-100402))
        reply = (await bot.api.wait_for_messages(CHAT, 2))[-1]
        assert reply.text is not None and reply.text.startswith("I already have this article: #1.")
        assert await bot.services.repo.count_articles(CHAT) == 1
        article = await bot.services.repo.article_by_number(CHAT, 1)
        assert article is not None
        names = [s.name for s in await bot.services.repo.sources(CHAT, article.id)]
        assert names == ["Alpha News", "Beta Daily"]
        # The copy's number was given back: the next article is #2.
        bot.api.push_message(CHAT, REPORT_TXT)
        card = (await bot.api.wait_for_messages(CHAT, 3))[-1]
        assert card.text is not None and "· #2" in card.text


# --- files -----------------------------------------------------------------------------------------------


async def test_a_text_file_and_an_html_file_are_stored(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, document=("cleanup report.txt", "text/plain", REPORT_TXT.encode()))
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert card.text is not None
    lines = card.text.splitlines()
    assert lines[0] == "Harbour Cleanup Finds Tonnes of Lost Fishing Gear"
    assert lines[1].startswith("cleanup report.txt · ")

    bot.api.push_message(CHAT, document=("ferry.html", "text/html", FERRY_PAGE.encode()))
    card = (await bot.api.wait_for_messages(CHAT, 2))[-1]
    assert card.text is not None and card.text.startswith(FERRY_TITLE)
    article = await bot.services.repo.article_by_number(CHAT, 2)
    assert article is not None and article.source.kind == "file" and article.author == "Petra Holm"


async def test_a_text_file_in_a_legacy_charset_is_read(bot: RunningBot) -> None:
    text = "Городской совет одобрил строительство нового моста через залив во вторник. " * 4
    bot.api.push_message(CHAT, document=("новость.txt", "text/plain", text.encode("cp1251")))
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert card.text is not None and "Городской совет одобрил" in card.text


async def test_binary_files_and_pdfs_are_refused_with_a_clear_reply(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, document=("notes.txt", "text/plain", bytes(range(256)) * 40))
    (reply,) = await bot.api.wait_for_messages(CHAT, 1)
    assert reply.text == "I can't take this file: it is not a text file."

    downloads = bot.api.count("download")
    bot.api.push_message(CHAT, document=("paper.pdf", "application/pdf", b"%PDF-1.7\n%binary"))
    reply = (await bot.api.wait_for_messages(CHAT, 2))[-1]
    assert reply.text is not None and reply.text.startswith("I can't take this file: it is a PDF")
    assert bot.api.count("download") == downloads  # judged by its name: never downloaded

    bot.api.push_message(CHAT, document=("slides.pptx", "application/octet-stream", b"PK\x03\x04ppt/"))
    reply = (await bot.api.wait_for_messages(CHAT, 3))[-1]
    assert reply.text is not None and reply.text.startswith("I can't take this file: it is an office document")
    assert await bot.services.repo.count_articles(CHAT) == 0


async def test_a_file_that_cannot_be_read_keeps_its_caption(bot: RunningBot) -> None:
    bot.api.push_message(CHAT, caption=SECOND_POST, document=("strike.pdf", "application/pdf", b"%PDF-1.7"))
    (card,) = await bot.api.wait_for_messages(CHAT, 1)
    assert card.text is not None
    lines = card.text.splitlines()
    assert lines[0].startswith("⚠️ I can't take the file (it is a PDF")
    assert lines[2] == "Rail Strike Halts Trains Across the Region"
