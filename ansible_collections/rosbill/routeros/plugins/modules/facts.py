#!/usr/bin/python
# Copyright: rosbill developers
# MIT License (see the rosbill repository)

from __future__ import annotations

DOCUMENTATION = r"""
module: facts
short_description: Read-only report of a rosbill router
description:
  - Connects over the RouterOS API and reads, without writing anything, what the router runs against what the
    build wants, and sets it as the fact C(rosbill).
  - Version gates (the build's RouterOS version against the router's, every gate that differs), rosbill's
    preflight verdict, each managed script's SHA-256 on the router against the build's, the pending plan (what
    rosbill.routeros.deploy would change), and a billing state summary (the C(BillingState) ledger and the users'
    comment blocks).
  - The build is made in a temporary folder (or, with O(prebuilt), the one in O(build_dir) is checked and read).
version_added: 0.1.0
author: rosbill developers (@rosbill)
extends_documentation_fragment:
  - rosbill.routeros.connection
attributes:
  check_mode:
    support: full
    description: The module never writes; check mode changes nothing.
"""

EXAMPLES = r"""
- name: Report
  rosbill.routeros.facts:
    config: "{{ playbook_dir }}/billing.yaml"
    router: "{{ inventory_hostname }}"
    hostname: "{{ rosbill_host }}"
    routeros_version: "{{ rosbill_routeros_version }}"
    password: "{{ ansible_password }}"
- name: Show it
  ansible.builtin.debug:
    msg: "{{ rosbill.in_sync }} {{ rosbill.billing.ledger }}"
"""

RETURN = r"""
ansible_facts:
  description: The report, as the fact C(rosbill).
  returned: always
  type: complex
  contains:
    rosbill:
      description:
        - C(routeros_version) (as the router prints it), C(build_version), C(gate_differences) (list),
          C(preflight) (C(ok) or rosbill's refusal), C(scripts) (name, build_sha256, router_sha256, managed,
          matches), C(in_sync) (no change pending), C(pending) (the plan's changes), C(conflicts), and C(billing)
          with C(ledger) (the BillingState keys), C(users), C(users_with_state), C(mails_pending),
          C(last_periods) (users per last billed period) and C(warning_levels) (users per last warned level).
      type: dict
      returned: always
"""

import hashlib
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rosbill.routeros.plugins.module_utils.rosbill import (
    CONNECTION_ARGS,
    ModuleProblem,
    RosbillError,
    error_text,
    load_config,
    password,
    plan_data,
    require_rosbill,
    scratch_build,
)

_BLOCK = re.compile(r"rb\{([^}]*)\}")


def block(comment):
    """The ``rb{...}`` pairs of a comment (docs/comment-format.md), or None without a block."""
    found = _BLOCK.search(comment)
    if found is None:
        return None
    pairs = {}
    for pair in found.group(1).split(";"):
        key, sep, value = pair.partition("=")
        if sep:
            pairs[key] = value
    return pairs


def billing_summary(target, running, ledger_row):
    from generator.dialects import for_version

    dialect = for_version(running)
    menu = dialect.um_menu.replace(" ", "/") + "/user"
    rows = target.print(menu, (dialect.login_field, "comment"))
    summary = {
        "ledger": block(ledger_row.get("comment", b"").decode("utf-8", "replace")) if ledger_row else None,
        "users": len(rows),
        "users_with_state": 0,
        "mails_pending": 0,
        "last_periods": {},
        "warning_levels": {},
    }
    for row in rows:
        pairs = block(row.get("comment", b"").decode("utf-8", "replace"))
        if pairs is None:
            continue
        summary["users_with_state"] += 1
        if any(pairs.get(k, "ok") != "ok" for k in ("um", "am")):
            summary["mails_pending"] += 1
        for key, into in (("per", "last_periods"), ("lvl", "warning_levels")):
            if key in pairs:
                summary[into][pairs[key]] = summary[into].get(pairs[key], 0) + 1
    return summary


def report(target, build, router):
    from generator.deploy import preflight
    from generator.deploy.plan import plan
    from generator.deploy.state import SCRIPT, is_managed, normalise_source, read_actual
    from generator.render import LEDGER_NAME

    rows = target.print("/system/resource", ("version",))
    version_text = rows[0].get("version", b"").decode("utf-8", "replace") if rows else ""
    running = preflight.parse_version(version_text)
    try:
        preflight.check(target, build.version, router.user)
        verdict = "ok"
    except preflight.PreflightRefused as refused:
        verdict = str(refused)
    actual = read_actual(target, email=build.state.email is not None)
    by_name = {row.get("name", b"").decode("utf-8", "replace"): row for row in actual.scripts}
    scripts = []
    for entry in build.state.entries:
        if entry.menu != SCRIPT:
            continue
        row = by_name.get(entry.name)
        want = hashlib.sha256(normalise_source(entry.value("source") or b"")).hexdigest()
        have = hashlib.sha256(normalise_source(row["source"])).hexdigest() if row and "source" in row else None
        scripts.append({"name": entry.name, "build_sha256": want, "router_sha256": have,
                        "managed": bool(row) and is_managed(row), "matches": want == have})  # fmt: skip
    pending = plan(build.state, actual)
    summary = plan_data(pending)
    return {
        "router": router.name,
        "routeros_version": version_text,
        "build_version": str(build.version),
        "gate_differences": preflight.gate_differences(build.version, running),
        "preflight": verdict,
        "scripts": scripts,
        "in_sync": not pending.has_changes and not pending.conflicts,
        "pending": summary["changes"],
        "conflicts": summary["conflicts"],
        "billing": billing_summary(target, running, by_name.get(LEDGER_NAME)),
    }


def main():
    module = AnsibleModule(argument_spec=dict(CONNECTION_ARGS), supports_check_mode=True)
    require_rosbill(module)
    from generator.deploy.transport import ApiTarget, Deadline, Endpoint

    params = module.params
    try:
        config, digest, router = load_config(params, module)
        build = scratch_build(params, config, digest, router)
        secret = password(params, router)
        target = ApiTarget.connect(Endpoint.of(router, params["timeout"]), secret, Deadline(params["deadline"]))
        try:
            facts = report(target, build, router)
        finally:
            target.close()
    except (RosbillError, ModuleProblem) as error:
        module.fail_json(msg=f"{params['router']}: {error_text(error)}")
    module.exit_json(changed=False, ansible_facts={"rosbill": facts})


if __name__ == "__main__":
    main()
