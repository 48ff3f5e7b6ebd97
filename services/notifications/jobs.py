"""Notifications' periodic jobs, run by its worker (shared.service.Periodic).

"send" delivers the messages recorded by handlers, reminders and hosts (`operations/sending.py`:
each once, however many workers run it); "remind" turns due reminders into messages
(`operations/reminders.py`). Retention is `privacy.RETENTION`.
"""

from __future__ import annotations

from shared.service import Periodic

from .operations.reminders import remind_due
from .operations.sending import send_due

#: every 0.2 s, again at once while it finds work, and at once when a message is recorded here
SEND = Periodic("send", send_due, interval=0.2)
REMIND = Periodic("remind", remind_due, interval=30.0)
