"""The rows of the document list, made in Python (see ``forums.rendering``): through a template
partial twenty rows took about a third of the list page's time."""

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pages.html import choice_label, escape, topic_badges, url_pattern


def document_rows(documents) -> SafeString:
    """``documents`` carry ``topic_list`` and ``kommune_list`` (``selectors.with_row_details``)
    and their workspace, uploader and current version joined."""
    detail_url = url_pattern("documents:detail")
    portal_wide = escape(gettext("Portal-wide library"))
    former_member = escape(gettext("former member"))
    tz = timezone.get_current_timezone()
    rows = []
    for document in documents:
        meta = [escape(document.workspace.name) if document.workspace_id else portal_wide]
        if document.year:
            meta.append(str(document.year))
        if document.kommune_list:
            meta.append(", ".join(escape(kommune.name) for kommune in document.kommune_list))
        uploader = document.uploaded_by
        meta.append(
            f"{escape(uploader.display_name) if uploader else former_member}, "
            f"{document.created_at.astimezone(tz):%d.%m.%Y}"
        )
        version = document.current_version
        if version:
            meta.append(f"{escape(version.file_type.upper())}, {filesizeformat(version.size)}")
        topics = ""
        if document.topic_list:
            topics = f'\n  <div class="small mt-1">{topic_badges(document.topic_list)}</div>'
        rows.append(
            '<li class="card mb-2 documents-row"><div class="card-body py-2">\n'
            '  <div class="d-flex flex-wrap justify-content-between gap-2">\n'
            f'    <a href="{detail_url(document.pk)}" class="fw-semibold documents-title">{escape(document.title)}</a>\n'
            f'    <span class="badge text-bg-secondary align-self-start">{escape(choice_label(document, "kind"))}</span>\n'
            "  </div>\n"
            f'  <div class="text-body-secondary small">{" · ".join(meta)}</div>{topics}\n'
            "</div></li>"
        )
    # Every text above went through escape(); the size comes from filesizeformat (digits and units).
    return mark_safe("\n".join(rows))  # noqa: S308
