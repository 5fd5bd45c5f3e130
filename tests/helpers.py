"""Helpers shared by the intake tests: reading the written cases, and posting the review."""

import datetime
import json

from intake.extraction import extract
from intake.reading import read_upload
from tests.conftest import CASES

FORMSETS = ["parties", "new_institutions", "minerals", "milestones", "figures", "places"]


def case(name):
    """(article text, expected proposal) of a case written for the tests."""
    reading = read_upload(f"{name}.txt", (CASES / f"{name}.txt").read_bytes())
    expected = json.loads((CASES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return reading.text, expected


def propose(name):
    """What coopdash proposes for a written case, given what its admin would give."""
    text, expected = case(name)
    published = expected.get("given", {}).get("published")
    return text, extract(
        text, published=datetime.date.fromisoformat(published) if published else None
    )


def said(text, row):
    """The words a proposed value rests on, and its whole sentence."""
    mention, sentence = row.get("mention") or row["evidence"], row["evidence"]
    return text[mention["start"] : mention["end"]], text[sentence["start"] : sentence["end"]]


def form_values(form):
    """POST data that submits a form exactly as it was shown."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        if isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
        elif value is True:
            data[key] = "on"
        else:
            data[key] = str(value)
    return data


def review_post(response, **changes):
    """The review page's forms as shown, with `changes` (field name → value; None removes
    the field, as an unticked box)."""
    review = response.context["review"]
    data = {}
    for form in (review.agreement, review.source, review.outcome):
        data.update(form_values(form))
    for name in FORMSETS:
        formset = getattr(review, name)
        management = formset.management_form
        data.update(
            {management.add_prefix(f): str(management[f].value()) for f in management.fields}
        )
        for form in formset.forms:
            data.update(form_values(form))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


OWN_WORDS = {
    "agreement-title_en": "A test agreement written by the reviewer",
    "agreement-title_ko": "검토자가 쓴 시험 협정",
    "agreement-summary_en": "Two bodies agreed to work together; written for a test.",
    "agreement-summary_ko": "두 기관이 협력하기로 했다는 시험용 요약.",
    "agreement-date_note_en": "As the article dates it.",
    "source-title_en": "Report used by a test",
    "source-title_ko": "시험에 쓴 보도",
    "source-publisher_en": "Test Daily",
}
