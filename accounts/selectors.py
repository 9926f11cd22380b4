from accounts.models import Kommune, Profile, Topic, User
from accounts.permissions import filter_members_visible_to, is_member, members_seen_by_members
from pages.filters import attach_shared
from pages.sql import CompiledList, CountStatement, Statement
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


def _seen_by_members():
    return members_seen_by_members(User.objects.select_related("profile", "profile__kommune")).order_by(
        "display_name", "id"
    )


_DIRECTORY_COUNT = CountStatement(_seen_by_members, values=())
_DIRECTORY_ROWS = Statement(
    lambda offset, limit: directory_columns(_seen_by_members())[offset : offset + limit], values=()
)


def unfiltered_directory(viewer):
    """``directory_columns(member_directory(viewer))`` for a Paginator: for a member, counted
    and read by statements compiled once per connection."""
    if not is_member(viewer):
        return directory_columns(member_directory(viewer))
    return CompiledList(_DIRECTORY_COUNT, _DIRECTORY_ROWS)


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
