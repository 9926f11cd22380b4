"""Markers for views that do not need a logged-in, approved member."""

from django.contrib.auth.decorators import login_not_required


def public(view_func):
    """Open to everyone, visitors included (legal pages, health, language switch)."""
    view_func = login_not_required(view_func)
    view_func.pending_allowed = True
    return view_func


def pending_allowed(view_func):
    """Needs a login, but a member whose approval is still pending may see it."""
    view_func.pending_allowed = True
    return view_func


def staff_required(view_func):
    """Platform staff only; a member who is not staff gets 403 (the page exists, the action is not theirs)."""
    from functools import wraps

    from django.core.exceptions import PermissionDenied

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view_func(request, *args, **kwargs)

    return wrapper
