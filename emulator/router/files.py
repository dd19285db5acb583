"""``/file``: the router's flash files (uploaded ``.rsc`` files for ``/import``, mail attachments).

Files are put there by the driver (:meth:`FileMenu.put`, standing in for FTP/SFTP/``/tool fetch`` uploads, platform.md
§6), or from 7.9 by ``/file add name= contents=`` (``RouterOSVersion.has_file_add``; how an API client uploads an
``.rsc``). Scripts can list, read (``get … contents``), change (``set … contents=``) and remove them. The ~4 KB limit of
``contents`` on a real v7 (routeros-scripting.md §9) is not emulated.

Must not: run scripts; compare RouterOS versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulator.contract import CommandSpec, MenuCall, RouterOSError, RunContext, Value
from emulator.router.menu import WRITE
from emulator.router.proptypes import NUM, STR, Prop, format_datetime, text_of
from emulator.router.table import Table
from emulator.values import Id

if TYPE_CHECKING:
    from emulator.router.router import Router


class FileMenu(Table):
    def __init__(self, router: Router) -> None:
        self.time_property = router.version.file_time_property
        props = [Prop("name", STR, readonly=True, unique=True), Prop("type", STR, readonly=True),
                 Prop("size", NUM, readonly=True), Prop(self.time_property, STR, readonly=True),
                 Prop("contents", STR)]  # fmt: skip
        super().__init__(("file",), props, addable=False)
        self.router = router
        if router.version.has_file_add:
            params, required = frozenset({"name", "contents"}), frozenset({"name"})
            spec = CommandSpec("add", params=params, required=required, policy=WRITE)
            self.command(spec, self._add_file)

    def _add_file(self, call: MenuCall, ctx: RunContext) -> Value:
        name = text_of(call.args["name"])
        if not name:
            raise RouterOSError("invalid value for argument name")  # [INF] wording
        if self.lookup(name) is not None:
            raise RouterOSError("failure: item with such name already exists")  # [INF] wording, as for other tables
        contents = call.args.get("contents", b"")
        self.put(name, contents if isinstance(contents, bytes) else text_of(contents).encode())
        item_id = self.lookup(name)
        assert item_id is not None
        return Id(item_id)

    def put(self, name: str, contents: bytes) -> None:
        """Uploads (or replaces) a file."""
        existing = self.lookup(name)
        if existing is not None:
            self.items[existing]["contents"] = contents
            return
        kind = b"script" if name.endswith(".rsc") else b"file"
        self.items[self.next_id] = {
            "name": name.encode(),
            "type": kind,
            self.time_property: format_datetime(self.router.clock.local(), self.router.version),
            "contents": contents,
        }
        self.next_id += 1

    def read(self, name: str) -> bytes | None:
        item_id = self.lookup(name)
        return None if item_id is None else bytes(self.items[item_id].get("contents", b""))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.lookup(name) is not None

    def computed(self, item_id: int, values: dict[str, Value]) -> dict[str, Value]:
        return {"size": len(values.get("contents", b""))}
