"""CSV, JSON, XLSX and Atom views of a selection: the same rows the list shows, in a stable
order."""

import csv
import json

from django.contrib.syndication.views import Feed
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import workbook
from .filters import selection
from .models import HOME, Country, Institution, Mineral, Revision, Source, Stage, involved
from .sql import split_joined
from .text import clean_text, neutralise_formula

COLUMNS = [
    "slug",
    "title_en",
    "title_ko",
    "kind",
    "status",
    "date",
    "date_precision",
    "date_confidence",
    "start",
    "end",
    "country",
    "city_en",
    "city_ko",
    "partner_countries",
    "parties",
    "minerals",
    "stages",
    "sources",
    "url",
]


class ExportLookups:
    """Names and codes for the ids in `for_export()`'s joined columns: every country,
    mineral and stage, and the institutions and sources, loaded once per export (reference
    tables, far smaller than the agreements)."""

    def __init__(self):
        def table(model, *fields):
            return {pk: tuple(rest) for pk, *rest in model.objects.values_list("pk", *fields)}

        self.countries = table(Country, "code", "name_en")
        self.institutions = table(Institution, "name_en", "country_id")
        self.minerals = table(Mineral, "name_en", "slug")
        self.stages = table(Stage, "order", "slug")
        self.sources = {
            pk: (published.isoformat() if published else "", url or slug)
            for pk, (published, url, slug) in table(Source, "published", "url", "slug").items()
        }

    def lists(self, agreement):
        """{parties, partner_countries, minerals, stages, sources} of one exported row."""
        parties, homes = [], []
        for item in split_joined(agreement.export_parties):
            institution, country, role = item.split(":")
            if institution:
                name, country_id = self.institutions[int(institution)]
            else:
                country_id = int(country)
                name = self.countries[country_id][1]
            parties.append(f"{name} ({role})")
            homes.append(country_id)
        minerals = sorted(self.minerals[int(pk)] for pk in split_joined(agreement.export_minerals))
        stages = sorted(self.stages[int(pk)] for pk in split_joined(agreement.export_stages))
        # Sources by publication date (undated first), then in the order they were linked.
        sources = sorted(
            (self.sources[int(pk)] for pk in split_joined(agreement.export_sources)),
            key=lambda source: source[0],
        )
        countries = sorted(
            (self.countries[pk] for pk in involved(agreement.country_id, homes)),
            key=lambda country: (country[1], country[0]),
        )
        return {
            "parties": parties,
            "partner_countries": [code for code, _name in countries if code != HOME],
            "minerals": [slug for _name, slug in minerals],
            "stages": [slug for _order, slug in stages],
            "sources": [value for _published, value in sources],
        }


def row(agreement, request, lookups):
    """One agreement as export columns, from `for_export()` and its `ExportLookups`."""
    values = {
        "slug": agreement.slug,
        "title_en": agreement.title_en,
        "title_ko": agreement.title_ko,
        "kind": agreement.kind,
        "status": agreement.status,
        "date": agreement.date_display,
        "date_precision": agreement.date_precision,
        "date_confidence": agreement.date_confidence,
        "start": agreement.start_display,
        "end": agreement.end_display,
        "country": agreement.country.code if agreement.country_id else "",
        "city_en": agreement.city_en,
        "city_ko": agreement.city_ko,
        "url": request.build_absolute_uri(agreement.get_absolute_url()),
        **lookups.lists(agreement),
    }
    return {column: values[column] for column in COLUMNS}


def rows(request, agreements):
    lookups = ExportLookups()
    for agreement in agreements.for_export().iterator(chunk_size=500):
        yield row(agreement, request, lookups)


def refused(filterset):
    """A selection the filter refuses: 400 with the errors, in every export format."""
    if filterset.is_bound and not filterset.is_valid():
        return filterset.form.errors.get_json_data()
    return None


def invalid_as_text(errors):
    """The errors of a refused selection as plain text, one "field: message" a line."""
    lines = [f"{field}: {error['message']}" for field, items in errors.items() for error in items]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


class Echo:
    def write(self, value):
        return value


def export_csv(request):
    """UTF-8 with a byte-order mark, so spreadsheet programs read Korean correctly."""
    filterset, agreements = selection(request)
    if errors := refused(filterset):
        return invalid_as_text(errors)
    writer = csv.writer(Echo())

    def lines():
        yield "\ufeff" + writer.writerow(COLUMNS)
        for record in rows(request, agreements):
            yield writer.writerow(
                neutralise_formula("; ".join(v) if isinstance(v, list) else v)
                for v in (record[c] for c in COLUMNS)
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coopdash-agreements.csv"'
    return response


def export_json(request):
    """The selection as one JSON document, streamed record by record so that a large
    export never sits in memory whole; the count comes last, once it is known."""
    filterset, agreements = selection(request)
    if errors := refused(filterset):
        return JsonResponse({"errors": errors}, status=400)

    def dump(value):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)

    def chunks():
        head = {
            "generated": timezone.now().isoformat(timespec="seconds"),
            "query": request.GET.urlencode(),
            "columns": COLUMNS,
        }
        yield "{" + ", ".join(f"{dump(k)}: {dump(v)}" for k, v in head.items())
        yield ', "agreements": ['
        count = 0
        for record in rows(request, agreements):
            yield ("," if count else "") + "\n " + dump(record)
            count += 1
        yield f'\n], "count": {count}}}\n'

    return StreamingHttpResponse(chunks(), content_type="application/json")


def export_xlsx(request):
    """The selection as an Excel workbook (workbook.py): the CSV's columns on the first
    sheet, what was selected and how to read it on the second, in the reader's language."""
    filterset, agreements = selection(request)
    if errors := refused(filterset):
        return invalid_as_text(errors)
    revision = Revision.read()
    query = request.GET.urlencode()
    about = [
        (_("coopdash"), _("Korea's critical-mineral partnerships")),
        (_("selection"), query or _("every agreement")),
        (
            _("list of this selection"),
            request.build_absolute_uri(reverse("partners:list") + (f"?{query}" if query else "")),
        ),
        (_("exported"), timezone.localtime().isoformat(timespec="seconds")),
        (_("data revision"), revision.token),
        (
            _("data last updated"),
            timezone.localtime(revision.changed_at).isoformat(timespec="seconds"),
        ),
        (
            _("several values"),
            _(
                "A cell with several values separates them with a semicolon and a space "
                "(“; ”). A party is a name followed by its role in brackets."
            ),
        ),
        (_("dates"), _("Dates are text at their precision: 2023, 2023-11 or 2023-11-30.")),
        *((column, str(workbook.MEANINGS[column])) for column in COLUMNS),
    ]
    out = workbook.spooled()
    workbook.write(COLUMNS, rows(request, agreements), about, out)
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename="coopdash-agreements.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class AgreementFeed(Feed):
    feed_type = Atom1Feed
    limit = 30

    def __call__(self, request, *args, **kwargs):
        filterset, agreements = selection(request)
        if errors := refused(filterset):
            return invalid_as_text(errors)
        return super().__call__(request, *args, agreements=agreements, **kwargs)

    def get_object(self, request, agreements):
        return agreements

    def title(self, obj):
        return _("coopdash: Korea's critical-mineral partnerships")

    def link(self, obj):
        return reverse("partners:list")

    def subtitle(self, obj):
        return _("The newest agreements in the selection")

    def items(self, obj):
        return obj.order_by("-date", "slug")[: self.limit]  # each entry reads only its own row

    def item_title(self, item):
        return clean_text(f"{item.date_display} · {item.title}")

    def item_description(self, item):
        # Atom marks the summary as HTML; ours is plain text, so it goes escaped: a feed
        # reader shows an editor's "<b>" as typed, never as markup. Control characters
        # would make the XML invalid; they never reach the database (signals.text_cleaned),
        # and are dropped here too for records saved before that rule.
        return escape(clean_text(item.summary))

    def item_pubdate(self, item):
        return item.updated_at

    def item_updateddate(self, item):
        return item.updated_at
