"""The dated table of mileage rates, the caps per item type and the limits, from a TOML file.

Every figure finance relies on lives in that file (`rates.toml`), each mileage row with its source,
so that a change of HMRC rate is an edit of one file, reviewed like code.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from shared.config import ConfigError

VEHICLES = ("car", "motorcycle", "bicycle")
CAP_PERIODS = ("item", "night", "day")


@dataclass(frozen=True)
class MileageRate:
    valid_from: date
    #: inclusive; None means "until further notice"
    valid_to: date | None
    car_pence: int
    car_after_band_pence: int
    band_miles: int
    motorcycle_pence: int
    bicycle_pence: int
    passenger_pence: int
    source: str
    status: str

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def verified(self) -> bool:
        return self.status == "verified"


@dataclass(frozen=True)
class Cap:
    pence: int
    #: item | night | day
    per: str


@dataclass(frozen=True)
class RateTable:
    mileage: tuple[MileageRate, ...]
    caps: dict[str, Cap]
    max_item_pence: int
    confirm_miles_over: int
    max_miles: int
    days_around_exchange: int

    def rate_on(self, day: date) -> MileageRate | None:
        return next((row for row in self.mileage if row.covers(day)), None)


def load_rates(path: Path) -> RateTable:
    variable = "KX_EXPENSES_RATES_FILE"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(variable, f"{path} cannot be read as TOML ({type(error).__name__})") from None
    try:
        mileage = tuple(sorted((_mileage(row) for row in raw["mileage"]), key=lambda r: r.valid_from))
        caps = {kind: Cap(int(cap["pence"]), cap["per"]) for kind, cap in raw.get("caps", {}).items()}
        limits = raw["limits"]
        table = RateTable(mileage=mileage, caps=caps, max_item_pence=int(limits["max_item_pence"]),
                          confirm_miles_over=int(limits["confirm_miles_over"]), max_miles=int(limits["max_miles"]),
                          days_around_exchange=int(limits["days_around_exchange"]))
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(variable, f"{path}: missing or malformed entry ({error})") from None
    _check(table, variable)
    return table


def _mileage(row: dict) -> MileageRate:
    return MileageRate(
        valid_from=row["valid_from"], valid_to=row.get("valid_to"), car_pence=int(row["car_pence"]),
        car_after_band_pence=int(row["car_after_band_pence"]), band_miles=int(row["band_miles"]),
        motorcycle_pence=int(row["motorcycle_pence"]), bicycle_pence=int(row["bicycle_pence"]),
        passenger_pence=int(row["passenger_pence"]), source=str(row["source"]), status=str(row["status"]))


def _check(table: RateTable, variable: str) -> None:
    for earlier, later in zip(table.mileage, table.mileage[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise ConfigError(variable, f"mileage rows overlap at {later.valid_from}")
    for row in table.mileage:
        if not isinstance(row.valid_from, date) or not row.source.strip():
            raise ConfigError(variable, "every mileage row needs a valid_from date and a source")
    for kind, cap in table.caps.items():
        if cap.per not in CAP_PERIODS or cap.pence <= 0:
            raise ConfigError(variable, f"caps.{kind}: per must be one of {', '.join(CAP_PERIODS)} and pence > 0")
