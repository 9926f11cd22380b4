"""Reads the workspace pages and the dashboard share: permission-filtered and prefetched,
so each page costs a fixed number of queries however much data there is."""

from dataclasses import dataclass, field, fields
from functools import cache

from django.db import connection
from django.db.models import Count, Q, Subquery
from django.http import Http404

from accounts.models import Kommune, User
from pages.shared_reads import shared_read
from pages.sql import Statement, sql_names
from workspaces import permissions
from workspaces.activity import CATEGORY_PREFIXES, verb_category, verb_label
from workspaces.models import Activity, JoinRequest, Membership, Workspace
from workspaces.signals import ACTIVITIES_SCOPE, PEOPLE_SCOPE, WORKSPACES_SCOPE, workspace_scope

FEED_LENGTH = 20
HOME_MEMBERS = 12
HOME_ANNOUNCEMENTS = 5
HOME_ACTIVITIES = 8
CANDIDATES = 20

# A schematic tile map of Thuringia: AGS -> (row, column, column span, licence-plate code).
THURINGIA_TILES = {
    "16061000": (1, 1, 1, "EIC"),  # Eichsfeld
    "16062000": (1, 2, 1, "NDH"),  # Nordhausen
    "16065000": (1, 3, 1, "KYF"),  # Kyffhäuserkreis
    "16064000": (2, 2, 1, "UH"),  # Unstrut-Hainich-Kreis
    "16068000": (2, 3, 1, "SÖM"),  # Sömmerda
    "16063000": (3, 1, 1, "WAK"),  # Wartburgkreis
    "16067000": (3, 2, 1, "GTH"),  # Gotha
    "16051000": (3, 3, 1, "EF"),  # Erfurt
    "16055000": (3, 4, 1, "WE"),  # Weimar
    "16071000": (3, 5, 1, "AP"),  # Weimarer Land
    "16053000": (3, 6, 1, "J"),  # Jena
    "16074000": (3, 7, 1, "SHK"),  # Saale-Holzland-Kreis
    "16052000": (3, 8, 1, "G"),  # Gera
    "16077000": (3, 9, 1, "ABG"),  # Altenburger Land
    "16066000": (4, 1, 1, "SM"),  # Schmalkalden-Meiningen
    "16054000": (4, 2, 1, "SHL"),  # Suhl
    "16070000": (4, 3, 1, "IK"),  # Ilm-Kreis
    "16073000": (4, 4, 2, "SLF"),  # Saalfeld-Rudolstadt
    "16075000": (4, 6, 2, "SOK"),  # Saale-Orla-Kreis
    "16076000": (4, 8, 1, "GRZ"),  # Greiz
    "16069000": (5, 2, 1, "HBN"),  # Hildburghausen
    "16072000": (5, 4, 1, "SON"),  # Sonneberg
}


def workspaces_of(user):
    """The workspaces the user belongs to."""
    return Workspace.objects.filter(pk__in=list(permissions.workspace_roles(user))).order_by("name")


def visible_workspaces(user):
    return permissions.filter_workspaces_visible_to(user, Workspace.objects.all()).order_by("is_archived", "name")


_BY_SLUG = Statement(lambda slug: Workspace.objects.filter(slug=slug), values=(), texts=("slug",))
_MEMBERSHIP = Statement(
    lambda workspace, user: Membership.objects.filter(workspace=workspace, user=user).order_by("pk")[:1],
    values=("workspace", "user"),
)


def visible_workspace(user, slug: str) -> Workspace | None:
    """The workspace with ``slug`` if the user may see it (as ``visible_workspaces`` would
    list it), else None."""
    found = _BY_SLUG.list(slug=slug)
    return found[0] if found and permissions.can_view_workspace(user, found[0]) else None


def get_workspace_for(user, slug: str) -> Workspace:
    """The workspace with ``slug`` if the user may see it; ``Http404`` otherwise, exactly as for
    a slug that does not exist."""
    workspace = visible_workspace(user, slug)
    if workspace is None:
        raise Http404
    return workspace


# --- The workspace list ----------------------------------------------------------------------


@dataclass
class WorkspaceRow:
    workspace: Workspace
    role: str | None
    has_open_request: bool
    can_join: bool
    can_request: bool


def workspace_rows(user) -> list[WorkspaceRow]:
    roles = permissions.workspace_roles(user)
    open_requests = set(
        JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).values_list("workspace_id", flat=True)
    )
    workspaces = visible_workspaces(user).annotate(member_count=Count("memberships"))
    return [
        WorkspaceRow(
            workspace=workspace,
            role=roles.get(workspace.pk),
            has_open_request=workspace.pk in open_requests,
            can_join=permissions.can_join_workspace(user, workspace),
            can_request=permissions.can_request_to_join(user, workspace) and workspace.pk not in open_requests,
        )
        for workspace in workspaces
    ]


# --- The workspace home ----------------------------------------------------------------------


@dataclass
class KommuneTile:
    kommune: Kommune
    row: int
    column: int
    span: int
    code: str
    participating: bool


def kommune_tiles(workspace) -> tuple[list[KommuneTile], list[Kommune]]:
    """The Kreise and kreisfreie Städte as map tiles (participants marked) and the list of
    participants (including those that are not a Gebietskörperschaft, e.g. the Land)."""
    participants = list(workspace.kommunen.all())
    participant_ids = {kommune.pk for kommune in participants}
    tiles = []
    for kommune in Kommune.objects.filter(ags__in=list(THURINGIA_TILES)):
        row, column, span, code = THURINGIA_TILES[kommune.ags]
        tiles.append(KommuneTile(kommune, row, column, span, code, kommune.pk in participant_ids))
    tiles.sort(key=lambda tile: (tile.row, tile.column))
    return tiles, participants


def memberships_of(workspace, limit: int | None = None):
    """Moderators first, then by name. With ``limit`` the first ones are chosen from the
    memberships and names alone and only they get their profiles joined: sorting every
    member's full row took 7 ms in a workspace of 750 members, choosing first takes 1 ms."""
    order = ("-role", "user__display_name")
    qs = Membership.objects.filter(workspace=workspace)
    if limit:
        qs = Membership.objects.filter(pk__in=Subquery(qs.order_by(*order).values("pk")[:limit]))
    return qs.select_related("user", "user__profile", "user__profile__kommune").order_by(*order)


def _with_labels(activities):
    activities = list(activities)
    for activity in activities:
        activity.label = verb_label(activity.verb)
    return activities


@dataclass
class HomeSections:
    """What the workspace home shows every member alike (see ``shared_sections``)."""

    announcements: list
    members: list
    member_count: int
    contact_persons: list
    tiles: list
    participants: list
    activities: list


def shared_sections(workspace) -> HomeSections:
    """The announcements, member preview, contact persons, Kommunen and latest activities of
    the workspace: seven queries, built once and shared by every member until one of them
    changes (the receivers in ``workspaces.signals`` drop the workspace's generation, or
    the people's for a changed name or Kommune). Password hashes stay out of the cache."""

    def build():
        tiles, participants = kommune_tiles(workspace)
        return HomeSections(
            announcements=list(
                workspace.announcements.select_related("author").defer("author__password")[:HOME_ANNOUNCEMENTS]
            ),
            members=list(memberships_of(workspace, HOME_MEMBERS).defer("user__password")),
            member_count=Membership.objects.filter(workspace=workspace).count(),
            contact_persons=list(
                workspace.contact_persons.select_related("profile", "profile__kommune").defer("password")
            ),
            tiles=tiles,
            participants=participants,
            activities=list(
                Activity.objects.filter(workspace=workspace)
                .select_related("actor")
                .defer("actor__password")[:HOME_ACTIVITIES]
            ),
        )

    sections = shared_read(f"workspace-home:{workspace.pk}", (workspace_scope(workspace.pk), PEOPLE_SCOPE), build)
    _with_labels(sections.activities)
    return sections


@dataclass
class WorkspaceHome(HomeSections):
    """The shared sections and what the home shows this viewer."""

    workspace: Workspace
    membership: Membership | None
    open_request: JoinRequest | None = None
    pending_request_count: int = 0
    latest_documents: list = field(default_factory=list)
    pinned_documents: list = field(default_factory=list)
    latest_threads: list = field(default_factory=list)
    upcoming_dates: list = field(default_factory=list)

    @property
    def latest_activity_at(self):
        return self.activities[0].created_at if self.activities else None


def workspace_home(user, workspace) -> WorkspaceHome:
    membership = None
    open_request = None
    if permissions.is_workspace_member(user, workspace):
        membership = next(iter(_MEMBERSHIP.list(workspace=workspace.pk, user=user.pk)), None)
    else:
        open_request = JoinRequest.objects.filter(
            workspace=workspace, user=user, status=JoinRequest.Status.PENDING
        ).first()
    pending = 0
    if permissions.can_moderate_workspace(user, workspace):
        pending = JoinRequest.objects.filter(workspace=workspace, status=JoinRequest.Status.PENDING).count()
    sections = shared_sections(workspace)
    return WorkspaceHome(
        **{section.name: getattr(sections, section.name) for section in fields(HomeSections)},
        workspace=workspace,
        membership=membership,
        open_request=open_request,
        pending_request_count=pending,
    )


def join_requests_of(workspace):
    """Open requests first (oldest first), then the decided history (newest first)."""
    qs = JoinRequest.objects.filter(workspace=workspace).select_related(
        "user", "user__profile", "user__profile__kommune", "decided_by"
    )
    pending = list(qs.filter(status=JoinRequest.Status.PENDING).order_by("created_at"))
    history = list(qs.exclude(status=JoinRequest.Status.PENDING).order_by("-decided_at", "-created_at")[:100])
    return pending, history


def member_candidates(workspace, query: str = ""):
    """Approved portal members who are not yet in the workspace, for the "add member" search."""
    qs = (
        User.objects.members()
        .exclude(memberships__workspace=workspace)
        .select_related("profile", "profile__kommune")
        .order_by("display_name")
    )
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(display_name__icontains=query)
            | Q(email__icontains=query)
            | Q(profile__kommune__name__icontains=query)
            | Q(profile__organisation__icontains=query)
        )
    return qs


# --- The dashboard ---------------------------------------------------------------------------


@cache
def _new_activity_sql(workspaces: int) -> str:
    """Made once per number of workspaces: only the table and column names go into it."""
    table, workspace, verb, actor, created = sql_names(Activity, "workspace", "verb", "actor", "created_at")
    since = " OR ".join([f"({workspace} = %s AND {created} > %s)"] * workspaces)
    return (
        f"SELECT {workspace}, {verb}, COUNT(*) FROM {table}"  # noqa: S608
        f" WHERE ({since}) AND ({actor} IS NULL OR {actor} <> %s) GROUP BY {workspace}, {verb}"
    )


def _new_activity_counts(user, memberships) -> list[tuple[int, str, int]]:
    """``(workspace_id, verb, count)`` of others' activities in each membership's workspace
    since the member last looked there. Written as SQL: through the ORM the filter (one
    condition per workspace) took four times as long to build as the query took to run."""
    params = []
    for membership in memberships:
        since = membership.last_seen_at or membership.joined_at
        params += [membership.workspace_id, connection.ops.adapt_datetimefield_value(since)]
    with connection.cursor() as cursor:
        cursor.execute(_new_activity_sql(len(memberships)), [*params, user.pk])
        return cursor.fetchall()


def my_workspaces_with_news(user) -> list[Membership]:
    """The user's memberships (workspace joined, by name), each with what happened there since
    their last visit (others' activities only): ``new_total`` and ``new_<category>`` per
    dashboard category. Two plain queries: the memberships, then the new activities counted
    per workspace and verb (five filtered counts over a join cost 4 ms to build alone)."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("workspace")
        .only(*("workspace", "role", "joined_at", "last_seen_at", "workspace__name", "workspace__slug"))
        .order_by("workspace__name")
    )
    for membership in memberships:
        membership.new_total = 0
        for category in CATEGORY_PREFIXES:
            setattr(membership, f"new_{category}", 0)
    if not memberships:
        return memberships
    counts = _new_activity_counts(user, memberships)
    by_workspace = {membership.workspace_id: membership for membership in memberships}
    for workspace_id, verb, n in counts:
        membership = by_workspace[workspace_id]
        membership.new_total += n
        category = verb_category(verb)
        if category is not None:
            name = f"new_{category}"
            setattr(membership, name, getattr(membership, name) + n)
    return memberships


def pending_join_requests_for(user):
    """Open join requests in the workspaces the user moderates (staff: all), per workspace."""
    qs = JoinRequest.objects.filter(status=JoinRequest.Status.PENDING)
    if not user.is_staff:
        moderated = permissions.moderated_workspace_ids(user)
        if not moderated:
            return []  # most members moderate nothing: no query to build
        qs = qs.filter(workspace_id__in=moderated)
    return list(qs.values("workspace__name", "workspace__slug").annotate(count=Count("id")).order_by("workspace__name"))


def pending_member_approvals_count(user) -> int | None:
    if not user.is_staff:
        return None
    return User.objects.filter(status=User.Status.PENDING, is_active=True).count()


def activity_feed(user, limit: int = FEED_LENGTH):
    """The newest activities the user may see, portal-wide. What a member may see depends only
    on being staff or on the workspaces they belong to, so members alike share one cached
    feed until an activity, a workspace or a name changes."""
    if not permissions.is_portal_member(user):
        return []

    def build():
        qs = permissions.filter_activity_visible_to(user, Activity.objects.all())
        return list(qs.select_related("actor", "workspace").defer("actor__password")[:limit])

    key = f"activity-feed:{limit}:{permissions.audience(user)}"
    feed = shared_read(key, (ACTIVITIES_SCOPE, WORKSPACES_SCOPE, PEOPLE_SCOPE), build)
    return _with_labels(feed)
