"""Who may see and do what with documents, built on the one workspace policy.

A document is visible exactly when its scope is (portal-wide, or its workspace) and it is
not deleted. Someone who may not see it gets 404, identical to a non-existent id.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from workspaces.permissions import (
    can_moderate_scoped,
    can_view_scoped,
    can_write_scoped,
    is_portal_member,
    scoped_access,
    scoped_access_q,
)


def filter_documents_visible_to(user, qs):
    return filter_documents_for_access(*scoped_access(user), qs)


def filter_documents_for_access(access: str, workspace_ids, qs):
    """``filter_documents_visible_to`` for what ``scoped_access`` gave (a compiled statement's
    shape and values)."""
    return qs.filter(scoped_access_q(access, workspace_ids), deleted_at__isnull=True)


def workspace_documents_access(user, workspace) -> bool:
    """``filter_documents_visible_to`` for one workspace's documents, decided here: whether the
    user sees its documents that are not deleted (or none of them)."""
    return can_view_scoped(user, workspace)


def filter_workspace_documents(access: bool, qs):
    """``qs`` (documents of one workspace) narrowed to what ``workspace_documents_access`` allows."""
    return qs.filter(deleted_at__isnull=True) if access else qs.none()


def can_view_document(user, document) -> bool:
    return not document.is_deleted and can_view_scoped(user, document.workspace)


def check_view_document(user, document) -> None:
    if not can_view_document(user, document):
        raise Http404


def can_upload_to(user, workspace) -> bool:
    """``workspace`` None is the portal-wide library, open to every member."""
    return is_portal_member(user) and can_write_scoped(user, workspace)


def can_moderate_document(user, document) -> bool:
    return can_view_document(user, document) and can_moderate_scoped(user, document.workspace)


def can_edit_document(user, document) -> bool:
    """Metadata, new versions and restoring an older version: the uploader (while they may
    still write there) and the scope's moderators."""
    if not can_view_document(user, document):
        return False
    if can_moderate_scoped(user, document.workspace):
        return True
    return document.uploaded_by_id == user.pk and can_write_scoped(user, document.workspace)


def can_delete_document(user, document) -> bool:
    return can_moderate_document(user, document)


def check_edit_document(user, document) -> None:
    check_view_document(user, document)
    if not can_edit_document(user, document):
        raise PermissionDenied


def check_delete_document(user, document) -> None:
    check_view_document(user, document)
    if not can_delete_document(user, document):
        raise PermissionDenied
