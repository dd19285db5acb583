"""Deploying built scripts to routers over the RouterOS API: a pure plan (diff) plus a safe apply step.

Modules, in the order a deploy uses them:

* ``credentials`` — passwords from the environment, carried as ``Secret``;
* ``desired``     — ``build/<router>/`` (checked fresh and lint clean) → the wanted ``State``;
* ``transport``   — ``Target`` (the live router, abstract) and ``ApiTarget`` (routeros-api, api-ssl with verification);
* ``preflight``   — version gates, User Manager, device-mode, the API user's policy;
* ``state``       — wanted/actual state types, reading the router, comparing values;
* ``plan``        — the pure diff and its description;
* ``backup``      — backups (JSON + importable .rsc) and loading them for rollback;
* ``apply``       — syntax gate, write, read back, restore on failure;
* ``fleet``       — one router or many (threads), progress and confirmation callbacks;
* ``lab``, ``demo`` — the emulated router for ``rosbill router serve`` and ``rosbill demo``.

Must not: print, prompt or exit (``generator/cli_deploy.py`` does), or touch entries rosbill does not manage.
"""
