"""Text as it comes in: from the admin, fixtures, articles and spreadsheets; and as it goes
out into spreadsheets and feeds."""

import re

# C0 control characters other than tab and line breaks, and DEL. A word processor's line tab
# (U+000B) or page break (U+000C) becomes a line break; the others are dropped.
BREAKS = re.compile("[\x0b\x0c]")
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")

# A spreadsheet program runs a cell that starts with one of these as a formula (OWASP, "CSV
# injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value):
    """`value` without control characters (line tabs and page breaks become line breaks)."""
    if not isinstance(value, str):
        return value
    return CONTROLS.sub("", BREAKS.sub("\n", value))


def neutralise_formula(value):
    """A text cell that cannot run as a formula: one that starts like a formula gets a
    leading apostrophe, which spreadsheet programs show as text (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore_formula_text(value):
    """The inverse of neutralise_formula, for a sheet coming back in."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def is_web_address(value):
    """Only http and https addresses are shown as links."""
    return isinstance(value, str) and re.match(r"https?://", value, re.IGNORECASE) is not None
