"""The intake in the admin: upload an article, review what coopdash proposes, accept.

Staff who may add documents upload; anyone with view permission sees the review; only
staff who may add agreements (partners.add_agreement) accept a draft into the catalogue.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import documents, evidence, review
from .forms import UploadForm
from .models import Document
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
