# Copyright: rosbill developers
# MIT License (see the rosbill repository)
"""Shared code of the rosbill.routeros modules: the options every module takes, the router's entry (the billing
config's entry with the host's inventory variables over it), the build, and plans and results as plain data.

The work is rosbill's own: ``generator.build`` renders and lints, ``generator.deploy`` plans, backs up, applies,
reads back and restores. Nothing here decides what a router should hold, and no password is put in a result, a
message or the log (the password options are ``no_log``; rosbill's messages never carry it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import traceback
from pathlib import Path

ROSBILL_IMPORT_ERROR = None
try:
    from generator import build as build_stage
    from generator import mailtext
    from generator.config import Config, RouterConfig
    from generator.deploy import desired as desired_stage
    from generator.deploy.credentials import Secret, router_password
    from generator.deploy.plan import MENU_NAMES, Plan, describe
    from generator.errors import LintFailed, RosbillError
    from pydantic import ValidationError
except ImportError:  # the module runs under a Python without rosbill: fail_json says which interpreter to use
    ROSBILL_IMPORT_ERROR = traceback.format_exc()
    RosbillError = Exception

#: The options of every module. ``password`` is never logged; without it the router's environment variable
#: (``ROSBILL_PASSWORD_<ROUTER>``, then ``ROSBILL_PASSWORD``) is read, as ``rosbill deploy`` does.
CONNECTION_ARGS = {
    "config": {"type": "path", "required": True},
    "router": {"type": "str", "required": True},
    "build_dir": {"type": "path", "default": "build"},
    "prebuilt": {"type": "bool", "default": False},
    "hostname": {"type": "str"},
    "port": {"type": "int"},
    "tls": {"type": "bool"},
    "ca_file": {"type": "path"},
    "fingerprint": {"type": "str"},
    "username": {"type": "str"},
    "password": {"type": "str", "no_log": True},
    "smtp_password": {"type": "str", "no_log": True},
    "routeros_version": {"type": "str"},
    "timeout": {"type": "float", "default": 15.0},
    "deadline": {"type": "float", "default": 120.0},
}
#: Module option -> RouterConfig field (config/billing.yaml ``routers:`` keys).
OVERRIDES = {
    "hostname": "host",
    "port": "port",
    "tls": "tls",
    "ca_file": "ca_file",
    "fingerprint": "fingerprint",
    "username": "user",
    "routeros_version": "version",
}
SMTP_VARIABLE = "ROSBILL_SMTP_PASSWORD"


class ModuleProblem(Exception):
    """A wrong option or a config that cannot serve this host: the task fails with this message."""


def require_rosbill(module):
    """Fails the task when rosbill cannot be imported by the module's interpreter."""
    if ROSBILL_IMPORT_ERROR is not None:
        from ansible.module_utils.basic import missing_required_lib

        module.fail_json(
            msg=missing_required_lib(
                "rosbill",
                reason="to build and deploy; run the modules on the controller with the Python of rosbill's venv "
                '(ansible_connection: local, ansible_python_interpreter: "{{ ansible_playbook_python }}")',
            ),
            exception=ROSBILL_IMPORT_ERROR,
        )


def router_entry(params, config, config_path):
    """The router to build and reach: the config's entry of ``params['router']`` with the given options over it,
    a new entry from the options when the config has none. Returns (router, config with that entry, changed_build)
    where ``changed_build`` says whether the build differs from what the config file alone builds (version or a
    router the file does not list)."""
    name = params["router"]
    base = None
    for known in config.routers:
        if known.name == name:
            base = known
    # Field by field, not model_dump(): that would turn the version into a plain dict.
    data = {key: getattr(base, key) for key in type(base).model_fields} if base is not None else {"name": name}
    for option, field in OVERRIDES.items():
        if params.get(option) is not None:
            data[field] = params[option]
    missing = [option for option, field in (("hostname", "host"), ("routeros_version", "version")) if field not in data]
    if missing:
        raise ModuleProblem(
            f"router {name}: not in {config_path} routers:, so give {' and '.join(missing)} "
            "(host variables rosbill_host and rosbill_routeros_version in the example inventory)"
        )
    try:
        router = RouterConfig.model_validate(data)
    except ValidationError as error:
        fields = {field: option for option, field in OVERRIDES.items()}
        parts = []
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else ""
            option = fields.get(field, "router" if field == "name" else field)
            parts.append(f"{option}: {problem['msg'].removeprefix('Value error, ')}")
        raise ModuleProblem(f"router {name}: " + "; ".join(parts)) from None
    routers = tuple(router if r.name == name else r for r in config.routers)
    if base is None:
        routers += (router,)
        problems = mailtext.invoice_problems(config.billing.invoice.format, len(routers) > 1)
        if problems:
            raise ModuleProblem(
                f"{config_path}: billing.invoice.format: {problems[0][1]} (router {name} is not in the config's "
                "routers:, so it bills beside them)"
            )
    changed_build = base is None or base.version != router.version
    return router, config.model_copy(update={"routers": routers}), changed_build


def load_config(params, module=None):
    """The config with this host's router entry, the digest its build records, and the router. The config's
    warnings (``file:line:col: key: warning: ...``) become the task's warnings when ``module`` is given."""
    config_path = params["config"]
    config, digest, warnings = build_stage.load_with_warnings(config_path)
    if module is not None:
        for warning in warnings:
            module.warn(str(warning))
    router, config, changed_build = router_entry(params, config, config_path)
    if changed_build:
        # The manifest records what the build came from: the file and, here, the inventory's router entry.
        extra = f"{digest}\nrouter={router.name}\nversion={router.version}\n"
        digest = hashlib.sha256(extra.encode()).hexdigest()
    return config, digest, router


def smtp_secret(params, config):
    if config.smtp is None:
        return None
    if params.get("smtp_password") is not None:
        return Secret(params["smtp_password"])
    if SMTP_VARIABLE in os.environ:
        return Secret(os.environ[SMTP_VARIABLE])
    return None


def password(params, router):
    """The router's API password: the option (vault, ``ansible_password``), else the environment."""
    if params.get("password") is not None:
        return Secret(params["password"])
    found = router_password(router, os.environ)
    if found is None:
        names = " or ".join(router.password_variables)
        raise ModuleProblem(
            f"no password for router {router.name}: give password (e.g. from a vault or ansible_password) or set "
            f"{names}"
        )
    return found.secret


def build_for(params, config, digest, router, out=None):
    """Renders and lints the router's build into ``out`` (default ``build_dir``), or with ``prebuilt`` checks the
    build already there; returns the loaded :class:`~generator.deploy.desired.Build`."""
    out = Path(out or params["build_dir"])
    if not params["prebuilt"] or out != Path(params["build_dir"]):
        (built,) = build_stage.build(config, digest, out, [router.name])
        if built.failing:
            raise LintFailed(built.failing)
        build_stage.write(built, out)
    desired_stage.check_fresh(config, digest, out, router)
    return desired_stage.load(out / router.name, config, router, smtp_password=smtp_secret(params, config))


def scratch_build(params, config, digest, router):
    """A build in a temporary folder (for the read-only facts module), or the prebuilt one."""
    if params["prebuilt"]:
        return build_for(params, config, digest, router)
    with tempfile.TemporaryDirectory(prefix="rosbill-facts-") as folder:
        return build_for(params, config, digest, router, out=folder)


def error_text(error):
    """rosbill's message for a failure (each lint finding on its own line)."""
    if isinstance(error, LintFailed):
        return "lint findings:\n" + "\n".join(str(d) for d in error.diagnostics)
    return str(error)


def plan_data(plan):
    if plan is None:
        return {"changes": [], "conflicts": [], "notes": []}
    return {
        "changes": [
            {"action": c.action.value, "menu": MENU_NAMES[c.menu], "name": c.name, "fields": list(c.fields)}
            for c in plan.pending
        ],
        "conflicts": [c.reason for c in plan.conflicts],
        "notes": list(plan.notes),
    }


def plan_diff(router, plan):
    """The plan's description with every script diff, for ``--diff``."""
    return {"prepared": "\n".join(describe(router, plan, diffs=True, create_diffs=True))}


__all__ = [
    "CONNECTION_ARGS",
    "ROSBILL_IMPORT_ERROR",
    "Config",
    "ModuleProblem",
    "Plan",
    "RosbillError",
    "build_for",
    "error_text",
    "load_config",
    "password",
    "plan_data",
    "plan_diff",
    "require_rosbill",
    "router_entry",
    "scratch_build",
]
