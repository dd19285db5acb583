"""Run time: errors and catching, globals across runs, what reaches the router, virtual time, limits."""

from __future__ import annotations

from emulator.contract import RouterOSError, RunContext, SourcePos
from emulator.values import Array, Id, Time
from sim.fakerouter import FakeRouter, interpreter


def test_runtime_error_stops_at_its_statement_with_position() -> None:
    _, interp = interpreter()
    result = interp.run(b":put 1\n:if (true) do={\n  :put (1 / 0)\n}\n:put 2", path="s.rsc")
    assert (result.ok, result.output, result.error) == (False, [b"1"], "division by zero")
    assert result.pos == SourcePos("s.rsc", 3, 3)


def test_router_errors_are_catchable_and_otherwise_stop_the_script() -> None:
    _router, interp = interpreter()
    result = interp.run(b':do { /ip address remove *7 } on-error={ :put "caught" }\n/ip address remove *7\n:put "no"')
    assert (result.output, result.error, result.pos.line) == ([b"caught"], "no such item", 2)  # type: ignore[union-attr]


def test_error_messages_keep_their_bytes_through_onerror() -> None:
    _, interp = interpreter()
    result = interp.run(b':onerror e in={ :error "\\FF\\00x" } do={ :put $e; :put [:len $e] }')
    assert result.output == [b"\xff\x00x", b"3"]


def test_globals_survive_between_runs_but_need_a_declaration() -> None:
    router, interp = interpreter()
    assert interp.run(b':global Count 1\n:global Name "x"').ok
    assert router.environment == {"Count": 1, "Name": b"x"}
    result = interp.run(b":put [:typeof $Count]\n:global Count\n:set Count ($Count + 1)\n:put $Count")
    assert result.output == [b"nothing", b"2"]
    assert router.environment["Count"] == 2
    assert interp.run(b":global Name\n:set Name").ok
    assert "Name" not in router.environment


def test_stored_functions_run_in_later_scripts() -> None:
    _router, interp = interpreter()
    interp.run(b":global Double do={ :return ($1 * 2) }")
    assert interp.run(b":global Double\n:put [$Double 21]").output == [b"42"]


def test_context_variables_are_read_by_undeclared_names() -> None:
    # A DHCP lease script gets $leaseBound, $leaseActIP … from the invoking context [D HELP, O lsp V-14].
    _router, interp = interpreter()
    ctx = RunContext(script_name="lease", variables={"leaseBound": 1, "leaseActIP": b"10.0.0.9"})
    result = interp.run(b':if ($leaseBound = 1) do={ :put "bound $leaseActIP" }', ctx=ctx)
    assert result.output == [b"bound 10.0.0.9"]


def test_menu_call_carries_positional_named_flags_unset_and_where() -> None:
    router, interp = interpreter()
    router.add(("ip", "address"), address=b"a", interface=b"ether1")
    interp.run(b'/ip address set [find where interface="ether1"] comment="c" !disabled')
    find, update = router.calls
    assert (find.menu, find.command, find.args, find.where is not None) == (("ip", "address"), "find", {}, True)
    assert find.where({"interface": b"ether1"}) is True  # type: ignore[misc]
    assert find.where({"interface": b"ether2"}) is False  # type: ignore[misc]
    assert (update.command, update.args, update.unset) == (
        "set",
        {"numbers": Array([Id(1)]), "comment": b"c"},
        {"disabled"},
    )
    assert update.pos == SourcePos("<script>", 1, 13)
    interp.run(b"/ip address print as-value count-only")
    assert router.calls[-1].flags == {"as-value", "count-only"}


def test_words_reach_the_router_as_text_and_expressions_typed() -> None:
    # A bare word is parsed by the parameter's type on the router (start-tls=yes is an enum word) [D HELP].
    router, interp = interpreter()
    interp.run(b"/ip address add address=10.0.0.1/24 interface=ether1 disabled=yes comment=(2 + 3)")
    values = router.calls[-1].args
    assert (values["address"], values["interface"], values["disabled"]) == (b"10.0.0.1/24", b"ether1", b"yes")
    assert values["comment"] == 5
    assert router.tables[("ip", "address")].rows[1]["disabled"] is True


def test_braces_of_string_parameters_reach_the_router_as_source_text() -> None:
    router, interp = interpreter()
    interp.run(b'/system script add name=s source={\n  :put "x"\n}')
    assert router.calls[-1].args["source"] == b'\n  :put "x"\n'


def test_where_filter_sees_properties_and_shadows_variables() -> None:
    router, interp = interpreter()
    router.add(("ip", "address"), address=b"a", interface=b"ether1")
    router.add(("ip", "address"), address=b"b", interface=b"ether2", disabled=True)
    result = interp.run(
        b':local interface "ether1"\n'
        b":put [:len [/ip address find where interface=$interface]]\n"
        b':local want "ether1"\n'
        b":put [:len [/ip address find where interface=$want]]\n"
        b":put [:len [/ip address find where disabled || interface=$want]]\n"
        b":put [:len [/ip address find where address in 10.0.0.0/8]]\n"
        b':put [:len [/ip address find where interface~"ether[12]" and !disabled]]'
    )
    assert result.output == [b"2", b"1", b"2", b"0", b"1"]


def test_delay_advances_the_routers_virtual_clock() -> None:
    router, interp = interpreter()
    result = interp.run(b":delay 1500ms\n:delay 2\n:delay\n:put [:time {:delay 3s}]")
    assert router.slept_ns == 7_500_000_000
    assert result.output == [b"00:00:03"]


def test_log_goes_to_the_router() -> None:
    router, interp = interpreter()
    interp.run(b':log warning ("x" . 1)\n/log info "y"')
    assert router.logs == [("warning", b"x1"), ("info", b"y")]


def test_nested_script_run_and_execute() -> None:
    router, interp = interpreter()
    router.add(("system", "script"), name=b"inner", source=b':put "inner"\n:error "inner failed"')
    result = interp.run(b':do { /system script run inner } on-error={ :put "outer caught" }')
    assert result.output == [b"inner", b"outer caught"]
    result = interp.run(b':local j [:execute ":global Ran true"]\n:put [:typeof $j]\n:global Ran\n:put $Ran')
    assert result.output == [b"id", b"true"]


def test_statements_are_counted() -> None:
    _, interp = interpreter()
    result = interp.run(b":local n 0\n:for i from=1 to=10 do={ :set n ($n + 1) }")
    assert result.statements == 12


def test_endless_loop_hits_the_statement_limit() -> None:
    _, interp = interpreter(max_statements=1000)
    result = interp.run(b":while (true) do={ :local x 1 }")
    assert (result.ok, result.error) == (False, "statement limit exceeded")


def test_deep_recursion_is_a_script_error_not_a_crash() -> None:
    _, interp = interpreter()
    result = interp.run(b":global f do={ :global f; :return [$f] }\n:put [$f]")
    assert (result.ok, result.error) == (False, "call depth exceeded")


def test_break_escaping_a_function_is_an_error() -> None:
    _, interp = interpreter()
    result = interp.run(b":for i from=1 to=3 do={ :local f do={ :break }; $f }")
    assert result.error == ":break or :continue outside a loop"


def test_timestamp_reads_the_router_clock() -> None:
    _router, interp = interpreter()
    result = interp.run(b":put [:tonsec [:timestamp]]\n:delay 1s\n:put [:tonsec [:timestamp]]")
    assert [int(x) for x in result.output] == [1_795_000_000 * 10**9, 1_795_000_001 * 10**9]


def test_rndnum_is_repeatable_with_a_seed() -> None:
    first = interpreter(seed=7)[1].run(b":put [:rndnum from=1 to=1000]\n:put [:rndstr]").output
    second = interpreter(seed=7)[1].run(b":put [:rndnum from=1 to=1000]\n:put [:rndstr]").output
    assert first == second and len(first[1]) == 16


def test_arrays_in_globals_are_copied_not_shared() -> None:
    router, interp = interpreter()
    interp.run(b":global A {1;2}\n:local b $A\n:set ($b->0) 9")
    assert router.environment["A"] == Array([1, 2])


def test_copies_of_arrays_never_see_each_others_writes() -> None:
    """Arrays are copied when first written (values.Array.copy): every way a script copies an array (a local, a
    global, a :foreach value, a function argument, an element of a nested array, ``,``) gives one that later writes to
    either side, at any depth, do not reach."""
    router, interp = interpreter()
    source = b"""
:global G {1;{x=1;y={2;3}}}
:local a $G
:set ($a->1->"y"->0) 20
:local b $a
:set ($b->1->"x") 10
:set ($a->0)
:foreach v in=$a do={ :if ([:typeof $v] = "array") do={ :set ($v->"x") 99 } }
:local f do={ :set ($1->0) 7; :return $1 }
:local r [$f $b]
:local n ($b->1)
:set ($n->"y"->1) 30
:local j ($b, 4)
:set ($j->1->"x") 11
:put [:tostr $G]; :put [:tostr $a]; :put [:tostr $b]; :put [:tostr $r]; :put [:tostr $n]; :put [:tostr $j]
"""
    result = interp.run(source)
    assert result.ok, result.error
    assert result.output == [
        b"1;x=1;y=2;3",
        b"x=1;y=20;3",
        b"1;x=10;y=20;3",
        b"7;x=10;y=20;3",
        b"x=10;y=20;30",
        b"1;x=11;y=20;3;4",
    ]
    assert router.environment["G"] == Array([1, Array([], {b"x": 1, b"y": Array([2, 3])})])


def test_router_exceptions_other_than_routeros_errors_propagate() -> None:
    class Broken(FakeRouter):
        def call(self, call, ctx):  # type: ignore[no-untyped-def]
            raise RouterOSError("failure: busy")

    router = Broken()
    from emulator.interp import Interpreter
    from emulator.version import RouterOSVersion

    interp = Interpreter(router, RouterOSVersion.parse("7.16"))
    result = interp.run(b":onerror e in={ /ip address print } do={ :put $e }")
    assert result.output == [b"failure: busy"]


def test_time_values_reach_put_in_routeros_form() -> None:
    _, interp = interpreter()
    assert interp.run(b":put (1d + 1ns)").output == [b"1d00:00:00.000000001"]
    assert Time(0) == Time(0)


def test_the_fast_paths_of_find_and_len_give_what_the_general_ones_give() -> None:
    """``:find`` of a string in a string and ``:len`` of a string skip the conversions (builtins.find/length): the
    same result as ``find_any``/``length_any`` for every start, empty needles, and starts past the end."""
    from emulator import builtins

    texts = [b"", b"a", b"abcabc", b"\xff\x00c"]
    starts: list[object] = [None, -7, -1, 0, 1, 2, 4, 5, 6, 9]
    for where in texts:
        assert builtins.length(None, where) == builtins.length_any(where) == len(where)  # type: ignore[arg-type]
        for key in [b"", b"a", b"c", b"bc", b"abcabcd"]:
            for start in starts:
                got = builtins.find(None, where, key, start)  # type: ignore[arg-type]
                assert got == builtins.find_any(where, key, start), (where, key, start)  # type: ignore[arg-type]
                assert type(got) is type(builtins.find_any(where, key, start))  # type: ignore[arg-type]
