"""The post markup made in Python (forums/rendering.py): every value escaped, every text
translated, the actions each viewer may use and no others, the htmx answer of "Hilfreich"."""

import re

import pytest
from django.utils import timezone, translation

from accounts.models import Kommune
from forums import services
from forums.models import Post
from tests.forums.factories import make_replies

PAYLOAD = '<img src=x onerror="alert(1)">&"'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&quot;"


def article(html: str, post) -> str:
    match = re.search(rf'<article[^>]*id="post-{post.pk}".*?</article>', html, re.S)
    assert match, f"post {post.pk} is not on the page"
    return match.group(0)


@pytest.fixture
def reply(ws_thread, another_member, workspace):
    from tests.forums.factories import MembershipFactory

    MembershipFactory(workspace=workspace, user=another_member)
    return make_replies(ws_thread, another_member, 1)[0]


@pytest.mark.django_db
def test_every_user_text_of_a_post_is_escaped(client, ws_thread, ws_moderator, reply, another_member):
    another_member.display_name = PAYLOAD
    another_member.save()
    kommune = Kommune.objects.create(name=PAYLOAD, slug="payload", kind=Kommune.Kind.ANDERE)
    another_member.profile.kommune = kommune
    another_member.profile.save()
    hidden, deleted = make_replies(ws_thread, another_member, 2)
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason=PAYLOAD)
    Post.objects.filter(pk=deleted.pk).update(is_deleted=True, delete_reason=PAYLOAD)
    client.force_login(ws_moderator)
    html = client.get(ws_thread.get_absolute_url()).content.decode()
    assert 'onerror="alert' not in html
    shown = article(html, reply)
    assert shown.count(ESCAPED) == 2  # the author's name and Kommune
    assert f"Von der Moderation ausgeblendet. Begründung: {ESCAPED}" in article(html, hidden)
    assert f"Dieser Beitrag wurde gelöscht. Begründung: {ESCAPED}" in article(html, deleted)


@pytest.mark.django_db
def test_a_member_sees_reply_react_and_report_but_no_moderation(client, ws_thread, ws_member, reply):
    client.force_login(ws_member)
    html = article(client.get(ws_thread.get_absolute_url()).content.decode(), reply)
    reply_url = f"/forums/threads/{ws_thread.pk}/reply/?parent={reply.pk}"
    assert f'data-reply-url="{reply_url}"' in html
    assert f'href="{reply_url}&amp;quote={reply.pk}"' in html
    assert f'action="/forums/posts/{reply.pk}/helpful/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f"/forums/posts/{reply.pk}/report/" in html
    assert f"/forums/posts/{reply.pk}/hide/" not in html
    assert f"/forums/posts/{reply.pk}/edit/" not in html
    assert '<span class="badge text-bg-primary">neu</span>' in html
    assert "Antwort auf das Thema, Beitrag #2" in html
    created = timezone.localtime(reply.created_at)
    assert f'<time datetime="{created.isoformat()}">{created:%d.%m.%Y %H:%M}</time>' in html


@pytest.mark.django_db
def test_the_moderator_sees_hide_and_split(client, ws_thread, ws_moderator, reply):
    client.force_login(ws_moderator)
    html = article(client.get(ws_thread.get_absolute_url()).content.decode(), reply)
    for action in ("edit", "delete", "hide", "split"):
        assert f'href="/forums/posts/{reply.pk}/{action}/"' in html


@pytest.mark.django_db
def test_the_post_is_rendered_in_english_too(client, ws_thread, ws_member, reply):
    Post.objects.filter(pk=reply.pk).update(helpful_count=2, edited_at=timezone.now())
    client.force_login(ws_member)
    with translation.override("en"):
        html = client.get(ws_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = article(html, reply)
    assert "Reply to the thread, post #2" in shown
    assert "Helpful" in shown and "· edited" in shown and ">Report</a>" in shown


@pytest.mark.django_db
def test_helpful_count_without_the_button_uses_the_plural(client, ws_thread, ws_member, another_member, reply):
    Post.objects.filter(pk=ws_thread.first_post_id).update(helpful_count=3)
    client.force_login(ws_member)  # the opening post is ws_member's own: no button, a count
    html = article(client.get(ws_thread.get_absolute_url()).content.decode(), ws_thread.first_post)
    assert "3 Mitglieder fanden das hilfreich" in html
    assert "aria-pressed" not in html


@pytest.mark.django_db
def test_the_htmx_answer_of_the_helpful_button_is_the_new_button(client, ws_member, reply):
    client.force_login(ws_member)
    response = client.post(f"/forums/posts/{reply.pk}/helpful/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<span class="forum-reaction" id="reaction-{reply.pk}">')
    assert 'aria-pressed="true"' in html and '<span class="badge text-bg-light">1</span>' in html
    assert services.toggle_helpful(user=ws_member, post=reply) is False


@pytest.mark.django_db
def test_the_tree_nests_replies_in_branches_that_count_them(client, ws_thread, ws_member, another_member, reply):
    child = make_replies(ws_thread, ws_member, 1, parent=reply)[0]
    make_replies(ws_thread, another_member, 2, parent=child)
    client.force_login(ws_member)
    html = client.get(ws_thread.get_absolute_url()).content.decode()
    tree = re.search(r'<ol class="list-unstyled forum-tree">(.*?)</section>', html, re.S).group(1)
    assert tree.count("<ol") + 1 == tree.count("</ol>")  # every branch is closed, then the tree
    assert tree.count("<li") == tree.count("</li>")
    assert tree.count('<li class="forum-node') == 4
    name = another_member.display_name
    assert f"<summary>3 Antworten an {name}</summary>" in tree
    assert f"<summary>2 Antworten an {ws_member.display_name}</summary>" in tree
    # the grandchildren sit in the child's branch, inside the reply's branch
    assert re.search(rf'id="post-{reply.pk}".*?forum-children.*?id="post-{child.pk}".*?forum-children', tree, re.S)


@pytest.mark.django_db
def test_the_chronological_view_and_an_empty_thread(client, ws_thread, ws_member, reply):
    client.force_login(ws_member)
    flat = client.get(ws_thread.get_absolute_url() + "?view=flat").content.decode()
    assert f'<li class="forum-node"><article class="forum-post is-unread" id="post-{reply.pk}"' in flat
    Post.objects.filter(pk=reply.pk).delete()
    empty = client.get(ws_thread.get_absolute_url()).content.decode()
    assert '<ol class="list-unstyled forum-tree">\n    <li>Noch keine Antworten.</li>' in empty
    with translation.override("en"):
        empty = client.get(ws_thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<ol class="list-unstyled forum-tree">\n    <li>No replies yet.</li>' in empty


def test_board_list_shows_counts_unread_and_last_post_escaped(client, ws_board, portal_board, ws_member, ws_moderator):
    from datetime import UTC, datetime

    from forums.models import Thread
    from tests.forums.conftest import client_for
    from tests.forums.factories import make_thread

    ws_board.name, ws_board.description = PAYLOAD, f"Beschreibung {PAYLOAD}"
    ws_board.save()
    read = make_thread(board=ws_board, author=ws_member, title="Gelesen")
    make_thread(board=ws_board, author=ws_moderator, title="Neu")
    Thread.objects.filter(pk=read.pk).update(last_post_at=datetime(2026, 7, 1, 22, 5, tzinfo=UTC))
    c = client_for(client, ws_member)
    c.get(read.get_absolute_url())  # the member has read one of the two threads

    html = c.get("/forums/").content.decode()
    portal = html.split('id="portal-boards"')[1].split("</section>")[0]
    assert "Noch keine Foren." not in portal and portal_board.name in portal and "0 Themen" in portal
    group = html.split(f'id="ws-{ws_board.workspace_id}"')[1].split("</section>")[0]
    assert f'<a class="fw-semibold" href="/forums/boards/{ws_board.pk}/">{ESCAPED}</a>' in group
    assert f'<p class="mb-0 text-body-secondary small">Beschreibung {ESCAPED}</p>' in group
    assert "2 Themen" in group and '<span class="badge text-bg-primary ms-2">1 mit neuen Beiträgen</span>' in group
    newest = timezone.localtime(Thread.objects.get(title="Neu").last_post_at)
    assert f"Letzter Beitrag: {newest:%d.%m.%Y %H:%M}</span>" in group
    from forums.rendering import board_list

    with translation.override("en"):
        assert str(board_list([])) == "<p>No boards yet.</p>"
    with translation.override("de"):
        assert str(board_list([])) == "<p>Noch keine Foren.</p>"
