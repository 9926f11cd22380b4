"""Demo data of the notifications app (called by manage.py seed_demo)."""

from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify_staff_of_pending_member


def seed():
    """Staff see the demo sign-up that awaits approval in their bell (once, however often
    this runs). Other sources add their notifications through their own services."""
    user_type = ContentType.objects.get_for_model(User)
    for pending in User.objects.filter(status=User.Status.PENDING, email__endswith="@demo.sozialplanung.de"):
        if not Notification.objects.filter(kind="member_pending", target_type=user_type, target_id=pending.pk).exists():
            notify_staff_of_pending_member(pending)
