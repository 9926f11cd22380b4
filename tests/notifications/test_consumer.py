"""The websocket endpoint, through the real ASGI stack (origin check, session auth)."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import transaction
from django.test import Client

from notifications.services import notify
from tests.factories import MemberFactory, PendingFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://testserver"


@pytest.fixture
def application():
    from portal.asgi import application

    return application


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _client_with_session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _communicator(application, session_key=None, origin=ORIGIN, host=b"testserver"):
    headers = [(b"host", host)]
    if origin is not None:
        headers.append((b"origin", origin))
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/notifications/", headers=headers)


async def _connected(application, user):
    key = await sync_to_async(_session_cookie)(user)
    communicator = _communicator(application, key)
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def test_anonymous_socket_is_refused(application):
    communicator = _communicator(application)
    connected, _code = await communicator.connect()
    assert not connected


async def test_pending_member_socket_is_refused(application):
    pending = await sync_to_async(PendingFactory)()
    key = await sync_to_async(_session_cookie)(pending)
    connected, _code = await _communicator(application, key).connect()
    assert not connected


@pytest.mark.parametrize(
    "origin",
    [b"http://evil.example", b"https://testserver", b"http://testserver:8080", b"null", None],
    ids=["foreign-host", "other-scheme", "other-port", "null", "missing"],
)
async def test_foreign_or_missing_origin_is_refused(application, origin):
    member = await sync_to_async(MemberFactory)()
    key = await sync_to_async(_session_cookie)(member)
    connected, _code = await _communicator(application, key, origin=origin).connect()
    assert not connected


async def test_configured_trusted_origin_is_accepted(application, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://portal.example:8443"]
    member = await sync_to_async(MemberFactory)()
    key = await sync_to_async(_session_cookie)(member)
    communicator = _communicator(application, key, origin=b"https://portal.example:8443")
    connected, _code = await communicator.connect()
    assert connected
    await communicator.disconnect()


async def test_member_socket_joins_their_group(application):
    member = await sync_to_async(MemberFactory)()
    communicator = await _connected(application, member)
    await get_channel_layer().group_send(f"user.{member.pk}", {"type": "notify.new", "ids": [41]})
    assert await communicator.receive_json_from() == {"type": "new", "ids": [41]}
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.disconnect()


async def test_notification_is_pushed_after_commit_to_the_recipient_only(application):
    member, other = await sync_to_async(MemberFactory)(), await sync_to_async(MemberFactory)()
    mine = await _connected(application, member)
    theirs = await _connected(application, other)

    def write():
        with transaction.atomic():
            return notify(recipients=[member], kind="workspace_announcement", data={"title": "Fachtag"})

    (row,) = await sync_to_async(write)()
    assert await mine.receive_json_from() == {"type": "new", "ids": [row.pk]}
    assert await theirs.receive_nothing()
    await mine.disconnect()
    await theirs.disconnect()


async def test_nothing_is_pushed_when_the_transaction_rolls_back(application):
    member = await sync_to_async(MemberFactory)()
    communicator = await _connected(application, member)

    def write_and_fail():
        try:
            with transaction.atomic():
                notify(recipients=[member], kind="workspace_announcement")
                raise ValueError("rolled back")
        except ValueError:
            pass

    await sync_to_async(write_and_fail)()
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_logout_closes_the_sockets_of_that_session_only(application):
    member = await sync_to_async(MemberFactory)()
    first_client = await sync_to_async(_client_with_session)(member)
    second_key = await sync_to_async(_session_cookie)(member)
    first = _communicator(application, first_client.cookies[settings.SESSION_COOKIE_NAME].value)
    second = _communicator(application, second_key)
    assert (await first.connect())[0] and (await second.connect())[0]

    await sync_to_async(first_client.logout)()

    assert await first.receive_output() == {"type": "websocket.close", "code": 4401}
    assert await second.receive_nothing()
    await second.disconnect()


async def test_deactivation_closes_all_sockets_of_the_member(application):
    member = await sync_to_async(MemberFactory)()
    communicator = await _connected(application, member)

    def deactivate():
        member.is_active = False
        member.save(update_fields=["is_active"])

    await sync_to_async(deactivate)()
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_password_change_closes_sockets_and_old_sessions_cannot_reconnect(application):
    member = await sync_to_async(MemberFactory)()
    key = await sync_to_async(_session_cookie)(member)
    communicator = _communicator(application, key)
    assert (await communicator.connect())[0]

    def change_password():
        member.set_password("Ein-neues-Passwort-2026")
        member.save()

    await sync_to_async(change_password)()
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4000}
    # The session from before the change no longer authenticates the socket.
    connected, _code = await _communicator(application, key).connect()
    assert not connected
