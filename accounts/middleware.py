from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from accounts.permissions import requires_mfa

MFA_OK_SESSION_KEY = "portal_mfa_ok"


def forget_mfa_check(sender, request, **kwargs):
    """After a factor is removed the next request checks the MFA requirement again."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(MFA_OK_SESSION_KEY, None)


class MemberGateMiddleware:
    """Keeps logged-in people who are not (yet) members out of member content.

    A pending person may use their own account pages and the pages marked
    ``pending_allowed``; everything else sends them to the "approval pending" page.
    Staff and moderators without a second factor are sent to set one up when
    ``PORTAL_REQUIRE_MFA_FOR_STAFF`` is on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        # Loaded now in any case: the view and its templates get the user itself instead of
        # the lazy wrapper, through which every attribute read is a call (about 250 on a page).
        request.user = user = getattr(user, "_wrapped", user)
        own_account_page = request.path.startswith("/accounts/")
        if not user.is_member:
            if own_account_page or getattr(view_func, "pending_allowed", False):
                return None
            return redirect("accounts:pending")
        if (
            settings.PORTAL_REQUIRE_MFA_FOR_STAFF
            and not own_account_page
            and not request.session.get(MFA_OK_SESSION_KEY)
        ):
            if (
                requires_mfa(user)
                and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
            ):
                return redirect(reverse("mfa_activate_totp"))
            request.session[MFA_OK_SESSION_KEY] = True
        return None
