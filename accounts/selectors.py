from accounts.models import Kommune, Profile, Topic, User
from accounts.permissions import filter_members_visible_to
from pages.filters import attach_shared
from workspaces.signals import SHARED_TOPICS


def member_directory(viewer):
    """Members the viewer may see, with their profile and Kommune joined."""
    qs = User.objects.select_related("profile", "profile__kommune")
    return filter_members_visible_to(viewer, qs).order_by("display_name", "id")


# What a directory card shows (rendering.directory_entries): not every column of the member,
# profile and Kommune (the member's password hash among them).
DIRECTORY_COLUMNS = ("display_name", "profile__function", "profile__organisation", "profile__kommune__name")


def directory_columns(members):
    return members.only(*DIRECTORY_COLUMNS)


def with_topics(members) -> list[User]:
    """``members`` as a list, each profile with ``topic_list`` (``pages.filters.attach_shared``)."""
    members = list(members)
    profiles = [member.profile for member in members if hasattr(member, "profile")]
    attach_shared(profiles, Profile.topics, SHARED_TOPICS, "topic_list")
    return members


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
