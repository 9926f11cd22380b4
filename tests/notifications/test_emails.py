"""Immediate emails, digests (idempotent, resumable) and unsubscribe tokens."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from notifications import emails, services
from notifications.models import DigestRun, EmailMode, Mute, Notification
from notifications.services import notify
from tests.factories import MemberFactory
from tests.notifications.factories import MembershipFactory, WorkspaceFactory

BERLIN = ZoneInfo("Europe/Berlin")
MORNING = datetime(2026, 5, 5, 8, 0, tzinfo=BERLIN)  # a Tuesday


# --- Immediate ------------------------------------------------------------------------------------


def test_immediate_email_is_german_multipart_with_unsubscribe_headers(
    db, fake_layer, workspace_target, django_capture_on_commit_callbacks
):
    person = MemberFactory(display_name="Jana Planerin")
    workspace = WorkspaceFactory(name="Thüringer Präventionsketten")
    MembershipFactory(workspace=workspace, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(
            recipients=[person],
            kind="forum_mention",
            target=workspace,
            workspace=workspace,
            actor=MemberFactory(display_name="Moritz Moderation"),
        )
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert "Moritz Moderation hat Sie in „Thüringer Präventionsketten“ erwähnt" in message.subject
    assert "Guten Tag Jana Planerin," in message.body
    assert "http://testserver" + reverse("notifications:open", args=[row.pk]) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Dieses Thema stummschalten" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/notifications/unsubscribe/")
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_immediate_email_is_sent_once_even_if_asked_twice(db, fake_layer, django_capture_on_commit_callbacks):
    person = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[person], kind="forum_mention", data={"title": "Sozialbericht"})
    assert emails.send_immediate_emails([row.pk]) == 0
    assert len(mail.outbox) == 1


def test_merged_events_do_not_send_another_immediate_email(db, fake_layer, django_capture_on_commit_callbacks):
    person = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="forum_mention", merge_key="t:1", data={"title": "A"})
        notify(recipients=[person], kind="forum_mention", merge_key="t:1", data={"title": "A"})
    assert len(mail.outbox) == 1


def test_no_email_about_a_target_the_recipient_cannot_see(
    db, fake_layer, workspace_target, django_capture_on_commit_callbacks
):
    outsider = MemberFactory()
    secret = WorkspaceFactory(name="Geheim")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[outsider], kind="forum_mention", target=secret)
    assert mail.outbox == []


def test_failing_mail_server_leaves_the_writing_service_working(
    db, fake_layer, django_capture_on_commit_callbacks, caplog
):
    person = MemberFactory()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError):
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify(recipients=[person], kind="forum_mention", data={"title": "A"})
    assert len(rows) == 1
    assert "Sending the email for notification" in caplog.text


# --- Digests ------------------------------------------------------------------------------------------


def _digest_items(person, n, workspace=None):
    for i in range(n):
        notify(recipients=[person], kind="forum_reply", workspace=workspace, data={"title": f"Thema {i}"})


def test_digest_groups_by_workspace_and_is_sent_once_per_period(db, fake_layer):
    person = MemberFactory()
    workspace = WorkspaceFactory(name="Lokale Sozialstrategien")
    MembershipFactory(workspace=workspace, user=person)
    _digest_items(person, 2, workspace)
    _digest_items(person, 1)

    assert emails.send_due_digests(MORNING)["sent"] == 1
    assert emails.send_due_digests(MORNING + timedelta(hours=1))["sent"] == 0
    (message,) = mail.outbox
    assert "Ihre Tagesübersicht: 3 neue Benachrichtigungen" in message.subject
    assert "== Lokale Sozialstrategien ==" in message.body and "== Portalweit ==" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    run = DigestRun.objects.get()
    assert run.period == "daily:2026-05-05" and run.sent_at is not None


def test_items_after_the_days_digest_wait_for_the_next_day(db, fake_layer):
    person = MemberFactory()
    _digest_items(person, 1)
    emails.send_due_digests(MORNING)
    _digest_items(person, 1)
    assert emails.send_due_digests(MORNING + timedelta(hours=3))["sent"] == 0
    assert emails.send_due_digests(MORNING + timedelta(days=1))["sent"] == 1
    assert [m.subject.endswith("1 neue Benachrichtigung") for m in mail.outbox] == [True, True]


def test_digest_is_not_sent_before_the_morning_hour_nor_weekly_before_monday(db, fake_layer):
    daily, weekly = MemberFactory(), MemberFactory()
    services.save_preferences(user=weekly, choices={}, frequency="weekly")
    _digest_items(daily, 1)
    _digest_items(weekly, 1)
    assert emails.send_due_digests(datetime(2026, 5, 4, 6, 0, tzinfo=BERLIN))["sent"] == 0  # Monday 6:00
    assert emails.send_due_digests(datetime(2026, 5, 4, 7, 30, tzinfo=BERLIN))["sent"] == 2
    assert sorted(DigestRun.objects.values_list("period", flat=True)) == ["daily:2026-05-04", "weekly:2026-W19"]
    # A weekly reader's next items wait for next Monday; a daily reader's for tomorrow.
    _digest_items(daily, 1)
    _digest_items(weekly, 1)
    assert emails.send_due_digests(datetime(2026, 5, 9, 9, 0, tzinfo=BERLIN))["sent"] == 1
    assert emails.send_due_digests(datetime(2026, 5, 11, 7, 0, tzinfo=BERLIN))["sent"] == 1


def test_digest_skips_items_already_read_in_the_portal(db, fake_layer):
    person = MemberFactory()
    _digest_items(person, 1)
    services.mark_read(user=person)
    assert emails.send_due_digests(MORNING)["sent"] == 0
    assert mail.outbox == []


def test_digest_run_killed_before_sending_is_completed_once_later(db, fake_layer):
    person = MemberFactory()
    _digest_items(person, 2)
    with mock.patch("notifications.emails.deliver_digest", side_effect=KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            emails.send_due_digests(MORNING)
    run = DigestRun.objects.get()
    assert run.sent_at is None and len(run.notification_ids) == 2
    assert mail.outbox == []

    # Within the lease another cron run leaves it alone (the first might still be sending).
    assert emails.send_due_digests(MORNING + timedelta(minutes=5)) == {"resumed": 0, "sent": 0, "failed": 0}
    # Once the lease has expired, it is sent, exactly once.
    assert emails.send_due_digests(MORNING + timedelta(minutes=30))["resumed"] == 1
    assert emails.send_due_digests(MORNING + timedelta(minutes=90))["resumed"] == 0
    assert len(mail.outbox) == 1 and "2 neue Benachrichtigungen" in mail.outbox[0].subject


def test_digest_mail_server_failure_is_retried_after_the_lease(db, fake_layer):
    person = MemberFactory()
    _digest_items(person, 1)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp down")):
        assert emails.send_due_digests(MORNING)["failed"] == 1
    assert emails.send_due_digests(MORNING + timedelta(minutes=20))["resumed"] == 1
    assert len(mail.outbox) == 1


def test_send_digests_command_runs(db, fake_layer, capsys):
    call_command("send_digests")
    assert "digests sent" in capsys.readouterr().out


# --- Unsubscribe -------------------------------------------------------------------------------------------


def test_unsubscribe_get_only_shows_a_confirmation(db):
    person = MemberFactory()
    url = reverse("notifications:unsubscribe", args=[emails.unsubscribe_token(person, kind="forum_reply")])
    response = Client().get(url)
    assert response.status_code == 200
    assert "Möchten Sie die E-Mails zu „Antworten auf meine Beiträge" in response.content.decode()
    assert services.effective_preferences(person)["forum_reply"] == (True, EmailMode.DIGEST)


def test_unsubscribe_by_kind_with_the_form_post_without_login(db, fake_layer):
    person = MemberFactory()
    _digest_items(person, 1)
    client = Client(enforce_csrf_checks=True)
    token = emails.unsubscribe_token(person, kind="forum_reply")
    page = client.get(reverse("notifications:unsubscribe", args=[token]))
    csrf = page.cookies["csrftoken"].value
    response = client.post(reverse("notifications:unsubscribe", args=[token]), {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert services.effective_preferences(person)["forum_reply"] == (True, EmailMode.OFF)
    # What was waiting for the digest stays quiet too.
    assert emails.send_due_digests(MORNING)["sent"] == 0


def test_rfc8058_one_click_post_works_without_login_or_csrf_token(db):
    person = MemberFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("notifications:unsubscribe", args=[emails.unsubscribe_token(person, digest=True)])
    response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert all(mode != EmailMode.DIGEST for _portal, mode in services.effective_preferences(person).values())


def test_unsubscribe_from_a_thread_mutes_it(db, fake_layer, workspace_target):
    person = MemberFactory()
    thread = WorkspaceFactory()
    url = reverse("notifications:unsubscribe", args=[emails.unsubscribe_token(person, thread=thread)])
    assert Client().post(url).status_code == 200
    assert Mute.objects.filter(user=person, object_id=thread.pk).exists()


def test_tampered_unsubscribe_token_is_refused(db):
    person, victim = MemberFactory(), MemberFactory()
    token = emails.unsubscribe_token(person, kind="forum_reply")
    payload, rest = token.split(":", 1)
    forged = signing.dumps({"u": victim.pk, "k": "forum_reply"}, salt="wrong-salt", compress=True)
    for bad in [payload[:-2] + "xy:" + rest, forged, "nonsense"]:
        response = Client().post(reverse("notifications:unsubscribe", args=[bad]))
        assert response.status_code == 400
        assert "ungültig" in response.content.decode()
    assert services.effective_preferences(victim)["forum_reply"] == (True, EmailMode.DIGEST)


def test_expired_unsubscribe_token_is_refused(db, settings):
    person = MemberFactory()
    settings.NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = 60
    token = emails.unsubscribe_token(person, kind="forum_reply")
    with mock.patch("django.core.signing.time.time", return_value=__import__("time").time() + 3600):
        response = Client().post(reverse("notifications:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "abgelaufen" in response.content.decode()
    assert services.effective_preferences(person)["forum_reply"] == (True, EmailMode.DIGEST)
