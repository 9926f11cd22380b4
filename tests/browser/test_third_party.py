"""No page makes the browser contact any host but the portal (no fonts, CDNs or analytics)."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import login
from tests.browser.test_a11y_pages import EMAIL, PASSWORD, member_pages
from tests.browser.test_accessibility import PUBLIC_PAGES


@pytest.mark.browser
def test_no_page_requests_a_third_party_host(page, demo_data, portal_server):
    portal = urlsplit(portal_server)
    foreign = []

    def guard(route):
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or (url.scheme, url.netloc) == (portal.scheme, portal.netloc):
            route.continue_()
        else:
            foreign.append(f"{page.url} -> {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    for path in PUBLIC_PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    login(page, EMAIL, PASSWORD)
    for path in member_pages():
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert foreign == []
