import re

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Kommune, Profile, Topic, User
from accounts.views import MEMBERS_PER_PAGE
from tests.budgets import session_queries
from tests.factories import MemberFactory, PendingFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [member.display_name for member in response.context["page"]]


def make_member(name, kommune_slug="stadt-jena", function="sozialplanung", topics=(), organisation=""):
    member = MemberFactory(display_name=name)
    services.update_profile(
        user=member,
        display_name=name,
        kommune=Kommune.objects.get(slug=kommune_slug),
        function=function,
        organisation=organisation,
        topics=list(Topic.objects.filter(slug__in=topics)),
    )
    return member


@pytest.fixture
def people(member):
    return {
        "jena": make_member("Jana Jena", "stadt-jena", "sozialplanung", ["praventionsketten"]),
        "gera": make_member("Georg Gera", "stadt-gera", "jugendhilfeplanung", ["sozialberichterstattung"]),
        "sok": make_member(
            "Sonja Saale", "saale-orla-kreis", "altenhilfeplanung", ["praventionsketten"], "Landratsamt Schleiz"
        ),
    }


def test_directory_lists_active_members_only(member_client, people):
    PendingFactory(display_name="Paul Pending")
    MemberFactory(display_name="Dora Deaktiviert", is_active=False)
    MemberFactory(display_name="Rita Rejected", status=User.Status.REJECTED, is_active=False)
    listed = names(member_client.get(reverse("members:directory")))
    assert {"Jana Jena", "Georg Gera", "Sonja Saale", member_client.user.display_name} == set(listed)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kommune": "stadt-gera"}, {"Georg Gera"}),
        ({"function": "altenhilfeplanung"}, {"Sonja Saale"}),
        ({"topic": "praventionsketten"}, {"Jana Jena", "Sonja Saale"}),
        ({"q": "jen"}, {"Jana Jena"}),
        ({"q": "  SCHLEIZ "}, {"Sonja Saale"}),
        ({"topic": "praventionsketten", "kommune": "stadt-jena"}, {"Jana Jena"}),
    ],
)
def test_directory_filters(member_client, people, query, expected):
    params = dict(query)
    if "kommune" in params:
        params["kommune"] = Kommune.objects.get(slug=params["kommune"]).pk
    if "topic" in params:
        params["topic"] = Topic.objects.get(slug=params["topic"]).pk
    response = member_client.get(reverse("members:directory"), params)
    assert response.status_code == 200
    assert set(names(response)) == expected


def test_unknown_kommune_in_the_filter_gives_a_message_not_an_error(member_client, people):
    response = member_client.get(reverse("members:directory"), {"kommune": "999999"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


def test_directory_is_paginated_and_keeps_the_filter(member_client):
    jena = Kommune.objects.get(slug="stadt-jena")
    for number in range(MEMBERS_PER_PAGE + 5):
        make_member(f"Planer*in {number:02d}", "stadt-jena")
    first = member_client.get(reverse("members:directory"), {"kommune": jena.pk})
    assert len(names(first)) == MEMBERS_PER_PAGE
    assert f"kommune={jena.pk}&amp;page=2" in first.content.decode()
    second = member_client.get(reverse("members:directory"), {"kommune": jena.pk, "page": 2})
    assert len(names(second)) == 5
    assert set(names(first)).isdisjoint(names(second))
    assert member_client.get(reverse("members:directory"), {"page": "kaputt"}).status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_directory_query_count_does_not_grow_with_members(member_client, django_assert_num_queries, size):
    for number in range(size):
        make_member(f"Person {number:02d}", topics=["praventionsketten", "sozialberichterstattung"])
    # session, user, notification count, member count, Kommune and topic options, page, topics of the page
    with django_assert_num_queries(7 + session_queries()):
        response = member_client.get(reverse("members:directory"))
    assert response.status_code == 200
    # Then the user's row (kept by the process, pages.read_ahead), the notification count and
    # the lists of Kommunen and topics come from the cache.
    with django_assert_num_queries(3 + session_queries()):
        again = member_client.get(reverse("members:directory"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again.content.decode()) == token.sub("", response.content.decode())
    body = response.content.decode()
    badges = '<span class="badge text-bg-light border me-1">'
    # Each listed person with both topics (the viewer has none).
    listed = sum(name.startswith("Person ") for name in names(response))
    assert listed == min(size, MEMBERS_PER_PAGE - 1) or listed == min(size, MEMBERS_PER_PAGE)
    assert body.count(f"{badges}Präventionsketten</span>") == listed
    assert body.count(f"{badges}Sozialberichterstattung</span>") == listed


def test_topics_chosen_or_renamed_show_in_the_directory_at_once(member_client, people):
    badge = '<span class="badge text-bg-light border me-1">{}</span>'
    page = member_client.get(reverse("members:directory")).content.decode()
    assert page.count(badge.format("Präventionsketten")) == 2
    topic = Topic.objects.get(slug="praventionsketten")
    topic.name = "Präventionsketten Thüringen"
    topic.save()
    page = member_client.get(reverse("members:directory")).content.decode()
    assert page.count(badge.format("Präventionsketten Thüringen")) == 2
    people["gera"].profile.topics.add(topic)
    page = member_client.get(reverse("members:directory")).content.decode()
    assert page.count(badge.format("Präventionsketten Thüringen")) == 3


def test_member_detail_shows_the_profile(member_client, people):
    response = member_client.get(reverse("members:detail", args=[people["sok"].pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sonja Saale" in content
    assert "Landratsamt Schleiz" in content
    assert people["sok"].email not in content  # not shared


def test_member_detail_shows_email_when_the_member_allows_it(member_client, people):
    profile = people["gera"].profile
    profile.show_email = True
    profile.save()
    assert (
        people["gera"].email in member_client.get(reverse("members:detail", args=[people["gera"].pk])).content.decode()
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: PendingFactory(),
        lambda: MemberFactory(is_active=False),
        lambda: MemberFactory(status=User.Status.REJECTED, is_active=False),
    ],
    ids=["pending", "deactivated", "rejected"],
)
def test_member_detail_is_404_for_people_who_are_not_members(member_client, make):
    assert member_client.get(reverse("members:detail", args=[make().pk])).status_code == 404


def test_member_detail_of_unknown_id_is_404(member_client):
    assert member_client.get(reverse("members:detail", args=[987654])).status_code == 404


def test_member_detail_of_an_account_without_profile_works(member_client):
    admin = User.objects.create_superuser(email="root@example.org", password="x", display_name="Root")
    assert member_client.get(reverse("members:detail", args=[admin.pk])).status_code == 200


def test_directory_entry_shows_name_kommune_function_organisation_and_topics_escaped(member_client, people):
    sonja = people["sok"]
    sonja.display_name = "Sonja <Saale>"
    sonja.save(update_fields=["display_name"])
    Profile.objects.filter(user=sonja).update(organisation="Landratsamt & Co")
    body = member_client.get(reverse("members:directory")).content.decode()
    entries = body.split('<ul class="list-unstyled member-list">')[1].split("</ul>")[0].split('<li class="card mb-2">')
    entry = next(e for e in entries if "Sonja" in e)
    assert f'<a href="/members/{sonja.pk}/" class="fw-semibold">Sonja &lt;Saale&gt;</a>' in entry
    assert (
        '<div class="text-body-secondary small">Saale-Orla-Kreis · Altenhilfeplanung · Landratsamt &amp; Co</div>'
        in entry
    )
    assert '<span class="badge text-bg-light border me-1">Präventionsketten</span>' in entry
    no_organisation = next(e for e in entries if "Georg Gera" in e)
    assert '<div class="text-body-secondary small">Stadt Gera · Jugendhilfeplanung</div>' in no_organisation
    empty = member_client.get(reverse("members:directory"), {"q": "niemand"}).content.decode()
    assert "<li>Keine Mitglieder entsprechen diesen Filtern.</li>" in empty


def test_the_unfiltered_directory_lists_what_the_filtered_one_lists(member_client):
    """Without filters the count and the page come from compiled statements; an empty filter
    goes through django-filter: both give the same pages."""
    for number in range(MEMBERS_PER_PAGE + 5):
        make_member(f"Planer*in {number:02d}", "stadt-jena", topics=["praventionsketten"])
    for page in (1, 2):
        compiled = member_client.get(reverse("members:directory"), {"page": page})
        filtered = member_client.get(reverse("members:directory"), {"q": "", "page": page})
        assert names(compiled) == names(filtered) and len(names(compiled)) in (MEMBERS_PER_PAGE, 6)
        assert compiled.context["page"].paginator.count == filtered.context["page"].paginator.count
        assert compiled.context["entries"] == filtered.context["entries"]
