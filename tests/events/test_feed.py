import pytest

from events import services
from tests.events.factories import EventFactory, WorkspaceFactory, add_member

pytestmark = pytest.mark.django_db


def test_personal_feed_works_without_login_and_holds_only_visible_dates(client, member):
    own = WorkspaceFactory()
    add_member(own, member)
    EventFactory(workspace=own, title="Sitzung im eigenen Bereich")
    EventFactory(workspace=WorkspaceFactory(), title="Fremde Sitzung")
    EventFactory(title="Portalweiter Fachtag")
    token = services.regenerate_feed_token(user=member).token
    response = client.get(f"/dates/feed/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "Sitzung im eigenen Bereich" in body
    assert "Portalweiter Fachtag" in body
    assert "Fremde Sitzung" not in body


def test_revoked_token_gives_404(client, member):
    token = services.regenerate_feed_token(user=member).token
    services.revoke_feed_token(user=member)
    assert client.get(f"/dates/feed/{token}.ics").status_code == 404


def test_regenerating_invalidates_the_old_address(client, member):
    old = services.regenerate_feed_token(user=member).token
    new = services.regenerate_feed_token(user=member).token
    assert old != new
    assert client.get(f"/dates/feed/{old}.ics").status_code == 404
    assert client.get(f"/dates/feed/{new}.ics").status_code == 200


def test_unknown_token_gives_404(client, db):
    assert client.get("/dates/feed/not-a-token.ics").status_code == 404


def test_feed_of_a_deactivated_member_gives_404(client, member):
    token = services.regenerate_feed_token(user=member).token
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(f"/dates/feed/{token}.ics").status_code == 404


def test_feed_follows_membership_changes(client, member):
    workspace = WorkspaceFactory()
    EventFactory(workspace=workspace, title="Beirat")
    token = services.regenerate_feed_token(user=member).token
    assert "Beirat" not in client.get(f"/dates/feed/{token}.ics").content.decode()
    add_member(workspace, member)
    assert "Beirat" in client.get(f"/dates/feed/{token}.ics").content.decode()


def test_subscription_page_creates_and_revokes_address(member_client):
    response = member_client.post("/dates/subscription/", {"action": "create"}, follow=True)
    html = response.content.decode()
    token = member_client.user.calendar_feed_token.token
    assert f"/dates/feed/{token}.ics" in html
    member_client.post("/dates/subscription/", {"action": "revoke"})
    assert member_client.get(f"/dates/feed/{token}.ics").status_code == 404
    assert "/dates/feed/" not in member_client.get("/dates/subscription/").content.decode()
