"""Journey from the notifications issue: planerin.jena replies to the moderator's thread and the
moderator's already open page shows the bell count go up and the item, without reloading."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

PASSWORD = "Demo-Passwort-2026"
JENA = "planerin.jena@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"


@pytest.mark.browser
def test_reply_reaches_the_moderators_open_page_live(demo_data, page, new_page, screenshot_dir):
    from forums.models import Thread

    thread = Thread.objects.filter(
        author__email=MODERATION, board__workspace__slug="praeventionsketten", is_hidden=False
    ).first()
    assert thread is not None, "the demo data has a thread of the moderator in Präventionsketten"

    moderator = new_page()
    login(moderator, MODERATION, PASSWORD)
    moderator.goto("/")
    badge = moderator.locator("#notification-count")
    before = int(badge.text_content().split()[0]) if badge.text_content().strip() else 0
    moderator.evaluate("window.__marker = 'not reloaded'")

    login(page, JENA, PASSWORD)
    page.goto(thread.get_absolute_url())
    page.get_by_label("Ihr Beitrag").last.fill("Danke für die Vorlage, wir nutzen sie in Jena ab Januar.")
    page.get_by_role("button", name="Antwort veröffentlichen").last.click()
    page.wait_for_url(re.compile(r"#post-\d+$"))

    expect(badge).to_have_text(re.compile(rf"^{before + 1}\b"))
    expect(moderator.locator("#live-region")).to_contain_text(thread.title[:20])
    expect(moderator).to_have_title(re.compile(rf"^\({before + 1}\) "))
    assert moderator.evaluate("window.__marker") == "not reloaded"
    moderator.locator("#notification-bell").click()
    expect(moderator.locator("#notification-items")).to_contain_text(thread.title[:20])
    moderator.screenshot(path=str(screenshot_dir / "notifications-live-reply.png"))
