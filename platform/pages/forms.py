from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from pages.models import AccessibilityFeedback, LegalPage


class LegalPageForm(forms.ModelForm):
    class Meta:
        model = LegalPage
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "class": "font-monospace"})}
        help_texts = {
            "body": _(
                "Markdown: “## Heading” for sections, “- ” for lists, [text](https://…) for links. "
                "HTML is not allowed and is removed."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save page")))


class AccessibilityFeedbackForm(forms.ModelForm):
    # A field people do not see; bots fill it in. Such submissions are dropped silently.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        labels = {
            "message": _("Which barrier did you notice?"),
            "page_url": _("On which page? (optional)"),
            "name": _("Your name (optional)"),
            "email": _("Your email address for our answer (optional)"),
        }
        help_texts = {
            "message": _("Please describe what you wanted to do and what did not work."),
        }
        widgets = {
            "message": forms.Textarea(attrs={"rows": 6}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "message": {"required": _("Please describe the barrier you noticed.")},
            "email": {
                "invalid": _("Please enter a valid email address, e.g. name@example.org, or leave the field empty.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["message"].min_length = 10
        self.fields["message"].widget.attrs["minlength"] = 10
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Please describe the barrier in a few words (at least 10 characters)."))
        return message

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
