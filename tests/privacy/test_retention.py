import io
from datetime import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from accounts.privacy import apply_retention, months_before
from tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 6, 15, 12, 0))


def _member(last_login):
    return MemberFactory(last_login=last_login)


def test_months_before_handles_short_months():
    assert months_before(timezone.make_aware(datetime(2026, 3, 31)), 1).date().isoformat() == "2026-02-28"
    assert months_before(NOW, 18).date().isoformat() == "2024-12-15"


def test_inactive_member_is_warned_once(django_capture_on_commit_callbacks):
    user = _member(months_before(NOW, 19))
    active = _member(months_before(NOW, 2))
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(now=NOW) == {"warned": 1, "deactivated": 0}
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert "deaktiviert" in mail.outbox[0].subject
    user.profile.refresh_from_db()
    assert user.profile.inactivity_warned_at == NOW
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(now=NOW) == {"warned": 0, "deactivated": 0}
    assert len(mail.outbox) == 1
    active.refresh_from_db()
    assert active.profile.inactivity_warned_at is None


def test_warned_member_is_deactivated_after_the_longer_period(django_capture_on_commit_callbacks):
    user = _member(months_before(NOW, 19))
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=NOW)
    later = months_before(NOW, -6)
    assert apply_retention(now=later) == {"warned": 0, "deactivated": 1}
    user.refresh_from_db()
    assert not user.is_active
    assert apply_retention(now=later) == {"warned": 0, "deactivated": 0}


def test_member_who_signed_in_after_the_warning_is_not_deactivated(django_capture_on_commit_callbacks):
    user = _member(months_before(NOW, 19))
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention(now=NOW)
    User.objects.filter(pk=user.pk).update(last_login=months_before(NOW, -1))
    assert apply_retention(now=months_before(NOW, -6)) == {"warned": 0, "deactivated": 0}
    user.refresh_from_db()
    assert user.is_active


def test_settings_change_the_periods(settings, django_capture_on_commit_callbacks):
    settings.PRIVACY_WARN_INACTIVE_MONTHS = 6
    settings.PRIVACY_DEACTIVATE_INACTIVE_MONTHS = 12
    user = _member(months_before(NOW, 7))
    with django_capture_on_commit_callbacks(execute=True):
        assert apply_retention(now=NOW)["warned"] == 1
    assert apply_retention(now=months_before(NOW, -6))["deactivated"] == 1
    user.refresh_from_db()
    assert not user.is_active


def test_staff_accounts_are_left_alone():
    StaffFactory(last_login=months_before(NOW, 30))
    assert apply_retention(now=NOW) == {"warned": 0, "deactivated": 0}


def test_apply_retention_command_runs():
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Warned 0" in out.getvalue()
