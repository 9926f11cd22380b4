from notifications import demo
from notifications.models import Notification
from tests.factories import PendingFactory, StaffFactory


def test_demo_seed_notifies_staff_of_the_demo_sign_up_once(db, fake_layer):
    staff = StaffFactory()
    PendingFactory(email="neu@demo.sozialplanung.de")
    demo.seed()
    demo.seed()
    assert Notification.objects.filter(recipient=staff, kind="member_pending").count() == 1
