"""The analyst pages render the seed data and show the right things."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from partners import synthetic
from partners.counts import institution_counts, institution_total
from partners.mapsvg import MAP_POINTS
from partners.models import Agreement, AgreementMineral, Country, Mineral
from partners.names import NameIndex

from .factories import make_agreement
from .helpers import get, listed_slugs, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name,args",
    [
        ("dashboard", ()),
        ("list", ()),
        ("map", ()),
        ("timeline", ()),
        ("coverage", ()),
        ("countries", ()),
        ("institutions", ()),
        ("minerals", ()),
        ("agreement", ("kr-mn-rare-metal-cooperation-center",)),
        ("country", ("mn",)),
        ("institution", ("kigam",)),
        ("mineral", ("lithium",)),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_renders_in_both_languages(client, name, args, lang):
    response = get(client, name, *args, lang=lang)
    assert response.status_code == 200
    page = text(response)
    assert f'<html lang="{lang}">' in page
    assert "Data last updated" in page if lang == "en" else "데이터 최종 수정" in page


def test_canada_mou_detail_shows_ottawa_signatories_and_minerals(client, canada_mou):
    page = text(get(client, "agreement", canada_mou.slug))
    for expected in [
        "Ottawa",
        "Mélanie Joly",
        "Kim Jung-kwan",
        "Kang Hoon-sik",
        "Nickel",
        "Lithium",
        "Cobalt",
        "Industrial Cooperation Committee",
        "likely",
        "AI Real Estate Economic News",
    ]:
        assert expected in page, expected
    assert "Signatory" in page and "Participant" in page


def test_detail_shows_sources_with_links_and_dates(client, mongolia_centre):
    page = text(get(client, "agreement", mongolia_centre.slug))
    assert 'href="https://ekn.kr/web/view.php?key=20251215027367974"' in page
    assert "2025-12-15" in page and "Energy Economic News" in page
    assert "ODA project to build a rare metal centre" in page  # its parent
    assert '<svg class="locator"' in page


def test_detail_shows_an_edit_link_to_staff_only(client, staff_client, mongolia_centre):
    edit = reverse("admin:partners_agreement_change", args=[mongolia_centre.pk])
    assert edit not in text(get(client, "agreement", mongolia_centre.slug))
    assert edit in text(get(staff_client, "agreement", mongolia_centre.slug))


def shaded(page):
    """Country names the map shades, from each shaded shape's accessible label."""
    return set(
        re.findall(
            r'<a href="[^"]+" aria-label="([^":]+): \d+ agreements?"><path class="land shade-', page
        )
    )


def test_map_shades_mongolia_and_canada_with_a_legend_and_table(client):
    page = text(get(client, "map"))
    assert {"Mongolia", "Canada"} <= shaded(page)
    assert "South Korea" not in shaded(page)
    assert 'class="legend"' in page and "<table" in page
    assert 'class="arcs"' in page and page.count("<circle") > 10


def test_map_follows_the_filter(client, lithium):
    page = text(get(client, "map", mineral="lithium"))
    # The map counts in SQL; the same rule in Python (Agreement.involved_countries) must
    # give the same countries.
    involved = {
        country.name_en
        for agreement in Agreement.objects.with_mineral(lithium).for_list()
        for country in agreement.partner_countries
    }
    assert {"Mongolia", "Canada"} <= shaded(page) == involved
    assert shaded(text(get(client, "map"))) > involved  # the filter leaves some out


def test_a_crowded_map_draws_the_most_involved_institutions_and_says_so(
    client, django_capture_on_commit_callbacks
):
    page = text(get(client, "map"))
    assert "institutions with the most agreements" not in page  # the seed data: all shown
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.generate(MAP_POINTS * 12, seed=6)  # one synthetic institution per ten
    page = text(get(client, "map"))
    points = re.search(r'<g class="points">(.*?)</g>', page, re.S)[1]
    assert points.count("<circle") == MAP_POINTS
    assert f"the {MAP_POINTS} institutions with the most agreements" in page


def test_the_institution_filter_takes_a_name_or_acronym_and_suggests(client, kigam):
    by_acronym = listed_slugs(text(get(client, "list", institution=kigam.acronym.lower())))
    by_name = listed_slugs(text(get(client, "list", institution=kigam.name_ko)))
    by_slug = listed_slugs(text(get(client, "list", institution=kigam.slug)))
    assert by_acronym == by_name == by_slug and by_slug
    page = text(get(client, "list"))
    assert f'<option value="{kigam.slug}">' in page and 'list="id_institution-options"' in page


def test_filtering_on_lithium_keeps_those_naming_it_and_drops_pohang(client, pohang):
    found = listed_slugs(text(get(client, "list", mineral="lithium")))
    assert "kr-mn-rare-metal-cooperation-center" in found
    assert "ca-kr-future-mobility-industrial-cooperation-mou-2026" in found
    assert pohang.slug not in found
    assert pohang.slug in listed_slugs(text(get(client, "list", kind=pohang.kind)))


def test_filter_on_a_group_includes_agreements_naming_a_member(client):
    found = listed_slugs(text(get(client, "list", mineral="battery-minerals")))
    assert "sungeel-hitech-gunsan-plant-visit-2023" in found  # tagged cobalt, nickel, lithium


def test_filter_on_a_university_includes_its_centre(client, pohang):
    assert pohang.slug in listed_slugs(
        text(get(client, "list", institution="pukyong-national-university"))
    )


def test_free_text_finds_party_names_in_both_languages(client, pohang):
    assert pohang.slug in listed_slugs(text(get(client, "list", q="부경대학교")))
    assert pohang.slug in listed_slugs(text(get(client, "list", q="Handong")))
    assert "ca-kr-critical-minerals-mou-2023" not in listed_slugs(
        text(get(client, "list", q="Handong"))
    )


def test_active_filters_are_echoed_in_heading_and_title_with_remove_links(client):
    page = text(get(client, "list", mineral="lithium", kind="mou"))
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Lithium" in title and "memorandum of understanding" in title
    assert 'href="/en/agreements/?kind=mou"' in page  # removing the mineral keeps the kind
    assert 'href="/en/agreements/?mineral=lithium"' in page


@pytest.mark.parametrize(
    "params,message",
    [
        ({"mineral": "unobtainium"}, "There is no mineral “unobtainium”"),
        ({"year_from": "abc"}, "Enter a number."),
        ({"year_from": "2026", "year_to": "2023"}, "is after “To year”"),
        ({"country": "XX"}, "No country has the code “XX”"),
        ({"kind": "treaty"}, "There is no kind “treaty”"),
        ({"page": "9999"}, None),
    ],
)
@pytest.mark.parametrize("name", ["list", "map", "timeline", "coverage", "dashboard"])
def test_bad_values_are_form_errors_not_server_errors(client, name, params, message):
    response = get(client, name, **params)
    assert response.status_code == 200
    if message:
        assert message in text(response)
        assert 'role="alert"' in text(response)


def test_facets_count_what_each_choice_would_leave(client):
    page = text(get(client, "list", country="MN"))
    facet = re.search(
        r'href="/en/agreements/\?country=MN&amp;kind=centre">[^<]+</a> <span class="n">(\d+)', page
    )
    assert facet and facet.group(1) == "1"


FACET = re.compile(r'<a href="([^"]+)">[^<]+</a> <span class="n">(\d+)</span>')


def listed_total(page):
    return int(re.search(r'<p class="count">(\d+) agreements?', page).group(1))


@pytest.mark.parametrize(
    "url",
    [
        "/en/agreements/",
        "/en/agreements/?country=MN",
        "/en/agreements/?mineral=lithium&kind=mou",
        "/en/agreements/?country=MN&country=CA",
        # Minerals over a year range only are summed from the record's counts per year.
        "/en/agreements/?mineral=lithium&year_from=2023",
        "/en/agreements/?mineral=rare-earths&year_from=2010&year_to=2023",
        "/en/agreements/?year_from=2024&year_to=2025",
        "/en/countries/mn/",
        "/en/minerals/lithium/",
        "/en/minerals/battery-minerals/",
        "/en/institutions/kigam/",
    ],
)
def test_every_facet_count_is_the_length_of_the_list_it_opens(client, url):
    """A facet link replaces its filter (never adds a second value), and its count is
    taken over the selection without that filter, so the two always agree."""
    page = text(client.get(url, follow=True))
    facets = FACET.findall(re.search(r'<section class="facets".*?</section>', page, re.S)[0])
    assert len(facets) > 5
    for href, count in facets:
        query = parse_qs(urlsplit(html.unescape(href)).query)
        assert all(len(values) == 1 for values in query.values()), href
        assert listed_total(text(client.get(html.unescape(href)))) == int(count), href


def test_pagination_keeps_the_filters(client):
    for i in range(30):
        make_agreement(slug=f"bulk-{i}", kind="agreement")
    page = text(get(client, "list", kind="agreement"))
    assert 'href="?kind=agreement&amp;page=2" rel="next"' in page
    second = text(get(client, "list", kind="agreement", page=2))
    on_second_page = Agreement.objects.filter(kind="agreement").count() - 25
    assert "Page 2 of 2" in second and len(listed_slugs(second)) == on_second_page


def test_timeline_marks_planned_events_and_shows_precision(client):
    page = text(get(client, "timeline", year_from="2023", year_to="2023"))  # one page
    assert ">2023-11-20<" in page and ">2023-11-20 <" not in page
    assert 'class="mark planned"' in page
    assert '<time datetime="2027">2027</time> Project period ends' in page
    assert '<rect class="span' in page  # the ODA project 2023–2027 is drawn as a span


def test_dashboard_shows_headline_figures_and_strategic_gaps(client):
    page = text(get(client, "dashboard"))
    assert re.search(rf"<strong>{Agreement.objects.count()}</strong> agreements", page)
    gaps = set(
        re.findall(r'<tr class="gap"><th scope="row"><a href="/en/minerals/([\w-]+)/">', page)
    )
    # Gaps: strategic minerals that no agreement names, neither themselves nor their group.
    named = AgreementMineral.objects.values("mineral_id")
    unnamed = Mineral.objects.filter(is_strategic=True).exclude(pk__in=named)
    unnamed = set(unnamed.exclude(group__in=named).values_list("slug", flat=True))
    assert gaps == unnamed
    assert "/en/minerals/lithium/" in page and "lithium" not in gaps


def test_a_strategic_mineral_nobody_names_is_shown_as_a_gap(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        AgreementMineral.objects.filter(
            mineral__slug__in=["graphite", "rare-earths", "battery-minerals"]
        ).delete()
        Agreement.objects.first().save()  # deleting in bulk sends no signal: move the data on
    page = text(get(client, "dashboard"))
    gaps = set(
        re.findall(r'<tr class="gap"><th scope="row"><a href="/en/minerals/([\w-]+)/">', page)
    )
    assert {"graphite", "neodymium", "cerium"} <= gaps and "lithium" not in gaps


@pytest.mark.parametrize("mineral", [None, "lithium"])
def test_the_institution_figure_counts_the_institutions_listed(client, mineral):

    synthetic.generate(40, seed=8)
    agreements = Agreement.objects.all()
    if mineral:
        agreements = agreements.with_mineral(Mineral.objects.get(slug=mineral))
    assert institution_total(agreements) == len(institution_counts(agreements)) > 5
    page = text(get(client, "dashboard", **({"mineral": mineral} if mineral else {})))
    n = institution_total(agreements)
    assert re.search(rf"<strong>{n}</strong> institutions", page)


def test_coverage_lists_strategic_minerals_first_and_keeps_empty_rows(client):
    page = text(get(client, "coverage"))
    rows = re.findall(r'<th scope="row"><a href="/en/minerals/([\w-]+)/">', page)
    strategic = {
        "lithium",
        "nickel",
        "cobalt",
        "manganese",
        "graphite",
        "neodymium",
        "dysprosium",
        "terbium",
        "cerium",
        "lanthanum",
    }
    assert set(rows[:10]) == strategic
    assert "graphite" in rows  # no agreement, still shown


def test_hub_pages_link_to_the_filtered_list_with_counts(client):
    page = text(get(client, "country", "mn"))
    assert "?country=MN" in page and "Rare Metal Cooperation Center" in page
    page = text(get(client, "mineral", "rare-earths"))
    assert "Not on Korea's list of 33 critical minerals" in page
    assert "Counts among Korea's 35 rare metals" in page
    assert "Neodymium" in page and "?mineral=rare-earths" in page
    page = text(get(client, "institution", "pukyong-national-university"))
    assert "New Technology Support Center" in page


def test_records_show_in_the_active_language_with_the_other_beside(client, mongolia_centre):
    page = text(get(client, "agreement", mongolia_centre.slug, lang="ko"))
    assert "<h1>한-몽 희소금속협력센터</h1>" in page
    assert "Korea–Mongolia Rare Metal Cooperation Center" in page
    assert "출처" in page and "당사자" in page


def test_language_switch_keeps_the_page_and_selection(client):
    page = text(get(client, "list", mineral="lithium"))
    assert 'href="/ko/agreements/?mineral=lithium"' in page


def test_unknown_slugs_give_a_404_page(client):
    for name, arg in [
        ("agreement", "nope"),
        ("country", "zz"),
        ("institution", "nope"),
        ("mineral", "nope"),
    ]:
        response = get(client, name, arg)
        assert response.status_code == 404
        assert "Not found" in text(response)


def test_no_page_requests_anything_from_another_host(client, mongolia_centre):
    pages = [
        get(client, "dashboard"),
        get(client, "agreement", mongolia_centre.slug),
        get(client, "map"),
        get(client, "timeline", lang="ko"),
    ]
    for response in pages:
        page = text(response)
        assert not re.search(r'<(script|img|iframe|link)[^>]+(src|href)="(https?:)?//', page)
        assert "@import" not in page and "<script" not in page


PAGES_BY_NAME = [
    ("dashboard", ()),
    ("map", ()),
    ("timeline", ()),
    ("list", ()),
    ("coverage", ()),
    ("countries", ()),
    ("institutions", ()),
    ("minerals", ()),
    ("agreement", ("kr-mn-rare-metal-cooperation-center",)),
    ("country", ("mn",)),
    ("institution", ("kigam",)),
    ("mineral", ("lithium",)),
]


@pytest.mark.parametrize("name,args", PAGES_BY_NAME)
def test_every_page_describes_itself_in_its_language(client, name, args):
    for lang, script in (("ko", r"[\uac00-\ud7a3]"), ("en", r"[A-Za-z]{3}")):
        page = text(get(client, name, *args, lang=lang))
        found = re.findall(r'<meta name="description" content="([^"]+)">', page)
        assert len(found) == 1 and len(found[0]) > 20, (name, lang)
        assert re.search(script, found[0]), (name, lang, found[0])
        if lang == "en":
            assert not re.search(r"[\uac00-\ud7a3]", found[0]), found[0]


def test_members_of_a_group_are_not_gaps_when_the_group_is_named(client):
    """Neodymium is named by no agreement, but the rare earths by many: not a gap."""
    group_only = Agreement.objects.filter(mineral_links__mineral__slug="rare-earths").exclude(
        mineral_links__mineral__slug="neodymium"
    )
    assert group_only.exists()
    rare_earths = Mineral.objects.get(slug="rare-earths")
    named = Agreement.objects.filter(mineral_links__mineral=rare_earths).distinct().count()
    coverage = text(get(client, "coverage"))
    row = re.search(
        r'<tr class="strategic[^"]*">\s*<th scope="row"><a href="/en/minerals/neodymium/".*?</tr>',
        coverage,
        re.S,
    )[0]
    assert "gap" not in row.split(">")[0] and f"({named})" in row
    dashboard = text(get(client, "dashboard"))
    assert f"none named; {named} through rare earths" in dashboard


def test_the_timeline_says_when_it_shows_only_the_busiest_partners(client):
    page = text(get(client, "timeline"))
    partners = len(
        {c.code for a in Agreement.objects.all().for_list() for c in a.partner_countries}
    )
    assert partners > 15
    assert f"the 15 partner countries with the most agreements, of {partners}" in page
    assert "with the most agreements, of" not in text(get(client, "timeline", country="MN"))


def test_countries_go_by_the_names_korean_readers_use(client):
    page = text(get(client, "map", lang="ko"))
    assert "탄자니아" in page and "탄자니아 연방 공화국" not in page
    # The formal name is still known, as another name of the country.
    (name,) = NameIndex.build().lookup("탄자니아 연방 공화국")
    assert (name.model, name.pk) == ("country", Country.objects.get(code="TZ").pk)
