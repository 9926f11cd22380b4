"""The document list's filter form is rendered once for everyone who may pick from the same
workspaces and sent the same filters; it never offers a workspace to someone outside it."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.documents.factories import WorkspaceFactory, member_of


def _form(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("documents:list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page.split('class="documents-filter"', 1)[1].split("</form>", 1)[0]


def _options(form: str, name: str) -> list[str]:
    select = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_members_of_other_workspaces_never_see_a_workspace_they_do_not_belong_to(client, workspace, ws_member):
    other = WorkspaceFactory(name="Lokale Sozialstrategien", slug="sozialstrategien")
    stranger = member_of(other)
    assert "Thüringer Präventionsketten" in _options(_form(client, ws_member), "workspace")
    options = _options(_form(client, stranger), "workspace")
    assert "Lokale Sozialstrategien" in options and "Thüringer Präventionsketten" not in options
    assert "Lokale Sozialstrategien" not in _options(_form(client, ws_member), "workspace")


def test_members_of_the_same_workspaces_share_one_rendering(client, workspace, ws_member):
    colleague = member_of(workspace)
    first = _form(client, ws_member, kind="sozialbericht")
    client.force_login(colleague)
    client.get(reverse("documents:list"))  # the colleague's session and bell
    with CaptureQueriesContext(connection) as captured:
        second = _form(client, colleague, kind="sozialbericht")
    assert second == first
    # Neither the Kommunen nor the workspaces to choose from were read for the form.
    lists = ('SELECT "accounts_kommune"', 'SELECT "accounts_topic"', 'SELECT "workspaces_workspace"')
    assert not [q["sql"] for q in captured.captured_queries if q["sql"].startswith(lists)]


def test_the_chosen_filters_are_part_of_the_rendering(client, workspace, ws_member):
    plain = _form(client, ws_member)
    chosen = _form(client, ws_member, kind="sozialbericht")
    assert 'value="sozialbericht" selected' in chosen and 'value="sozialbericht" selected' not in plain
    assert _form(client, ws_member, kind="sozialbericht", page="2") == chosen  # not a filter


def test_a_form_with_errors_shows_them_in_german_every_time(client, ws_member):
    for _ in range(2):
        assert "Bitte eine Zahl eingeben." in _form(client, ws_member, year="zwanzig")
    assert "Bitte eine Zahl eingeben." not in _form(client, ws_member)


def test_a_renamed_workspace_and_the_language_show_at_once(client, workspace, ws_member, settings):
    assert "Thüringer Präventionsketten" in _options(_form(client, ws_member), "workspace")
    workspace.name = "Präventionsketten Thüringen"
    workspace.save()
    assert "Präventionsketten Thüringen" in _options(_form(client, ws_member), "workspace")
    assert "Alle Bibliotheken" in _form(client, ws_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _form(client, ws_member)
    assert "All libraries" in english and "Alle Bibliotheken" not in english
