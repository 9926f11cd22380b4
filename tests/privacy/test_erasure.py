import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import privacy
from accounts.models import Profile, Topic
from events import services as event_services
from events.models import Registration
from forums.models import Post
from notifications.models import Notification
from pages.models import AuditEntry
from search.models import SearchEntry
from search.services import update_index
from tests.events.factories import EventFactory
from tests.factories import PASSWORD, MemberFactory
from tests.forums.factories import BoardFactory, MembershipFactory, WorkspaceFactory, make_thread
from workspaces.models import Membership

pytestmark = pytest.mark.django_db


def test_wrong_password_changes_nothing():
    user = MemberFactory()
    with pytest.raises(ValidationError):
        privacy.erase_account(user=user, password="falsch")
    user.refresh_from_db()
    assert user.is_active and user.has_usable_password() and "@invalid" not in user.email


def test_erasure_removes_personal_data_and_keeps_contributions():
    user = MemberFactory(display_name="Anna Beispiel", email="anna@example.org")
    profile = user.profile
    profile.organisation = "Jugendamt"
    profile.bio = "Seit 2010 in der Sozialplanung"
    profile.show_email = True
    profile.save()
    profile.topics.add(Topic.objects.first())
    workspace = WorkspaceFactory()
    MembershipFactory(workspace=workspace, user=user)
    thread = make_thread(board=BoardFactory(), author=user, body="Mein Beitrag bleibt")
    Notification.objects.create(recipient=user, kind="forum_reply")
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES, data={})
    update_index(user)
    assert SearchEntry.objects.filter(object_id=user.pk).exists()

    privacy.erase_account(user=user, password=PASSWORD)

    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert user.display_name == "Ehemaliges Mitglied"
    assert not user.is_active and not user.has_usable_password()
    assert user.status == "active"
    assert (profile.kommune, profile.organisation, profile.function, profile.bio, profile.show_email) == (
        None,
        "",
        "",
        "",
        False,
    )
    assert not profile.topics.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not SearchEntry.objects.filter(object_id=user.pk, kind="member").exists()
    post = Post.objects.get(pk=thread.first_post_id)
    assert post.author_id == user.pk and post.body == "Mein Beitrag bleibt"


def test_erasure_leaves_a_minimal_audit_entry_without_name_or_email():
    user = MemberFactory(display_name="Anna Beispiel", email="anna@example.org")
    privacy.erase_account(user=user, password=PASSWORD)
    entry = AuditEntry.objects.get(action="member.erased")
    assert entry.details == {"user_id": user.pk}
    text = str(list(AuditEntry.objects.values()))
    assert "Anna Beispiel" not in text and "anna@example.org" not in text


def test_last_moderator_must_appoint_another_moderator_first():
    user = MemberFactory()
    workspace = WorkspaceFactory(name="Präventionsketten")
    MembershipFactory(workspace=workspace, user=user, role=Membership.Role.MODERATOR)
    MembershipFactory(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        privacy.erase_account(user=user, password=PASSWORD)
    assert "Präventionsketten" in error.value.messages[0]
    user.refresh_from_db()
    assert user.is_active and Membership.objects.filter(user=user).exists()


def test_moderator_with_a_co_moderator_may_erase():
    user = MemberFactory()
    workspace = WorkspaceFactory()
    MembershipFactory(workspace=workspace, user=user, role=Membership.Role.MODERATOR)
    MembershipFactory(workspace=workspace, role=Membership.Role.MODERATOR)
    privacy.erase_account(user=user, password=PASSWORD)
    assert not Membership.objects.filter(user=user).exists()


def test_erasure_frees_the_place_for_the_waiting_list():
    user, waiting = MemberFactory(), MemberFactory()
    event = EventFactory(capacity=1, registration_enabled=True)
    event_services.register(user=user, event=event)
    assert event_services.register(user=waiting, event=event).status == Registration.Status.WAITING

    privacy.erase_account(user=user, password=PASSWORD)

    assert not Registration.objects.filter(user=user).exists()
    assert Registration.objects.get(user=waiting).status == Registration.Status.CONFIRMED


def test_erasure_ends_all_sessions(client):
    user = MemberFactory()
    other_device = client.__class__()
    other_device.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=user).count() == 2

    response = client.post(reverse("accounts:privacy_erase"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 200
    assert "Ihr Konto wurde gelöscht" in response.text
    assert (
        not UserSession.objects.filter(user=user).exists()
        or not Session.objects.filter(
            session_key__in=UserSession.objects.filter(user=user).values("session_key")
        ).exists()
    )
    assert other_device.get("/").status_code == 302
    assert client.get("/").status_code == 302


def test_erase_form_without_confirmation_or_with_wrong_password_shows_a_german_error(member_client):
    response = member_client.post(reverse("accounts:privacy_erase"), {"password": "falsch", "confirm": "on"})
    assert response.status_code == 400
    assert "Das Passwort ist nicht korrekt." in response.text
    response = member_client.post(reverse("accounts:privacy_erase"), {"password": PASSWORD})
    assert response.status_code == 400
    member_client.user.refresh_from_db()
    assert member_client.user.is_active


def test_forum_thread_shows_former_member_and_never_the_email(client):
    author, reader = MemberFactory(display_name="Anna Beispiel"), MemberFactory()
    thread = make_thread(board=BoardFactory(), author=author, body="Bleibt sichtbar")
    privacy.erase_account(user=author, password=PASSWORD)
    client.force_login(reader)
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "Ehemaliges Mitglied" in response.text
    assert "Anna Beispiel" not in response.text and "@invalid" not in response.text


def test_document_shows_former_member_and_never_the_email(client):
    from documents import services as document_services
    from tests.documents.factories import pdf_bytes, upload

    author, reader = MemberFactory(display_name="Anna Beispiel"), MemberFactory()
    document = document_services.upload_document(
        uploader=author, file=upload("Bericht.pdf", pdf_bytes()), title="Bericht"
    )
    privacy.erase_account(user=author, password=PASSWORD)
    client.force_login(reader)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "Ehemaliges Mitglied" in response.text
    assert "Anna Beispiel" not in response.text and "@invalid" not in response.text
