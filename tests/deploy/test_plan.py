"""The plan is a pure function of the wanted state and the router's rows."""

from __future__ import annotations

import pytest

from generator.deploy.credentials import Secret
from generator.deploy.plan import Action, describe, plan
from generator.deploy.state import EMAIL, SCHEDULER, SCRIPT, Actual, EmailSettings, Entry, State, same, seconds
from generator.render import MANAGED_COMMENT

MARK = MANAGED_COMMENT.encode()
SOURCE = b":global found false\n:log info one\n"


def script(name: str = "MonthEnd", source: bytes = SOURCE) -> Entry:
    return Entry(SCRIPT, name, (("source", source), ("policy", b"read,write,test"),
                                ("dont-require-permissions", b"no"), ("comment", MARK)))  # fmt: skip


def scheduler() -> Entry:
    return Entry(SCHEDULER, "Oversight", (("start-time", b"23:50:00"), ("interval", b"1d"),
                                          ("on-event", b"/system script run Oversight"),
                                          ("policy", b"read,write,test"), ("comment", MARK)))  # fmt: skip


def row(entry: Entry, item_id: str = "*1", **changes: bytes) -> dict[str, bytes]:
    out = {".id": item_id.encode(), "name": entry.name.encode(), **dict(entry.fields)}
    out.update({k.replace("_", "-"): v for k, v in changes.items()})
    return out


def test_everything_is_created_on_an_empty_router() -> None:
    result = plan(State((script(), scheduler())), Actual((), ()))
    assert [(c.action, c.menu, c.name) for c in result.changes] == [
        (Action.CREATE, SCRIPT, "MonthEnd"),
        (Action.CREATE, SCHEDULER, "Oversight"),
    ]
    assert dict(result.changes[0].values)["name"] == b"MonthEnd"


def test_router_forms_of_the_same_values_are_unchanged() -> None:
    actual = Actual(
        (row(script(), source=SOURCE.replace(b"\n", b"\r\n"), policy=b"test,read,write",
             dont_require_permissions=b"false"),),
        (row(scheduler(), interval=b"1d00:00:00", start_time=b"23:50:00", policy=b"write,read,test"),),
    )  # fmt: skip
    assert not plan(State((script(), scheduler())), actual).has_changes


def test_an_update_names_the_fields_and_diffs_the_source() -> None:
    actual = Actual(
        (row(script(), source=b":global found false\n:log info zero\n"),), (row(scheduler(), interval=b"2d"),)
    )
    result = plan(State((script(), scheduler())), actual)
    first, second = result.pending
    assert first.action is Action.UPDATE and first.fields == ("source",) and first.item_id == "*1"
    assert "-:log info zero" in first.diff() and "+:log info one" in first.diff()
    assert second.fields == ("interval",)


@pytest.mark.parametrize("comment", [b"", b"my own Billing", b"Managed by rosbill"])
def test_an_unmanaged_entry_with_a_wanted_name_is_a_conflict_never_a_change(comment: bytes) -> None:
    result = plan(State((script("Billing"),)), Actual((row(script("Billing"), comment=comment),), ()))
    assert result.changes == () and [c.name for c in result.conflicts] == ["Billing"]
    assert "never touches it" in result.conflicts[0].reason


def test_managed_entries_the_build_no_longer_has_are_deleted_scheduler_first() -> None:
    actual = Actual((row(script("Old"), "*7"), row(script("Keep"), "*8", comment=b"mine")),
                    (row(scheduler(), "*2"),))  # fmt: skip
    result = plan(State(()), actual)
    assert [(c.action, c.menu, c.name, c.item_id) for c in result.changes] == [
        (Action.DELETE, SCHEDULER, "Oversight", "*2"),
        (Action.DELETE, SCRIPT, "Old", "*7"),
    ]


def test_email_settings_come_after_the_scripts_and_before_the_scheduler() -> None:
    email = EmailSettings((("server", b"smtp.example.net"), ("port", b"587")))
    result = plan(State((script(), scheduler()), email), Actual((), (), {"server": b"0.0.0.0", "port": b"587"}))
    assert [c.menu for c in result.changes] == [SCRIPT, EMAIL, SCHEDULER]
    assert result.changes[1].fields == ("server",)


def test_an_address_that_the_host_name_resolves_to_is_accepted() -> None:
    email = EmailSettings((("address", b"192.0.2.7"),), (("address", (b"192.0.2.7", b"192.0.2.8")),))
    assert not plan(State((), email), Actual((), (), {"address": b"192.0.2.8"})).has_changes
    assert plan(State((), email), Actual((), (), {"address": b"192.0.2.9"})).has_changes


def test_the_smtp_password_is_compared_when_readable_and_never_shown() -> None:
    secret = "hunter2-SMTP"
    email = EmailSettings((("port", b"587"),), password=Secret(secret))
    same_password = plan(State((), email), Actual((), (), {"port": b"587", "password": secret.encode()}))
    assert not same_password.has_changes
    other = plan(State((), email), Actual((), (), {"port": b"587", "password": b"old"}))
    (change,) = other.pending
    assert change.fields == ("password",)
    text = "\n".join(describe("r1", other)) + repr(other) + repr(change) + str(email)
    assert secret not in text and "password (not shown)" in text
    unreadable = plan(State((), email), Actual((), (), {"port": b"587"}))
    assert not unreadable.has_changes and "sensitive" in unreadable.notes[0]


def test_describe_lists_every_entry_and_the_diff() -> None:
    actual = Actual((row(script(), source=b":log info zero\n"),), ())
    lines = describe("r1", plan(State((script(), scheduler())), actual))
    assert lines[0] == "r1: 2 changes, 0 conflicts"
    assert any(line.startswith("  update    /system script MonthEnd: source (2 lines)") for line in lines)
    assert any(line.startswith("  create    /system scheduler Oversight") for line in lines)
    assert "      +:log info one" in lines


@pytest.mark.parametrize(
    ("text", "value"),
    [(b"1d", 86400), (b"1d00:00:00", 86400), (b"23:50:00", 85800), (b"1w2d3h4m5s", 788645), (b"90", 90),
     (b"1w1d00:00:01", 691201), (b"startup", None)],
)  # fmt: skip
def test_durations_in_every_form_the_router_prints(text: bytes, value: int | None) -> None:
    assert seconds(text) == value


def test_booleans_and_policies_compare_by_meaning() -> None:
    assert same("disabled", b"no", b"false") and not same("disabled", b"no", b"true")
    assert same("policy", b"read,write,test", b"test,write,read") and not same("policy", b"read", b"read,write")
    assert same("start-time", b"startup", b"startup") and not same("comment", b"a", b"A")
