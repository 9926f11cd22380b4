"""Sign-ins into the audit trail: successes and failures, with where from."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from pages import audit


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit.record(actor=user, action="auth.login", target=user, request=request)


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    # Only the attempted login name, never the password.
    attempted = str(credentials.get("email") or credentials.get("username") or credentials.get("login") or "")
    audit.record(actor=None, action="auth.login_failed", request=request, login=attempted[:200])
