"""What expenses does, as functions over a session: they add rows and emit events, then flush.

The caller (an API view, a page or a bus handler) commits once. Refusals are
`shared.errors.ApiError`s, which the API answers in the one error format and the pages show beside
their fields. One module per concern; callers import the module they need (`from .operations
import claims`), so this package imports nothing itself.

- `claims`: who may claim, a claim's lifecycle (every status change goes through `claims.move`),
  finance's decisions, and the claim events
- `items`: a claim's lines checked, priced and flagged; `pricing` and `rates` the money rules
- `receipts`: receipt files checked by content and kept; `bank`: bank details sealed and masked
- `history`: the append-only claim history; `access`: who is asking (claimant or finance)
- `queue`: finance's queue and dashboard; `runs`: payment runs; `exports`: a run as a bank file
"""
