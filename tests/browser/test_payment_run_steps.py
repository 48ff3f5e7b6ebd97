"""Issue 15's four eyes on the finance pages, in a real Chromium at 390 and 1280 px, in English and
Welsh, with axe: a run made by one finance user shows no bank file; a second approves it through a
check page; only then is the bank file offered; the payments released is a second check page.

The run gathers the demo's approved claim (approved by the demo's illustrative finance officer), so
this runs before the staff journeys gather theirs."""

from __future__ import annotations

import pytest

from shared.testing import staff_token

from .conftest import axe, sign_in

pytestmark = pytest.mark.browser

VIEWS = [(language, width) for language in ("en", "cy") for width in (390, 1280)]


def _each_view(page, server, path: str) -> None:
    """The page in each language and width: axe-clean, and no sideways scroll."""
    for language, width in VIEWS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(f"{server.base}{path}?lang={language}")
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language
        axe(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} ({language}, {width} px) scrolls sideways by {overflow} px"


def test_a_run_is_approved_by_a_second_person_before_its_bank_file_and_released_in_a_second_step(page, server):
    maker = staff_token(server.settings, {"finance": []}, staff_id=9150, email="maker15@example.org")
    status, run = server.api("POST", "/expenses/api/payment-runs", {}, token=maker)
    if status == 409:
        pytest.skip("no approved claim left in the demo to gather (a rerun against the same server)")
    assert status == 201, run
    run_path = f"/expenses/finance/runs/{run['id']}"
    status, _ = server.api("GET", f"/expenses/api/payment-runs/{run['id']}/export.csv", token=maker)
    assert status == 409, "the maker cannot take the bank file alone"

    sign_in(page, server, "finance2@example.org")
    page.goto(f"{server.base}{run_path}?lang=en")
    assert page.locator("main a[href$='/export.csv']").count() == 0
    _each_view(page, server, run_path)
    _each_view(page, server, f"{run_path}/approve")
    page.goto(f"{server.base}{run_path}/approve?lang=en")
    page.locator(f"main form[action='{run_path}/approve'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "done=approve" in page.url and page.locator("main a[href$='/export.csv']").count() == 1

    _each_view(page, server, run_path)
    _each_view(page, server, f"{run_path}/confirm")
    page.goto(f"{server.base}{run_path}/confirm?lang=en")
    assert "This cannot be undone" in page.locator("main").inner_text()
    page.locator(f"main form[action='{run_path}/confirm'] button[type=submit]").click()
    page.wait_for_load_state()
    assert "done=confirm" in page.url
    assert page.locator("main .kx-summary-list dd").first.inner_text().strip() == "Payments released"
