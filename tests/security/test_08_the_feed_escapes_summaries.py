"""Finding 8 (low): the Atom feed marked plain-text summaries as HTML, so feed readers
rendered an editor's markup. Now the summary goes escaped: readers show it as typed."""

import xml.etree.ElementTree as ET

import pytest

from tests.helpers import body

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_markup_in_a_summary_reaches_readers_as_text(client, canada_mou):
    canada_mou.summary_en = 'Signed <b>zqxj</b><img src=x onerror="alert(1)">'
    canada_mou.save()
    feed = ET.fromstring(body(client.get("/en/agreements.atom")))
    summaries = [e.find(f"{ATOM}summary") for e in feed.iter(f"{ATOM}entry")]
    (summary,) = [s for s in summaries if "zqxj" in s.text]
    assert summary.get("type") == "html"
    # What a reader renders as HTML is the escaped text: no element survives.
    assert "<b>" not in summary.text and "&lt;b&gt;zqxj&lt;/b&gt;" in summary.text
    assert "<img" not in summary.text
