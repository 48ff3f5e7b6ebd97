"""Money rules, as pure functions over integer pence and tenths of a mile.

Mileage is priced at the HMRC rate in force on the journey's date. A car's first `band_miles` miles
in a tax year (6 April to 5 April) are paid at `car_pence`, the rest at `car_after_band_pence`; the
band counts the claimant's car miles across all their live claims of that tax year. Amounts round
half up to the penny once per journey, never per mile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .rates import MileageRate


def tax_year(day: date) -> int:
    """The tax year a date falls in, named by the year it starts (6 April 2025 → 2025)."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


@dataclass(frozen=True)
class Mileage:
    pence: int
    #: car miles (in tenths) this journey adds to the tax year's band
    band_tenths: int
    #: a human-readable working, e.g. "120 mi at 45p + 10 mi at 25p + 130 mi × 1 passenger at 5p"
    working: str


def price_journey(rate: MileageRate, vehicle: str, tenths: int, passengers: int, band_used_tenths: int) -> Mileage:
    """The allowance for one journey, given the car miles (tenths) already counted this tax year."""
    parts: list[tuple[int, int, int]] = []  # (tenths of a mile, pence per mile, passengers or 0)
    band_tenths = 0
    if vehicle == "car":
        inside = min(tenths, max(rate.band_miles * 10 - band_used_tenths, 0))
        if inside:
            parts.append((inside, rate.car_pence, 0))
        if tenths - inside:
            parts.append((tenths - inside, rate.car_after_band_pence, 0))
        if passengers:
            parts.append((tenths, rate.passenger_pence, passengers))
        band_tenths = tenths
    else:
        parts.append((tenths, rate.motorcycle_pence if vehicle == "motorcycle" else rate.bicycle_pence, 0))
    tenth_pence = sum(t * p * max(n, 1) for t, p, n in parts)
    pence = (tenth_pence + 5) // 10  # half up, once per journey
    working = " + ".join(_working(t, p, n) for t, p, n in parts)
    return Mileage(pence=pence, band_tenths=band_tenths, working=working or "0 mi")


def _working(tenths: int, pence: int, passengers: int) -> str:
    if passengers:
        return f"{miles_text(tenths)} mi × {passengers} passenger{'s' if passengers > 1 else ''} at {pence}p"
    return f"{miles_text(tenths)} mi at {pence}p"


def miles_text(tenths: int) -> str:
    whole, tenth = divmod(tenths, 10)
    return f"{whole:,}" if not tenth else f"{whole:,}.{tenth}"


def tenths_of(value) -> int | None:
    """Miles as given (a number or text, at most one decimal place) in tenths; None if not that."""
    try:
        number = Decimal(str(value).strip().replace(",", ""))
        # quantize refuses a number too long for the context's precision (1e30): not miles either
        if not number.is_finite() or number != number.quantize(Decimal("0.1")):
            return None
    except (InvalidOperation, ValueError):
        return None
    return int(number * 10)


def pence_of(value) -> int | None:
    """Pounds as typed ("12", "12.5", "£1,012.50") in pence; None if not a sum of money."""
    text = str(value).strip().lstrip("£").replace(",", "").strip()
    if not text or text.startswith(("+",)):
        return None
    try:
        number = Decimal(text)
        if not number.is_finite() or number != number.quantize(Decimal("0.01")):
            return None
    except (InvalidOperation, ValueError):
        return None
    return int(number * 100)


def pounds(pence: int | None) -> str:
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
