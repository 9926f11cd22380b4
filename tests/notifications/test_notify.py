"""notify(): storing, pushing on commit, flood merging, preferences, mutes."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation

from notifications import services
from notifications.models import EmailMode, Mute, Notification, Preference
from notifications.services import notify
from tests.factories import MemberFactory, PendingFactory, StaffFactory
from tests.notifications.factories import MembershipFactory


def test_notify_stores_one_row_per_recipient_without_the_actor(db, workspace_target, workspace, insider, fake_layer):
    others = [MemberFactory() for _ in range(3)]
    for person in others:
        MembershipFactory(workspace=workspace, user=person)
    rows = notify(
        recipients=[insider, *others],
        kind="workspace_announcement",
        target=workspace,
        actor=insider,
        workspace=workspace,
    )
    assert len(rows) == 3
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {p.pk for p in others}


def test_notify_skips_pending_and_deactivated_recipients(db, fake_layer):
    active, pending, gone = MemberFactory(), PendingFactory(), MemberFactory(is_active=False)
    notify(recipients=[active, pending, gone], kind="workspace_announcement")
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]


def test_notify_inserts_in_bulk(db, django_assert_max_num_queries, fake_layer):
    people = [MemberFactory() for _ in range(20)]
    # preferences + mutes (none: no target) + one INSERT, regardless of the number of recipients
    with django_assert_max_num_queries(4):
        notify(recipients=people, kind="workspace_announcement")
    assert Notification.objects.count() == 20


def test_push_happens_only_after_commit(db, fake_layer, django_capture_on_commit_callbacks):
    person = MemberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (row,) = notify(recipients=[person], kind="workspace_announcement")
    assert fake_layer.sent == []
    for callback in callbacks:
        callback()
    assert fake_layer.sent == [(f"user.{person.pk}", {"type": "notify.new", "ids": [row.pk]})]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_pushed_or_stored_when_the_transaction_rolls_back(fake_layer):
    person = MemberFactory()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify(recipients=[person], kind="workspace_announcement")
            raise RuntimeError("the caller's write failed")
    assert fake_layer.sent == []
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_push_goes_out_when_the_callers_transaction_commits(fake_layer):
    person = MemberFactory()
    with transaction.atomic():
        (row,) = notify(recipients=[person], kind="workspace_announcement")
        assert fake_layer.sent == []
    assert fake_layer.sent == [(f"user.{person.pk}", {"type": "notify.new", "ids": [row.pk]})]


# --- Flood control ------------------------------------------------------------------------------


def test_replies_in_one_thread_merge_into_one_unread_notification(db, workspace_target, workspace, insider, fake_layer):
    writers = [MemberFactory() for _ in range(3)]
    for writer in writers:
        notify(recipients=[insider], kind="forum_reply", target=workspace, actor=writer, merge_key="thread:7:reply")
    row = Notification.objects.get(recipient=insider)
    assert row.count == 3
    assert row.actor == writers[-1]
    from notifications.display import render

    (item,) = render(insider, [row])
    assert item.text == "3 neue Antworten in „Thüringer Präventionsketten“"


def test_merge_pushes_the_existing_id_again(db, fake_layer, django_capture_on_commit_callbacks):
    person = MemberFactory()
    (first,) = notify(recipients=[person], kind="forum_reply", merge_key="thread:1:reply")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], kind="forum_reply", merge_key="thread:1:reply")
    assert fake_layer.sent[-1] == (f"user.{person.pk}", {"type": "notify.new", "ids": [first.pk]})


def test_after_reading_a_new_reply_starts_a_new_notification(db, fake_layer):
    person = MemberFactory()
    notify(recipients=[person], kind="forum_reply", merge_key="thread:1:reply")
    services.mark_read(user=person)
    notify(recipients=[person], kind="forum_reply", merge_key="thread:1:reply")
    rows = list(Notification.objects.order_by("pk"))
    assert [(row.count, row.read_at is None) for row in rows] == [(1, False), (1, True)]


def test_merging_is_race_safe_when_another_transaction_inserted_first(db, fake_layer):
    """The partial unique constraint fires; the row is merged into instead of failing."""
    from django.utils import timezone

    person = MemberFactory()
    (existing,) = notify(recipients=[person], kind="forum_reply", merge_key="thread:9:reply")
    # What a concurrent notify() would try after its UPDATE found nothing yet:
    late = Notification(recipient=person, kind="forum_reply", merge_key="thread:9:reply")
    with transaction.atomic():
        created, merged = services._insert([late], "thread:9:reply", None, timezone.now())
    assert created == []
    assert merged == {person.pk: existing.pk}
    existing.refresh_from_db()
    assert existing.count == 2
    assert Notification.objects.count() == 1


def test_merged_digest_item_is_mailed_again_with_the_new_count(db, fake_layer):
    person = MemberFactory()
    (row,) = notify(recipients=[person], kind="forum_reply", merge_key="t:1")
    assert row.email_mode == EmailMode.DIGEST
    Notification.objects.filter(pk=row.pk).update(emailed_at=row.created_at)
    notify(recipients=[person], kind="forum_reply", merge_key="t:1")
    row.refresh_from_db()
    assert row.emailed_at is None and row.count == 2


# --- Preferences and mutes -----------------------------------------------------------------------


def test_kind_switched_off_stores_nothing(db, fake_layer):
    person = MemberFactory()
    services.save_preferences(user=person, choices={"workspace_announcement": (False, EmailMode.OFF)})
    assert notify(recipients=[person], kind="workspace_announcement") == []
    assert not Notification.objects.exists()


def test_portal_off_but_email_on_stores_a_hidden_row_that_is_mailed_not_pushed(
    db, fake_layer, django_capture_on_commit_callbacks
):
    person = MemberFactory()
    services.save_preferences(user=person, choices={"workspace_announcement": (False, EmailMode.IMMEDIATE)})
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = notify(recipients=[person], kind="workspace_announcement", data={"title": "Fachtag am 12.03."})
    assert row.in_portal is False
    assert fake_layer.sent == []
    assert services.unread_count(person) == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.emailed_at is not None


def test_default_preferences_are_used_without_a_choice(db, fake_layer):
    person = MemberFactory()
    (mention,) = notify(recipients=[person], kind="forum_mention")
    (reply,) = notify(recipients=[person], kind="forum_reply")
    assert (mention.in_portal, mention.email_mode) == (True, EmailMode.IMMEDIATE)
    assert (reply.in_portal, reply.email_mode) == (True, EmailMode.DIGEST)


def test_saving_the_default_removes_the_preference_row(db):
    person = MemberFactory()
    services.save_preferences(user=person, choices={"forum_reply": (True, EmailMode.OFF)})
    assert Preference.objects.filter(user=person).count() == 1
    services.save_preferences(user=person, choices={"forum_reply": (True, EmailMode.DIGEST)})
    assert not Preference.objects.filter(user=person).exists()


def test_muted_workspace_gets_no_notifications(db, workspace, insider, fake_layer):
    services.set_workspace_mutes(user=insider, workspaces=[workspace], allowed=[workspace])
    assert notify(recipients=[insider], kind="workspace_announcement", workspace=workspace) == []
    services.set_workspace_mutes(user=insider, workspaces=[], allowed=[workspace])
    assert len(notify(recipients=[insider], kind="workspace_announcement", workspace=workspace)) == 1


def test_muting_a_thread_through_its_notification(db, workspace_target, workspace, insider, fake_layer):
    (row,) = notify(recipients=[insider], kind="forum_reply", target=workspace, merge_key="t:1")
    services.mute_thread_of(user=insider, notification=row)
    assert Mute.objects.filter(user=insider).count() == 1
    assert notify(recipients=[insider], kind="forum_reply", target=workspace, merge_key="t:1") == []


def test_mute_of_something_invisible_is_404(db, workspace_target, workspace, fake_layer):
    from django.http import Http404

    outsider = MemberFactory()
    (row,) = notify(recipients=[outsider], kind="forum_reply", target=workspace)
    with pytest.raises(Http404):
        services.mute_thread_of(user=outsider, notification=row)


def test_registering_a_kind_twice_is_harmless_and_the_owner_wins():
    from notifications import registry

    saved = dict(registry._kinds)
    try:
        registry.register_kind("test_kind", "Owner label")
        registry.register_kind("test_kind", "Owner label")
        registry.register_default_kind("test_kind", "Fallback label")
        assert registry.kind("test_kind").label == "Owner label"
        with pytest.raises(ValueError):
            registry.register_kind("test_other", "x", default_channel="pigeon")
    finally:
        registry._kinds.clear()
        registry._kinds.update(saved)


def test_member_pending_notifies_active_staff_only(db, fake_layer):
    staff, former_staff = StaffFactory(), StaffFactory(is_active=False)
    MemberFactory()
    newcomer = PendingFactory(display_name="Nora Neu")
    services.notify_staff_of_pending_member(newcomer)
    row = Notification.objects.get()
    assert row.recipient == staff and row.kind == "member_pending"
    assert former_staff.notifications.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_merge_without_losing_any(fake_layer):
    """Several writers at once (threads, own connections): one unread row, every event counted."""
    import threading

    from django.db import connection

    person = MemberFactory()
    errors = []

    def writer():
        try:
            for _ in range(5):
                with transaction.atomic():
                    notify(recipients=[person], kind="forum_reply", merge_key="thread:42:reply")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    (row,) = Notification.objects.filter(recipient=person)
    assert row.count == 20


def test_kind_texts_are_translated_once_per_language_and_follow_a_new_registration():
    from notifications import registry

    with translation.override("de"):
        german = registry.kind_texts("forum_reply")
    with translation.override("en"):
        english = registry.kind_texts("forum_reply")
    assert german.label == "Antworten auf meine Beiträge und in Themen, denen ich folge"
    assert english.label == "Replies to my posts and in threads I follow"
    assert german.text_many and "%(count)s" in german.text_many
    with translation.override("de"):
        assert registry.kind_texts("forum_reply") is german  # kept, not translated again
    assert registry.kind_texts("no_such_kind") == registry.KindTexts(label="no_such_kind")

    saved = dict(registry._kinds)
    try:
        registry.register_kind("forum_reply", "Replaced label")
        assert registry.kind_texts("forum_reply").label == "Replaced label"
    finally:
        registry._kinds.clear()
        registry._kinds.update(saved)
        registry._translated.clear()
