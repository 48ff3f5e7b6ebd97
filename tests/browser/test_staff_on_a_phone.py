"""Staff pages on a phone (issue 15), at 390 px and 1280 px, in English and Welsh:

- the header's links sit on the blue bar at every width (they used to fall below it, white on white);
- the staff home, participants, finance queue and claim tables reflow: each row a block of labelled
  cells, the page never wider than the window; the attendance grid's instruction is above the table;
- one staff navigation across the four services, offering each role only the pages it may open;
- a signed-out person asking for a staff page of any service is sent to sign in and brought back;
- every public page's footer has a "Staff sign in" link.

Each demo account signs in once for the file (`signed_in`, its cookies reused), except where signing
in is what the test is about.
"""

from __future__ import annotations

import pytest

from .conftest import apply, axe, held_exchange

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = ("en", "cy")

#: (who signs in, a page of theirs with a table that must reflow, a column's heading in English)
TABLES = [
    ("host@example.org", "/registration/staff/", "Places"),
    ("host@example.org", "/registration/staff/exchanges/{booked}/participants", "Organisation and role"),
    ("finance@example.org", "/expenses/finance/", "Claimant"),
    ("finance@example.org", "/expenses/finance/claims/1", "When"),
]

#: what each demo account's navigation offers, and what it must not
NAVIGATION = {
    "host@example.org": ({"/registration/staff/", "/learning/"},
                         {"/expenses/finance/", "/notifications/", "/notifications/messages/new",
                          "/registration/staff/accounts"}),
    "lead@example.org": ({"/registration/staff/", "/learning/", "/learning/#packs"},
                         {"/expenses/finance/", "/notifications/", "/notifications/messages/new",
                          "/registration/staff/audit"}),
    "finance@example.org": ({"/registration/staff/", "/expenses/finance/", "/expenses/finance/runs"},
                            {"/learning/", "/notifications/", "/notifications/messages/new",
                             "/registration/staff/accounts"}),
    "admin@example.org": ({"/registration/staff/", "/learning/", "/learning/programme", "/notifications/",
                           "/notifications/messages/new", "/registration/staff/accounts",
                           "/registration/staff/audit"},
                          {"/expenses/finance/"}),
}


@pytest.fixture(scope="module")
def booked(server) -> int:
    """An open exchange (the demo host hosts every one) with a confirmed participant."""
    exchange, _token = apply(server, "Phone Example")
    return exchange["id"]


def _open(page, server, path: str, language: str, status: int = 200) -> None:
    response = page.goto(f"{server.base}{path}?lang={language}")
    assert response is not None and response.status == status, f"{path}: {response and response.status}"


def _inside(inner: dict, outer: dict) -> bool:
    return (inner["x"] >= outer["x"] - 0.5 and inner["y"] >= outer["y"] - 0.5
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), \
        f"{page.url} is {page.evaluate('document.documentElement.scrollWidth')} px wide"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("email", "path", "heading"), TABLES)
def test_staff_tables_reflow_and_the_header_links_sit_on_the_blue_bar(page, server, signed_in, booked, email, path,
                                                                      heading, size, language):
    page.set_viewport_size(SIZES[size])
    signed_in(page, email)
    page.set_default_timeout(5000)  # a missing element fails at once
    _open(page, server, path.format(booked=booked), language)
    header = page.locator("header.kx-header").bounding_box()
    links = page.locator("header.kx-header a, header.kx-header button")
    assert links.count() >= 3  # the service's name, "Your account", "Sign out"
    for i in range(links.count()):
        assert _inside(links.nth(i).bounding_box(), header), f"{links.nth(i).inner_text()} is outside the blue bar"
    _no_sideways_scroll(page)
    cell = page.locator("main table.kx-table tbody tr td[data-label]").first
    display = cell.evaluate("td => getComputedStyle(td).display")
    assert display == ("block" if size == "phone" else "table-cell")
    # each cell names its column (shown where the headings are hidden), in the page's language
    labels = page.locator("main table.kx-table tbody tr").first.locator("td[data-label]")
    names = [labels.nth(i).get_attribute("data-label") for i in range(labels.count())]
    assert all(names) and (heading in names) == (language == "en"), names
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_the_attendance_instruction_is_above_the_grid_and_the_grid_fits_a_phone(page, server, signed_in, size,
                                                                                 language):
    held = held_exchange(server)["id"]  # attendance is recorded once the stages have happened
    page.set_viewport_size(SIZES[size])
    signed_in(page, "host@example.org")
    page.set_default_timeout(5000)
    _open(page, server, f"/registration/staff/exchanges/{held}/attendance", language)
    assert page.locator("main table .kx-hint, main table caption:not(.kx-visually-hidden)").count() == 0
    hint = page.locator("main form > .kx-hint").bounding_box()
    table = page.locator("main form table").bounding_box()
    assert hint["y"] + hint["height"] <= table["y"]
    _no_sideways_scroll(page)
    box = page.locator("main form table input[type=checkbox]").first.bounding_box()
    assert box["x"] + box["width"] <= SIZES[size]["width"]
    axe(page)


@pytest.mark.parametrize("email", NAVIGATION)
def test_one_staff_navigation_offers_each_role_only_the_pages_it_may_open(page, server, signed_in, email):
    offered, withheld = NAVIGATION[email]
    signed_in(page, email)
    for start in ("/registration/staff/", "/learning/library/", "/expenses/"):  # the same in every service
        _open(page, server, start, "en")
        hrefs = page.locator("nav.kx-service-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert offered <= set(hrefs), (start, hrefs)
        assert not withheld & set(hrefs), (start, hrefs)
    for href in hrefs:  # every link it offers opens
        _open(page, server, href.split("#")[0], "en")
    _open(page, server, hrefs[0], "cy")
    if "/notifications/messages/new" in offered:  # the programme team's messages page, named in Welsh too
        assert page.locator("nav.kx-service-nav a[href='/notifications/messages/new']").inner_text().strip() \
            == "Negeseuon at bobl"
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("path", "email"), [("/expenses/finance/", "finance@example.org"),
                                             ("/notifications/", "admin@example.org"),
                                             ("/learning/programme", "admin@example.org")])
def test_a_signed_out_person_is_sent_to_sign_in_and_brought_back(page, server, signed_in, path, email, size,
                                                                 language):
    page.set_viewport_size(SIZES[size])
    page.goto(f"{server.base}{path}?lang={language}")
    assert "/registration/login?next=" in page.url, page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", "demo-password")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.split("?")[0] == f"{server.base}{path}", page.url
    _no_sideways_scroll(page)
    # signing out from another service's page ends the one session
    page.locator("header.kx-header button:has-text('Sign out'), header.kx-header button:has-text('Allgofnodi')").click()
    page.wait_for_load_state()
    signed_in.forget(email)  # every session of the account has ended, the one kept for other tests too
    page.goto(f"{server.base}{path}")
    assert "/registration/login" in page.url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/registration/", "/learning/library/", "/expenses/", "/registration/accessibility"])
def test_every_public_page_footer_has_a_staff_sign_in_link(page, server, path, language):
    page.set_viewport_size(SIZES["phone"])
    _open(page, server, path, language)
    link = page.locator("footer a[href='/registration/login']")
    assert link.inner_text().strip() == {"en": "Staff sign in", "cy": "Mewngofnodi staff"}[language]
    assert page.locator("nav.kx-service-nav").count() == 0
    _no_sideways_scroll(page)
