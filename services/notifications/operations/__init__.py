"""What notifications does, as functions over a session: they add rows and flush, never commit.

One module per concern: what booking events mean (`bookings`), the projection of registration's
data (`projections`), recording a message (`messages`, written by `rendering` with `calendar`'s
`.ics`), reminders, the hosts' joining information (`announcements`), the staff's delivery log
(`delivery_log`), and the send job that delivers what was recorded (`sending`; scheduled by
`jobs.py`). The caller commits: a view's request, a handler's bus message, a job's transaction.
"""
