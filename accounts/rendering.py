"""The member directory's entries, made in Python (see ``forums.rendering``): through the
template each of 25 entries cost about as much as the rest of the page."""

from django.utils.safestring import SafeString, mark_safe

from pages.html import choice_label, escape, topic_badges, url_pattern


def directory_entries(members) -> SafeString:
    """``<li>`` cards of ``members`` (profile, Kommune and ``profile.topic_list`` loaded):
    name (linked), then Kommune, function and organisation, then topic badges."""
    member_url = url_pattern("members:detail")
    parts = []
    for member in members:
        profile = getattr(member, "profile", None)
        details, topics = [], ""
        if profile is not None:
            if profile.kommune_id:
                details.append(escape(profile.kommune.name))
            if profile.function:
                details.append(escape(choice_label(profile, "function")))
            if profile.organisation:
                details.append(escape(profile.organisation))
            if profile.topic_list:
                topics = f'\n  <div class="small">{topic_badges(profile.topic_list)}</div>'
        parts.append(
            '<li class="card mb-2"><div class="card-body py-2">\n'
            f'  <a href="{member_url(member.pk)}" class="fw-semibold">{escape(member.display_name)}</a>\n'
            f'  <div class="text-body-secondary small">{" · ".join(details)}</div>{topics}\n'
            "</div></li>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 (every text escaped)
