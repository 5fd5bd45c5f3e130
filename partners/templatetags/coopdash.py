from django import template
from django.urls import translate_url
from django.utils.formats import number_format

from partners.dates import format_partial

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This very page (with its query string) in another language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


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
def query(context, key, value=None):
    """The current query string with `key` set to `value` (or removed when None), starting
    again from the first page: facet, sort and remove links keep every other filter."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
