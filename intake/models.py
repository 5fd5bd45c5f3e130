"""Articles an admin hands to coopdash, and what coopdash proposes from them.

Everything here stays in intake's tables: no public page, export, page cache or
`dumpdata partners` sees a document, its text or its draft. Only an admin's acceptance
writes into the catalogue (partners.services.record_agreement), and the document then
links to the agreement it produced or was added to.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]


class Document(models.Model):
    class Format(models.TextChoices):
        PASTED = "paste", _("pasted text")
        TEXT = "txt", _("text file")
        HTML = "html", _("HTML page")
        PDF = "pdf", _("PDF")

    text = models.TextField(
        _("article text"),
        help_text=_(
            "The article as read: navigation, comments and lists of other headlines removed."
        ),
    )
    digest = models.CharField(
        _("fingerprint"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the normalised text: the same article is one document."),
    )
    format = models.CharField(_("read from"), max_length=5, choices=Format.choices)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    headline = models.CharField(
        _("headline"),
        max_length=500,
        blank=True,
        help_text=_("As the page gives it; for finding the document here, never published."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    removed = models.PositiveIntegerField(
        _("lines removed"),
        default=0,
        help_text=_("Lines of navigation, comments and other headlines dropped when reading."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    # The outcome. related_name="+": the catalogue knows nothing of intake.
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The agreement this document produced, or was added to as a source."),
    )
    source = models.ForeignKey(
        "partners.Source",
        verbose_name=_("source record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        name = self.headline or self.filename or _("pasted text")
        return f"#{self.pk} {name}"

    def get_absolute_url(self):
        return reverse("admin:intake_document_review", args=[self.pk])

    @property
    def is_accepted(self):
        return self.accepted_at is not None


class Draft(models.Model):
    """What coopdash proposes from one document: the proposal of `manage.py intake extract`
    (docs/INTAKE.md), each value with the sentence it came from and a confidence."""

    document = models.OneToOneField(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="draft"
    )
    proposal = models.JSONField(_("proposal"))
    decisions = models.JSONField(
        _("decisions"),
        default=dict,
        blank=True,
        help_text=_("Per proposed field, whether the admin accepted, corrected or declined it."),
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self):
        return str(self.document)


class SheetImport(models.Model):
    """A spreadsheet uploaded for import, kept between its preview and the admin's
    confirmation (never shown outside the admin, nor exported); the file is emptied once
    imported, and an upload left unconfirmed is removed after a day."""

    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    outcome = models.JSONField(
        _("outcome"), default=dict, blank=True, help_text=_("Rows saved, by what they did.")
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("admin:intake_sheetimport_preview", args=[self.pk])

    @property
    def is_imported(self):
        return self.imported_at is not None
