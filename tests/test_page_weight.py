"""Page weight: the map page stays under 150 KB compressed at any scale, with one
stylesheet and no script to block its rendering."""

import gzip
import re

import pytest
from django.urls import reverse

from partners import synthetic

pytestmark = pytest.mark.django_db

LIMIT = 150 * 1024


def compressed_size(client, url):
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    return len(response.content), gzip.decompress(response.content).decode()


@pytest.mark.parametrize("extra", [0, 3000])
def test_the_map_page_stays_under_150_kb_compressed(client, extra):
    synthetic.generate(extra, seed=11)
    size, page = compressed_size(client, reverse("partners:map"))
    assert size < LIMIT, f"{size / 1024:.0f} KB"
    head = page.split("</head>")[0]
    assert len(re.findall(r'<link rel="stylesheet"', head)) == 1
    assert "<script" not in page and "@import" not in page


def test_a_crowded_dashboard_weighs_about_what_a_small_one_does(client):
    small, _page = compressed_size(client, reverse("partners:dashboard"))
    synthetic.generate(3000, seed=12)
    large, _page = compressed_size(client, reverse("partners:dashboard"))
    assert large < 2 * small, (small, large)
