import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User
from notifications.models import Notification
from tests.accounts.conftest import SIGNUP_PASSWORD, link_in_mail, log_in, signup_data
from tests.factories import MemberFactory, PendingFactory

pytestmark = pytest.mark.django_db


def sign_up_and_verify(client, outbox, **overrides):
    response = client.post(reverse("account_signup"), signup_data(**overrides))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(outbox) == 1
    assert outbox[0].subject == "[Sozialplanungsplattform] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    body = outbox[0].body
    assert body.startswith("Guten Tag,")
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse über diesen Link:" in body
    assert "Mit freundlichen Grüßen\nIhre Geschäftsstelle der Sozialplanungsplattform" in body
    confirm_path = link_in_mail(outbox[0])
    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)
    assert response.status_code == 302
    return User.objects.get(email=signup_data(**overrides)["email"])


def test_sign_up_verify_wait_for_approval_then_use_the_portal(
    client, staff, outbox, django_capture_on_commit_callbacks
):
    user = sign_up_and_verify(client, outbox)
    assert user.status == User.Status.PENDING
    assert user.display_name == "Anna Beispiel"
    assert user.profile.kommune.slug == "stadt-jena"
    assert user.emailaddress_set.get().verified
    # staff learn about it in their notifications
    assert Notification.objects.filter(recipient=staff, kind="member_pending", target_id=user.pk).exists()

    response = log_in(client, user.email)
    assert response.status_code == 302
    pending_url = reverse("accounts:pending")
    for path in ("/", reverse("members:directory"), reverse("members:detail", args=[staff.pk])):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == pending_url
    page = client.get(pending_url)
    assert page.status_code == 200
    assert "Ihre Registrierung wird geprüft" in page.content.decode()

    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_member(member=user, by=staff)
    assert len(outbox) == 1
    assert outbox[0].to == [user.email]
    assert outbox[0].subject == "[Sozialplanungsplattform] Ihr Konto wurde freigeschaltet"
    assert "http://testserver/accounts/login/" in outbox[0].body

    client.logout()
    assert log_in(client, user.email)["Location"] == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "Anna Beispiel" in dashboard.content.decode()
    # an approved member no longer sees the pending page
    assert client.get(pending_url)["Location"] == "/"


def test_approval_queue_lists_pending_people_with_kommune_and_function(staff_client):
    person = PendingFactory(display_name="Paula Wartend")
    MemberFactory(display_name="Maria Mitglied")
    response = staff_client.get(reverse("members:approval_queue"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Paula Wartend" in content
    assert person.profile.kommune.name in content
    assert "Sozialplanung" in content
    assert "Maria Mitglied" not in content


def test_staff_approve_from_the_queue_and_the_person_is_emailed(
    staff_client, outbox, django_capture_on_commit_callbacks
):
    person = PendingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("members:approve", args=[person.pk]), follow=True)
    assert "wurde freigeschaltet und per E-Mail benachrichtigt" in response.content.decode()
    person.refresh_from_db()
    assert person.status == User.Status.ACTIVE
    assert person.status_changed_by == staff_client.user
    assert [m.to for m in outbox] == [[person.email]]


def test_members_who_are_not_staff_cannot_approve(member_client):
    person = PendingFactory()
    assert member_client.get(reverse("members:approval_queue")).status_code == 403
    assert member_client.post(reverse("members:approve", args=[person.pk])).status_code == 403
    person.refresh_from_db()
    assert person.status == User.Status.PENDING


def test_rejection_needs_a_reason(staff_client, outbox):
    person = PendingFactory()
    response = staff_client.post(reverse("members:reject", args=[person.pk]), {"reason": "   "}, follow=True)
    assert "Bitte geben Sie einen Grund für die Ablehnung an." in response.content.decode()
    person.refresh_from_db()
    assert person.status == User.Status.PENDING
    assert person.is_active
    assert outbox == []


def test_rejected_person_is_emailed_the_reason_and_cannot_log_in(
    staff_client, outbox, django_capture_on_commit_callbacks
):
    person = PendingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("members:reject", args=[person.pk]), {"reason": "Keine kommunale Planungsstelle."}, follow=True
        )
    assert "wurde abgelehnt" in response.content.decode()
    person.refresh_from_db()
    assert person.status == User.Status.REJECTED
    assert not person.is_active
    assert len(outbox) == 1
    assert outbox[0].subject == "[Sozialplanungsplattform] Ihre Registrierung konnte nicht freigeschaltet werden"
    assert "Keine kommunale Planungsstelle." in outbox[0].body

    client = Client()
    response = log_in(client, person.email, "Test-Passwort-2026")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_deciding_an_already_decided_request_says_so(staff_client, outbox, first):
    person = PendingFactory()
    staff_client.post(reverse(f"members:{first}", args=[person.pk]), {"reason": "Doppelt registriert."})
    person.refresh_from_db()
    decided_status = person.status
    assert decided_status != User.Status.PENDING
    for second in ("approve", "reject"):
        response = staff_client.post(reverse(f"members:{second}", args=[person.pk]), {"reason": "x"}, follow=True)
        assert response.status_code == 200
        assert "Über diese Registrierung wurde bereits entschieden." in response.content.decode()
    person.refresh_from_db()
    assert person.status == decided_status


def test_approving_an_unknown_person_is_404(staff_client):
    assert staff_client.post(reverse("members:approve", args=[999999])).status_code == 404


def test_signup_form_password_is_checked_by_the_validators(client, outbox):
    response = client.post(reverse("account_signup"), signup_data(password1="kurz", password2="kurz"))
    assert response.status_code == 200
    assert "Dieses Passwort ist zu kurz" in response.content.decode()
    assert not User.objects.filter(email="anna.beispiel@example.org").exists()
    assert outbox == []


def test_signup_password_must_match(client):
    response = client.post(reverse("account_signup"), signup_data(password2=SIGNUP_PASSWORD + "x"))
    assert "Bitte geben Sie zweimal dasselbe Passwort ein." in response.content.decode()
    assert not User.objects.filter(email="anna.beispiel@example.org").exists()


def test_the_member_gate_hands_the_view_the_loaded_user_not_the_lazy_wrapper(db, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import SimpleLazyObject

    from accounts.middleware import MemberGateMiddleware

    member = MemberFactory()
    gate = MemberGateMiddleware(lambda request: None)
    request = rf.get("/")
    request.user = SimpleLazyObject(lambda: member)

    assert gate.process_view(request, lambda request: None, (), {}) is None
    assert request.user is member

    anonymous = rf.get("/")
    anonymous.user = SimpleLazyObject(AnonymousUser)
    assert gate.process_view(anonymous, lambda request: None, (), {}) is None
    assert not anonymous.user.is_authenticated
