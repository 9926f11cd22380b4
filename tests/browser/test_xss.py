"""Issue 9.4: every user-text field, filled with a corpus of XSS payloads, executes nothing
in Chromium. Payloads call ``window.__xss=1`` and ``alert``; the test watches dialogs, the
console, the sentinel and Content-Security-Policy violation reports."""

import itertools
from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.browser.conftest import login
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

JS = "window.__xss=1;alert(1)"
VECTORS = [
    "<script>{js}</script>",
    '<img src=x onerror="{js}">',
    "<img src=x onerror={js}>",
    '<svg onload="{js}">',
    "<svg><script>{js}</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="{js}">',
    '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
    '<iframe src="javascript:parent.{js}"></iframe>',
    '<a href="javascript:{js}">klick</a>',
    '<a href="data:text/html,<script>{js}</script>">klick</a>',
    '<body onload="{js}">',
    '<details open ontoggle="{js}">',
    '<input autofocus onfocus="{js}">',
    '<video><source onerror="{js}"></video>',
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    '<form><button formaction="javascript:{js}">x</button></form>',
    '<div style="background:url(javascript:{js})">x</div>',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    "[klick](javascript:{js})",
    "![bild](javascript:{js})",
    "[klick](JaVaScRiPt:{js})",
    "[klick](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "<scr<script>ipt>{js}</scr</script>ipt>",
    "{{{{constructor.constructor('{js}')()}}}}",
    "{{{{7*7}}}} ${{7*7}} #{{7*7}} {{% debug %}}",
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk={js} )//</stYle/</titLe/</teXtarEa/</scRipt/--!>"
    "\\x3csVg/<sVg/oNloAd={js}//>\\x3e",
]
BREAKOUTS = ["", '">', "'>", "</textarea>", "</title>", "</script>", "--!>", "]]>"]


def corpus():
    payloads = [b + v.format(js=JS) for v, b in itertools.product(VECTORS, BREAKOUTS)]
    for vector in VECTORS:
        raw = vector.format(js=JS)
        payloads.append(raw.replace("<", "&lt;").replace(">", "&gt;"))  # entity-encoded
        payloads.append(quote(raw))  # URL-encoded
        payloads.append(raw.replace("<", "\\u003c"))  # JS-escaped
    return payloads


PAYLOADS = corpus()

INIT = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || ''));
});
"""


def _chunks(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def _seed(staff, member):
    from accounts.services import update_profile
    from documents.services import upload_document
    from events.services import create_event
    from forums.models import Board
    from forums.services import create_thread, post_reply
    from tests.documents.factories import pdf_bytes, upload
    from tests.events.factories import EventFactory
    from workspaces.models import Membership, Workspace
    from workspaces.services import post_announcement, update_workspace_description

    workspace = Workspace.objects.create(name="XSS-Prüfung", slug="xss-pruefung", visibility="portal")
    Membership.objects.create(workspace=workspace, user=staff, role=Membership.Role.MODERATOR)
    Membership.objects.create(workspace=workspace, user=member, role=Membership.Role.MEMBER)
    blocks = ["\n\n".join(chunk) for chunk in _chunks(PAYLOADS, 40)]
    short = PAYLOADS[::9][:24]
    urls = [reverse("workspaces:detail", args=[workspace.slug])]

    update_profile(user=member, display_name=short[1][:120], bio=blocks[0][:2000], organisation=short[2][:200])
    update_workspace_description(workspace=workspace, by=staff, short_description=short[3][:200], description=blocks[1])
    post_announcement(workspace=workspace, author=staff, title=short[4][:200], body=blocks[2][:5000])

    board = Board.objects.create(name="XSS-Forum", slug="xss-forum", workspace=workspace)
    for index, title in enumerate(short[:6]):
        thread = create_thread(
            author=member, board=board, title=f"T{index} {title}"[:200], body=blocks[index % len(blocks)]
        )
        urls.append(reverse("forums:thread", args=[thread.pk]))
    for block in blocks:
        post_reply(author=member, thread=thread, body=block)
    urls.append(reverse("forums:board", args=[board.pk]))

    for index, title in enumerate(short[6:10]):
        filename = f'{index}"><img src=x onerror={JS}>.pdf'
        document = upload_document(
            uploader=member,
            file=upload(filename, pdf_bytes(f"Bericht {index}")),
            workspace=workspace,
            title=title[:200],
            description=blocks[index % len(blocks)][:5000],
        )
        urls.append(reverse("documents:detail", args=[document.pk]))
    urls.append(reverse("documents:list"))

    template = EventFactory.build()
    for index, title in enumerate(short[10:14]):
        event = create_event(
            by=staff,
            workspace=workspace,
            title=title[:200],
            kind=template.kind,
            starts_at=template.starts_at,
            ends_at=template.ends_at,
            place=short[14 + index][:200],
            description=blocks[index % len(blocks)][:5000],
        )
        urls.append(reverse("events:detail", args=[event.pk]))
    urls.append(reverse("events:list"))
    urls += ["/", "/members/", f"/members/{member.pk}/", "/notifications/"]
    for payload in short[::3]:
        urls.append(reverse("search:search") + "?q=" + quote(payload))
    return urls


def test_xss_corpus_executes_nothing_anywhere(page, portal_server, screenshot_dir, settings):
    settings.FORUMS_RATE_LIMITS = {"thread": (100, 600), "reply": (100, 60)}  # seeding only
    from tests.factories import MemberFactory, StaffFactory

    assert len(PAYLOADS) >= 200
    staff = StaffFactory(email="xss-staff@example.org")
    member = MemberFactory(email="xss-member@example.org")
    urls = _seed(staff, member)

    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(INIT)
    login(page, staff.email, PASSWORD)

    violations = []
    failures = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 500, (url, response and response.status)
        page.wait_for_load_state("load")
        if page.evaluate("window.__xss") is not None:
            failures.append(url)
        violations += page.evaluate("window.__violations || []")
    print(f"{len(PAYLOADS)} payloads on {len(urls)} pages; CSP violations seen: {len(violations)}")
    for line in sorted(set(violations))[:20]:
        print("  ", line)
    assert not dialogs, f"a dialog fired: {dialogs[:3]}"
    assert not failures, f"payload ran on: {failures}"
    page.goto(urls[1])
    page.screenshot(path=str(screenshot_dir / "xss-thread.png"), full_page=False)
