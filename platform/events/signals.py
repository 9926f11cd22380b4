"""Receivers that drop the shared lists of upcoming dates (``events.selectors``) when a date is
saved or deleted."""

from django.db.models.signals import post_delete, post_save

from pages.shared_reads import changed

EVENTS_SCOPE = "events"  # every date's title, time, place and whether it is cancelled


def _event_changed(sender, instance, **kwargs):
    changed(EVENTS_SCOPE)


def connect():
    from events.models import Event

    post_save.connect(_event_changed, sender=Event, dispatch_uid="shared-reads-event-saved")
    post_delete.connect(_event_changed, sender=Event, dispatch_uid="shared-reads-event-deleted")
