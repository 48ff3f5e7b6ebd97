"""How a delivery attempt fails. The reason is the SMTP code and text, or the kind of error:
never the message's body."""


class DeliveryFailure(Exception):
    loggable = True

    def __init__(self, reason: str, code: int | None = None):
        super().__init__(reason[:500])
        self.reason = reason[:500]
        self.code = code


class TemporaryFailure(DeliveryFailure):
    """Worth trying again later: a 4xx answer, or the server could not be reached."""


class PermanentFailure(DeliveryFailure):
    """Will never succeed as it is: a 5xx answer, or an address that is not an address."""
