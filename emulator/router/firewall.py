"""``/ip firewall address-list``: the operator's static entries, and the dynamic ones the NAS adds for a PPP session.

A PPP session whose Access-Accept carries ``Mikrotik-Address-List`` has its remote address added to that list for as
long as it lasts: a dynamic entry (flag ``D``), removed when the session ends (``/ppp active remove``, the client
hanging up, a reboot). [DOC] the old wiki's User_Manager/Users page: the attribute is used by PPP (not hotspot) to
add the remote address to ``/ip firewall address-list`` (docs/enforce.md); the NAS-side behaviour is [INF] otherwise.
A hotspot session's list is not applied (the same page). Rosbill's walled garden (``unpaid.address_list``) relies on
this: its firewall rules match ``src-address-list``.

Not modelled (refused): changing or removing a dynamic entry (RouterOS's answer is undocumented), ``timeout`` expiry
of static entries (accepted and shown, never expires), addresses that are not an IPv4 address.

Must not: know User Manager or sessions beyond the address and list the NAS passes; compare RouterOS versions.
"""

from __future__ import annotations

import ipaddress

from emulator.contract import EmulatorRefusal, RouterOSError, RunContext, Value
from emulator.router.proptypes import BOOL, STR, TIME, Prop, text_of
from emulator.router.table import Table


class AddressListMenu(Table):
    def __init__(self) -> None:
        props = [
            Prop("list", STR, required=True),
            Prop("address", STR, required=True),
            Prop("timeout", TIME),
            Prop("disabled", BOOL, default=False),
            Prop("comment", STR),
            Prop("dynamic", BOOL, readonly=True, default=False),
        ]
        super().__init__(("ip", "firewall", "address-list"), props)

    def check_add(self, values: dict[str, Value], ctx: RunContext) -> None:
        _address(values["address"])
        values.setdefault("dynamic", False)

    def check_set(self, item_id: int, changes: dict[str, Value], ctx: RunContext) -> None:
        if self.items[item_id].get("dynamic"):
            raise EmulatorRefusal("emulator refuses: changing a dynamic address-list entry is not modelled")
        if "address" in changes:
            _address(changes["address"])

    def check_remove(self, item_id: int, ctx: RunContext) -> None:
        if self.items[item_id].get("dynamic"):
            raise EmulatorRefusal("emulator refuses: removing a dynamic address-list entry is not modelled")

    # --- the NAS ---------------------------------------------------------------------------------------------------

    def add_dynamic(self, list_name: str, address: str) -> int:
        """A session's entry: ``list_name`` and ``address``, dynamic; returns its ``*id`` for :meth:`remove_dynamic`."""
        item_id = self.next_id
        self.next_id += 1
        self.items[item_id] = {"list": list_name.encode(), "address": address.encode(), "disabled": False,
                               "dynamic": True}  # fmt: skip
        return item_id

    def remove_dynamic(self, item_id: int) -> None:
        self.items.pop(item_id, None)


def _address(value: Value) -> None:
    text = text_of(value).strip()
    try:
        ipaddress.IPv4Network(text, strict=False)
    except ValueError:
        if text:
            raise EmulatorRefusal(
                f"emulator refuses: address-list address {text!r} (only IPv4 addresses and prefixes are modelled)"
            ) from None
        raise RouterOSError("invalid value for argument address") from None
