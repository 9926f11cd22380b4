"""Issue 9.3 (a): posting fields a form does not offer changes nothing. Each edit page is
fetched, its form is submitted as the browser would send it, plus hostile extra fields."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from documents.models import Document
from events.models import Event
from forums.models import Board, Post, Thread
from tests.security.world import build_world
from workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


class FormReader(HTMLParser):
    """Collects the fields of the POST forms on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "data": {}}
            self.forms.append(self._form)
        if self._form is None or "name" not in attrs and tag != "option":
            return
        data = self._form["data"]
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind in ("submit", "file", "button"):
                return
            data.setdefault(attrs["name"], []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            data.setdefault(self._textarea, [""])
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_data(self, text):
        if self._form is not None and self._textarea:
            self._form["data"][self._textarea][-1] += text

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def submit_with_extras(client, path, extras, changes=None):
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    reader = FormReader()
    reader.feed(page.content.decode())
    forms = [form for form in reader.forms if form["action"] in ("", path)]
    assert forms, f"no form posting to {path}"
    data = {name: values if len(values) > 1 else values[0] for name, values in forms[0]["data"].items()}
    data.update(changes or {})
    data.update(extras)
    response = client.post(path, data)
    assert response.status_code in (200, 302), (path, response.status_code)
    return response


@pytest.fixture
def world():
    world = build_world("mass")
    world.foreign = Workspace.objects.create(name="Fremd", slug="mass-fremd", visibility="members")
    world.foreign_board = Board.objects.create(name="Fremdes Forum", slug="mass-fremd-forum", workspace=world.foreign)
    return world


def hostile(world):
    staff = world.users["staff"]
    return {
        "workspace": str(world.foreign.pk),
        "board": str(world.foreign_board.pk),
        "author": str(staff.pk),
        "uploaded_by": str(staff.pk),
        "created_by": str(staff.pk),
        "organiser": str(staff.pk),
        "is_staff": "on",
        "is_superuser": "on",
        "role": "moderator",
        "status": "active",
        "is_hidden": "on",
        "deleted_at": "2020-01-01",
    }


def test_profile_form_cannot_grant_staff_or_change_status(world):
    pending_like = world.users["member"]
    client = world.clients["member"]
    submit_with_extras(client, reverse("accounts:profile"), hostile(world), {"display_name": "Neuer Name"})
    pending_like.refresh_from_db()
    assert pending_like.display_name == "Neuer Name"  # the real change went through
    assert not pending_like.is_staff and not pending_like.is_superuser
    assert not Membership.objects.filter(user=pending_like, workspace=world.foreign).exists()
    assert not Membership.objects.filter(user=pending_like, role="moderator").exists()


def test_workspace_description_form_changes_only_the_description(world):
    workspace = world.workspaces["members_only"]
    before = Workspace.objects.filter(pk=workspace.pk).values().get()
    submit_with_extras(
        world.clients["moderator"],
        reverse("workspaces:edit", args=[workspace.slug]),
        {**hostile(world), "slug": "umbenannt", "visibility": "portal", "is_archived": "on"},
    )
    after = Workspace.objects.filter(pk=workspace.pk).values().get()
    for name in ("slug", "visibility", "is_archived", "name"):
        if name in before:
            assert after[name] == before[name], name
    assert not Membership.objects.filter(workspace=world.foreign).exists()


def test_document_edit_keeps_workspace_and_uploader(world):
    document = world.objects[("document", "members_only")]
    submit_with_extras(
        world.clients["member"], reverse("documents:edit", args=[document.pk]), hostile(world), {"title": "Neu"}
    )
    document.refresh_from_db()
    assert document.title == "Neu"
    assert document.workspace_id == world.workspaces["members_only"].pk
    assert document.uploaded_by_id == world.users["member"].pk
    assert document.deleted_at is None


def test_document_upload_cannot_choose_uploader_or_foreign_workspace(world, settings):
    from tests.documents.factories import pdf_bytes, upload

    client = world.clients["member"]
    data = {"title": "Hochgeladen", "kind": "sonstiges", "file": upload("neu.pdf", pdf_bytes("Neu"))}
    response = client.post(reverse("documents:upload"), {**data, **hostile(world)})
    # 400: the foreign workspace is refused as invalid input; either way nothing hostile is stored.
    assert response.status_code in (200, 302, 400)
    assert not Document.objects.filter(workspace=world.foreign).exists()
    assert not Document.objects.filter(uploaded_by=world.users["staff"]).exists()


def test_thread_create_reply_and_edit_keep_author_and_place(world):
    client = world.clients["member"]
    member = world.users["member"]
    thread = world.objects[("thread", "members_only")]
    board = thread.board
    submit_with_extras(
        client,
        reverse("forums:thread_create", args=[board.pk]),
        {**hostile(world), "thread": "1"},
        {"title": "Neues Thema von mir", "body": "Inhalt"},
    )
    created = Thread.objects.get(title="Neues Thema von mir")
    assert created.author_id == member.pk and created.board_id == board.pk and not created.is_hidden
    assert not Thread.objects.filter(board=world.foreign_board).exists()

    submit_with_extras(client, reverse("forums:reply", args=[thread.pk]), hostile(world), {"body": "Meine Antwort"})
    reply = Post.objects.get(body="Meine Antwort")
    assert reply.author_id == member.pk and reply.thread_id == thread.pk and not reply.is_hidden

    post = world.objects[("post", "members_only")]
    submit_with_extras(
        client, reverse("forums:post_edit", args=[post.pk]), {**hostile(world), "thread": "1"}, {"body": "Geändert"}
    )
    post.refresh_from_db()
    assert post.body == "Geändert"
    assert post.author_id == member.pk and post.thread_id == thread.pk and not post.is_hidden


def test_event_create_and_edit_keep_creator_and_cannot_reach_foreign_workspace(world):
    client = world.clients["moderator"]
    moderator = world.users["moderator"]
    event = world.objects[("event", "members_only")]
    submit_with_extras(client, reverse("events:edit", args=[event.pk]), hostile(world), {"title": "Geänderter Termin"})
    event.refresh_from_db()
    assert event.workspace_id == world.workspaces["members_only"].pk
    assert event.created_by_id == moderator.pk
    assert not Event.objects.filter(workspace=world.foreign).exists()

    page = client.get(reverse("events:create"))
    assert page.status_code == 200
    submit_with_extras(
        client,
        reverse("events:create"),
        hostile(world),
        {"title": "Neuer Termin", "kind": event.kind, "start_date": "2031-05-05", "end_date": "2031-05-05"},
    )
    assert not Event.objects.filter(workspace=world.foreign).exists()
    assert not Event.objects.filter(created_by=world.users["staff"], title="Neuer Termin").exists()


def test_notification_preferences_cannot_touch_the_account(world):
    member = world.users["member"]
    submit_with_extras(world.clients["member"], reverse("notifications:preferences"), hostile(world))
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser
    assert member.status == "active"
