#!/usr/bin/python
# Copyright: rosbill developers
# MIT License (see the rosbill repository)

from __future__ import annotations

DOCUMENTATION = r"""
module: deploy
short_description: Build rosbill's billing scripts for a router and converge the router to them
description:
  - Renders and lints the router's build (or takes a prebuilt one), connects over the RouterOS API, runs rosbill's
    preflight (version gates, User Manager, device-mode, the API user's policy), plans the changes to the
    C(/system script) and C(/system scheduler) entries whose comment starts with C(managed by rosbill) (and
    C(/tool e-mail) when the config has C(smtp:)), backs up, writes, reads back, and restores the backup on any
    failure. This is C(rosbill deploy) for one router.
  - Entries rosbill does not manage are never written; one with a wanted name is a conflict and fails the task.
version_added: 0.1.0
author: rosbill developers (@rosbill)
extends_documentation_fragment:
  - rosbill.routeros.connection
attributes:
  check_mode:
    support: full
    description: A dry run with the plan; nothing is written to the router (the build folder is still written).
  diff_mode:
    support: full
    description: Shows the plan with the unified diff of every script source it changes.
"""

EXAMPLES = r"""
- name: Converge the billing scripts
  rosbill.routeros.deploy:
    config: "{{ playbook_dir }}/billing.yaml"
    build_dir: "{{ playbook_dir }}/build"
    router: "{{ inventory_hostname }}"
    hostname: "{{ rosbill_host }}"
    port: "{{ rosbill_port | default(omit) }}"
    fingerprint: "{{ rosbill_fingerprint | default(omit) }}"
    routeros_version: "{{ rosbill_routeros_version }}"
    password: "{{ ansible_password }}"
"""

RETURN = r"""
status:
  description: C(unchanged), C(applied), C(pending) (check mode); a failed task says C(failed) or C(restored).
  returned: always
  type: str
  sample: applied
message:
  description: rosbill's summary of the run.
  returned: always
  type: str
  sample: 8 change(s) written and verified
plan:
  description: The changes (action, menu, name, fields; never values), conflicts and notes.
  returned: when the router was reached
  type: dict
writes:
  description: Commands sent that change the router (0 when nothing was written).
  returned: always
  type: int
round_trips:
  description: API commands sent in all.
  returned: always
  type: int
routeros_version:
  description: The version the router reported.
  returned: when the router was reached
  type: str
backup:
  description: The backup written before the changes (restore it with rosbill.routeros.rollback).
  returned: when something was written
  type: str
restored:
  description: On failure after writing began, whether the backup was put back and verified.
  returned: on failure
  type: bool
log:
  description: rosbill's progress lines for this router.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.rosbill.routeros.plugins.module_utils.rosbill import (
    CONNECTION_ARGS,
    ModuleProblem,
    RosbillError,
    build_for,
    error_text,
    load_config,
    password,
    plan_data,
    plan_diff,
    require_rosbill,
)


def main():
    module = AnsibleModule(argument_spec=dict(CONNECTION_ARGS), supports_check_mode=True)
    require_rosbill(module)
    from generator.deploy import fleet
    from generator.deploy.transport import Endpoint

    params = module.params
    try:
        config, digest, router = load_config(params, module)
        build = build_for(params, config, digest, router)
        secret = password(params, router)
    except (RosbillError, ModuleProblem) as error:
        module.fail_json(msg=error_text(error), status="failed", restored=False, writes=0, round_trips=0, log=[])
    endpoint = Endpoint.of(router, params["timeout"])
    backups = build.folder.parent / "backups"
    job = fleet.deploy_job(build, endpoint, secret, backups, dry_run=module.check_mode, deadline=params["deadline"])
    log = []
    result = fleet.deploy(job, progress=lambda _router, line: log.append(line))
    out = {
        "status": result.status.value,
        "message": result.message,
        "writes": result.writes,
        "round_trips": result.round_trips,
        "routeros_version": result.version,
        "notes": list(result.notes),
        "log": log,
        "plan": plan_data(result.plan),
        "seconds": round(result.seconds, 3),
    }
    if result.backup is not None:
        out["backup"] = str(result.backup)
    if result.status in (fleet.Status.FAILED, fleet.Status.RESTORED):
        module.fail_json(msg=f"{router.name}: {result.status.value}: {result.message}",
                         restored=result.status is fleet.Status.RESTORED, changed=False, **out)  # fmt: skip
    changed = result.status in (fleet.Status.APPLIED, fleet.Status.PENDING)
    if module._diff and result.plan is not None and result.plan.has_changes:
        out["diff"] = plan_diff(router.name, result.plan)
    module.exit_json(changed=changed, **out)


if __name__ == "__main__":
    main()
