"""Post text: @mentions and the one Markdown rendering (pages.markdown, sanitised by nh3).

A mention is written ``@[Display Name](/members/<id>/)`` (what the autocomplete inserts) or
``@[Display Name]`` (resolved when exactly one member has that name). The mention renders as
a link to the member's profile; whether the person is told is decided by the thread's policy.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from pages.markdown import render_markdown

MAX_MENTIONS = 10
MAX_BODY_LENGTH = 20_000

MENTION_LINK_RE = re.compile(r"@\[([^\]\n]{1,120})\]\(/members/(\d{1,12})/\)")
MENTION_SHORT_RE = re.compile(r"@\[([^\]\n]{1,120})\](?!\()")


def _short_names(body: str) -> set[str]:
    return {match.group(1).strip().lower() for match in MENTION_SHORT_RE.finditer(body or "")}


def _resolve_short_names(names: set[str]) -> dict[str, int]:
    """Lower-cased display name -> user id, for names that belong to exactly one member."""
    if not names:
        return {}
    rows = (
        User.objects.members().annotate(lname=Lower("display_name")).filter(lname__in=names).values_list("lname", "pk")
    )
    found: dict[str, list[int]] = {}
    for lname, pk in rows:
        found.setdefault(lname, []).append(pk)
    return {name: pks[0] for name, pks in found.items() if len(pks) == 1}


def mentioned_user_ids(body: str) -> list[int]:
    """Distinct ids of the members mentioned in ``body``, in order of appearance.

    Raises ``ValidationError`` when more than ``MAX_MENTIONS`` people are mentioned.
    """
    ids: list[int] = []
    for match in MENTION_LINK_RE.finditer(body or ""):
        pk = int(match.group(2))
        if pk not in ids:
            ids.append(pk)
    resolved = _resolve_short_names(_short_names(body))
    for match in MENTION_SHORT_RE.finditer(body or ""):
        pk = resolved.get(match.group(1).strip().lower())
        if pk is not None and pk not in ids:
            ids.append(pk)
    existing = set(User.objects.members().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    ids = [pk for pk in ids if pk in existing]
    if len(ids) > MAX_MENTIONS:
        raise ValidationError(
            _("You can mention at most %(max)d people in one post.") % {"max": MAX_MENTIONS}, code="too_many_mentions"
        )
    return ids


def _link_short_mentions(body: str) -> str:
    resolved = _resolve_short_names(_short_names(body))
    if not resolved:
        return body

    def replace(match):
        pk = resolved.get(match.group(1).strip().lower())
        if pk is None:
            return match.group(0)
        return f"@[{match.group(1)}](/members/{pk}/)"

    return MENTION_SHORT_RE.sub(replace, body)


def render_post_body(body: str) -> str:
    """Sanitised HTML for a post, computed once when the post is written."""
    return str(render_markdown(_link_short_mentions(body or "")))


def validate_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Please write a text."), code="empty")
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            _("The text is too long (at most %(max)d characters).") % {"max": MAX_BODY_LENGTH}, code="too_long"
        )
    return body


def quote_of(post) -> str:
    """Markdown quote of ``post`` for a quote-reply, with a link back to the quoted post."""
    author = post.author.display_name if post.author else _("deleted account")
    lines = (post.body or "").strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines[:40])
    return (
        _("%(author)s wrote in [post #%(number)d](%(url)s):")
        % {
            "author": author,
            "number": post.number,
            "url": post.get_absolute_url(),
        }
        + f"\n{quoted}\n\n"
    )
