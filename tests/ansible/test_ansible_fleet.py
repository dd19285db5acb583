"""The rosbill.routeros collection driven by ansible-playbook against emulated routers on loopback (api-ssl, pinned
certificates): the first run changes every router, the second changes none, check mode writes nothing and shows the
plan's diff, a router whose connection is cut fails alone (restored) while the others converge, serial batches stop
at a failed batch, rollback, facts, and the password appears in no output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fleetkit import BIN, PASSWORD, Run, ansible_env, fleet, playbook, write_config, write_inventory

from emulator.api import Faults
from generator.render import SCRIPTS

#: What rosbill manages on a router: every script, Oversight's scheduler entry and OversightAtBoot.
MANAGED = len(SCRIPTS) + 2

DEPLOY = "rosbill.routeros.deploy"
FACTS = "rosbill.routeros.facts"
#: Two RouterOS 7.16 routers and one 6.49: both dialects in one play.
SPECS = [("r1", "7.16"), ("r2", "6.49.10"), ("r3", "7.16")]


def deployed(run: Run) -> dict[str, dict]:
    return {host: record["result"] for host, record in run.results(DEPLOY).items()}


LEDGER = b"rosbill billing state, do not edit: rb{day=20787;done=2026-10;next=;pend=1;seq=10342}"


def test_first_run_changes_second_run_changes_nothing(tmp_path: Path) -> None:
    with fleet(SPECS) as routers:
        # billing state the facts report summarises (as Billing would have left it; deploy never writes it)
        r1, r2 = routers[0].router, routers[1].router
        r1.invoke(
            "/user-manager/user", "add", {"name": b"ann", "comment": b"Tower rb{am=1/20400;lvl=75;per=2026-10;um=ok}"}
        )
        r1.invoke("/user-manager/user", "add", {"name": b"cat", "comment": b"no block"})
        r1.invoke("/system script", "add", {"name": b"BillingState", "source": b"", "comment": LEDGER})
        r2.invoke("/tool user-manager user", "add", {"username": b"bob", "customer": b"admin",
                                                     "comment": b"rb{am=ok;lvl=50;per=2026-10;um=ok}"})  # fmt: skip
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        first = playbook(inventory, config, tmp_path / "build", report=True)
        assert first.returncode == 0, first.stdout + first.stderr
        assert {h: c["changed"] for h, c in first.recap().items()} == {"r1": 1, "r2": 1, "r3": 1}
        results = deployed(first)
        assert {h: r["status"] for h, r in results.items()} == {"r1": "applied", "r2": "applied", "r3": "applied"}
        for router in routers:
            managed = router.managed()
            assert len(managed) == MANAGED, managed
            built = (tmp_path / "build" / router.name / "billing.rsc").read_bytes()
            assert managed["/system script Billing"]["source"].replace(b"\r\n", b"\n") == built.replace(b"\r\n", b"\n")
            assert results[router.name]["writes"] > 0
            assert Path(results[router.name]["backup"]).is_file()
        before = {r.name: r.managed() for r in routers}

        second = playbook(inventory, config, tmp_path / "build", report=True)
        assert second.returncode == 0, second.stdout + second.stderr
        assert {h: c["changed"] for h, c in second.recap().items()} == {"r1": 0, "r2": 0, "r3": 0}
        assert all(r["status"] == "unchanged" and r["writes"] == 0 for r in deployed(second).values())
        assert {r.name: r.managed() for r in routers} == before
        facts = {h: rec["result"]["ansible_facts"]["rosbill"] for h, rec in second.results(FACTS).items()}
        assert facts["r2"]["routeros_version"].startswith("6.49.10")
        assert facts["r1"]["billing"] == {
            "ledger": {"day": "20787", "done": "2026-10", "next": "", "pend": "1", "seq": "10342"},
            "users": 2, "users_with_state": 1, "mails_pending": 1,
            "last_periods": {"2026-10": 1}, "warning_levels": {"75": 1},
        }  # fmt: skip
        assert facts["r2"]["billing"]["users"] == 1 and facts["r2"]["billing"]["mails_pending"] == 0
        assert facts["r2"]["billing"]["ledger"] is None and facts["r2"]["billing"]["warning_levels"] == {"50": 1}
        assert routers[0].router.rows("/system script")[0]["comment"] == LEDGER  # left alone
        for report in facts.values():
            assert report["in_sync"] and report["preflight"] == "ok" and report["gate_differences"] == []
            scripts = report["scripts"]
            assert len(scripts) == len(SCRIPTS) and all(s["matches"] and s["managed"] for s in scripts)


def test_check_mode_writes_nothing_and_diff_shows_the_plan(tmp_path: Path) -> None:
    with fleet(SPECS[:2]) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build", "--check", "--diff", report=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert all(r.managed() == {} for r in routers)
        assert all(not list(r.router.rows("/file")) for r in routers)  # not even the syntax gate's upload
        results = deployed(run)
        assert {h: r["status"] for h, r in results.items()} == {"r1": "pending", "r2": "pending"}
        assert all(r["writes"] == 0 and r["changed"] for r in results.values())
        assert {c["name"] for c in results["r1"]["plan"]["changes"]} >= {"Billing", "Oversight", "OversightAtBoot"}
        # --diff: the plan and the unified diff of each script the run would write
        assert "r1: 11 changes, 0 conflicts" in run.stdout
        assert "+++ build/Billing" in run.stdout and "create    /system script Billing" in run.stdout
        facts = {h: rec["result"]["ansible_facts"]["rosbill"] for h, rec in run.results(FACTS).items()}
        assert not facts["r1"]["in_sync"] and all(s["router_sha256"] is None for s in facts["r1"]["scripts"])
        # a real run after the dry run changes exactly what the dry run said
        real = playbook(inventory, config, tmp_path / "build")
        assert deployed(real)["r1"]["plan"] == results["r1"]["plan"]


def test_cut_connection_and_conflict_fail_alone(tmp_path: Path) -> None:
    # r2's connection drops right after its first script is written: rosbill reconnects and restores the backup.
    faults = {"r2": Faults(cut_at="/system/script/add", cut_when="after")}
    with fleet([*SPECS, ("r4", "7.16")], faults=faults) as routers:
        # r4 has an operator's own script named Billing: a conflict, refused before anything is written
        routers[3].router.invoke("/system script", "add", {"name": b"Billing", "source": b":log info mine"})
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build")
        assert run.returncode == 2, run.stdout + run.stderr  # some host failed
        recap = run.recap()
        assert recap["r2"]["failed"] == recap["r4"]["failed"] == 1
        assert recap["r1"]["failed"] == recap["r3"]["failed"] == 0
        assert recap["r1"]["changed"] == recap["r3"]["changed"] == 1
        failed = run.results(DEPLOY)["r2"]
        assert failed["outcome"] == "failed"
        result = failed["result"]
        assert result["status"] == "restored" and result["restored"] is True
        assert "connection lost during /system/script/add" in result["msg"]
        assert "the previous entries were restored and verified" in result["msg"]
        by_name = {r.name: r for r in routers}
        assert by_name["r2"].managed() == {}  # the old (empty) set, not half of the new one
        assert len(by_name["r1"].managed()) == len(by_name["r3"].managed()) == MANAGED
        conflict = run.results(DEPLOY)["r4"]["result"]
        assert "1 conflict(s) with entries rosbill does not manage; nothing was written" in conflict["msg"]
        assert 'does not start with "managed by rosbill"' in conflict["plan"]["conflicts"][0]
        assert by_name["r4"].managed() == {} and conflict["writes"] == 0
        (mine,) = by_name["r4"].router.rows("/system script")
        assert mine["source"] == b":log info mine"


def test_serial_batches_stop_after_a_failed_batch(tmp_path: Path) -> None:
    specs = [("r1", "7.16"), ("r2", "7.16"), ("r3", "7.16"), ("r4", "7.16")]
    # r2 reports another RouterOS release: preflight refuses it before anything is written.
    faults = {"r2": Faults(reported_version="7.9")}
    play = tmp_path / "serial.yml"
    play.write_text(
        (Path(__file__).parents[2] / "ansible_collections/rosbill/routeros/playbooks/converge.yml")
        .read_text(encoding="utf-8")
        .replace("  gather_facts: false\n", "  gather_facts: false\n  max_fail_percentage: 0\n"),
        encoding="utf-8",
    )
    with fleet(specs, faults=faults) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build", "-e", "rosbill_serial=2", play=play)
        assert run.returncode != 0
        assert run.stdout.count("PLAY [Converge the rosbill billing scripts]") == 1  # batch 2 never started
        message = run.results(DEPLOY)["r2"]["result"]["msg"]
        assert "this router runs 7.9" in message and "the build is for RouterOS 7.16" in message
        by_name = {r.name: r for r in routers}
        assert len(by_name["r1"].managed()) == MANAGED  # batch 1: r1 converged, r2 refused
        assert by_name["r2"].managed() == {} and by_name["r3"].managed() == {} and by_name["r4"].managed() == {}
        # without the failing router, the batches run one after another: two batches of two
        good = write_inventory(tmp_path, [r for r in routers if r.name != "r2"])
        rerun = playbook(good, config, tmp_path / "build", "-e", "rosbill_serial=2", play=play)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert rerun.stdout.count("PLAY [Converge the rosbill billing scripts]") == 2
        assert {h: c["changed"] for h, c in rerun.recap().items()} == {"r1": 0, "r3": 1, "r4": 1}


def test_rollback_puts_the_previous_build_back(tmp_path: Path) -> None:
    with fleet(SPECS[:1]) as routers:
        (router,) = routers
        inventory = write_inventory(tmp_path, routers)
        first = write_config(tmp_path / "a", routers)
        untouched = router.managed()
        assert playbook(inventory, first, tmp_path / "build").returncode == 0
        old = router.managed()
        second = write_config(tmp_path / "b", routers, schedule_time="23:40")
        changed = playbook(inventory, second, tmp_path / "build", "--diff")
        assert deployed(changed)["r1"]["status"] == "applied"
        # --diff in a real run: the plan as rosbill prints it
        assert "update    /system scheduler Oversight: start-time '23:50:00' -> '23:40:00'" in changed.stdout
        assert router.managed() != old
        play = tmp_path / "rollback.yml"
        play.write_text(ROLLBACK_PLAY, encoding="utf-8")
        dry = playbook(inventory, second, tmp_path / "build", "--check", play=play)
        assert dry.returncode == 0, dry.stdout + dry.stderr
        assert dry.results("rosbill.routeros.rollback")["r1"]["result"]["status"] == "pending"
        assert router.managed() != old
        back = playbook(inventory, second, tmp_path / "build", play=play)
        assert back.returncode == 0, back.stdout + back.stderr
        result = back.results("rosbill.routeros.rollback")["r1"]["result"]
        assert result["status"] == "applied" and result["changed"]
        assert router.managed() == old
        # A second rollback goes one more deploy back (a rollback's own backup is never a step), as rosbill rollback.
        again = playbook(inventory, second, tmp_path / "build", play=play)
        assert again.returncode == 0, again.stdout + again.stderr
        assert again.results("rosbill.routeros.rollback")["r1"]["result"]["status"] == "applied"
        assert router.managed() == untouched != old


def test_prebuilt_build_is_used_and_a_stale_one_refused(tmp_path: Path) -> None:
    with fleet(SPECS[:1]) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        build = tmp_path / "build"
        subprocess.run([str(BIN / "rosbill"), "build", "--config", str(config), "--out", str(build)], check=True,
                       capture_output=True)  # fmt: skip
        (build / "r1" / "billing.rsc").write_bytes((build / "r1" / "billing.rsc").read_bytes() + b"# edited\n")
        stale = playbook(inventory, config, build, "-e", "rosbill_prebuilt=true")
        message = stale.results(DEPLOY)["r1"]["result"]["msg"]
        assert "billing.rsc: not what the config builds now" in message
        assert routers[0].managed() == {}
        subprocess.run([str(BIN / "rosbill"), "build", "--config", str(config), "--out", str(build)], check=True,
                       capture_output=True)  # fmt: skip
        made = {p.name: p.stat().st_mtime_ns for p in (build / "r1").iterdir()}
        run = playbook(inventory, config, build, "-e", "rosbill_prebuilt=true")
        assert run.returncode == 0, run.stdout + run.stderr
        assert deployed(run)["r1"]["status"] == "applied"
        assert {p.name: p.stat().st_mtime_ns for p in (build / "r1").iterdir()} == made  # taken, not rebuilt


ROLLBACK_PLAY = """
- hosts: rosbill_routers
  gather_facts: false
  tasks:
    - rosbill.routeros.rollback:
        config: "{{ rosbill_config }}"
        build_dir: "{{ rosbill_build_dir }}"
        router: "{{ inventory_hostname }}"
        hostname: "{{ rosbill_host }}"
        port: "{{ rosbill_port }}"
        fingerprint: "{{ rosbill_fingerprint }}"
        username: "{{ rosbill_user }}"
"""


def test_password_from_a_vault_is_never_shown(tmp_path: Path) -> None:
    with fleet(SPECS[:1]) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        # ansible_password in host_vars/r1.yml, encrypted with ansible-vault (the usual place for it)
        key = tmp_path / "vault-key"
        key.write_text("test-vault-key\n", encoding="utf-8")
        encrypted = subprocess.run(
            [str(BIN / "ansible-vault"), "encrypt_string", "--vault-password-file", str(key), "--name",
             "ansible_password", PASSWORD], capture_output=True, text=True, check=True, env=ansible_env(tmp_path),
        ).stdout  # fmt: skip
        (tmp_path / "host_vars").mkdir()
        (tmp_path / "host_vars" / "r1.yml").write_text(encrypted, encoding="utf-8")
        assert PASSWORD not in encrypted
        # not in the environment: the vault is the only source
        run = playbook(inventory, config, tmp_path / "build", "-vvv", "--diff", "--vault-password-file", str(key),
                       env={"ROSBILL_PASSWORD": ""})  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        assert deployed(run)["r1"]["status"] == "applied"
        records = json.dumps(run.records)
        for text in (run.stdout, run.stderr, records):
            assert PASSWORD not in text
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in records
        for path in tmp_path.rglob("*"):
            if path.is_file() and path != key:
                assert PASSWORD.encode() not in path.read_bytes(), path
        # a wrong ansible_password (plain host variable here) fails with rosbill's message; nothing more is written
        wrong = write_inventory(tmp_path / "wrong", routers, {"r1": {"ansible_password": "not-it"}})
        refused = playbook(wrong, config, tmp_path / "build2", env={"ROSBILL_PASSWORD": ""})
        assert refused.returncode == 2
        assert "refused the login of user 'rosbill'" in refused.results(DEPLOY)["r1"]["result"]["msg"]


def test_no_password_anywhere_fails_naming_where_to_put_it(tmp_path: Path) -> None:
    with fleet(SPECS[:1]) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build", env={"ROSBILL_PASSWORD": ""})
        message = run.results(DEPLOY)["r1"]["result"]["msg"]
        assert "no password for router r1" in message and "ROSBILL_PASSWORD_R1 or ROSBILL_PASSWORD" in message
        assert routers[0].managed() == {}


def test_config_error_is_located_and_a_warning_is_a_task_warning(tmp_path: Path) -> None:
    with fleet(SPECS[:1]) as routers:
        config = write_config(tmp_path / "cfg", routers)
        text = config.read_text(encoding="utf-8").replace("cap: 3000MB", "cap: 50 gigs")
        config.write_text(text, encoding="utf-8")
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build")
        message = run.results(DEPLOY)["r1"]["result"]["msg"]
        assert f"{config}:" in message and "packages.Lite.cap" in message and "Traceback" not in message
        assert routers[0].managed() == {}
        # a config that loads with a warning: the task's warnings carry it, located, and the deploy goes ahead
        mail = ("{company}: data notice", "Dear {first_name}, you used {percent}% of your cap.\n")
        warned = write_config(tmp_path / "warned", routers, warning_mail=mail)
        run = playbook(inventory, warned, tmp_path / "build")
        result = run.results(DEPLOY)["r1"]["result"]
        assert result["status"] == "applied"
        assert any(f"{warned}:" in w and "mail.user_warning" in w and "warning:" in w for w in result["warnings"])


def test_a_router_the_config_does_not_list_is_built_from_host_vars(tmp_path: Path) -> None:
    with fleet([("r1", "7.16"), ("edge9", "6.49.10")]) as routers:
        config = write_config(tmp_path / "cfg", routers, listed=False)  # lists r1 only
        inventory = write_inventory(tmp_path, routers)
        run = playbook(inventory, config, tmp_path / "build")
        assert run.returncode == 0, run.stdout + run.stderr
        manifest = json.loads((tmp_path / "build" / "edge9" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["routeros_version"] == "6.49.10" and manifest["router"] == "edge9"
        assert len(routers[1].managed()) == MANAGED


@pytest.mark.slow
def test_twenty_routers_figures(tmp_path: Path) -> None:
    from conftest import FIGURES

    specs = [(f"r{n:02d}", "6.49.10" if n % 4 == 0 else "7.16") for n in range(1, 21)]
    with fleet(specs) as routers:
        config = write_config(tmp_path / "cfg", routers)
        inventory = write_inventory(tmp_path, routers)
        first = playbook(inventory, config, tmp_path / "build", forks=10, report=True)
        second = playbook(inventory, config, tmp_path / "build", forks=10, report=True)
    assert first.returncode == 0 and second.returncode == 0, first.stdout + second.stdout
    assert first.changed_hosts() == 20 and second.changed_hosts() == 0
    writes = sum(r["writes"] for r in deployed(first).values())
    FIGURES.append(
        f"ansible fleet: 20 emulated routers (15 on 7.16, 5 on 6.49.10), forks 10: run 1 {first.seconds:.1f}s, "
        f"{first.changed_hosts()} hosts changed, {writes} writes; run 2 {second.seconds:.1f}s, "
        f"{second.changed_hosts()} hosts changed, {sum(r['writes'] for r in deployed(second).values())} writes"
    )


def test_ansible_doc_documents_every_option(tmp_path: Path) -> None:
    """ansible-doc reads each module's documentation (with the shared fragment); every option of the argument spec
    is documented with its type (the validate-modules sanity test checks more; docs/fleet.md "Sanity")."""
    names = [f"rosbill.routeros.{m}" for m in ("deploy", "rollback", "facts")]
    done = subprocess.run([str(BIN / "ansible-doc"), "--json", *names], capture_output=True, text=True, check=True,
                          env=ansible_env(tmp_path))  # fmt: skip
    docs = json.loads(done.stdout)
    options = {
        "config", "router", "build_dir", "prebuilt", "hostname", "port", "tls", "ca_file", "fingerprint", "username",
        "password", "smtp_password", "routeros_version", "timeout", "deadline",
    }  # fmt: skip
    for name in names:
        documented = docs[name]["doc"]["options"]
        assert options <= set(documented), name
        assert all("type" in option for option in documented.values())
        assert docs[name]["doc"]["attributes"]["check_mode"]["support"] == "full"
    assert "backup" in docs["rosbill.routeros.rollback"]["doc"]["options"]


@pytest.mark.slow
def test_fleet_demo_runs(tmp_path: Path) -> None:
    """``make fleet-demo`` (with two routers): run 1 writes both, run 2 writes nothing, the dry run writes nothing."""
    demo = Path(__file__).with_name("fleet_demo.py")
    command = [sys.executable, str(demo), "--routers", "2", "--out", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False, env=ansible_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    # A first deploy to 7.16 writes each script three times (the syntax gate's /file add and remove, then the entry),
    # then Oversight's two scheduler entries and the e-mail settings.
    writes = 2 * (3 * len(SCRIPTS) + 3)
    assert f"fleet-demo: run 1: 2 routers, 2 changed, 0 failed, {writes} writes" in done.stdout
    assert "fleet-demo: run 2: 2 routers, 0 changed, 0 failed, 0 writes" in done.stdout
    assert "fleet-demo: dry run of a new schedule time: 2 routers, 2 changed, 0 failed, 0 writes" in done.stdout
    assert "start-time '23:50:00' -> '23:40:00'" in done.stdout
