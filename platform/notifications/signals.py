"""Infrastructure hooks that close a member's sockets when their session ends: logout
(that session only), deactivation or loss of membership (all sessions), and a password
change (all sockets reconnect; those of sessions the change invalidated are refused)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_init, post_save

from notifications.services import CLOSE_REAUTHENTICATE, CLOSE_SIGNED_OUT, end_sessions

SNAPSHOT = "_notifications_snapshot"


def on_logged_out(sender, request, user, **kwargs):
    if user is None or request is None:
        return
    session = getattr(request, "session", None)
    end_sessions(user_id=user.pk, session_key=getattr(session, "session_key", None) or None)


def remember_state(sender, instance, **kwargs):
    values = instance.__dict__
    setattr(instance, SNAPSHOT, (values.get("password"), values.get("is_active"), values.get("status")))


def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    before = getattr(instance, SNAPSHOT, None)
    remember_state(sender, instance)
    if created or before is None:
        return
    password, is_active, status = before
    if (is_active is not None and not instance.is_active) or (status is not None and not instance.is_member):
        if is_active != instance.is_active or status != instance.status:
            end_sessions(user_id=instance.pk, code=CLOSE_SIGNED_OUT)
            return
    # An account that had no password yet (just created) has no session to end.
    if password and instance.__dict__.get("password") not in (None, password):
        end_sessions(user_id=instance.pk, code=CLOSE_REAUTHENTICATE)


def connect():
    user_model = get_user_model()
    user_logged_out.connect(on_logged_out, dispatch_uid="notifications.logged_out")
    post_init.connect(remember_state, sender=user_model, dispatch_uid="notifications.user_init")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="notifications.user_saved")
