"""The programmes, as registration last announced them (shared/programme_projection.py)."""

from shared.programme_projection import ProgrammeMixin

from .base import Base


class Programme(ProgrammeMixin, Base):
    __doc__ = ProgrammeMixin.__doc__
