import pytest

from pages.models import AccessibilityFeedback
from pages.views import FEEDBACK_LIMIT
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Der Kalender lässt sich mit der Tastatur nicht bedienen."


def test_visitor_reports_a_barrier_and_staff_get_an_email(client, mailoutbox, django_capture_on_commit_callbacks):
    staff = StaffFactory(email="geschaeftsstelle@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/barrierefreiheit/", {"message": MESSAGE, "page_url": "/dates/", "email": "besuch@example.org"}
        )
    assert response.status_code == 302 and response["Location"].endswith("/barrierefreiheit/#feedback")
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == MESSAGE and feedback.user is None and feedback.page_url == "/dates/"
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [staff.email]
    assert "Barrierefreiheit" in mail.subject
    assert MESSAGE in mail.body and "besuch@example.org" in mail.body
    html = client.get(response["Location"]).content.decode()
    assert "Vielen Dank" in html


def test_member_report_is_linked_to_the_member(member_client):
    member_client.post("/barrierefreiheit/", {"message": MESSAGE})
    assert AccessibilityFeedback.objects.get().user == member_client.user


def test_bad_input_gives_clear_german_messages_and_stores_nothing(client, mailoutbox):
    response = client.post("/barrierefreiheit/", {"message": "kurz", "email": "keine-adresse"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "mindestens 10 Zeichen" in html
    assert "gültige E-Mail-Adresse" in html
    assert not AccessibilityFeedback.objects.exists()
    assert mailoutbox == []


def test_empty_message_is_refused(client):
    response = client.post("/barrierefreiheit/", {"message": ""})
    assert response.status_code == 400
    assert "Bitte beschreiben Sie die Barriere" in response.content.decode()


def test_feedback_is_rate_limited(client):
    for _ in range(FEEDBACK_LIMIT):
        assert client.post("/barrierefreiheit/", {"message": MESSAGE}).status_code == 302
    response = client.post("/barrierefreiheit/", {"message": MESSAGE})
    assert response.status_code == 429
    assert "in einer Stunde" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == FEEDBACK_LIMIT


def test_feedback_needs_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/barrierefreiheit/", {"message": MESSAGE}).status_code == 403
    assert not AccessibilityFeedback.objects.exists()


def test_honeypot_submissions_are_dropped(client, mailoutbox):
    response = client.post("/barrierefreiheit/", {"message": MESSAGE, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not AccessibilityFeedback.objects.exists()
