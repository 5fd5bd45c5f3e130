"""Records carry their texts in English and Korean (`title_en`, `title_ko`).

`Bilingual` reads the one in the active language and falls back to the other, so a
template writes `{{ agreement.title }}` and shows Korean readers Korean wherever we have it.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language


def active_language():
    return "ko" if (get_language() or "en").startswith("ko") else "en"


def other_language():
    return "en" if active_language() == "ko" else "ko"


class Bilingual:
    """A read-only attribute for the `<name>_en` / `<name>_ko` pair.

    `other=True` gives the text in the language that is not active, for showing the
    original beside the translation; it is empty when it would repeat the first.
    """

    def __init__(self, field=None, other=False):
        self.field = field
        self.other = other

    def __set_name__(self, owner, name):
        if self.field is None:
            self.field = name.removesuffix("_other")
        english, korean = f"{self.field}_en", f"{self.field}_ko"
        # The attribute to read first, then the other, in each active language.
        self.order = {"en": (english, korean), "ko": (korean, english)}

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        first, second = self.order[active_language()]
        first, second = getattr(obj, first, ""), getattr(obj, second, "")
        if self.other:
            return second if first and second != first else ""
        return first or second


@lru_cache(maxsize=8192)
def _reversed(viewname, args, language, prefix):
    return reverse(viewname, args=args)


def localized_reverse(viewname, *args):
    """reverse(), remembered per language: the URL patterns do not change while the process
    runs, and a list of agreements links some two hundred countries, minerals and pages."""
    return _reversed(viewname, args, get_language(), get_script_prefix())
