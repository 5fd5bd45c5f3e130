from urllib.parse import urlencode

from django import template
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from partners.dates import format_partial
from partners.filters import canonical
from partners.i18n import localized_reverse
from partners.text import is_web_address

register = template.Library()


@register.simple_tag
def agreement_row(agreement):
    """One row of a list of agreements (`includes/agreement_rows.html`): its date, kind and
    status, its title in both languages, the countries it involves and the minerals it names
    (as `for_list()` reads them). Written in Python: through the template language, the rows
    took a third of the list page's time."""
    date = escape(agreement.date_display)
    uncertain = ""
    if agreement.date_confidence != "high":
        uncertain = (
            f' <span class="uncertain" title="{escape(agreement.date_note)}">'
            f"({escape(agreement.get_date_confidence_display())})</span>"
        )
    status = escape(agreement.status)
    other = ""
    if agreement.title_other:
        language = "en" if get_language() == "ko" else "ko"
        other = f'<p class="other" lang="{language}">{escape(agreement.title_other)}</p>'
    tags = [
        f'<a class="tag country" href="{escape(c.get_absolute_url())}">{escape(c.name)}</a> '
        for c in agreement.partner_countries
    ] + [
        f'<a class="tag mineral" href="{escape(m.get_absolute_url())}">{escape(m.name)}</a> '
        for m in agreement.listed_minerals
    ]
    return mark_safe(
        f'<li class="agreement kind-{escape(agreement.kind)}">'
        f'<p class="meta"><time datetime="{date}">{date}</time>{uncertain}'
        f" · {escape(agreement.get_kind_display())} · "
        f'<span class="status status-{status}">{escape(agreement.get_status_display())}</span>'
        "</p>"
        f'<h3><a href="{escape(agreement.get_absolute_url())}">{escape(agreement.title)}</a></h3>'
        f'{other}<p class="tags">{"".join(tags)}</p></li>'
    )


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This very page (with its query string) in another language."""
    request = context["request"]
    # One leading slash: "//evil.example/en/" is a path here, but a link to another site in
    # a browser.
    path = "/" + request.get_full_path().lstrip("/\\")
    return translate_url(path, language)


@register.filter
def partial(value, precision):
    """A date at its precision: 2023, 2023-11 or 2023-11-30."""
    return format_partial(value, precision)


@register.filter
def figure(value):
    """A key figure's value without trailing zeros, grouped by thousands."""
    if value is None:
        return ""
    normal = value.normalize()
    places = max(0, -normal.as_tuple().exponent)
    return number_format(normal, decimal_pos=places, force_grouping=True)


@register.simple_tag(takes_context=True)
def selection_url(context, view_name, selection=None, key=None, value=None):
    """The URL of `view_name` (this page when empty) showing `selection` — a mapping such as
    a hub's own filter, or the request's query when None — in its canonical form, with
    `key` set to `value` (replacing it, never adding a second) or removed when `value` is
    empty. Starts again from the first page. Facet, hub, sort and remove links use it."""
    request = context["request"]
    if selection is None:
        # A facet list asks some sixty times per page: read the query string once.
        if not hasattr(request, "canonical_selection"):
            request.canonical_selection = canonical(request.GET)
        params = dict(request.canonical_selection)
    else:
        params = canonical(selection)
    params.pop("page", None)
    if key:
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    url = localized_reverse(view_name) if view_name else request.path
    return f"{url}?{urlencode(params)}" if params else url


@register.filter
def verbose_name(obj):
    """A record's kind, as its model names it: "party", "source of an agreement"."""
    return obj._meta.verbose_name


@register.filter
def web_address(value):
    """`value` if it is an http(s) address, else "": a javascript: or data: address that
    reached the database some other way is never rendered as a link."""
    return value if is_web_address(value) else ""
