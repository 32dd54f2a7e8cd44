"""Pieces of the console app that need no running server: pages and shared snapshots."""

import asyncio

from bot.console.pages import render
from bot.console.service import SharedSnapshots
from bot.console.sessions import ConsoleSession


def test_many_streams_share_one_snapshot_until_it_is_stale():
    made = []

    async def make():
        made.append(1)
        await asyncio.sleep(0.01)
        return len(made)

    async def scenario():
        snapshots = SharedSnapshots(ttl=0.2)
        together = await asyncio.gather(*(snapshots.get(("q",), make) for _ in range(10)))
        other = await snapshots.get(("other",), make)
        await asyncio.sleep(0.25)
        later = await snapshots.get(("q",), make)
        return together, other, later

    together, other, later = asyncio.run(scenario())
    assert together == [1] * 10  # ten tabs, one read
    assert other == 2 and later == 3


def test_pages_escape_every_value_and_name_the_signed_in_user():
    session = ConsoleSession("<b>sam</b>", "duty_worker", False, False, 'tok"en')
    page = render("not_found.html", session)
    assert "<b>sam</b>" not in page and "&lt;b&gt;sam&lt;/b&gt;" in page
    assert 'content="tok&#34;en"' in page
    assert 'data-role="duty_worker"' in page
    assert "Sign out" in page
    assert "Sign out" not in render("login.html", None, csrf="x", message="<i>")
    assert "&lt;i&gt;" in render("login.html", None, csrf="x", message="<i>")


def test_every_page_template_compiles():
    from bot.console.pages import PAGES, TEMPLATES

    for template in PAGES.glob("*.html"):
        TEMPLATES.get_template(template.name)  # a syntax error raises here
