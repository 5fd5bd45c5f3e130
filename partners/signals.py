"""Keep the data revision (models.Revision) in step with every change to the data.

A receiver on `post_delete` would stop Django from deleting in bulk (it would load every row
to send the signal), so deletions are covered where they happen instead: the admin's
delete views (admin.RevisionAdminMixin), the synthetic data commands, and `bump()` for
scripts. Cached pages also expire after CACHE_TIMEOUT as a last resort.
"""

from django.db.models.signals import m2m_changed, post_migrate, post_save


def data_changed(sender, **kwargs):
    if sender._meta.app_label == "partners" and sender._meta.model_name != "revision":
        from .models import Revision

        Revision.bump()


def relations_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        from .models import Revision

        Revision.bump()


def migrated(sender, using, **kwargs):
    """A deploy runs migrate: start from a new revision, so no page from the old code
    is served from a shared cache."""
    from django.db import connections

    from .models import Revision

    if Revision._meta.db_table in connections[using].introspection.table_names():
        Revision.bump(using)


def connect(app_config):
    post_save.connect(data_changed, dispatch_uid="partners-revision-save")
    for model in app_config.get_models():
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                relations_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"partners-revision-{model._meta.model_name}-{field.name}",
            )
    post_migrate.connect(migrated, sender=app_config, dispatch_uid="partners-revision-migrate")
