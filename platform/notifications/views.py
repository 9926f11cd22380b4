from django.http import JsonResponse
from django.shortcuts import render

from notifications.models import Notification


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user)[:50]
    return render(request, "notifications/list.html", {"notifications": notifications})


def feed(request):
    """Everything after ``?after=<id>``: the catch-up endpoint the browser calls on (re)connect."""
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    qs = Notification.objects.filter(recipient=request.user, id__gt=after).order_by("id")[:100]
    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return JsonResponse({"unread": unread, "items": [{"id": n.pk, "kind": n.kind, "count": n.count} for n in qs]})
