"""Receivers that tell the shared reads of the workspace pages (``pages.shared_reads``) when
what they show has changed: a workspace's own rows (announcements, memberships, activities,
Kommunen, contact persons), any activity (the dashboard's feed), any workspace's name or
visibility, or the people, places and topics many pages show (names, profiles, Kommunen,
topics)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from pages.shared_reads import changed, relation_receiver
from workspaces.permissions import roles_scope

PEOPLE_SCOPE = "people"
ACTIVITIES_SCOPE = "activities"  # every activity, for the portal-wide feed
WORKSPACES_SCOPE = "workspaces"  # every workspace's name and visibility
# Saves that change nothing a page shows (the login timestamp, a password hash).
_INVISIBLE_USER_FIELDS = frozenset({"last_login", "password"})


# The filter forms' lists of Kommunen and topics (``pages.filters.ChoiceListFilter``).
SHARED_KOMMUNEN = ("kommunen", (PEOPLE_SCOPE,))
SHARED_TOPICS = ("topics", (PEOPLE_SCOPE,))


def workspace_scope(workspace_id) -> str:
    return f"workspace:{workspace_id}"


def _workspace_changed(sender, instance, **kwargs):
    changed(workspace_scope(instance.pk), WORKSPACES_SCOPE)


def _workspace_row_changed(sender, instance, **kwargs):
    if instance.workspace_id is not None:
        changed(workspace_scope(instance.workspace_id))


def _activity_changed(sender, instance, **kwargs):
    _workspace_row_changed(sender, instance)
    changed(ACTIVITIES_SCOPE)


# A workspace's Kommunen or contact persons, changed from either side; a Kommune or person
# cleared from every workspace drops what shows people and places.
_workspace_relation_changed = relation_receiver(workspace_scope, PEOPLE_SCOPE)


def _membership_changed(sender, instance, **kwargs):
    changed(workspace_scope(instance.workspace_id), roles_scope(instance.user_id))


def _people_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _INVISIBLE_USER_FIELDS:
        return
    changed(PEOPLE_SCOPE)


def connect():
    from accounts.models import Kommune, Profile, Topic
    from workspaces.models import Activity, Announcement, Membership, Workspace

    # Activities only on save: a receiver for deletes would make Django load every activity of
    # a deleted workspace one by one instead of deleting them in one statement.
    # ``forget_activity`` drops what it deletes; a deleted workspace drops its own scopes.
    post_save.connect(_activity_changed, sender=Activity, dispatch_uid="shared-reads-activity-saved")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_workspace_changed, sender=Workspace, dispatch_uid=f"shared-reads-workspace-{name}")
        signal.connect(_workspace_row_changed, sender=Announcement, dispatch_uid=f"shared-reads-Announcement-{name}")
        # A membership also changes its member's roles (kept by the process, workspaces.permissions).
        signal.connect(_membership_changed, sender=Membership, dispatch_uid=f"shared-reads-Membership-{name}")
        for model in (get_user_model(), Profile, Kommune, Topic):
            signal.connect(_people_changed, sender=model, dispatch_uid=f"shared-reads-{model.__name__}-{name}")
    for relation in (Workspace.kommunen.through, Workspace.contact_persons.through):
        m2m_changed.connect(
            _workspace_relation_changed, sender=relation, dispatch_uid=f"shared-reads-{relation.__name__}"
        )
