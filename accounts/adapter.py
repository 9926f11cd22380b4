from allauth.account.adapter import DefaultAccountAdapter

from accounts.models import Invitation

INVITATION_SESSION_KEY = "portal_invitation_token"


def invitation_from_session(request):
    """The usable invitation whose link this browser opened, or None."""
    token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
    if not token:
        return None
    invitation = Invitation.objects.filter(token=token).select_related("invited_by").first()
    return invitation if invitation is not None and invitation.is_usable else None


class PortalAccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"].strip()
        if commit:
            user.save()
        return user
