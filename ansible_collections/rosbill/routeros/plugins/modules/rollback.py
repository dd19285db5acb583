#!/usr/bin/python
# Copyright: rosbill developers
# MIT License (see the rosbill repository)

from __future__ import annotations

DOCUMENTATION = r"""
module: rollback
short_description: Put a rosbill deploy backup back on a router
description:
  - Restores the managed entries of a backup that rosbill.routeros.deploy (or C(rosbill deploy)) wrote before it
    changed the router. It plans against the router, backs up what is there now, writes, reads back, and restores
    on failure.
    This is C(rosbill rollback) for one router. C(BillingState) and entries rosbill does not manage are left alone.
version_added: 0.1.0
author: rosbill developers (@rosbill)
extends_documentation_fragment:
  - rosbill.routeros.connection
options:
  backup:
    description:
      - The backup file (C(.json) or its C(.rsc) sibling). Mutually exclusive with O(steps) and O(to).
    type: path
  steps:
    description:
      - Go this many deploys back from the router's present state, as C(rosbill rollback --steps N). A rollback's
        own backup is never a step, so a second rollback goes further back instead of undoing the first.
      - The default, when neither O(backup) nor O(to) is given, is 1 (the state before the last deploy).
    type: int
  to:
    description:
      - The id of a backup to restore (C(rosbill backups) lists them), as C(rosbill rollback --to ID).
    type: str
attributes:
  check_mode:
    support: full
    description: Shows what the restore would change; nothing is written.
  diff_mode:
    support: full
    description: Shows the restore plan with script diffs.
"""

EXAMPLES = r"""
- name: Put the router back to where it was before the last deploy
  rosbill.routeros.rollback:
    config: "{{ playbook_dir }}/billing.yaml"
    build_dir: "{{ playbook_dir }}/build"
    router: "{{ inventory_hostname }}"
    hostname: "{{ rosbill_host }}"
    password: "{{ ansible_password }}"
"""

RETURN = r"""
status:
  description: C(unchanged), C(applied) or C(pending) (check mode).
  returned: always
  type: str
  sample: applied
message:
  description: rosbill's summary of the run.
  returned: always
  type: str
restored_from:
  description: The backup that was put back.
  returned: when a backup was found
  type: str
plan:
  description: The changes (action, menu, name, fields), conflicts and notes.
  returned: when the router was reached
  type: dict
writes:
  description: Commands sent that change the router.
  returned: always
  type: int
"""

from pathlib import Path

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rosbill.routeros.plugins.module_utils.rosbill import (
    CONNECTION_ARGS,
    ModuleProblem,
    RosbillError,
    error_text,
    load_config,
    password,
    plan_data,
    plan_diff,
    require_rosbill,
)


def main():
    spec = dict(CONNECTION_ARGS)
    spec["backup"] = {"type": "path"}
    spec["steps"] = {"type": "int"}
    spec["to"] = {"type": "str"}
    module = AnsibleModule(argument_spec=spec, supports_check_mode=True, mutually_exclusive=[("backup", "steps", "to")])
    require_rosbill(module)
    from generator.deploy import backup as backup_stage
    from generator.deploy import fleet
    from generator.deploy.transport import Endpoint

    params = module.params
    try:
        _config, _digest, router = load_config(params, module)
        backups = Path(params["build_dir"]) / "backups"
        if params["backup"]:
            path = Path(params["backup"])
            saved = backup_stage.load(path)
            ident = backup_stage.backup_id(path)
        else:
            if params["steps"] is not None and params["steps"] < 1:
                raise ModuleProblem(f"steps: {params['steps']} is not a number of deploys to go back (1 or more)")
            chosen = backup_stage.choose(backups / router.name, steps=params["steps"], to=params["to"])
            path, ident, saved = chosen.path, chosen.id, chosen.backup
        if saved.router != router.name:
            raise ModuleProblem(f"{path}: a backup of router {saved.router}, not {router.name}")
        secret = password(params, router)
    except (RosbillError, ModuleProblem) as error:
        module.fail_json(msg=error_text(error), status="failed", writes=0)
    endpoint = Endpoint.of(router, params["timeout"])
    job = fleet.rollback_job(
        saved, endpoint, secret, backups, dry_run=module.check_mode, deadline=params["deadline"], backup_id=ident
    )
    log = []
    result = fleet.deploy(job, progress=lambda _router, line: log.append(line))
    out = {
        "status": result.status.value,
        "message": result.message,
        "restored_from": str(path),
        "writes": result.writes,
        "round_trips": result.round_trips,
        "log": log,
        "plan": plan_data(result.plan),
    }
    if result.status in (fleet.Status.FAILED, fleet.Status.RESTORED):
        module.fail_json(msg=f"{router.name}: {result.status.value}: {result.message}", changed=False, **out)
    if module._diff and result.plan is not None and result.plan.has_changes:
        out["diff"] = plan_diff(router.name, result.plan)
    module.exit_json(changed=result.status in (fleet.Status.APPLIED, fleet.Status.PENDING), **out)


if __name__ == "__main__":
    main()
