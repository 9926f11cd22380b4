"""A small portal for the security tests: two workspaces (members-only and open to all
members), people in every role, and one object of each kind per scope, created through
services wherever the apps offer one."""

from dataclasses import dataclass, field

from django.test import Client

from documents.services import upload_document
from events.services import create_event
from forums.models import Board
from forums.services import create_thread, post_reply
from tests.documents.factories import pdf_bytes, upload
from tests.events.factories import EventFactory
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from workspaces.models import Membership, Workspace

ROLES = ("outsider", "member", "moderator", "staff", "pending")
SCOPES = ("members_only", "portal_ws", "portal_wide")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)
    workspaces: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # (kind, scope) -> object


def build_world(prefix: str = "sec") -> World:
    world = World()
    staff = StaffFactory()
    world.users = {
        "outsider": MemberFactory(),
        "member": MemberFactory(),
        "moderator": MemberFactory(),
        "staff": staff,
        "pending": PendingFactory(),
    }
    for scope, visibility in (("members_only", "members"), ("portal_ws", "portal")):
        workspace = Workspace.objects.create(name=f"{prefix} {scope}", slug=f"{prefix}-{scope}", visibility=visibility)
        Membership.objects.create(workspace=workspace, user=world.users["member"], role=Membership.Role.MEMBER)
        Membership.objects.create(workspace=workspace, user=world.users["moderator"], role=Membership.Role.MODERATOR)
        world.workspaces[scope] = workspace
        world.objects[("workspace", scope)] = workspace
    for scope in SCOPES:
        workspace = world.workspaces.get(scope)
        author = world.users["member"]
        world.objects[("document", scope)] = upload_document(
            uploader=author,
            file=upload(f"bericht-{scope}.pdf", pdf_bytes()),
            workspace=workspace,
            title=f"Bericht {scope}",
        )
        board = Board.objects.create(name=f"Forum {scope}", slug=f"{prefix}-forum-{scope}", workspace=workspace)
        thread = create_thread(author=author, board=board, title=f"Frage {scope}", body="Wie machen Sie das?")
        world.objects[("thread", scope)] = thread
        world.objects[("post", scope)] = post_reply(author=author, thread=thread, body="Eine Antwort")
        if workspace is not None:
            event = create_event(
                by=world.users["moderator"],
                workspace=workspace,
                **{k: v for k, v in _event_fields().items()},
            )
        else:
            event = create_event(by=staff, workspace=None, **_event_fields())
        world.objects[("event", scope)] = event
    for role, user in world.users.items():
        client = Client()
        client.force_login(user)
        world.clients[role] = client
    return world


def _event_fields():
    template = EventFactory.build()
    return {
        "title": template.title,
        "kind": template.kind,
        "starts_at": template.starts_at,
        "ends_at": template.ends_at,
        "place": template.place,
    }
