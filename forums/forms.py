from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from forums.models import BOARD_WATCH_LEVELS, THREAD_WATCH_LEVELS, Board, Report
from forums.text import MAX_BODY_LENGTH

BODY_HELP = _(
    "Markdown: **bold**, *italic*, [link](https://…), lists with “-”, quotes with “>”. "
    "Mention members with @ and their name."
)


def _body_widget(mention_url: str = "", draft_url: str = ""):
    attrs = {
        "rows": 8,
        "class": "form-control forum-editor",
        "data-mention-url": mention_url,
    }
    if draft_url:
        # htmx: autosave the draft a moment after typing stops and when the field is left.
        attrs.update(
            {
                "hx-post": draft_url,
                "hx-trigger": "input changed delay:1500ms, change",
                "hx-target": "#draft-status",
                "hx-swap": "innerHTML",
            }
        )
    return forms.Textarea(attrs=attrs)


class PostForm(forms.Form):
    body = forms.CharField(label=_("Your post"), max_length=MAX_BODY_LENGTH, help_text=BODY_HELP)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, mention_url: str = "", draft_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = _body_widget(mention_url, draft_url)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=3, max_length=200)
    body = forms.CharField(label=_("Your post"), max_length=MAX_BODY_LENGTH, help_text=BODY_HELP)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, mention_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = _body_widget(mention_url)
        self.fields["title"].widget.attrs["class"] = "form-control"


class EditPostForm(forms.Form):
    body = forms.CharField(label=_("Text"), max_length=MAX_BODY_LENGTH, help_text=BODY_HELP)

    def __init__(self, *args, mention_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = _body_widget(mention_url)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"), choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=2000,
        required=False,
        help_text=_("Required for illegal content and “other”: what is the problem, and which law does it break?"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class DecisionForm(forms.Form):
    state = forms.ChoiceField(
        label=_("New state"),
        choices=[(value, label) for value, label in Report.State.choices if value != Report.State.OPEN],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Decision and reason"),
        max_length=2000,
        required=False,
        help_text=_("Sent to the person who reported and to the author of the post."),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    hide = forms.BooleanField(label=_("Hide the post"), required=False)


class MoveForm(forms.Form):
    board = forms.ModelChoiceField(label=_("Move to board"), queryset=Board.objects.none())

    def __init__(self, *args, boards=None, **kwargs):
        super().__init__(*args, **kwargs)
        if boards is not None:
            self.fields["board"].queryset = boards
        self.fields["board"].widget.attrs["class"] = "form-select"


class SplitForm(forms.Form):
    title = forms.CharField(label=_("Title of the new thread"), min_length=3, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["class"] = "form-control"


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into thread number"),
        min_value=1,
        help_text=_("The number at the end of the other thread's address, e.g. 42 in /forums/threads/42/."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].widget.attrs["class"] = "form-control"


class ThreadWatchForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Notifications for this thread"),
        choices=[(level.value, level.label) for level in THREAD_WATCH_LEVELS],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class BoardWatchForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Notifications for this board"),
        choices=[(level.value, level.label) for level in BOARD_WATCH_LEVELS],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
