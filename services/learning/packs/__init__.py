"""Workshop packs: what goes in (`context`), how it is drawn (`charts`, `render`), when it is
built (`requests`, `build`: in the worker, never in a web request) and how it is served (`download`)."""
