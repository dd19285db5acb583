# Copyright: rosbill developers
# MIT License (see the rosbill repository)
"""The options every rosbill.routeros module shares: the billing config, the build and how to reach the router."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  config:
    description:
      - Path of the billing config (C(config/billing.yaml)). Its C(routers:) entry named O(router) gives the defaults
        for every connection option below; the options given here (the host's inventory variables) win.
    type: path
    required: true
  router:
    description:
      - The router's name, as in the config's C(routers:) (usually C({{ inventory_hostname }})).
      - A router the config does not list is built from the options alone; O(hostname) and O(routeros_version) are
        then required, and the config's invoice format must contain C({router}).
    type: str
    required: true
  build_dir:
    description:
      - The build folder. The router's build is written to C(<build_dir>/<router>/), backups to
        C(<build_dir>/backups/<router>/).
    type: path
    default: build
  prebuilt:
    description:
      - Use the build already in O(build_dir) (made by C(rosbill build)) instead of building. It is checked to be
        exactly what the config builds now and lint clean, else the task fails without connecting.
    type: bool
    default: false
  hostname:
    description: The router's address (the config's C(host)).
    type: str
  port:
    description: The API port (default 8729 with TLS, 8728 without).
    type: int
  tls:
    description: Use api-ssl (default true); V(false) uses the plain API.
    type: bool
  ca_file:
    description: CA certificate file that verifies the router's certificate (chain and host name).
    type: path
  fingerprint:
    description: SHA-256 fingerprint of the router's self-signed certificate (C(AB:CD:...)), checked before login.
    type: str
  username:
    description: The API user (the config's C(user)).
    type: str
  password:
    description:
      - The API password, e.g. C({{ ansible_password }}) from a vault-encrypted host variable. Never logged.
      - Without it the environment variable C(ROSBILL_PASSWORD_<ROUTER>), then C(ROSBILL_PASSWORD), is read.
    type: str
  smtp_password:
    description:
      - The C(/tool e-mail) password when the config has C(smtp:); else C(ROSBILL_SMTP_PASSWORD). Never logged.
    type: str
  routeros_version:
    description:
      - The RouterOS version the router runs (the config's C(version)); the build is made for it and preflight
        refuses a router whose version gates differ.
    type: str
  timeout:
    description: Longest wait for any one answer from the router, in seconds.
    type: float
    default: 15.0
  deadline:
    description: Longest time the whole run on this router may take, in seconds (a restore gets as long again).
    type: float
    default: 120.0
notes:
  - Runs on the controller (C(ansible_connection=local)) with a Python that imports rosbill, e.g.
    C(ansible_python_interpreter={{ ansible_playbook_python }}) when ansible-core is installed in rosbill's venv.
requirements:
  - rosbill (this repository, installed in the interpreter the module runs with)
"""
