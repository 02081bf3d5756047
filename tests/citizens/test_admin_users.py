from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory


def test_staff_who_may_only_view_users_see_the_password_summary(client, db):
    viewer = UserFactory(email="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    member = UserFactory(email="member@example.org")
    client.force_login(viewer)

    response = client.get(reverse("admin:citizens_user_change", args=[member.pk]))

    assert response.status_code == 200
    assert "<strong>algorithm</strong>" in response.content.decode()
