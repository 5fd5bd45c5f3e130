"""Reverting and recovering from the admin's history, safely.

django-reversion's admin views revert a version by id alone: they never check that the version
belongs to the admin's model, so a user allowed to change only stages could revert or recover
an agreement through the stage admin; they check permissions only on that model, while a
revert rewrites every object of the revision and deletes the related objects added since; and
their preview reverts inside a transaction (holding SQLite's write lock while the page renders)
with every model signal muted for the whole process. See docs/SECURITY.md.

Here a version is looked up among this admin's model's versions only; `RevertPlan` works out,
reading only, what a revert would restore, re-create and delete, and the user needs the change,
add and delete permissions for all of it before anything is written; the preview shows that plan
without writing; and each revert or recovery is logged in the admin's log.
"""

from dataclasses import dataclass, field
from itertools import chain

import reversion
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.formats import localize
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.models import Version, _follow_relations_recursive


@dataclass
class Change:
    version: Version
    exists: bool  # the object exists now: restored (change); else re-created (add)
    fields: list = field(default_factory=list)  # (label, then, now) where they differ


@dataclass
class RevertPlan:
    """What reverting `version`'s revision would do, worked out without writing anything."""

    version: Version
    changes: list = field(default_factory=list)
    deletions: list = field(default_factory=list)  # objects added since, that would go

    @classmethod
    def of(cls, version):
        plan = cls(version)
        versions = list(version.revision.version_set.filter(db=version.db))
        present = []
        for item in versions:
            model = item._model
            current = model._default_manager.using(item.db).filter(pk=item.object_id).first()
            change = Change(item, exists=current is not None)
            if current is not None:
                present.append(current)
                change.fields = differences(item, current)
            plan.changes.append(change)
        # Mirrors reversion's Revision.revert(delete=True): the objects now related through the
        # followed relations that the revision does not hold are deleted, with what cascades.
        now = set(chain.from_iterable(_follow_relations_recursive(obj) for obj in present))
        added = [obj for obj in now if obj not in set(present)]
        if added:
            collector = Collector(using=version.db)
            collector.collect(added)
            plan.deletions = [obj for objs in collector.data.values() for obj in objs]
        return plan

    def permissions(self):
        """The permissions the revert needs, as (model, action) pairs."""
        needed = {(self.version._model, "change")}
        for change in self.changes:
            needed.add((change.version._model, "change" if change.exists else "add"))
        for obj in self.deletions:
            needed.add((type(obj), "delete"))
        return needed

    def missing(self, user):
        """The permissions `user` lacks for the revert, as readable names."""
        return sorted(
            f"{model._meta.verbose_name_plural}: {action}"
            for model, action in self.permissions()
            if not user.has_perm(
                f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"
            )
        )


def differences(version, current):
    """(field label, value in the version, value now) for each field that differs."""
    found = []
    for name, then in version.field_dict.items():
        model_field = current._meta.get_field(name)
        if model_field.is_relation and model_field.many_to_one:
            now = getattr(current, model_field.attname)
        elif model_field.many_to_many:
            now = [obj.pk for obj in getattr(current, name).all()]
            then = list(then)
        else:
            now = getattr(current, name)
        if then != now:
            found.append((model_field.verbose_name, then, now))
    return found


class HistoryAdmin(VersionAdmin):
    """VersionAdmin with its revert and recover views made safe (see the module doc)."""

    revert_template = "admin/partners/revert.html"

    def revision_view(self, request, object_id, version_id, extra_context=None):
        object_id = unquote(object_id)
        version = get_object_or_404(
            Version.objects.get_for_model(self.model), pk=version_id, object_id=object_id
        )
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return self.revert_view(request, version, recover=False)

    def recover_view(self, request, version_id, extra_context=None):
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return self.revert_view(request, version, recover=True)

    def revert_view(self, request, version, recover):
        plan = RevertPlan.of(version)
        missing = plan.missing(request.user)
        when = localize(template_localtime(version.revision.date_created))
        if request.method == "POST":
            if missing:
                raise PermissionDenied
            return self.revert(request, version, recover, when)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": (_("Recover %(name)s") if recover else _("Revert %(name)s"))
            % {"name": version.object_repr},
            "version": version,
            "when": when,
            "plan": plan,
            "missing": missing,
            "recover": recover,
        }
        return TemplateResponse(request, self.revert_template, context)

    def revert(self, request, version, recover, when):
        """Revert in one short transaction (signals on: the data revision moves, the revert
        is kept as a revision of its own) and log it."""
        comment = (
            _("Recovered from the version of %(when)s")
            if recover
            else _("Reverted to the version of %(when)s")
        ) % {"when": when}
        with transaction.atomic(using=router.db_for_write(self.model)):
            with reversion.create_revision():
                version.revision.revert(delete=True)
                reversion.set_user(request.user)
                reversion.set_comment(comment)
            obj = self.model._default_manager.get(pk=version.object_id)
            if recover:
                self.log_addition(request, obj, comment)
            else:
                self.log_change(request, obj, comment)
        messages.success(request, comment)
        opts = self.model._meta
        return redirect(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", quote(obj.pk)
        )
