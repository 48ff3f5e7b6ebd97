"""Staff roles granted directly (host scopes come from the exchanges' host accounts)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class StaffRole(Base):
    """`admin` and `finance` with an empty scope; `theme_lead` scoped to a theme code."""

    __tablename__ = "staff_roles"
    __table_args__ = (CheckConstraint("role IN ('admin', 'theme_lead', 'finance')", name="role_known"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: a theme code for theme_lead; "" for unscoped roles
    scope: Mapped[str] = mapped_column(String(20), primary_key=True, default="")
