def unread_notifications(request):
    """The bell's count, computed lazily so pages that do not render the header pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_member:
        return {}

    def count():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": count}
