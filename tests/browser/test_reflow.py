"""Reflow (WCAG 1.4.10) over every page: each GET page route of every service, read from the apps'
url maps so that a new page is measured without a line here, is opened at 320 px in English and in
Welsh, by a member of staff holding every role and by a visitor who is not signed in, and must not
scroll sideways (the document no wider than the window). A wide data grid may scroll inside its own
region; the page may not. Below 40em a table's rows stack, its headings hidden: every cell of a table
with column headings that shows something carries its heading as `data-label`, so that each value is
still named on a phone (a cell spanning the whole row, such as "No claims yet.", needs none).

One browser, two contexts, one page each: the pages are loaded one after another, not one test each.
"""

from __future__ import annotations

import re

import pytest

from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import staff_token, wait_until
from tests.support.processes import http

from .conftest import apply

pytestmark = pytest.mark.browser

SERVICES = ("registration", "notifications", "learning", "expenses")
WIDTH = 320
#: files, not pages: downloads, receipts, exports
NOT_PAGES = re.compile(r"(/api/|/healthz|/_diagnostics|\.(csv|xlsx|pdf|json|ics)$|/receipts/)")
#: actions in a path, as the apps' rules name them, with one the pages answer
ACTIONS = {"expenses_finance.claim_action": "approve", "expenses_finance.run_action": "approve",
           "learning.summary_action": "submit"}


def _page_rules(settings) -> list:
    rules = []
    for name in SERVICES:
        runtime = Runtime(load_service(name), settings)
        try:
            app = create_app(name, {"KX_RUNTIME": runtime})
            for rule in app.url_map.iter_rules():
                if "GET" in rule.methods and rule.endpoint not in ("static", "shared_asset") \
                        and not NOT_PAGES.search(rule.rule):
                    rules.append(rule)
        finally:
            runtime.dispose()
    return rules


def _fill(rule, values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        value = ACTIONS.get(rule.endpoint, "approve") if name == "action" else values.get(name, "1")
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", str(value), url)
    return url


def _demo_values(server) -> dict:
    """Ids the demo programme has: an exchange with participants, a theme, an applicant's token."""
    exchange, token = apply(server, "Reflow Example-Longname Pritchard-Llewellyn")
    # expenses and learning know the applicant once the bus has told them
    wait_until(lambda: http("GET", f"{server.base}/expenses/manage/{token}")[0] == 200, timeout=30,
               message="expenses to hear of the application")
    return {"exchange_id": exchange["id"], "code": exchange["theme"], "token": token}


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


#: cells of a table with column headings that show something and are not named on a phone
UNLABELLED = """() => [...document.querySelectorAll('table.kx-table')].filter(t => t.tHead).flatMap(t =>
  [...t.tBodies].flatMap(b => [...b.rows]).flatMap(r => [...r.cells].filter(c => c.tagName === 'TD'
    && !c.dataset.label && c.innerText.trim() && c.colSpan < t.tHead.rows[0].cells.length)
    .map(c => c.innerText.trim().slice(0, 40))))"""


def test_every_page_reflows_at_320_px_in_english_and_welsh_for_staff_and_visitors(chromium, server):
    values = _demo_values(server)
    paths = sorted({_fill(rule, values) for rule in _page_rules(server.settings)})
    assert len(paths) > 40, paths  # every service's pages, not a handful
    everyone = staff_token(server.settings, {"admin": [], "finance": [], "host": [values["exchange_id"]],
                                             "theme_lead": ["T1", "T2", "T3"]}, staff_id=9999, name="Reflow Check")
    wide, unlabelled = [], []
    for who, headers in (("staff", {"Authorization": f"Bearer {everyone}"}), ("visitor", {})):
        context = chromium.new_context(viewport={"width": WIDTH, "height": 640}, extra_http_headers=headers)
        page = context.new_page()
        try:
            for path in paths:
                for language in ("en", "cy"):
                    response = page.goto(f"{server.base}{path}?lang={language}")
                    assert response is not None and response.status < 500, f"{who} {path}: {response and response.status}"
                    if _overflow(page) > 0:
                        wide.append(f"{who} {language} {path} -> {page.url}: "
                                    f"{page.evaluate('document.documentElement.scrollWidth')} px")
                    if cells := page.evaluate(UNLABELLED):
                        unlabelled.append(f"{who} {language} {path}: {cells[:3]}")
        finally:
            context.close()
    assert not wide, f"{len(wide)} page(s) scroll sideways at {WIDTH} px:\n  " + "\n  ".join(wide)
    assert not unlabelled, f"{len(unlabelled)} page(s) show table cells not named on a phone:\n  " \
        + "\n  ".join(unlabelled)
