"""Expenses configuration: its variables, checked once and cached per configuration.

| variable | meaning | embedded default |
|---|---|---|
| `KX_EXPENSES_KEYS` | Fernet keys that encrypt bank details, comma-separated, newest first (older ones still decrypt; rows are re-encrypted with the newest by the worker) | one key generated into `var/expenses_keys` |
| `KX_EXPENSES_CLAIM_DAYS` | days after an exchange ends during which its attendees may claim | `90` |
| `KX_EXPENSES_RATES_FILE` | TOML file of mileage rates, caps and limits | `services/expenses/rates.toml` |
| `KX_EXPENSES_RECEIPTS_DIR` | where receipt files are kept (never a served folder) | `var/receipts` |
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from shared.config import ConfigError, Settings
from shared.private_files import write_private

from .operations.rates import RateTable, load_rates

DEFAULT_RATES_FILE = Path(__file__).parent / "rates.toml"


@dataclass(frozen=True)
class ExpensesSettings:
    #: Fernet keys, newest first
    keys: tuple[str, ...]
    claim_days: int
    rates: RateTable
    receipts_dir: Path


def expenses_settings(settings: Settings) -> ExpensesSettings:
    env = settings.extra
    return _load(str(settings.var_dir), settings.embedded_bus, env.get("KX_EXPENSES_KEYS", ""),
                 env.get("KX_EXPENSES_CLAIM_DAYS", ""), env.get("KX_EXPENSES_RATES_FILE", ""),
                 env.get("KX_EXPENSES_RECEIPTS_DIR", ""))


@functools.lru_cache(maxsize=16)
def _load(var_dir: str, embedded: bool, keys: str, claim_days: str, rates_file: str, receipts_dir: str):
    return ExpensesSettings(
        keys=_keys(keys, Path(var_dir), embedded),
        claim_days=_claim_days(claim_days),
        rates=load_rates(Path(rates_file) if rates_file else DEFAULT_RATES_FILE),
        receipts_dir=Path(receipts_dir).resolve() if receipts_dir else Path(var_dir) / "receipts",
    )


def _claim_days(value: str) -> int:
    if not value:
        return 90
    if not value.isdecimal() or not 1 <= int(value) <= 3650:
        raise ConfigError("KX_EXPENSES_CLAIM_DAYS", "must be a whole number of days between 1 and 3650")
    return int(value)


def _keys(value: str, var_dir: Path, embedded: bool) -> tuple[str, ...]:
    if value:
        keys = tuple(k.strip() for k in value.split(",") if k.strip())
        for key in keys:
            try:
                Fernet(key)
            except (ValueError, TypeError):
                raise ConfigError("KX_EXPENSES_KEYS", "each key must be a Fernet key "
                                  "(python -c 'from cryptography.fernet import Fernet; "
                                  "print(Fernet.generate_key().decode())')") from None
        return keys
    if not embedded:
        raise ConfigError("KX_EXPENSES_KEYS", "is required: it encrypts claimants' bank details")
    # The embedded default keeps one generated key beside the secret key, so that data survives a restart.
    key_file = var_dir / "expenses_keys"
    if not key_file.exists():
        write_private(key_file, Fernet.generate_key())
    return tuple(k.strip() for k in key_file.read_text().split(",") if k.strip())
