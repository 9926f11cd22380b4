"""Role × action matrix over every URL of the workspaces app, generated from its URL patterns.

A URL added to ``workspaces/urls.py`` without a row in ``EXPECTED`` (and ``PORTAL_OUTSIDER``)
makes this suite fail. Anonymous visitors are sent to the login page and pending accounts to
the "approval pending" page everywhere. Denied requests (403/404/405) must not write anything.
"""

import pytest
from django.urls import reverse

from accounts.models import User
from pages.models import AuditEntry
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from tests.workspaces.factories import JoinRequestFactory, MembershipFactory, PortalWorkspaceFactory, WorkspaceFactory
from workspaces import urls as workspace_urls
from workspaces.models import Activity, Announcement, JoinRequest, Membership, Workspace

ROLES = ["anonymous", "pending", "outsider", "member", "moderator", "staff"]
MEMBER_ROLES = ["outsider", "member", "moderator", "staff"]
METHODS = ["GET", "POST"]


def _row(get, post):
    """``get``/``post``: statuses for (outsider, member, moderator, staff) on a members-only workspace."""
    return {"GET": dict(zip(MEMBER_ROLES, get, strict=True)), "POST": dict(zip(MEMBER_ROLES, post, strict=True))}


# Members-only workspace (join on request). 302 after a POST is the redirect that carries the
# success or the German explanation (e.g. "already a member"); those cases have their own tests.
EXPECTED = {
    "dashboard": _row((200, 200, 200, 200), (405, 405, 405, 405)),
    "list": _row((200, 200, 200, 200), (405, 405, 405, 405)),
    "detail": _row((404, 200, 200, 200), (405, 405, 405, 405)),
    "join": _row((405, 405, 405, 405), (404, 302, 302, 302)),
    "request_join": _row((404, 302, 302, 200), (404, 302, 302, 302)),
    "withdraw_request": _row((405, 405, 405, 405), (404, 302, 302, 302)),
    "leave": _row((405, 405, 405, 405), (404, 302, 302, 403)),
    "edit": _row((404, 403, 200, 200), (404, 403, 302, 302)),
    "members": _row((404, 200, 200, 200), (405, 405, 405, 405)),
    "add_member": _row((404, 403, 200, 200), (404, 403, 302, 302)),
    "change_role": _row((405, 405, 405, 405), (404, 403, 302, 302)),
    "remove_member": _row((405, 405, 405, 405), (404, 403, 302, 302)),
    "join_requests": _row((404, 403, 200, 200), (405, 405, 405, 405)),
    "approve_request": _row((405, 405, 405, 405), (404, 403, 302, 302)),
    "decline_request": _row((405, 405, 405, 405), (404, 403, 302, 302)),
    "announcement_create": _row((404, 403, 200, 200), (404, 403, 302, 302)),
    "announcement_delete": _row((405, 405, 405, 405), (404, 403, 302, 302)),
}

# The same URLs on a workspace visible to all members: an outsider sees it (no 404) but may
# not moderate it (403).
PORTAL_OUTSIDER = {
    "dashboard": (200, 405),
    "list": (200, 405),
    "detail": (200, 405),
    "join": (405, 302),
    "request_join": (200, 302),
    "withdraw_request": (405, 302),
    "leave": (405, 403),
    "edit": (403, 403),
    "members": (200, 405),
    "add_member": (403, 403),
    "change_role": (405, 403),
    "remove_member": (405, 403),
    "join_requests": (403, 405),
    "approve_request": (405, 403),
    "decline_request": (405, 403),
    "announcement_create": (403, 403),
    "announcement_delete": (405, 403),
}

POST_DATA = {
    "request_join": {"message": "Ich plane in Gera und möchte mitarbeiten."},
    "edit": {"short_description": "Kurz", "description": "Lang", "funding_note": "ESF+"},
    "change_role": {"role": Membership.Role.MODERATOR},
    "decline_request": {"reason": "Bitte zuerst mit dem Programmteam sprechen."},
    "announcement_create": {"title": "Treffen", "body": "Am Montag."},
}

URL_NAMES = [pattern.name for pattern in workspace_urls.urlpatterns]
CASES = [(name, method, role) for name in URL_NAMES for method in METHODS for role in ROLES]


def test_every_workspace_url_has_a_rule():
    assert set(URL_NAMES) == set(EXPECTED), "every URL needs a row in EXPECTED (and no stale rows)"
    assert set(URL_NAMES) == set(PORTAL_OUTSIDER)


class World:
    def __init__(self, visibility):
        factory = WorkspaceFactory if visibility == Workspace.Visibility.MEMBERS_ONLY else PortalWorkspaceFactory
        self.workspace = factory(join_policy=Workspace.JoinPolicy.REQUEST)
        self.users = {
            "anonymous": None,
            "pending": PendingFactory(),
            "outsider": MemberFactory(),
            "member": MemberFactory(),
            "moderator": MemberFactory(),
            "staff": StaffFactory(),
        }
        MembershipFactory(user=self.users["outsider"])
        MembershipFactory(workspace=self.workspace, user=self.users["member"])
        MembershipFactory(workspace=self.workspace, user=self.users["moderator"], role=Membership.Role.MODERATOR)
        self.target = MemberFactory()
        MembershipFactory(workspace=self.workspace, user=self.target)
        self.candidate = MemberFactory()
        self.join_request = JoinRequestFactory(workspace=self.workspace)
        self.announcement = Announcement.objects.create(workspace=self.workspace, title="Hinweis", body="Text")

    def url(self, name):
        pattern = next(p for p in workspace_urls.urlpatterns if p.name == name)
        kwargs = {}
        for key in pattern.pattern.converters:
            if key == "slug":
                kwargs[key] = self.workspace.slug
            elif key == "user_id":
                kwargs[key] = self.target.pk
            elif key == "pk" and "announcement" in name:
                kwargs[key] = self.announcement.pk
            elif key == "pk" and "request" in name:
                kwargs[key] = self.join_request.pk
            else:
                pytest.fail(f"no fixture for URL argument {key!r} of {name!r}: extend World.url")
        return reverse(f"workspaces:{name}", kwargs=kwargs)

    def post_data(self, name):
        data = dict(POST_DATA.get(name, {}))
        if name == "add_member":
            data["user"] = self.candidate.pk
        return data


def _snapshot():
    return (
        Membership.objects.count(),
        list(Membership.objects.order_by("pk").values_list("role", flat=True)),
        list(JoinRequest.objects.order_by("pk").values_list("status", flat=True)),
        Announcement.objects.count(),
        Activity.objects.count(),
        AuditEntry.objects.exclude(action__startswith="auth.").count(),  # sign-ins are audited too
        list(Workspace.objects.order_by("pk").values_list("description", flat=True)),
    )


def _request(client, world, name, method, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = world.url(name)
    if method == "GET":
        return client.get(url)
    return client.post(url, world.post_data(name))


def _check(response, expected, before, role):
    assert response.status_code == expected, f"{role}: expected {expected}, got {response.status_code}"
    if expected in (403, 404, 405):
        assert _snapshot() == before, "a denied request must not write anything"


@pytest.mark.parametrize(("name", "method", "role"), CASES)
def test_members_only_workspace_matrix(client, db, name, method, role):
    world = World(Workspace.Visibility.MEMBERS_ONLY)
    before = _snapshot()
    response = _request(client, world, name, method, role)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert _snapshot() == before
        return
    if role == "pending":
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:pending")
        assert _snapshot() == before
        return
    _check(response, EXPECTED[name][method][role], before, role)


@pytest.mark.parametrize(("name", "method"), [(name, method) for name in URL_NAMES for method in METHODS])
def test_portal_workspace_outsider_matrix(client, db, name, method):
    world = World(Workspace.Visibility.PORTAL)
    before = _snapshot()
    response = _request(client, world, name, method, "outsider")
    get_status, post_status = PORTAL_OUTSIDER[name]
    _check(response, get_status if method == "GET" else post_status, before, "outsider")


def test_matrix_users_have_the_roles_they_claim(db):
    world = World(Workspace.Visibility.MEMBERS_ONLY)
    roles = dict(Membership.objects.filter(workspace=world.workspace).values_list("user_id", "role"))
    assert world.users["outsider"].pk not in roles
    assert roles[world.users["member"].pk] == Membership.Role.MEMBER
    assert roles[world.users["moderator"].pk] == Membership.Role.MODERATOR
    assert world.users["staff"].pk not in roles and world.users["staff"].is_staff
    assert User.objects.get(pk=world.users["pending"].pk).is_pending
