"""What learning does, one module per concern: functions over a session that add rows and emit
events, then flush. The caller (a request, whose end is the commit point, or a handler) commits.

- `summaries`: a host's summary, its versions, submission, approval and return; themes; settings
- `participants`: reflections and feedback through a participant's manage link
- `figures`: feedback rates, participation and impact, with small counts suppressed
- `library`: the public library of approved, published summaries
- `access`: who may do what with a summary or a pack
"""
