"""The forum pages render for members, with the parts the issue asks for."""

from django.urls import reverse

from forums import services
from tests.forums.conftest import client_for
from tests.forums.factories import make_replies


def test_board_list_shows_portal_and_workspace_boards(client, ws_member, ws_board, portal_board):
    response = client_for(client, ws_member).get("/forums/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Allgemeiner Austausch" in html
    assert "Austausch Präventionsketten" in html


def test_board_page_lists_threads_with_unread_badge(client, ws_member, ws_moderator, ws_thread):
    services.post_reply(author=ws_moderator, thread=ws_thread, body="Eine Antwort")
    response = client_for(client, ws_member).get(ws_thread.board.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert ws_thread.title in html
    assert reverse("forums:thread_unread", args=[ws_thread.pk]) in html


def test_thread_page_renders_nested_tree_with_labels_and_keyboard_help(client, ws_member, ws_moderator, ws_thread):
    first = services.post_reply(author=ws_moderator, thread=ws_thread, body="Ebene eins")
    second = services.post_reply(author=ws_member, thread=ws_thread, parent=first, body="Ebene zwei")
    response = client_for(client, ws_member).get(ws_thread.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="post-{second.pk}"' in html
    assert f"Antwort auf {ws_moderator.display_name}, Beitrag #{first.number}" in html
    assert "<details open" in html
    assert "<kbd>j</kbd>" in html
    assert "js/forums.js" in html


def test_deep_replies_continue_flattened_with_reference(client, ws_member, ws_thread):
    parent = None
    posts = []
    for level in range(7):
        parent = services.post_reply(author=ws_member, thread=ws_thread, parent=parent, body=f"Tiefe {level}")
        posts.append(parent)
    html = client_for(client, ws_member).get(ws_thread.get_absolute_url()).content.decode()
    assert posts[-1].depth == 7
    assert html.count('class="forum-reply-to') == 2  # depths 6 and 7 show "Antwort auf …"
    assert "forum-depth-6" not in html


def test_flat_view_lists_replies_chronologically_with_reference(client, ws_member, ws_moderator, ws_thread):
    first = services.post_reply(author=ws_moderator, thread=ws_thread, body="Erste Antwort")
    services.post_reply(author=ws_member, thread=ws_thread, body="Zweite Antwort")
    services.post_reply(author=ws_member, thread=ws_thread, parent=first, body="Dritte Antwort")
    html = client_for(client, ws_member).get(ws_thread.get_absolute_url() + "?view=flat").content.decode()
    assert html.index("Erste Antwort") < html.index("Zweite Antwort") < html.index("Dritte Antwort")
    assert "Antwort auf" in html


def test_reply_page_quotes_the_post(client, ws_member, ws_moderator, ws_thread):
    post = services.post_reply(author=ws_moderator, thread=ws_thread, body="Zitierbarer Satz")
    url = reverse("forums:reply", args=[ws_thread.pk]) + f"?parent={post.pk}&quote={post.pk}"
    html = client_for(client, ws_member).get(url).content.decode()
    assert "&gt; Zitierbarer Satz" in html


def test_reply_through_the_form_redirects_to_the_permalink(client, ws_member, ws_moderator, ws_thread):
    parent = services.post_reply(author=ws_moderator, thread=ws_thread, body="Frage")
    response = client_for(client, ws_member).post(
        reverse("forums:reply", args=[ws_thread.pk]), {"body": "Meine Antwort", "parent": parent.pk}
    )
    reply = ws_thread.posts.order_by("-id").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:post", args=[reply.pk])
    assert reply.parent_id == parent.pk


def test_empty_reply_shows_a_german_error(client, ws_member, ws_thread):
    response = client_for(client, ws_member).post(reverse("forums:reply", args=[ws_thread.pk]), {"body": "  "})
    assert response.status_code == 200
    assert "erforderlich" in response.content.decode()


def test_preview_renders_sanitised_markdown(client, ws_member):
    response = client_for(client, ws_member).post(
        reverse("forums:preview"), {"body": "**fett** [x](javascript:alert(1))"}
    )
    html = response.content.decode()
    assert "<strong>fett</strong>" in html
    assert "javascript:" not in html.replace("[x](javascript:alert(1))", "")


def test_new_thread_form_creates_thread(client, ws_member, ws_board):
    response = client_for(client, ws_member).post(
        reverse("forums:thread_create", args=[ws_board.pk]),
        {"title": "Kennzahlen für Präventionsketten", "body": "Welche nutzen Sie?"},
    )
    thread = ws_board.threads.get()
    assert response.status_code == 302
    assert thread.first_post.body == "Welche nutzen Sie?"


def test_many_pages_of_top_level_replies_link_forward_and_back(client, ws_member, ws_thread, settings):
    settings.FORUMS_TOP_LEVEL_PAGE_SIZE = 5
    make_replies(ws_thread, ws_member, 12)
    c = client_for(client, ws_member)
    first = c.get(ws_thread.get_absolute_url())
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    second = c.get(first.context["next_url"])
    assert 'rel="prev"' in second.content.decode()
