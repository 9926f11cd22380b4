import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory, StaffFactory
from workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_step_tolerance(settings):
    # Enrolment and sign-in happen within the same 30 s: the sign-in uses the next step's code,
    # because allauth refuses a code that was used once.
    settings.MFA_TOTP_TOLERANCE = 1


def totp_code(secret, steps_ahead=0):
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))


def log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_member_enrols_totp_and_then_needs_the_code_to_log_in():
    user = MemberFactory()
    client = Client()
    assert log_in(client, user)["Location"] == "/"

    # a sensitive change: the password is asked again first
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Authenticator-App aktivieren" in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Falscher Code." in wrong.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # recovery codes come with it
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.post(reverse("account_logout"))
    response = log_in(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/")["Location"].startswith("/accounts/login/")  # not signed in yet
    page = client.get(reverse("mfa_authenticate"))
    assert "Ihr Konto ist durch Zwei-Faktor-Authentifizierung geschützt." in page.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret, steps_ahead=1)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_totp_code_at_login_keeps_the_person_out():
    user = MemberFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = Client()
    log_in(client, user)
    code = totp_code(secret)
    wrong = "123456" if code != "123456" else "654321"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Falscher Code." in response.content.decode()
    assert client.get("/").status_code == 302


class TestStaffMustUseTotpWhenRequired:
    @pytest.fixture(autouse=True)
    def _require(self, settings):
        settings.PORTAL_REQUIRE_MFA_FOR_STAFF = True

    def test_staff_without_totp_are_sent_to_set_it_up(self, client):
        client.force_login(StaffFactory())
        for path in ("/", reverse("members:directory"), reverse("members:approval_queue")):
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"] == reverse("mfa_activate_totp")
        # the account pages themselves stay reachable
        assert client.get(reverse("mfa_index")).status_code == 200

    def test_workspace_moderators_without_totp_are_sent_to_set_it_up(self, client):
        moderator = MemberFactory()
        workspace = Workspace.objects.create(name="Thüringer Präventionsketten", slug="praeventionsketten-test")
        Membership.objects.create(workspace=workspace, user=moderator, role=Membership.Role.MODERATOR)
        client.force_login(moderator)
        assert client.get("/")["Location"] == reverse("mfa_activate_totp")

    def test_staff_with_totp_use_the_portal(self, client):
        staff = StaffFactory()
        TOTP.activate(staff, generate_totp_secret())
        client.force_login(staff)
        assert client.get("/").status_code == 200
        assert client.get(reverse("members:approval_queue")).status_code == 200

    def test_ordinary_members_are_not_asked(self, client):
        client.force_login(MemberFactory())
        assert client.get("/").status_code == 200

    def test_removing_the_factor_brings_the_requirement_back(self, client):
        staff = StaffFactory()
        TOTP.activate(staff, generate_totp_secret())
        client.force_login(staff)
        assert client.get("/").status_code == 200
        from allauth.mfa.base.internal.flows import delete_and_cleanup
        from django.test import RequestFactory

        request = RequestFactory().get("/")
        request.user = staff
        request.session = client.session
        delete_and_cleanup(request, Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP))
        request.session.save()
        assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_staff_are_not_asked_when_the_setting_is_off(client, settings):
    settings.PORTAL_REQUIRE_MFA_FOR_STAFF = False
    client.force_login(StaffFactory())
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once_instead_of_the_app():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = MemberFactory()
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    client = Client()
    log_in(client, user)
    assert client.post(reverse("mfa_authenticate"), {"code": code})["Location"] == "/"
    client.post(reverse("account_logout"))
    log_in(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "Falscher Code." in response.content.decode()
