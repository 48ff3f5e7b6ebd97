"""The lines of a claim: journeys priced by the server, and costs with their receipts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

ITEM_TYPES = ("mileage", "public_transport", "parking", "accommodation", "subsistence", "carer", "other")


class ClaimItem(Base):
    __tablename__ = "claim_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    #: order on the claim
    position: Mapped[int] = mapped_column(Integer)
    #: one of ITEM_TYPES
    type: Mapped[str] = mapped_column(String(20))
    #: the day of the journey or cost
    day: Mapped[date] = mapped_column(Date)
    #: what it was (for mileage, "from → to")
    description: Mapped[str] = mapped_column(String(500), default="")
    #: mileage only: where from and to
    from_place: Mapped[str | None] = mapped_column(String(200), nullable=True)
    to_place: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: mileage only: distance in tenths of a mile
    miles_tenths: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: mileage only: car | motorcycle | bicycle
    vehicle: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: mileage only: passengers carried (car or van)
    passengers: Mapped[int] = mapped_column(Integer, default=0)
    #: mileage only: how the server priced it, e.g. "120 mi at 45p"
    working: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: mileage only: car miles (tenths) counted in the tax year's 10,000-mile band
    band_tenths: Mapped[int] = mapped_column(Integer, default=0)
    #: accommodation only: nights the amount covers
    nights: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: computed for mileage, given for costs
    amount_pence: Mapped[int] = mapped_column(Integer)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"), nullable=True, index=True)
    #: why there is no receipt (flagged for finance)
    lost_receipt_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: why it is over its cap (flagged for finance; the amount is never cut)
    over_cap_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: space-separated flag codes for finance; "" when none
    flags: Mapped[str] = mapped_column(String(200), default="")
    #: finance's decision on this line when approving selected lines; None before a decision
    approved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    def flag_list(self) -> list[str]:
        return self.flags.split() if self.flags else []
