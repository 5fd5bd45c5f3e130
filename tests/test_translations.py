"""The Korean interface is complete, and the compiled catalogue matches its source."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "ko" / "LC_MESSAGES" / "django.po"


def entries():
    """(context, msgid, msgstr) of the singular entries of django.po."""
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            yield fields


def unescape(value):
    return value.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def test_every_interface_string_has_a_korean_translation():
    missing = [e["msgid"] for e in entries() if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert missing == []
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_compiled_catalogue_is_up_to_date():
    with translation.override("ko"):
        for entry in entries():
            if "msgid_plural" in entry:
                continue
            msgid, msgstr = unescape(entry["msgid"]), unescape(entry["msgstr"])
            if "msgctxt" in entry:
                got = translation.pgettext(unescape(entry["msgctxt"]), msgid)
            else:
                got = translation.gettext(msgid)
            assert got == msgstr, msgid
