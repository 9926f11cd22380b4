"""Helpers for markup made in Python where a template partial per row is too slow (long lists:
posts, document rows, notification entries)."""

from django.urls import reverse

# A number no primary key reaches; reversed once, then replaced by each object's id.
_SENTINEL = "918273645"


def url_pattern(name: str):
    """``pk -> URL`` of a view that takes one id, with a single reversal."""
    head, tail = reverse(name, args=[_SENTINEL]).split(_SENTINEL)
    return lambda pk: f"{head}{pk}{tail}"
