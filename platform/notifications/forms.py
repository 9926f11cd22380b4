from django import forms
from django.utils.translation import gettext_lazy as _

from notifications import registry
from notifications.models import DigestSettings, EmailMode


class PreferencesForm(forms.Form):
    """One row per kind: shown in the portal (yes/no) and email (no / at once / digest);
    the digest's frequency; the workspaces the member muted."""

    frequency = forms.ChoiceField(
        label=_("Email digest"), choices=DigestSettings.Frequency.choices, widget=forms.RadioSelect
    )
    muted_workspaces = forms.ModelMultipleChoiceField(
        label=_("Muted workspaces"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You receive no notifications at all about muted workspaces."),
    )

    def __init__(self, *args, preferences, workspaces, audiences=("",), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muted_workspaces"].queryset = workspaces
        self.kind_rows = []
        for key, kind in sorted(registry.kinds().items(), key=lambda item: str(item[1].label)):
            if kind.audience not in audiences:
                continue
            in_portal, email_mode = preferences.get(key, (True, EmailMode.OFF))
            portal_name, email_name = f"portal_{key}", f"email_{key}"
            self.fields[portal_name] = forms.BooleanField(
                label=_("Show “%(kind)s” in the portal") % {"kind": kind.label}, required=False, initial=in_portal
            )
            self.fields[email_name] = forms.ChoiceField(
                label=_("Email for “%(kind)s”") % {"kind": kind.label},
                choices=EmailMode.choices,
                required=False,
                initial=email_mode,
            )
            self.kind_rows.append((kind, portal_name, email_name))

    def kinds(self):
        for kind, portal_name, email_name in self.kind_rows:
            yield kind, self[portal_name], self[email_name]

    def choices(self) -> dict[str, tuple[bool, str]]:
        return {
            kind.key: (self.cleaned_data[portal_name], self.cleaned_data[email_name] or EmailMode.OFF)
            for kind, portal_name, email_name in self.kind_rows
        }
