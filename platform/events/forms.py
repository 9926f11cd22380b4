from datetime import datetime, time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from events.models import Event
from workspaces.models import Membership, Workspace
from workspaces.permissions import workspace_roles


def creatable_workspaces(user):
    """Workspaces in which the user may create dates (staff: every active one)."""
    qs = Workspace.objects.filter(is_archived=False).order_by("name")
    if user.is_staff:
        return qs
    moderated = [pk for pk, role in workspace_roles(user).items() if role == Membership.Role.MODERATOR]
    return qs.filter(pk__in=moderated)


class EventForm(forms.Form):
    workspace = forms.ModelChoiceField(
        label=_("Workspace"),
        queryset=Workspace.objects.none(),
        required=False,
        empty_label=_("Portal-wide (all members)"),
        help_text=_("Who can see the date: the members of this workspace, or every member of the portal."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        help_text=_("Leave empty for a date on a single day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    all_day = forms.BooleanField(label=_("All day"), required=False)
    place = forms.CharField(
        label=_("Place"), max_length=300, required=False, help_text=_("Address or room, e.g. “Rathaus Apolda, Saal 2”.")
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Please enter a complete web address starting with https:// or http://.")},
        help_text=_("For online meetings: the link to the video conference."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists with “-”, links as [text](https://…)."),
    )
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=User.objects.none(), required=False)
    registration_enabled = forms.BooleanField(label=_("Members can register (“Ich nehme teil”)"), required=False)
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_(
            "Leave empty for no limit. When all places are taken, further registrations go to the waiting list."
        ),
    )

    def __init__(self, *args, user, event=None, workspace=None, **kwargs):
        self.event = event
        if event is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(event)
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = User.objects.filter(is_active=True, status=User.Status.ACTIVE).order_by(
            "display_name"
        )
        self.fields["organiser"].initial = self.fields["organiser"].initial or user.pk
        if event is not None:
            del self.fields["workspace"]
        else:
            field = self.fields["workspace"]
            field.queryset = creatable_workspaces(user)
            if not user.is_staff:
                field.required = True
                field.empty_label = None
            if workspace is not None and not self.is_bound:
                field.initial = workspace.pk
        fields = [name for name in ("workspace", "title", "kind") if name in self.fields]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            *[Field(name) for name in fields],
            Fieldset(
                _("When"),
                Div(
                    Div("start_date", css_class="col-sm-6"),
                    Div("start_time", css_class="col-sm-6 events-time"),
                    css_class="row",
                ),
                Div(
                    Div("end_date", css_class="col-sm-6"),
                    Div("end_time", css_class="col-sm-6 events-time"),
                    css_class="row",
                ),
                "all_day",
            ),
            Fieldset(pgettext_lazy("event", "Where"), "place", "online_url"),
            "description",
            "organiser",
            Fieldset(_("Registration"), "registration_enabled", "capacity"),
        )
        self.helper.add_input(Submit("submit", _("Save date")))

    @staticmethod
    def initial_from(event):
        start, end = event.local_start, event.local_end
        return {
            "title": event.title,
            "kind": event.kind,
            "start_date": start.date(),
            "start_time": None if event.all_day else start.time().replace(second=0),
            "end_date": end.date() if end.date() != start.date() else None,
            "end_time": None if event.all_day else end.time().replace(second=0),
            "all_day": event.all_day,
            "place": event.place,
            "online_url": event.online_url,
            "description": event.description,
            "organiser": event.organiser_id,
            "registration_enabled": event.registration_enabled,
            "capacity": event.capacity,
        }

    def clean(self):
        data = super().clean()
        start_date = data.get("start_date")
        if start_date is None:
            return data
        end_date = data.get("end_date") or start_date
        tz = timezone.get_current_timezone()
        if data.get("all_day"):
            starts_at = timezone.make_aware(datetime.combine(start_date, time.min), tz)
            ends_at = timezone.make_aware(datetime.combine(end_date, time(23, 59)), tz)
        else:
            start_time = data.get("start_time")
            if start_time is None:
                self.add_error("start_time", _("Please enter a start time or mark the date as all day."))
                return data
            end_time = data.get("end_time") or start_time
            starts_at = timezone.make_aware(datetime.combine(start_date, start_time), tz)
            ends_at = timezone.make_aware(datetime.combine(end_date, end_time), tz)
        if ends_at < starts_at:
            self.add_error(
                "end_date" if data.get("end_date") else "end_time", _("The end must not be before the start.")
            )
            return data
        if data.get("registration_enabled") is False:
            data["capacity"] = None
        data["starts_at"] = starts_at
        data["ends_at"] = ends_at
        return data

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "kind": data["kind"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "all_day": data["all_day"],
            "place": data["place"].strip(),
            "online_url": data["online_url"],
            "description": data["description"],
            "organiser": data["organiser"],
            "registration_enabled": data["registration_enabled"],
            "capacity": data["capacity"],
        }


class AttachDocumentForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Document"), queryset=None, empty_label=_("Please choose"))

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents.order_by("title")
