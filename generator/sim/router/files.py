"""``/file``: the router's flash files (uploaded ``.rsc`` files for ``/import``, mail attachments).

Files are put there by the driver (:meth:`FileMenu.put`, standing in for FTP/SFTP/``/tool fetch`` uploads, platform.md
§6). Scripts can list, read (``get … contents``), change (``set … contents=``) and remove them. The ~4 KB limit of
``contents`` on a real v7 (routeros-scripting.md §9) is not emulated.

Must not: run scripts; compare RouterOS versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.sim.contract import Value
from generator.sim.router.proptypes import NUM, STR, Prop, format_datetime
from generator.sim.router.table import Table

if TYPE_CHECKING:
    from generator.sim.router.router import Router


class FileMenu(Table):
    def __init__(self, router: Router) -> None:
        self.time_property = router.version.file_time_property
        props = [Prop("name", STR, readonly=True, unique=True), Prop("type", STR, readonly=True),
                 Prop("size", NUM, readonly=True), Prop(self.time_property, STR, readonly=True),
                 Prop("contents", STR)]  # fmt: skip
        super().__init__(("file",), props, addable=False)
        self.router = router

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
