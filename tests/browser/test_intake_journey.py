"""An admin hands coopdash an article, checks the draft and saves it, in Chromium."""

import pytest

from tests.helpers import CASES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = CASES / "ko_vietnam_rare_earth_mou.txt"
TITLE = "KIGAM and VIGMR rare-earth exploration MOU"


def sign_in(visitor, django_user_model):
    django_user_model.objects.create_superuser("curator", "c@example.org", "a-long-pass-phrase")
    page = visitor.page
    page.goto(visitor.base + "/admin/login/?next=/admin/intake/document/add/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-pass-phrase")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/intake/document/add/")


def test_an_article_becomes_an_agreement_on_the_list_map_and_timeline(visitor, django_user_model):
    page = visitor.page
    sign_in(visitor, django_user_model)
    visitor.check()

    # Upload the article with the date it was published.
    page.set_input_files("#id_file", str(ARTICLE))
    page.fill("#id_published", "2024-03-14")
    page.fill("#id_publisher", "시험일보")
    page.get_by_role("button", name="Read the article").click()
    page.wait_for_url("**/admin/intake/document/*/review/")
    visitor.check()

    # The draft stands beside the article; its date is marked where the article gives it.
    assert page.input_value("#id_agreement-date") == "2024-03-12"
    assert page.input_value("#id_agreement-kind") == "mou"
    page.locator('a.evidence[href^="#ev-"]').first.click()
    assert page.locator("mark:target").count() == 1

    # The admin's own words, one value corrected, one proposal declined.
    page.fill("#id_agreement-title_en", TITLE)
    page.fill("#id_agreement-title_ko", "지자연-베트남 지질광물연구원 희토류 탐사 양해각서")
    page.fill(
        "#id_agreement-summary_en",
        "The two institutes will explore northern Vietnam for rare earths.",
    )
    page.fill("#id_agreement-summary_ko", "두 기관이 베트남 북부에서 희토류를 함께 탐사한다.")
    page.fill("#id_agreement-city_en", "Hanoi")
    page.fill(
        "#id_new_institutions-0-name_en", "Vietnam Institute of Geosciences and Mineral Resources"
    )
    page.fill("#id_milestones-0-title_en", "MOU signed in Hanoi")
    for index in range(3):
        page.uncheck(f"#id_figures-{index}-include")
    page.fill("#id_source-title_en", "Report of the KIGAM–VIGMR memorandum")
    page.fill("#id_source-title_ko", "지자연-VIGMR 양해각서 보도")
    page.fill("#id_source-publisher_en", "Test Daily")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.get_by_role("button", name="Accept and save").click()
    assert "/admin/partners/agreement/" in page.url, page.url
    assert page.locator(".messagelist .success").is_visible()

    # The agreement is public now: on the list, the map and the timeline, citing the article.
    visitor.goto("/en/agreements/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url("**/en/agreements/kigam-and-vigmr-rare-earth-exploration-mou/")
    visitor.check()
    assert "Hanoi" in page.content()
    assert "Report of the KIGAM–VIGMR memorandum" in page.locator(".sources").inner_text()
    visitor.goto("/en/map/")
    assert page.locator('svg.world a[aria-label^="Vietnam:"]').count() == 1
    visitor.goto("/en/timeline/")
    mark = page.locator('svg a[href="/en/agreements/kigam-and-vigmr-rare-earth-exploration-mou/"]')
    assert mark.count() >= 1
    visitor.finish()
