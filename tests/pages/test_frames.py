"""pages.frames: a page rendered once with marks and filled in per viewer gives what the
template gives that viewer."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string
from django.test import RequestFactory

from notifications.models import Notification
from pages import frames
from tests.factories import MemberFactory, StaffFactory

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def test_fill_puts_each_value_where_its_mark_was():
    marks = frames.Marks(["name", "token"])
    frame = marks.frame(f"<p>{marks.mark('name')}</p><i>{marks.mark('token')}</i><b>{marks.mark('token')}</b>")
    assert frame.fill({"name": "Jäger & Söhne", "token": "abc"}) == "<p>Jäger & Söhne</p><i>abc</i><b>abc</b>".encode()


def test_a_rendering_that_lost_a_mark_is_refused():
    marks = frames.Marks(["name", "token"])
    with pytest.raises(ValueError, match="token"):
        marks.frame(f"<p>{marks.mark('name')}</p>")


def test_marks_differ_between_renderings_so_no_text_can_pass_for_one():
    first, second = frames.Marks(["name"]), frames.Marks(["name"])
    assert first.mark("name") != second.mark("name")
    frame = second.frame(f"{first.mark('name')} {second.mark('name')}")
    assert frame.fill({"name": "x"}) == f"{first.mark('name')} x".encode()


def _request(user, path="/", expire_at_browser_close=False, message=None):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    if expire_at_browser_close:
        request.session.set_expiry(0)
    request._messages = default_storage(request)
    if message:
        request._messages.add(constants.WARNING, message)
    return request


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    ["member", "member_with_notifications", "staff", "browser_session", "message", "address"],
)
def test_the_layout_filled_in_is_what_the_template_gives(case):
    user = StaffFactory() if case == "staff" else MemberFactory(display_name="Planerin <Muster>")
    if case == "member_with_notifications":
        Notification.objects.create(recipient=user, kind="reply", in_portal=True)
    request = _request(
        user,
        path="/forums/?q=<b>&x=1" if case == "address" else "/forums/",
        expire_at_browser_close=case == "browser_session",
        message="Gespeichert <sofort>" if case == "message" else None,
    )
    rendered = render_to_string("base.html", {}, request)
    frame = frames.render_frame("base.html", lambda mark: {}, request, ())
    filled = frame.fill(frames.viewer_values(request, {})).decode()
    assert TOKEN.sub(r"\1TOKEN", filled) == TOKEN.sub(r"\1TOKEN", rendered)
    assert "Planerin &lt;Muster&gt;" in filled or case == "staff"
    if case == "message":
        assert "Gespeichert &lt;sofort&gt;" in filled


@pytest.mark.django_db
def test_one_token_per_request_for_every_form():
    request = _request(MemberFactory())
    assert frames.csrf_token(request) == frames.csrf_token(request)
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


@pytest.mark.django_db
def test_the_layout_renders_for_a_request_that_did_not_pass_the_middleware():
    html = render_to_string("base.html", {}, RequestFactory().get("/"))
    assert 'id="main"' in html and "data-session-seconds" not in html
    assert 'id="main"' in render_to_string("base.html", {})


def test_a_frame_read_from_the_cache_by_another_process_fills_alike():
    from pages.shared_reads import pack, unpack

    marks = frames.Marks(["name"])
    frame = marks.frame(f"<p>{marks.mark('name')}</p>")
    assert unpack(pack(frame)).fill({"name": "Ä"}) == frame.fill({"name": "Ä"}) == "<p>Ä</p>".encode()
