"""``User.objects.get(pk=…)``, which loads the signed-in member on every request, answers from
a statement compiled once per connection (pages.sql.RowByPk) exactly as the ORM would."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories import MemberFactory


def _fields(user) -> dict:
    return {key: value for key, value in vars(user).items() if not key.startswith("_")}


@pytest.mark.django_db
@pytest.mark.parametrize("as_text", [False, True])
def test_the_member_is_loaded_as_the_orm_loads_them(as_text):
    member = MemberFactory(display_name="Jana Köhler")
    pk = str(member.pk) if as_text else member.pk  # the session keeps the id as text
    with CaptureQueriesContext(connection) as queries:
        loaded = User.objects.get(pk=pk)
    assert len(queries) == 1
    expected = User.objects.filter(pk=member.pk).get()  # the ORM's own way
    assert _fields(loaded) == _fields(expected)
    assert type(loaded.date_joined) is type(expected.date_joined) and loaded.date_joined.tzinfo is not None
    assert loaded._state.adding is False and loaded._state.db == "default"
    loaded.display_name = "Jana Köhler-Schmidt"
    loaded.save(update_fields=["display_name"])
    assert User.objects.filter(pk=member.pk).values_list("display_name", flat=True).get() == "Jana Köhler-Schmidt"


@pytest.mark.django_db
def test_a_missing_or_malformed_id_fails_as_with_the_orm():
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=999_999)
    with pytest.raises(ValueError, match="expected a number"):
        User.objects.get(pk="abc")


@pytest.mark.django_db
def test_other_lookups_and_a_signed_in_request_still_work(client):
    member = MemberFactory(email="jana@example.org")
    assert User.objects.get(email="jana@example.org") == member
    assert User.objects.get(pk=member.pk, is_active=True) == member
    client.force_login(member)
    assert client.get("/").status_code == 200
