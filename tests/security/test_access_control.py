"""Issue 9.3 (b): random person × object × action combinations against the policy
functions. Whoever may not know an object gets the same 404 as for an id that never
existed; whoever can see it but not act gets 403."""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from documents.permissions import can_edit_document, can_view_document
from events.permissions import can_manage_event, can_view_event
from forums.permissions import can_edit_post, can_reply, can_view_post, can_view_thread
from tests.security.world import ROLES, SCOPES, build_world
from workspaces.permissions import can_moderate_workspace, can_view_workspace

MISSING_ID = 987_654

# kind -> action -> (url name, policy for the action, policy for "may know it exists")
ACTIONS = {
    "workspace": {
        "detail": ("workspaces:detail", can_view_workspace, can_view_workspace),
        "ics": ("events:workspace_ics", can_view_workspace, can_view_workspace),
        "edit": ("workspaces:edit", can_moderate_workspace, can_view_workspace),
    },
    "document": {
        "detail": ("documents:detail", can_view_document, can_view_document),
        "download": ("documents:download", can_view_document, can_view_document),
        "edit": ("documents:edit", can_edit_document, can_view_document),
    },
    "thread": {
        "detail": ("forums:thread", can_view_thread, can_view_thread),
        "edit": ("forums:reply", can_reply, can_view_thread),
    },
    "post": {
        "detail": ("forums:post", can_view_post, can_view_post),
        "edit": ("forums:post_edit", can_edit_post, can_view_post),
    },
    "event": {
        "detail": ("events:detail", can_view_event, can_view_event),
        "ics": ("events:ics", can_view_event, can_view_event),
        "edit": ("events:edit", can_manage_event, can_view_event),
    },
}
CASES = [
    (kind, scope, action)
    for kind, actions in ACTIONS.items()
    for scope in SCOPES
    for action in actions
    if not (kind == "workspace" and scope == "portal_wide")
]


@pytest.fixture
def world(db):
    return build_world()


def _key(obj):
    return obj.slug if hasattr(obj, "slug") and obj.__class__.__name__ == "Workspace" else obj.pk


def _url(name, key):
    return reverse(name, args=[key])


def _normalised(response, path):
    """The page without what differs between any two requests: the masked CSRF token and
    the requested path echoed in the "next" fields."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return text.replace(path, "PATH")


def _request(client, action, url):
    if action == "edit":
        # An empty form: allowed people see validation errors, nothing is changed.
        return client.post(url, {})
    return client.get(url)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(role=st.sampled_from(ROLES), case=st.sampled_from(CASES))
def test_responses_follow_the_policy_functions(world, role, case):
    kind, scope, action = case
    name, may_act, may_know = ACTIONS[kind][action]
    obj = world.objects[(kind, scope)]
    user = world.users[role]
    client = world.clients[role]
    path = _url(name, _key(obj))
    response = _request(client, action, path)
    status = response.status_code

    if role == "pending":
        # Pending accounts see nothing but the waiting page, whatever the object.
        assert status in (302, 404), (role, case, status)
        if status == 302:
            assert response["Location"].startswith(reverse("accounts:pending")), response["Location"]
        return
    if not may_know(user, obj):
        missing_key = f"missing-{MISSING_ID}" if kind == "workspace" else MISSING_ID
        missing_path = _url(name, missing_key)
        missing = _request(client, action, missing_path)
        assert status == 404, (role, case, status)
        assert missing.status_code == 404
        assert _normalised(response, path) == _normalised(missing, missing_path), "hidden must look missing"
        return
    if not may_act(user, obj):
        assert status == 403, (role, case, status)
        return
    assert status in (200, 302), (role, case, status)
    if action in ("download", "ics"):
        assert status == 200


def test_every_case_is_reachable(world):
    """The strategy space covers every role and every object/action (and runs them once each)."""
    assert len(CASES) == 36
    for role in ROLES:
        for case in CASES:
            test_responses_follow_the_policy_functions.hypothesis.inner_test(world, role, case)
