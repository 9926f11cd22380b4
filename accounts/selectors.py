from accounts.models import Kommune, Topic, User
from accounts.permissions import filter_members_visible_to


def member_directory(viewer):
    """Members the viewer may see, with what a directory row shows, in one query."""
    qs = User.objects.select_related("profile", "profile__kommune").prefetch_related("profile__topics")
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
