"""One API connection's sentences → router calls → replies, without sockets (platform.md §5.2)."""

from __future__ import annotations

import hashlib
import logging

import pytest

from api.fakerouter import FakeRouter
from emulator.api.faults import Faults, FaultState, Misread
from emulator.api.session import LOGIN_FAILED, Credentials, Session
from emulator.values import Array, Id, Time
from emulator.version import RouterOSVersion


def session(
    version: str = "7.16.2", faults: Faults | None = None, credentials: Credentials | None = None
) -> tuple[Session, FakeRouter]:
    router = FakeRouter(version)
    state = FaultState(faults or Faults())
    return Session(router, RouterOSVersion.parse(version), credentials or Credentials(), state, "test"), router


def logged_in(version: str = "7.16.2", faults: Faults | None = None) -> tuple[Session, FakeRouter]:
    api, router = session(version, faults)
    assert api.handle([b"/login", b"=name=admin", b"=password="]).replies == [[b"!done"]]
    return api, router


def replies(api: Session, *words: bytes) -> list[list[bytes]]:
    return api.handle(list(words)).replies


def add_script(api: Session, name: bytes, **props: bytes) -> bytes:
    words = [b"/system/script/add", b"=name=" + name]
    words += [b"=" + key.replace("_", "-").encode() + b"=" + value for key, value in props.items()]
    (done,) = api.handle(words).replies
    assert done[0] == b"!done"
    return done[1].removeprefix(b"=ret=")


# --- login ----------------------------------------------------------------------------------------------------------


def test_a_new_router_accepts_admin_with_an_empty_password() -> None:
    api, _ = session()
    assert replies(api, b"/login", b"=name=admin", b"=password=") == [[b"!done"]]
    assert api.logged_in


def test_routeros_api_sends_an_empty_password_as_a_bare_attribute_name() -> None:
    api, _ = session()
    assert replies(api, b"/login", b"=name=admin", b"=password", b".tag=1") == [[b"!done", b".tag=1"]]


def test_wrong_credentials_trap_as_a_router_does() -> None:
    api, _ = session(credentials=Credentials("admin", "s3cret"))
    assert replies(api, b"/login", b"=name=admin", b"=password=wrong") == [
        [b"!trap", b"=message=" + LOGIN_FAILED.encode()],
        [b"!done"],
    ]
    assert replies(api, b"/login", b"=name=root", b"=password=s3cret")[0][1] == b"=message=" + LOGIN_FAILED.encode()
    assert not api.logged_in


def test_commands_before_login_are_refused() -> None:
    api, router = session()
    assert replies(api, b"/system/script/print", b".tag=4") == [
        [b"!trap", b"=message=not logged in", b".tag=4"],
        [b"!done", b".tag=4"],
    ]
    assert router.calls == []


def _md5_login(api: Session, password: bytes) -> list[list[bytes]]:
    (challenge,) = replies(api, b"/login")
    assert challenge[0] == b"!done"
    token = bytes.fromhex(challenge[1].removeprefix(b"=ret=").decode())
    response = b"00" + hashlib.md5(b"\x00" + password + token).hexdigest().encode()
    return replies(api, b"/login", b"=name=admin", b"=response=" + response)


def test_the_old_md5_challenge_login_works_up_to_6_45_1() -> None:
    api, _ = session("6.45.1", credentials=Credentials("admin", "pw"))
    assert _md5_login(api, b"pw") == [[b"!done"]]


def test_the_old_md5_challenge_login_is_refused_after_6_45_1() -> None:
    api, _ = session("6.49.10", credentials=Credentials("admin", "pw"))
    assert _md5_login(api, b"pw")[0] == [b"!trap", b"=message=" + LOGIN_FAILED.encode()]


def test_a_wrong_md5_response_is_refused() -> None:
    api, _ = session("6.44", credentials=Credentials("admin", "pw"))
    assert _md5_login(api, b"other")[0][0] == b"!trap"


def test_passwords_never_reach_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    api, _ = session(credentials=Credentials("admin", "Hunter2-secret"))
    replies(api, b"/login", b"=name=admin", b"=password=Wrong-secret")
    replies(api, b"/login", b"=name=admin", b"=password=Hunter2-secret")
    replies(api, b"/system/script/add", b"=name=x", b"=source=:local pass Source-secret")
    assert "login" in caplog.text.lower()
    for secret in ("Hunter2-secret", "Wrong-secret", "Source-secret"):
        assert secret not in caplog.text
    assert "Hunter2-secret" not in repr(Credentials("admin", "Hunter2-secret"))


# --- commands → MenuCall --------------------------------------------------------------------------------------------


def test_a_command_word_becomes_menu_and_command_with_typed_arguments() -> None:
    api, router = logged_in()
    replies(
        api,
        b"/system/scheduler/add",
        b"=name=Daily",
        b"=interval=1d",
        b"=disabled=yes",
        b"=policy=read,write",
        b"=on-event=/system script run Oversight",
    )
    call = router.calls[-1]
    assert call.menu == ("system", "scheduler")
    assert call.command == "add"
    assert call.args == {
        "name": b"Daily",
        "interval": Time.seconds(86400),
        "disabled": True,
        "policy": Array([b"read", b"write"]),
        "on-event": b"/system script run Oversight",
    }


def test_add_returns_the_new_id_and_id_selects_the_item() -> None:
    api, router = logged_in()
    assert add_script(api, b"MonthEnd") == b"*1"
    assert replies(api, b"/system/script/set", b"=.id=*1", b"=comment=billing") == [[b"!done"]]
    assert router.calls[-1].args == {"numbers": Id(1), "comment": b"billing"}
    assert replies(api, b"/system/script/set", b"=numbers=MonthEnd", b"=comment=x") == [[b"!done"]]
    assert router.calls[-1].args["numbers"] == b"MonthEnd"
    assert replies(api, b"/system/script/remove", b"=.id=*1") == [[b"!done"]]
    assert router.tables[("system", "script")].rows == {}


def test_get_returns_the_value_in_ret() -> None:
    api, _ = logged_in()
    add_script(api, b"A", source=b":log info a")
    assert replies(api, b"/system/script/get", b"=number=A", b"=value-name=source") == [[b"!done", b"=ret=:log info a"]]


def test_print_rows_render_as_the_api_renders_values() -> None:
    api, _ = logged_in()
    replies(api, b"/system/scheduler/add", b"=name=Daily", b"=interval=1d", b"=disabled=yes")
    (row, done) = replies(api, b"/system/scheduler/print")
    assert done == [b"!done"]
    assert row[0] == b"!re"
    assert row[1] == b"=.id=*1"  # .id first
    assert set(row[2:]) >= {b"=name=Daily", b"=interval=1d00:00:00", b"=disabled=true", b"=policy=read,write,test"}


def test_getall_is_print() -> None:
    api, _ = logged_in()
    add_script(api, b"A")
    assert [reply[0] for reply in replies(api, b"/system/script/getall")] == [b"!re", b"!done"]


def test_proplist_keeps_only_the_named_properties_and_rows_without_them_stay() -> None:
    api, _ = logged_in()
    add_script(api, b"A", comment=b"first")
    add_script(api, b"B")
    assert replies(api, b"/system/script/print", b"=.proplist=.id,comment") == [
        [b"!re", b"=.id=*1", b"=comment=first"],
        [b"!re", b"=.id=*2"],
        [b"!done"],
    ]


def test_queries_become_the_where_predicate() -> None:
    api, router = logged_in()
    for name in (b"A", b"B", b"C"):
        add_script(api, name)
    rows = replies(api, b"/system/script/print", b"?name=A", b"?name=C", b"?#|", b"=.proplist=name")
    assert rows == [[b"!re", b"=name=A"], [b"!re", b"=name=C"], [b"!done"]]
    assert router.calls[-1].where is not None
    assert "as-value" in router.calls[-1].flags


def test_count_only_returns_the_count_in_ret() -> None:
    api, _ = logged_in()
    add_script(api, b"A")
    assert replies(api, b"/system/script/print", b"=count-only=") == [[b"!done", b"=ret=1"]]


def test_print_presentation_switches_are_accepted() -> None:
    api, _ = logged_in()
    add_script(api, b"A")
    assert replies(api, b"/system/script/print", b"=detail=", b"=without-paging=")[-1] == [b"!done"]


def test_queries_on_a_menu_whose_print_takes_no_where_are_applied_to_its_rows() -> None:
    api, router = logged_in()
    assert replies(api, b"/system/resource/print", b"?board-name=CHR", b"=.proplist=board-name") == [
        [b"!re", b"=board-name=CHR"],
        [b"!done"],
    ]
    assert router.calls[-1].where is None
    assert replies(api, b"/system/resource/print", b"?board-name=RB5009") == [[b"!done"]]


def test_a_singleton_menu_prints_one_row_without_an_id() -> None:
    api, _ = logged_in()
    ((reply, *words), _done) = replies(api, b"/system/resource/print")
    assert reply == b"!re"
    assert b"=version=7.16.2 (stable)" in words
    assert b"=uptime=1d01:01:01" in words
    assert not any(word.startswith(b"=.id=") for word in words)


@pytest.mark.parametrize(("version", "empty"), [("7.17.2", False), ("7.18", True), ("6.49.10", False)])
def test_a_print_without_rows_says_empty_from_7_18(version: str, empty: bool) -> None:
    api, _ = logged_in(version)
    expected = ([[b"!empty", b".tag=9"]] if empty else []) + [[b"!done", b".tag=9"]]
    assert replies(api, b"/system/script/print", b".tag=9") == expected


def test_every_reply_of_a_tagged_command_carries_the_tag() -> None:
    api, _ = logged_in()
    add_script(api, b"A")
    add_script(api, b"B")
    for sentence in replies(api, b"/system/script/print", b".tag=abc"):
        assert sentence[-1] == b".tag=abc"
    for sentence in replies(api, b"/system/script/set", b"=.id=*9", b".tag=7"):
        assert sentence[-1] == b".tag=7"


# --- errors ---------------------------------------------------------------------------------------------------------


def test_router_errors_trap_with_their_category_and_a_done_follows() -> None:
    api, _ = logged_in()
    assert replies(api, b"/system/script/set", b"=.id=*9", b"=comment=x") == [
        [b"!trap", b"=category=0", b"=message=no such item"],
        [b"!done"],
    ]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ([b"/nowhere/print"], b"no such command prefix"),
        ([b"/system/script/frobnicate"], b"no such command"),
        ([b"/system"], b"no such command prefix"),
        ([b"/system/script/add", b"=name=x", b"=colour=red"], b"unknown parameter colour"),
        ([b"/system/scheduler/add", b"=name=x", b"=disabled=maybe"], b"invalid value for argument disabled"),
        ([b"/system/script/print", b"?#|"], b"not enough values on the query stack for ?#|"),
        ([b"/system/script/remove", b"=.id=*1", b"?name=x"], b"queries are allowed only with print"),
        ([b"/system/script/print", b"garbage"], b"unknown word b'garbage'"),
    ],
)
def test_bad_commands_trap(words: list[bytes], message: bytes) -> None:
    api, _ = logged_in()
    trap, done = replies(api, *words)
    assert trap[0] == b"!trap"
    assert trap[-1] == b"=message=" + message
    assert done == [b"!done"]


def test_an_emulator_bug_traps_instead_of_killing_the_connection() -> None:
    api, router = logged_in()

    def broken(*args: object) -> None:
        raise KeyError("oops")

    router.call = broken  # type: ignore[method-assign,assignment]
    trap, _done = replies(api, b"/system/script/print")
    assert trap[-1].startswith(b"=message=failure: emulator error")
    assert api.logged_in


def test_empty_sentences_are_ignored() -> None:
    api, _ = session()
    assert api.handle([]).replies == []


def test_quit_ends_the_session_with_fatal() -> None:
    api, _ = logged_in()
    outcome = api.handle([b"/quit"])
    assert outcome.replies == [[b"!fatal", b"session terminated on request"]]
    assert outcome.close


def test_cancel_has_nothing_to_interrupt() -> None:
    api, _ = logged_in()
    assert replies(api, b"/cancel", b"=tag=3", b".tag=4") == [[b"!done", b".tag=4"]]


# --- faults at the session level ------------------------------------------------------------------------------------


def test_a_misread_reports_the_wrong_value_for_one_property() -> None:
    api, router = logged_in(faults=Faults(misreads=(Misread("source", b"tampered", "/system/script"),)))
    add_script(api, b"A", source=b"real")
    (row, _) = replies(api, b"/system/script/print", b"=.proplist=source")
    assert row == [b"!re", b"=source=tampered"]
    assert replies(api, b"/system/script/get", b"=number=A", b"=value-name=source")[0] == [
        b"!done",
        b"=ret=tampered",
    ]
    assert router.tables[("system", "script")].rows[1]["source"] == b"real"
    # another menu is not affected
    replies(api, b"/system/scheduler/add", b"=name=S", b"=on-event=x")
    assert b"=on-event=x" in replies(api, b"/system/scheduler/print")[0]


def test_a_pretended_version_shows_in_resource_and_package() -> None:
    api, _ = logged_in(faults=Faults(reported_version="6.49.10"))
    ((_, *resource), _) = replies(api, b"/system/resource/print")
    assert b"=version=6.49.10 (stable)" in resource
    assert replies(api, b"/system/resource/get", b"=value-name=version")[0] == [b"!done", b"=ret=6.49.10 (stable)"]
    packages = replies(api, b"/system/package/print", b"=.proplist=name,version")
    assert [b"!re", b"=name=routeros", b"=version=6.49.10"] in packages
    assert [b"!re", b"=name=user-manager", b"=version=6.49.10"] in packages


@pytest.mark.parametrize(
    ("version", "menu"), [("7.16.2", b"/user-manager/user/print"), ("6.49.10", b"/tool/user-manager/user/print")]
)
def test_a_router_without_user_manager_has_no_such_menu_or_package(version: str, menu: bytes) -> None:
    plain, _ = logged_in(version)
    assert replies(plain, menu) == [[b"!done"]]
    api, _ = logged_in(version, Faults(without_user_manager=True))
    assert replies(api, menu)[0] == [b"!trap", b"=category=0", b"=message=no such command prefix"]
    names = [words[1] for words in replies(api, b"/system/package/print", b"=.proplist=name")[:-1]]
    assert b"=name=user-manager" not in names
    assert names
