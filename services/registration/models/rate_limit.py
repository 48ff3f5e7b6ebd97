"""Rate-limit counts (applications, failed sign-ins), shared by every web process (shared/ratelimit.py)."""

from shared.ratelimit import RateLimitMixin

from .base import Base


class RateLimit(RateLimitMixin, Base):
    """Hits on one hashed key in one window; rows go two windows later."""
