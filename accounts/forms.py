from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.adapter import INVITATION_SESSION_KEY, invitation_from_session
from accounts.models import Kommune, Profile, Topic, User


class PortalSignupForm(SignupForm):
    display_name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("As other members will see it, e.g. “Dr. Anna Beispiel”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    kommune = forms.ModelChoiceField(
        label=_("Kommune or institution"),
        queryset=Kommune.objects.all(),
        empty_label=_("Please choose"),
        error_messages={"invalid_choice": _("Please choose a Kommune from the list.")},
    )
    organisation = forms.CharField(
        label=_("Organisation / department"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    function = forms.ChoiceField(label=_("Function"), choices=[("", _("Please choose"))] + Profile.Function.choices)

    field_order = ["display_name", "email", "kommune", "organisation", "function", "password1", "password2"]

    def custom_signup(self, request, user):
        invitation = invitation_from_session(request)
        services.complete_signup(
            user=user,
            kommune=self.cleaned_data["kommune"],
            function=self.cleaned_data["function"],
            organisation=self.cleaned_data.get("organisation", ""),
            invitation=invitation,
        )
        request.session.pop(INVITATION_SESSION_KEY, None)
        if user.status == User.Status.ACTIVE:
            # The invitation link reached this mailbox: allauth stores the address as
            # verified and sends no confirmation mail.
            get_adapter(request).stash_verified_email(request, user.email)


class ProfileForm(forms.ModelForm):
    display_name = forms.CharField(label=_("Name"), max_length=120)
    bio = forms.CharField(
        label=_("Short biography"),
        required=False,
        max_length=Profile.BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most %(limit)s characters.") % {"limit": Profile.BIO_MAX_LENGTH},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics of interest"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = ["kommune", "organisation", "function", "topics", "bio", "show_email"]
        error_messages = {"kommune": {"invalid_choice": _("Please choose a Kommune from the list.")}}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].initial = user.display_name
        self.order_fields(["display_name", "kommune", "organisation", "function", "topics", "bio", "show_email"])
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save profile")))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the person)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Send invitation")))
