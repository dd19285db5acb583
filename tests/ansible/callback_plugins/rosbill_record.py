"""An Ansible callback for the tests: every task result as one JSON line in the file named by ROSBILL_RECORD
(host, task, action, changed, failed, the module's return values), so tests check what each host got without
parsing the human output."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: rosbill_record
type: aggregate
short_description: task results as JSON lines (rosbill tests)
description: Writes every task result to the file named by the environment variable ROSBILL_RECORD.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "rosbill_record"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, outcome):
        path = os.environ.get("ROSBILL_RECORD")
        if not path:
            return
        data = dict(result._result)
        line = {"host": result._host.get_name(), "task": result._task.get_name(), "action": result._task.action,
                "outcome": outcome, "changed": bool(data.get("changed")), "result": data}  # fmt: skip
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")
