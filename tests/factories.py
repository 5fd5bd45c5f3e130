"""Small makers of valid records and admin form data; tests override what they exercise."""

from partners.models import Agreement


def make_agreement(slug="test-agreement", **fields):
    """A minimal valid agreement."""
    values = {
        "title_en": "Test agreement",
        "title_ko": "시험 협정",
        "kind": Agreement.Kind.MOU,
        "status": Agreement.Status.ACTIVE,
        "date": "2024-05-01",
        "summary_en": "A test.",
        "summary_ko": "시험.",
    }
    values.update(fields)
    return Agreement.objects.create(slug=slug, **values)


def inline_management(prefix, total, initial=0):
    """The management form of an admin inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def agreement_post(kigam, korea, source, **overrides):
    """The admin's add-agreement form, filled in: KIGAM and Korea as parties, one source."""
    data = {
        "title_en": "Admin-made MOU",
        "title_ko": "관리자 양해각서",
        "slug": "admin-made-mou",
        "kind": "mou",
        "status": "active",
        "date": "2024-03-05",
        "date_precision": "day",
        "date_confidence": "high",
        "start_precision": "year",
        "end_precision": "year",
        "summary_en": "Made in a test.",
        "summary_ko": "시험에서 만듦.",
        **inline_management("parties", 2),
        "parties-0-institution": kigam.pk,
        "parties-0-role": "signatory",
        "parties-0-confidence": "high",
        "parties-0-order": "0",
        "parties-1-country": korea.pk,
        "parties-1-role": "participant",
        "parties-1-confidence": "high",
        "parties-1-order": "1",
        **inline_management("mineral_links", 0),
        **inline_management("milestones", 0),
        **inline_management("key_figures", 0),
        **inline_management("places", 0),
        **inline_management("source_links", 1),
        "source_links-0-source": source.pk,
    }
    data.update(overrides)
    return data


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


def change_form_data(response):
    """POST data that resubmits an admin change form exactly as it was shown."""
    data = {}
    context = response.context
    for form in [context["adminform"].form] + [
        f for formset in context["inline_admin_formsets"] for f in formset.formset.forms
    ]:
        data.update(form_values(form))
    for formset in context["inline_admin_formsets"]:
        for name in formset.formset.management_form.fields:
            data[formset.formset.management_form.add_prefix(name)] = str(
                formset.formset.management_form[name].value()
            )
    return data
