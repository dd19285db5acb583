"""``rosbill probe``: settle on a real router what the billing scripts assume (docs/probe.md, docs/assumptions.md).

``script.py`` builds the temporary probe script (through the one encoder), ``observe.py`` turns what the router
returned into one verdict per register row (pure functions), ``apply.py`` is the one step that talks to the router
(over deploy's transport), ``profile.py`` keeps the result next to the config and lets ``build`` refuse settings it
contradicts.
"""
