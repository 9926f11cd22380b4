from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from workspaces.models import Membership


class _CrispyForm:
    def _no_form_tag(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class JoinRequestForm(_CrispyForm, forms.Form):
    message = forms.CharField(
        label=_("Message to the moderators (optional)"),
        help_text=_("Tell the programme team briefly who you are and why you would like to take part."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._no_form_tag()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to the person)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Member"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("This person cannot be added (already a member or not approved).")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class AnnouncementForm(_CrispyForm, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        help_text=_("Markdown is allowed: **bold**, *italic*, lists and links."),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._no_form_tag()


class WorkspaceDescriptionForm(_CrispyForm, forms.Form):
    short_description = forms.CharField(label=_("Short description"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("Markdown is allowed: headings, lists, links."),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    funding_note = forms.CharField(label=_("Funding"), max_length=300, required=False)
    contact_persons = forms.ModelMultipleChoiceField(
        label=_("Contact persons"),
        help_text=_("Members of the workspace, usually from the programme team."),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_persons"].queryset = User.objects.filter(memberships__workspace=workspace).order_by(
            "display_name"
        )
        self._no_form_tag()
