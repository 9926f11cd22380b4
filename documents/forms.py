from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Kommune, Topic
from documents.models import Document
from workspaces.models import Workspace
from workspaces.permissions import workspace_roles


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that accepts one or several files; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data] if data else single_clean(None, initial)
        return [single_clean(data, initial)]


def writable_workspaces(user):
    """Workspaces the user may upload to: their own (all for staff), not archived."""
    qs = Workspace.objects.filter(is_archived=False).order_by("name")
    if user.is_staff:
        return qs
    return qs.filter(pk__in=list(workspace_roles(user)))


class DocumentMetadataForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    kommunen = forms.ModelMultipleChoiceField(
        label=_("Kommunen it concerns"),
        queryset=Kommune.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to select several."),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990)

    class Meta:
        model = Document
        fields = ["title", "description", "kind", "topics", "kommunen", "year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.now().year + 1
        self.fields["year"].widget.attrs["max"] = timezone.now().year + 1


class UploadForm(DocumentMetadataForm):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV or text; at most %(limit)s per file."),
    )
    workspace = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Workspace.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Portal-wide library (all members)"),
        help_text=_("In a workspace, only those who may see the workspace see the document."),
    )

    field_order = ["files", "workspace", "title", "description", "kind", "topics", "kommunen", "year"]

    def __init__(self, *args, user, limit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = writable_workspaces(user)
        self.fields["files"].help_text = self.fields["files"].help_text % {"limit": limit_label}
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the file name. With several files, each keeps its name.")
        self.fields["year"].initial = timezone.now().year

    def clean_files(self):
        files = [f for f in self.cleaned_data.get("files") or [] if f]
        if not files:
            raise forms.ValidationError(_("Please choose at least one file."), code="required")
        if len(files) > 20:
            raise forms.ValidationError(_("Please upload at most 20 files at once."), code="too_many")
        return files


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New file"))
    change_note = forms.CharField(
        label=_("What has changed?"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DuplicateChoiceForm(forms.Form):
    """What to do with one upload whose bytes already exist in the same library."""

    VERSION = "version"
    SEPARATE = "separate"
    DISCARD = "discard"

    action = forms.ChoiceField(label=_("What should happen with this file?"), widget=forms.RadioSelect)

    def __init__(self, *args, can_add_version: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if can_add_version:
            choices.append((self.VERSION, _("Add it as a new version of the existing document")))
        choices += [
            (self.SEPARATE, _("Upload it anyway as a separate document")),
            (self.DISCARD, _("Do not upload it")),
        ]
        self.fields["action"].choices = choices
        self.fields["action"].initial = choices[0][0]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("Comments are posted in the document's discussion in the forum (Markdown)."),
    )
