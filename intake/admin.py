"""The intake in the admin: upload an article, review what coopdash proposes, accept; and
import a spreadsheet of agreements through a preview.

Staff who may add documents upload; anyone with view permission sees the review; only
staff who may add agreements (partners.add_agreement) accept a draft into the catalogue.
Only staff who may change agreements (partners.change_agreement) import a sheet; its new
rows need partners.add_agreement, its new institutions partners.add_institution.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Country

from . import documents, evidence, importing, review, sheets
from .forms import ConfirmImportForm, SheetUploadForm, UploadForm, proposal_forms
from .models import Document, SheetImport
from .reading import Unreadable


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "language", "published", "uploaded_at", "outcome"]
    list_filter = ["language", "format"]
    search_fields = ["headline", "filename", "publisher", "url"]
    list_select_related = ["agreement"]

    def get_urls(self):
        review_url = path(
            "<int:pk>/review/",
            self.admin_site.admin_view(self.review_view),
            name="intake_document_review",
        )
        return [review_url, *super().get_urls()]

    @admin.display(description=gettext_lazy("outcome"))
    def outcome(self, document):
        if document.agreement_id is None:
            return _("draft to review")
        url = reverse("admin:partners_agreement_change", args=[document.agreement_id])
        return format_html('<a href="{}">{}</a>', url, document.agreement)

    def has_change_permission(self, request, obj=None):
        return False  # a document is reviewed, never edited

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404
        return redirect("admin:intake_document_review", pk=object_id)

    def add_view(self, request, form_url="", extra_context=None):
        """Upload or paste an article; the same article twice is one document."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                return self.take_in(request, documents.read(form.cleaned_data))
            except Unreadable as error:
                form.add_error(None, str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add an article"),
            "form": form,
        }
        return TemplateResponse(request, "admin/intake/document/upload.html", context)

    def take_in(self, request, reading):
        existing = documents.already(reading)
        if existing is None:
            try:
                document = documents.propose(reading, request.user)
            except IntegrityError:  # the same article, uploaded at the same moment
                existing = documents.already(reading)
            else:
                messages.success(request, _("Read. Review what coopdash proposes."))
                return redirect(document)
        message = _("This article was uploaded before, as document #%(pk)d.")
        messages.info(request, message % {"pk": existing.pk})
        return redirect(existing)

    def review_view(self, request, pk):
        document = get_object_or_404(Document.objects.select_related("draft"), pk=pk)
        if not self.has_view_permission(request, document):
            raise PermissionDenied
        may_accept = request.user.has_perm("partners.add_agreement") and not document.is_accepted
        posted = request.POST if request.method == "POST" else None
        if posted is not None and not may_accept:
            raise PermissionDenied
        draft = review.build(document, posted)
        if posted is not None and draft.is_valid(document.text):
            if not self.may_create_institutions(request, draft):
                draft.errors.append(_("You may not add institutions: decline the new ones."))
            elif (agreement := review.accept(document, draft, request.user)) is not None:
                messages.success(
                    request, _("Saved “%(title)s” from this article.") % {"title": agreement}
                )
                return redirect("admin:partners_agreement_change", agreement.pk)
        parts, anchors = evidence.marked(document.text, document.draft.proposal)
        review.annotate(draft, document.draft.proposal, anchors)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review document #%(pk)d") % {"pk": document.pk},
            "document": document,
            "proposal": document.draft.proposal,
            "parts": parts,
            "anchors": anchors,
            "review": draft,
            "may_accept": may_accept,
        }
        return TemplateResponse(request, "admin/intake/document/review.html", context)

    @staticmethod
    def may_create_institutions(request, draft):
        creating = not draft.adding_source and review.included(draft.new_institutions)
        return not creating or request.user.has_perm("partners.add_institution")


@admin.register(SheetImport)
class SheetImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "uploaded_at", "imported_at", "outcome"]
    fields = list_display

    def get_urls(self):
        preview = path(
            "<int:pk>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="intake_sheetimport_preview",
        )
        return [preview, *super().get_urls()]

    def get_queryset(self, request):
        # Each admin sees the sheets they uploaded (a superuser sees all).
        queryset = super().get_queryset(request).defer("data")
        return queryset if request.user.is_superuser else queryset.filter(uploaded_by=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm("partners.change_agreement")

    has_view_permission = has_add_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )

    def has_change_permission(self, request, obj=None):
        return False  # an upload is previewed and confirmed, never edited

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not object_id.isdigit():
            raise Http404
        return redirect("admin:intake_sheetimport_preview", pk=object_id)

    def add_view(self, request, form_url="", extra_context=None):
        """Upload a sheet: read it at once (a file that is no sheet is refused here), keep
        it for the preview."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SheetUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                sheets.read(data)
            except sheets.Unreadable as error:
                form.add_error("file", str(error))
            else:
                stale = timezone.now() - timedelta(days=1)
                SheetImport.objects.filter(imported_at=None, uploaded_at__lt=stale).delete()
                upload = SheetImport.objects.create(
                    filename=upload.name[:255], data=data, uploaded_by=request.user
                )
                return redirect(upload)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a spreadsheet of agreements"),
            "form": form,
        }
        return TemplateResponse(request, "admin/intake/sheetimport/upload.html", context)

    def preview_view(self, request, pk):
        upload = get_object_or_404(self.get_queryset(request).defer(None), pk=pk)
        if not self.has_view_permission(request):
            raise PermissionDenied
        if upload.is_imported:
            return self.render_preview(request, upload, None, None, None)
        posted = request.POST if request.method == "POST" else None
        try:
            sheet = sheets.read(bytes(upload.data))
            plan = importing.plan(sheet, user=request.user)
            codes = dict(Country.objects.values_list("pk", "code"))
            proposals = proposal_forms(plan.proposals, codes, posted)
            if posted is not None:
                decisions = decided(proposals, {code: pk for pk, code in codes.items()})
                plan = importing.plan(sheet, user=request.user, decisions=decisions)
        except (sheets.Unreadable, importing.MissingColumns) as error:
            messages.error(request, str(error))
            return redirect("admin:intake_sheetimport_add")
        confirm = ConfirmImportForm(posted, initial={"fingerprint": plan.fingerprint})
        if (
            posted is not None
            and confirm.is_valid()
            and (done := self.confirm(request, upload, plan, proposals, confirm)) is not None
        ):
            return done
        return self.render_preview(request, upload, plan, proposals, confirm)

    def confirm(self, request, upload, plan, proposals, confirm):
        """Save the plan the admin saw, if it is still the plan and may be saved."""
        if confirm.cleaned_data["fingerprint"] != plan.fingerprint:
            messages.warning(
                request,
                _("The catalogue or your choices changed what the import does: check again."),
            )
            return None
        if any(form.data.get(form.add_prefix("include")) and form.errors for form in proposals):
            messages.error(request, _("Nothing was saved: complete the new institutions."))
            return None
        if plan.count(importing.ERROR) and not confirm.cleaned_data["only_valid"]:
            messages.error(request, _("Nothing was saved: some rows are in error."))
            return None
        fields = {
            form.proposal.key: institution_fields(form)
            for form in proposals
            if form.proposal.include
        }
        try:
            saved = importing.save(
                plan,
                user=request.user,
                filename=upload.filename,
                proposals_fields=fields,
                only_valid=True,
            )
        except importing.ImportFailed as failed:
            messages.error(
                request,
                _("Nothing was saved: row %(row)d: %(error)s")
                % {"row": failed.row.number, "error": "; ".join(flat(failed.error))},
            )
            return None
        upload.data = b""
        upload.imported_at = timezone.now()
        upload.outcome = {
            **saved,
            "unchanged": plan.count(importing.UNCHANGED),
            "skipped": plan.count(importing.ERROR),
        }
        upload.save()
        messages.success(
            request,
            _(
                "Imported “%(file)s”: %(new)d new, %(changed)d changed, %(unchanged)d "
                "unchanged, %(skipped)d rows in error left out."
            )
            % {"file": upload.filename, **upload.outcome},
        )
        return redirect("admin:partners_agreement_changelist")

    def render_preview(self, request, upload, plan, proposals, confirm):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import “%(file)s”") % {"file": upload.filename},
            "upload": upload,
            "plan": plan,
            "proposals": proposals,
            "confirm": confirm,
            "may_add_institutions": request.user.has_perm("partners.add_institution"),
        }
        return TemplateResponse(request, "admin/intake/sheetimport/preview.html", context)


def decided(forms_, country_pks):
    """{proposal key: (include, country pk)} from the new-institution forms."""
    decisions = {}
    for form in forms_:
        include = bool(form.is_valid() and form.cleaned_data.get("include"))
        country = country_pks.get(form.cleaned_data.get("country")) if include else None
        decisions[form.proposal.key] = (include, country)
    return decisions


def institution_fields(form):
    data = form.cleaned_data
    return {
        "slug": data["slug"],
        "name_en": data["name_en"],
        "name_ko": data["name_ko"],
        "acronym": data["acronym"],
        "kind": data["kind"],
        "country": data["country"] or None,
    }


def flat(error):
    if hasattr(error, "message_dict"):
        return [f"{key}: {' '.join(value)}" for key, value in error.message_dict.items()]
    return error.messages
