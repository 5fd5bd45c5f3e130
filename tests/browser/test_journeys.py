"""What analysts and admins actually experience, in Chromium."""

import csv
import io
import re
from pathlib import Path

import pytest

from partners.models import Agreement, Country, Mineral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "https://ekn.kr/web/view.php?key=20251215027367974"


def test_from_the_map_to_a_country_a_centre_and_its_source(visitor):
    visitor.allowed_outside = [SOURCE]
    page = visitor.page
    visitor.goto("/en/")
    page.locator('svg.world a[aria-label^="Mongolia:"]').click()
    page.wait_for_url("**/en/countries/mn/")
    visitor.check()
    assert page.locator("h1").inner_text().startswith("Mongolia")
    page.get_by_role("link", name="Korea–Mongolia Rare Metal Cooperation Center").first.click()
    page.wait_for_url("**/agreements/kr-mn-rare-metal-cooperation-center/")
    visitor.check()
    assert "Geological Center for Research and Analysis" in page.content()
    with page.expect_navigation():
        page.locator(f'.sources a[href="{SOURCE}"]').click()
    assert page.url == SOURCE  # answered locally: the test never leaves this machine
    visitor.finish()


def test_a_filter_follows_the_analyst_across_pages_and_into_the_csv(visitor):
    page = visitor.page
    visitor.goto("/en/map/")
    page.locator("details.filter-panel summary").click()
    page.select_option("#id_mineral", "lithium")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/en/map/?*mineral=lithium*")
    visitor.check()
    assert "Lithium" in page.locator("h1").inner_text()
    page.get_by_role("link", name="timeline", exact=True).click()
    page.wait_for_url("**/en/timeline/?*mineral=lithium*")
    visitor.check()
    assert "Pohang" not in page.locator(".chronology").inner_text()
    page.get_by_role("link", name="list", exact=True).click()
    page.wait_for_url("**/en/agreements/?*mineral=lithium*")
    visitor.check()
    listed = page.locator("ol.agreements h3 a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/')[3])"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").first.click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert [row["slug"] for row in rows] == listed and listed
    page.get_by_role("link", name=re.compile("Remove filter Mineral")).click()
    page.wait_for_url(lambda url: "/en/agreements/" in url and "mineral=lithium" not in url)
    visitor.check()
    everything = f"{Agreement.objects.count()} agreements"
    assert everything in page.locator("p.count").inner_text()  # the whole record again
    visitor.finish()


def test_switching_the_interface_to_korean_and_back(visitor):
    page = visitor.page
    visitor.goto("/en/agreements/kr-mn-rare-metal-cooperation-center/")
    assert page.locator("h1").inner_text() == "Korea–Mongolia Rare Metal Cooperation Center"
    page.get_by_role("link", name="한국어").click()
    page.wait_for_url("**/ko/agreements/kr-mn-rare-metal-cooperation-center/")
    visitor.check()
    assert page.locator("h1").inner_text() == "한-몽 희소금속협력센터"
    assert page.get_by_role("heading", name="출처").is_visible()
    assert page.locator("html").get_attribute("lang") == "ko"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/agreements/kr-mn-rare-metal-cooperation-center/")
    assert page.get_by_role("heading", name="Sources").is_visible()
    visitor.finish()


@pytest.mark.parametrize(
    "visitor",
    [{"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}],
    indirect=True,
)
def test_a_phone_screen_keeps_navigation_map_and_timeline_usable(visitor):
    page = visitor.page
    for path in ["/en/", "/en/map/", "/en/timeline/"]:
        visitor.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375 + 1, f"{path} scrolls sideways: {width}px"
        for selector in ["nav", "svg"]:
            box = page.locator(selector).first.bounding_box()
            assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 376
    visitor.goto("/en/")
    page.get_by_role("navigation").get_by_role("link", name="Timeline", exact=True).click()
    page.wait_for_url("**/en/timeline/")
    page.locator('svg a[href*="kr-mn-rare-metal-cooperation-center"]').first.tap()
    page.wait_for_url("**/agreements/kr-mn-rare-metal-cooperation-center/")
    visitor.check()
    visitor.finish()


def autocomplete(page, row, field, text):
    """Pick `text` in a Django admin autocomplete (select2) widget of an inline row."""
    page.locator(f"#{row}-{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_admin_adds_an_agreement_through_the_inlines(visitor, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.org", "a-long-pass-phrase")
    page = visitor.page
    page.goto(visitor.base + "/admin/login/?next=/admin/partners/agreement/add/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/partners/agreement/add/")

    page.fill("#id_title_en", "Korea–Mongolia lithium test agreement")
    page.fill("#id_title_ko", "한-몽 리튬 시험 협정")
    assert page.input_value("#id_slug") == "koreamongolia-lithium-test-agreement"
    page.select_option("#id_kind", "mou")
    page.select_option("#id_status", "active")
    page.fill("#id_date", "2026-03-02")
    page.fill("#id_start_date", "2027-01-01")
    page.fill("#id_end_date", "2023-01-01")
    page.fill("#id_summary_en", "Written by a browser test.")
    page.fill("#id_summary_ko", "브라우저 시험이 작성함.")
    page.get_by_role("button", name="Add another Party").click()
    page.get_by_role("button", name="Add another Party").click()
    autocomplete(page, "id_parties-0", "institution", "Korea Institute of Geoscience")
    page.select_option("#id_parties-0-role", "signatory")
    autocomplete(page, "id_parties-1", "country", "Mongolia")
    page.select_option("#id_parties-1-role", "signatory")
    page.get_by_role("button", name="Add another Mineral of an agreement").click()
    autocomplete(page, "id_mineral_links-0", "mineral", "Lithium")
    page.get_by_role("button", name="Add another Milestone").click()
    page.fill("#id_milestones-0-title_en", "Signed in Seoul")
    page.fill("#id_milestones-0-title_ko", "서울에서 서명")
    page.fill("#id_milestones-0-date", "2026-03-02")
    autocomplete(page, "id_source_links-0", "source", "Energy Economic News")
    page.click("input[name=_save]")

    error = page.locator(".errorlist", has_text="before the start")
    error.wait_for(state="visible")  # the server answered with the form and its error
    assert "Check both dates" in error.inner_text()
    page.fill("#id_end_date", "2028-01-01")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/partners/agreement/")
    assert page.locator(".messagelist .success").is_visible()

    visitor.goto("/en/timeline/")
    marks = page.locator('svg a[href="/en/agreements/koreamongolia-lithium-test-agreement/"]')
    assert marks.count() >= 1  # its mark, in the rows of the countries it involves
    lithium = Mineral.objects.get(slug="lithium")
    mongolia = Country.objects.get(code="MN")
    mongolian = Agreement.objects.with_mineral(lithium).with_country(mongolia).count()
    assert mongolian >= 2  # the new agreement among them
    visitor.goto("/en/map/?mineral=lithium")
    label = f"Mongolia: {mongolian} agreements"
    assert page.locator(f'svg.world a[aria-label="{label}"]').count() == 1
    visitor.goto("/en/agreements/?q=lithium+test")
    page.get_by_role("link", name="Korea–Mongolia lithium test agreement").click()
    page.wait_for_url("**/en/agreements/koreamongolia-lithium-test-agreement/")
    visitor.check()
    assert "Signed in Seoul" in page.content() and "2027–2028" in page.content()
    visitor.finish()
