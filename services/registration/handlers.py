"""What registration does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and emits events, and
never commits itself.
"""

from shared.service import Handler

HANDLERS: tuple[Handler, ...] = ()
