"""axe-core finds no WCAG 2.1 AA violation on the portal's main pages."""

import pytest

from tests.browser.a11y import assert_accessible

PUBLIC_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
]


@pytest.mark.browser
def test_public_pages_have_no_axe_violations(page):
    for path in PUBLIC_PAGES:
        page.goto(path)
        assert_accessible(page, path)
