def unread_notifications(request):
    """The bell's count, computed lazily (and once) so pages that do not render the header pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_member:
        return {}
    cache = {}

    def count():
        if "count" not in cache:
            from notifications.services import unread_count

            cache["count"] = unread_count(user)
        return cache["count"]

    return {"unread_notifications": count}
