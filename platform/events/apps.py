from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Dates")

    def ready(self):
        from events import signals
        from events.models import Event
        from events.permissions import can_view_event
        from notifications.registry import register_kind, register_target

        register_target(
            Event,
            can_view=can_view_event,
            title=str,
            url=lambda event: event.get_absolute_url(),
            queryset=lambda qs: qs.select_related("workspace"),
        )
        register_kind("event_new", _("New date in one of your workspaces"))
        register_kind("event_reminder", _("Reminder the day before a date you registered for"))
        register_kind("event_moved_up", _("You moved up from the waiting list"))
        register_kind("event_cancelled", _("A date you registered for was cancelled"))
        signals.connect()
