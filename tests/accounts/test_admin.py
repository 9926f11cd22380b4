import pytest
from django.urls import reverse

from tests.factories import PendingFactory

pytestmark = pytest.mark.django_db


def test_staff_manage_members_in_the_german_admin(staff_client):
    PendingFactory(display_name="Paula Wartend")
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "Konten und Mitglieder" in index
    assert "Website-Verwaltung" in index or "Sozialplanungsplattform" in index
    changelist = staff_client.get(reverse("admin:accounts_user_changelist"), {"status": "pending"})
    content = changelist.content.decode()
    assert changelist.status_code == 200
    assert "Paula Wartend" in content
    assert "wartet auf Freischaltung" in content


def test_members_who_are_not_staff_cannot_open_the_admin(member_client):
    response = member_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
