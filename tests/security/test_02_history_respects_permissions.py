"""Finding 2 (high): a staff user allowed to change one model could revert or recover any
record through django-reversion's history and recover views.

The review, allowed to change only stages, posted an agreement's version to the stage admin's
history view (reverting the agreement and deleting a party added since) and to its recover
view (bringing back a deleted agreement), with no log entry. Now the version must be of the
admin's model, the user needs every permission the revert needs, and reverts are logged.
"""

import pytest
import reversion
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from partners.models import Agreement, Party, Stage

pytestmark = pytest.mark.django_db


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("limited", "l@example.org", "pw", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def versioned(kigam):
    """An agreement whose id is also a stage's, with a version, and a party added since."""
    agreement = Agreement.objects.filter(pk__in=Stage.objects.values("pk")).first()
    with reversion.create_revision():
        agreement.save()
    version = reversion.models.Version.objects.get_for_object(agreement).first()
    added = Party.objects.create(agreement=agreement, institution=kigam, role="witness")
    return agreement, version, added


def test_a_stage_editor_cannot_revert_an_agreement_through_the_stage_admin(
    django_user_model, versioned
):
    agreement, version, added = versioned
    client = staff_with(django_user_model, "change_stage", "view_stage")
    url = reverse("admin:partners_stage_revision", args=[agreement.pk, version.pk])
    assert client.post(url).status_code == 404
    assert Party.objects.filter(pk=added.pk).exists()  # nothing was reverted
    assert client.get(url).status_code == 404


def test_a_stage_editor_cannot_recover_a_deleted_agreement(django_user_model, versioned):
    agreement, version, _added = versioned
    slug = agreement.slug
    agreement.delete()
    client = staff_with(django_user_model, "change_stage", "view_stage", "add_stage")
    url = reverse("admin:partners_stage_recover", args=[version.pk])
    assert client.post(url).status_code == 404
    assert not Agreement.objects.filter(slug=slug).exists()


def test_reverting_needs_every_permission_the_revert_needs(django_user_model, versioned):
    """Changing agreements is not enough to delete the party a revert would delete."""
    agreement, version, added = versioned
    client = staff_with(django_user_model, "change_agreement", "view_agreement")
    url = reverse("admin:partners_agreement_revision", args=[agreement.pk, version.pk])
    preview = client.get(url)
    assert preview.status_code == 200
    assert "parties: delete" in preview.content.decode()
    assert client.post(url).status_code == 403
    assert Party.objects.filter(pk=added.pk).exists()


def test_a_revert_by_someone_allowed_is_done_and_logged(staff_client, versioned):
    agreement, version, added = versioned
    url = reverse("admin:partners_agreement_revision", args=[agreement.pk, version.pk])
    assert staff_client.post(url).status_code == 302
    assert not Party.objects.filter(pk=added.pk).exists()
    entry = LogEntry.objects.filter(object_id=str(agreement.pk), action_flag=CHANGE).latest(
        "action_time"
    )
    assert "Reverted to the version of" in entry.get_change_message()
