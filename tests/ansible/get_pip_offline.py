"""Offline stand-in for the get-pip.py that ansible-test downloads for its sanity venvs (tests/ansible/sanity.sh).

This machine reaches package registries but not bootstrap.pypa.io: the pip bundled with Python (ensurepip) is
installed instead, and given the pip settings of the Python the venv was made from (index, certificate), which its
pip would otherwise not see.
"""

import ensurepip
import os
import subprocess
import sys

settings = subprocess.run(
    [getattr(sys, "_base_executable", sys.executable), "-m", "pip", "config", "list"],
    capture_output=True, text=True, check=False,
).stdout.splitlines()  # fmt: skip
lines = ["[global]"]
for line in settings:  # e.g. global.cert='/etc/ssl/certs/ca-certificates.crt'
    key, _, value = line.partition("=")
    if key.startswith(("global.", ":env:.")) and value:
        lines.append(f"{key.split('.', 1)[1]} = {value.strip(chr(39) + chr(34))}")
with open(os.path.join(sys.prefix, "pip.conf"), "w", encoding="utf-8") as conf:
    conf.write("\n".join(lines) + "\n")
# The bundled pip, not the version ansible-test names (the index may not have it): it only needs a working pip.
ensurepip.bootstrap(upgrade=True)
