import logging
from datetime import timedelta

from django.core.management import call_command
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from pages.logging import SingleLineFormatter
from pages.models import AuditEntry


def test_login_success_and_failure_are_audited(client, member):
    client.post("/accounts/login/", {"login": member.email, "password": "wrong-password"})
    client.post("/accounts/login/", {"login": member.email, "password": "Test-Passwort-2026"})
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login"]
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.details == {"login": member.email}
    assert failed.ip_address == "127.0.0.1"
    assert "wrong-password" not in str(failed.details)


def test_ip_addresses_are_purged_after_seven_days(member):
    from pages import audit

    old = audit.record(actor=member, action="auth.login", target=member)
    AuditEntry.objects.filter(pk=old.pk).update(ip_address="10.0.0.1", created_at=timezone.now() - timedelta(days=8))
    fresh = audit.record(actor=member, action="auth.login", target=member)
    AuditEntry.objects.filter(pk=fresh.pk).update(ip_address="10.0.0.2")
    call_command("purge_personal_logs", stdout=open("/dev/null", "w"))
    assert AuditEntry.objects.get(pk=old.pk).ip_address is None
    assert AuditEntry.objects.get(pk=fresh.pk).ip_address == "10.0.0.2"


def test_log_lines_cannot_be_forged_with_newlines():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "login %s", ("eve\nINFO admin logged in",), None)
    line = SingleLineFormatter("%(levelname)s %(message)s").format(record)
    assert "\n" not in line
    assert "eve\\nINFO admin logged in" in line


def test_audit_details_are_single_line(member):
    from pages import audit

    entry = audit.record(actor=member, action="x", target=member, reason="a\nb\r\nc")
    assert entry.details["reason"] == "a b c"


def test_csrf_is_enforced_on_posts(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post("/accounts/profile/", {"display_name": "X"})
    assert response.status_code == 403


def test_database_outage_answers_503_without_traceback(member_client, monkeypatch):
    from workspaces import views

    def down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "render", down)
    response = member_client.get("/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_database_outage_while_loading_the_user_answers_503_not_500(member_client, monkeypatch):
    """The session and the user load in middleware, before any view: a dead connection
    there must still give the outage page (the case of a PostgreSQL restart)."""

    def down(request):
        raise OperationalError("the connection is closed")

    monkeypatch.setattr("django.contrib.auth.get_user", down)
    member_client.raise_request_exception = False
    response = member_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Vorübergehend nicht erreichbar" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_other_errors_outside_a_view_still_answer_the_500_page(member_client, monkeypatch):
    def broken(request):
        raise RuntimeError("not a database outage")

    monkeypatch.setattr("django.contrib.auth.get_user", broken)
    member_client.raise_request_exception = False
    response = member_client.get("/")
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in response.content.decode()
