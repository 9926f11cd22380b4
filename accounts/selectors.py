from django.db.models import Prefetch

from accounts.models import Kommune, Topic, User
from accounts.permissions import filter_members_visible_to


def member_directory(viewer):
    """Members the viewer may see, with what a directory row shows: one query, and one for the
    topics (``profile.topic_list``, a list: see ``documents.selectors.with_row_details``)."""
    qs = User.objects.select_related("profile", "profile__kommune").prefetch_related(
        Prefetch("profile__topics", to_attr="topic_list")
    )
    return filter_members_visible_to(viewer, qs).order_by("display_name", "id")


def pending_members():
    return (
        User.objects.filter(status=User.Status.PENDING, is_active=True, is_staff=False)
        .select_related("profile", "profile__kommune")
        .order_by("date_joined")
    )


def thuringian_kommunen():
    return Kommune.objects.all()


def all_topics():
    return Topic.objects.all()
