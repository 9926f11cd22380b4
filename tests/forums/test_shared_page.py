"""A thread page's posts are rendered once for every viewer with the same rights and filled in
for each viewer (forums/rendering.py ``shared_page``, ``ViewerPage``): what each viewer gets
is what rendering the page for them alone gives, their own posts, read marks and "helpful"
marks included; the shared part is not rendered again for the next viewer."""

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from forums import rendering, selectors, services
from forums.models import Post
from forums.permissions import thread_rights
from tests.forums.conftest import client_for
from tests.forums.factories import MembershipFactory, make_replies, make_thread

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def colleague(workspace):
    return MembershipFactory(workspace=workspace).user


@pytest.fixture
def thread(ws_board, ws_member, colleague, ws_moderator):
    """Replies of three people, nested, one hidden, one deleted, one the result, one marked
    helpful by the thread's author, who has read only the first half."""
    thread = make_thread(board=ws_board, author=ws_member, title="Fachplanung Kita")
    first, second, third = make_replies(thread, colleague, 3)
    own = services.post_reply(author=ws_member, thread=thread, parent=first, body="Eigene Antwort")
    services.post_reply(author=colleague, thread=thread, parent=own, body="Antwort auf die eigene")
    services.post_reply(author=ws_moderator, thread=thread, body="Hinweis der Moderation")
    services.hide_post(moderator=ws_moderator, post=second, reason="Personenbezug")
    services.delete_post(user=colleague, post=third, reason="")
    services.toggle_helpful(user=ws_member, post=first)
    thread.refresh_from_db()
    services.mark_result(user=ws_member, thread=thread, post=first)
    services.mark_thread_read(
        user=ws_member, thread=thread, shown_post_ids=[thread.first_post_id, first.pk, second.pk], last_read=0
    )
    return thread


def _alone(request, thread, *, flat):
    """The page rendered for this viewer alone, as the view did before pages were shared."""
    user = request.user
    thread = selectors.thread_for_view(user, thread.pk, viewer_marks=True)
    rights = thread_rights(user, thread)
    page = selectors.flat_page(thread) if flat else selectors.tree_page(thread)
    shown = {post.id for post in page.posts}
    posts = [*page.posts, *(p for p in (thread.first_post, thread.result_post) if p and p.id not in shown)]
    helpful = selectors.helpful_post_ids(user, [p.id for p in posts if p.helpful_count])
    rendering.decorate(
        thread, posts, viewer_id=user.pk, rights=rights, last_read=thread.viewer_last_read, helpful=helpful
    )
    renderer = rendering.PostRenderer(request, thread, can_reply=rights.reply)
    return str(renderer.render(thread.first_post, opening=True)), "".join(renderer.reply_items(page.nodes, flat=flat))


def _shared(request, thread, *, flat):
    user = request.user
    thread = selectors.thread_for_view(user, thread.pk, viewer_marks=True)
    rights = thread_rights(user, thread)
    page = rendering.shared_page(thread, flat=flat, after=None, before=None, rights=rights)
    helpful = selectors.helpful_post_ids(user, page.helpful_ids)
    viewer = rendering.ViewerPage.for_viewer(
        request, thread, page, rights=rights, last_read=thread.viewer_last_read, helpful=helpful
    )
    return str(viewer.opening()), str(viewer.replies())


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewer", ["ws_member", "colleague", "ws_moderator"])
def test_each_viewer_gets_what_rendering_for_them_alone_gives(request, thread, viewer, language, flat):
    user = request.getfixturevalue(viewer)
    with translation.override(language):
        alone = _alone(_request(user), thread, flat=flat)
        shared = _shared(_request(user), thread, flat=flat)
    assert [TOKEN.sub("TOKEN", html) for html in shared] == [TOKEN.sub("TOKEN", html) for html in alone]
    assert "\x00" not in "".join(shared)


@pytest.mark.django_db
def test_the_viewers_own_marks_show_and_no_one_elses(thread, ws_member, colleague):
    first = thread.result_post
    own = Post.objects.get(thread=thread, body="Eigene Antwort")
    opening, replies = _shared(_request(ws_member), thread, flat=False)
    author_view = opening + replies
    assert f'/forums/posts/{own.pk}/edit/"' in author_view  # their own post, rendered for them
    assert 'aria-pressed="true"' in author_view  # the reply they found helpful
    assert "is-unread" in author_view and f'id="post-{first.pk}" tabindex' in author_view
    opening, replies = _shared(_request(colleague), thread, flat=False)
    colleague_view = opening + replies
    assert f'/forums/posts/{own.pk}/edit/"' not in colleague_view
    assert f'/forums/posts/{own.pk}/report/"' in colleague_view
    assert 'aria-pressed="true"' not in colleague_view


@pytest.mark.django_db
def test_the_next_viewer_with_the_same_rights_renders_nothing_but_their_own(
    client, thread, workspace, colleague, monkeypatch
):
    reader = MembershipFactory(workspace=workspace).user
    client_for(client, colleague).get(thread.get_absolute_url())
    rendered = []
    original = rendering.PostRenderer.render
    monkeypatch.setattr(
        rendering.PostRenderer,
        "render",
        lambda self, post, **kw: rendered.append(post.pk) or original(self, post, **kw),
    )
    response = client_for(client, reader).get(thread.get_absolute_url())
    assert response.status_code == 200 and "Antwort auf die eigene" in response.content.decode()
    assert rendered == []
    client_for(client, colleague).get(thread.get_absolute_url())
    assert sorted(rendered) == sorted(Post.objects.filter(thread=thread, author=colleague).values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_csrf_field_of_the_shared_page_is_the_viewers_and_works(client, thread, colleague):
    client = client_for(client, colleague)
    client.handler.enforce_csrf_checks = True
    html = client.get(thread.get_absolute_url()).content.decode()
    target = Post.objects.get(thread=thread, body="Eigene Antwort")
    form = re.search(rf'<form method="post" action="/forums/posts/{target.pk}/helpful/".*?</form>', html, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    response = client.post(f"/forums/posts/{target.pk}/helpful/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert 'aria-pressed="true"' in client.get(thread.get_absolute_url()).content.decode()
