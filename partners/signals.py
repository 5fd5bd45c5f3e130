"""Keep the data revision (models.Revision) in step with every change to the data.

Every save and many-to-many change in partners moves it, once per transaction, when the
transaction commits: a bulk import of N agreements makes one update of the revision row at
its end, instead of about 10·N updates that would hold the row's lock (and every other
editor) until the commit. Outside a transaction the revision moves at once.

A receiver on `post_delete` would stop Django from deleting in bulk (it would load every
row to send the signal), so deletions call `schedule_bump()` where they happen: the admin's
delete views (admin.DataAdmin) and the synthetic data commands. Cached pages also expire
after CACHE_TIMEOUT as a last resort.
"""

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.signals import m2m_changed, post_migrate, post_save, pre_save

from .models import Revision
from .text import clean_text


def schedule_bump(using=DEFAULT_DB_ALIAS):
    """Move the revision when the current transaction commits (at once outside one)."""
    connection = connections[using]
    # The bump already due on this connection (connections are per thread). Django keeps
    # the callbacks due at commit in `run_on_commit` and drops those of a rolled-back
    # transaction or savepoint, so a bump that is no longer there is registered again.
    due = getattr(connection, "coopdash_bump_due", None)
    if due is not None and any(func is due for _ids, func, _robust in connection.run_on_commit):
        return

    def bump():
        connection.coopdash_bump_due = None
        Revision.bump(using)

    connection.coopdash_bump_due = bump
    # Robust: the data is committed by now; a failed bump must not turn a save into an
    # error page (the cached pages then age out after CACHE_TIMEOUT).
    transaction.on_commit(bump, using=using, robust=True)


def text_cleaned(sender, instance, **kwargs):
    """No control character (but tab and line breaks) is stored in any text of partners,
    whichever way it comes in: the admin, fixtures, the intake, a spreadsheet, the shell."""
    if sender._meta.app_label != "partners":
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            cleaned = clean_text(value)
            if cleaned != value:
                setattr(instance, field.attname, cleaned)


def data_changed(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender._meta.app_label == "partners" and sender is not Revision:
        schedule_bump(using)


def relations_changed(sender, action, using=DEFAULT_DB_ALIAS, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        schedule_bump(using)


def migrated(sender, using, **kwargs):
    """A deploy runs migrate: start from a new revision, so no page from the old code
    is served from a shared cache."""
    if Revision._meta.db_table in connections[using].introspection.table_names():
        Revision.bump(using)


def connect(app_config):
    pre_save.connect(text_cleaned, dispatch_uid="partners-clean-text")
    post_save.connect(data_changed, dispatch_uid="partners-revision-save")
    for model in app_config.get_models():
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                relations_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"partners-revision-{model._meta.model_name}-{field.name}",
            )
    post_migrate.connect(migrated, sender=app_config, dispatch_uid="partners-revision-migrate")
