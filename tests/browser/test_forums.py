"""Journey: Jana replies to a nested post and mentions the moderator; Moritz marks it as the result."""

import re

import pytest
from playwright.sync_api import expect

PASSWORD = "Demo-Passwort-2026"
JENA = "planerin.jena@demo.sozialplanung.de"
MODERATION = "moderation@demo.sozialplanung.de"
THREAD_TITLE = "Netzwerkkarte der Präventionskette – welche Vorlage nutzen Sie?"


def login(page, email, password):
    """Like tests.browser.conftest.login, but accepts both labels of allauth's submit button
    ("Anmelden" / "Anmeldung"), which differ between allauth catalogue versions."""
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name=re.compile(r"^\s*Anmeld")).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture(autouse=True)
def _orm_next_to_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls (and the database flush afterwards) are synchronous and safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def forum_demo(demo_data):
    """The demo workspace with its memberships (created here when this branch has none), then the forums."""
    from accounts.models import User
    from forums import demo as forums_demo
    from workspaces.models import Membership, Workspace

    workspace, _created = Workspace.objects.get_or_create(
        slug="praeventionsketten", defaults={"name": "Thüringer Präventionsketten"}
    )
    roles = {MODERATION: Membership.Role.MODERATOR, JENA: Membership.Role.MEMBER}
    for email, role in roles.items():
        Membership.objects.get_or_create(
            workspace=workspace, user=User.objects.get(email=email), defaults={"role": role}
        )
    forums_demo.seed()
    return workspace


@pytest.mark.browser
def test_nested_reply_with_mention_becomes_the_result(forum_demo, page, new_page, screenshot_dir):
    from forums.models import Post, Report, Thread
    from notifications.models import Notification

    login(page, JENA, PASSWORD)
    page.goto("/forums/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foren")
    page.screenshot(path=screenshot_dir / "forums-board-list.png", full_page=True)

    page.get_by_role("link", name="Austausch Präventionsketten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Austausch Präventionsketten")
    page.screenshot(path=screenshot_dir / "forums-board.png", full_page=True)

    page.get_by_role("link", name=THREAD_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(THREAD_TITLE)
    thread = Thread.objects.get(title=THREAD_TITLE)
    nested = Post.objects.get(thread=thread, depth=2)
    nested_article = page.locator(f"#post-{nested.pk}")
    expect(nested_article).to_contain_text("Könnten Sie die ergänzte Fassung")
    page.screenshot(path=screenshot_dir / "forums-thread-nested.png", full_page=True)

    # Keyboard: j moves focus from post to post.
    page.locator("body").press("j")
    expect(page.locator("[data-post]").first).to_be_focused()

    page.get_by_role("link", name="Chronologische Ansicht").click()
    expect(page.get_by_role("link", name="Chronologische Ansicht")).to_have_attribute("aria-current", "page")
    page.screenshot(path=screenshot_dir / "forums-thread-flat.png", full_page=True)
    page.get_by_role("link", name="Baumansicht").click()

    nested_article.get_by_role("link", name=re.compile(r"^Antworten")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antwort an Moritz Moderation")
    editor = page.get_by_label("Ihr Beitrag")
    editor.fill("Gern, ich lade sie bis Freitag hoch. ")
    editor.press("End")
    editor.press_sequentially("@Mori")
    option = page.get_by_role("option", name=re.compile("Moritz Moderation"))
    expect(option).to_be_visible()
    editor.press("Enter")
    expect(editor).to_have_value(re.compile(r"@\[Moritz Moderation\]\(/members/\d+/\) $"))
    editor.press_sequentially("Ist PDF in Ordnung?")
    page.get_by_role("button", name="Vorschau").click()
    expect(page.locator(".forum-preview")).to_contain_text("Ist PDF in Ordnung?")
    expect(page.locator("#draft-status")).to_contain_text("Entwurf um")
    page.screenshot(path=screenshot_dir / "forums-reply-form.png", full_page=True)
    page.get_by_role("button", name="Antwort veröffentlichen").click()

    reply = Post.objects.filter(thread=thread).order_by("-id").first()
    page.wait_for_url(re.compile(rf"#post-{reply.pk}$"))
    reply_article = page.locator(f"#post-{reply.pk}")
    expect(reply_article).to_be_visible()
    expect(reply_article).to_be_focused()
    expect(reply_article).to_contain_text("Ist PDF in Ordnung?")
    expect(reply_article.get_by_role("link", name="Moritz Moderation")).to_have_attribute(
        "href", re.compile(r"/members/\d+/")
    )
    # The reply sits in the tree below the post it answers, with its screen-reader label.
    expect(page.locator(f".forum-children:has(#post-{nested.pk}) .forum-children #post-{reply.pk}")).to_have_count(1)
    expect(reply_article.locator(".visually-hidden").first).to_contain_text(
        f"Antwort auf Moritz Moderation, Beitrag #{nested.number}"
    )
    assert reply.parent_id == nested.pk
    moderator = reply.mentioned_users.get()
    assert Notification.objects.filter(recipient=moderator, kind="forum_mention").exists()

    moderator_page = new_page()
    login(moderator_page, MODERATION, PASSWORD)
    moderator_page.goto(f"/forums/posts/{reply.pk}/")
    target = moderator_page.locator(f"#post-{reply.pk}")
    target.get_by_role("button", name=re.compile("Als Ergebnis markieren")).click()
    result = moderator_page.locator("#result")
    expect(result).to_contain_text("Ist PDF in Ordnung?")
    expect(result.get_by_role("heading", level=2)).to_have_text("Ergebnis")
    assert Thread.objects.get(pk=thread.pk).result_post_id == reply.pk
    moderator_page.screenshot(path=screenshot_dir / "forums-thread-result.png", full_page=True)

    Report.objects.create(
        post=Post.objects.get(thread=thread, depth=1),
        reporter=reply.author,
        reason=Report.Reason.ILLEGAL,
        details="Enthält nach meiner Einschätzung personenbezogene Daten einer Familie.",
    )
    moderator_page.goto("/forums/reports/")
    expect(moderator_page.get_by_role("heading", level=1)).to_have_text("Meldungen")
    expect(moderator_page.get_by_text("Rechtswidriger Inhalt")).to_be_visible()
    moderator_page.screenshot(path=screenshot_dir / "forums-report-queue.png", full_page=True)
