"""When the programme ends, as registration announced it: retention counts from it (docs/privacy.md)."""

from shared.privacy import ProgrammeEndMixin

from .base import Base


class ProgrammeEnd(ProgrammeEndMixin, Base):
    __doc__ = ProgrammeEndMixin.__doc__
