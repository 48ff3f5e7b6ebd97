"""Mileage: the rate in force on the journey's date, and the 10,000-mile band per tax year across claims."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from services.expenses.config import DEFAULT_RATES_FILE
from services.expenses.operations.pricing import pence_of, price_journey, tax_year, tenths_of
from services.expenses.operations.rates import load_rates

from .conftest import DAY, TOKEN, journey, submit

RATES = load_rates(DEFAULT_RATES_FILE)


def test_tax_years_run_from_6_april_to_5_april():
    assert tax_year(date(2026, 4, 5)) == 2025
    assert tax_year(date(2026, 4, 6)) == 2026
    assert tax_year(date(2027, 1, 1)) == 2026


def test_the_rate_in_force_on_the_journey_date_applies_across_the_tax_year_boundary():
    before, after = RATES.rate_on(date(2026, 4, 5)), RATES.rate_on(date(2026, 4, 6))
    assert (before.car_pence, before.car_after_band_pence, before.motorcycle_pence, before.bicycle_pence,
            before.passenger_pence) == (45, 25, 24, 20, 5)
    assert before.verified
    assert after.car_pence == 55 and not after.verified  # reported, to be confirmed by finance
    assert price_journey(before, "car", 1000, 0, 0).pence == 4500
    assert price_journey(after, "car", 1000, 0, 0).pence == 5500


def test_every_mileage_row_cites_its_source():
    assert all(row.source.strip() and row.status for row in RATES.mileage)


def test_car_miles_past_10000_in_the_tax_year_are_paid_at_the_lower_rate():
    rate = RATES.rate_on(date(2025, 6, 1))
    priced = price_journey(rate, "car", 1000, 0, band_used_tenths=99_950)  # 9,995 miles already
    assert priced.pence == 5 * 45 + 95 * 25
    assert priced.working == "5 mi at 45p + 95 mi at 25p"


def test_passengers_are_paid_per_passenger_per_mile_and_rounding_is_once_per_journey():
    rate = RATES.rate_on(date(2025, 6, 1))
    assert price_journey(rate, "car", 125, 2, 0).pence == 563 + 125  # 12.5 mi × 45p = 562.5 → 563 with 125p
    assert price_journey(rate, "motorcycle", 100, 0, 0).pence == 240
    assert price_journey(rate, "bicycle", 100, 0, 0).pence == 200


def test_motorcycle_and_bicycle_miles_do_not_use_the_car_band():
    rate = RATES.rate_on(date(2025, 6, 1))
    assert price_journey(rate, "bicycle", 100, 0, 0).band_tenths == 0
    assert price_journey(rate, "car", 100, 0, 10**6).pence == 250


def test_miles_and_money_parse_exactly():
    assert tenths_of("12.5") == 125 and tenths_of(3) == 30
    assert tenths_of("12.55") is None and tenths_of("nan") is None and tenths_of("x") is None
    assert tenths_of("1e30") is None and tenths_of(1e300) is None  # too long to quantize: refused, not a 500
    assert pence_of("£1,012.50") == 101250 and pence_of("0.1") == 10
    assert pence_of("1e30") is None
    assert pence_of("1.234") is None and pence_of("") is None and pence_of("ten") is None


def test_the_band_counts_the_claimants_car_miles_across_their_claims(client, bus):
    rate = RATES.rate_on(DAY)
    bus.exchange(2)
    bus.attended(1, 2)
    first = submit(client, [journey(999)] * 10)  # 9,990 car miles on the first claim
    assert first.status_code == 201
    assert first.json["total_pence"] == 9990 * rate.car_pence  # all inside the band
    second = submit(client, [journey(20)], exchange_id=2)
    assert second.status_code == 201
    # 10 miles left in the band, then 10 at the lower rate
    assert second.json["items"][0]["amount_pence"] == 10 * rate.car_pence + 10 * rate.car_after_band_pence


def test_a_new_tax_year_starts_a_new_band(runtime, embedded_settings, bus):
    """Journeys either side of 6 April: the one before fills the old year's band, the next starts afresh."""
    from services.expenses.operations import claims
    from services.expenses.operations.access import claimant_for

    settings = dataclasses.replace(embedded_settings, extra={**embedded_settings.extra,
                                                             "KX_EXPENSES_CLAIM_DAYS": "3650"})
    bus.exchange(5, ends=datetime(2026, 4, 5, 16, 0, tzinfo=UTC))
    bus.attended(1, 5)
    with runtime.session() as session, session.begin():
        claimant = claimant_for(session, TOKEN)
        claim = claims.start_claim(session, claimant, 5, settings)
        items = [_loaded(journey(999, day=date(2026, 4, 4))) for _ in range(10)]
        items += [_loaded(journey(20, day=date(2026, 4, 5))), _loaded(journey(20, day=date(2026, 4, 6)))]
        rows = claims.set_items(session, claim, items, settings)
        old_year = [r for r in rows if r.day == date(2026, 4, 5)][0]
        new_year = [r for r in rows if r.day == date(2026, 4, 6)][0]
        assert old_year.amount_pence == 10 * 45 + 10 * 25
        assert new_year.amount_pence == 20 * 55


def _loaded(raw: dict) -> dict:
    from services.expenses.schemas import ItemInput

    return ItemInput().load(raw)


@pytest.mark.parametrize("vehicle", ["motorcycle", "bicycle"])
def test_passengers_only_in_a_car(client, bus, vehicle):
    response = submit(client, [journey(10, vehicle=vehicle, passengers=1)])
    assert response.status_code == 422
    assert "items.0.passengers" in response.json["error"]["fields"]
