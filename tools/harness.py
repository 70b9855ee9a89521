#!/usr/bin/env python3
"""Development harness of account_debt_collection: ``setup``, ``demo``, ``test``.

Standard library only: it runs before the virtual environment exists.

* ``setup``  virtual environment in ``.build/venv`` (it sees the machine's packages, so an
  Odoo installed on the machine stays importable), the module's Python dependencies and
  the test tools.
* ``demo``   PostgreSQL (the PG* environment when a server answers, otherwise a throwaway
  cluster in ``.build/pg``), a database with the module and its demo data, one daily
  escalation run, then Odoo served on http://127.0.0.1:8069.
* ``test``   rules tests (pytest), static checks (ruff, pylint-odoo) and, when Odoo is
  found, the module's Odoo tests in a fresh database. Ends with ``N passed, N failed``.

Odoo is a prerequisite, found through ``ODOO_PATH`` (a source tree holding ``odoo/`` and
``addons/``) or as an importable ``odoo`` package.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

MODULE = "account_debt_collection"
ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
VENV = BUILD / "venv"
ADDONS_LINK_DIR = BUILD / "addons"
PG_DIR = BUILD / "pg"
PG_ROLE = "odoo"
DEMO_DB = "debt_collection_demo"
#: Run in the demo database before the module is installed: a French SME working in French.
#: (Accounting's own demo data then loads its generic chart of accounts, in USD.)
FRENCH_COMPANY = """
env['res.lang']._activate_lang('fr_FR')
company = env.ref('base.main_company')
company.write({
    'name': 'Atelier Dupuis Froid & Climatisation SAS',
    'street': '14 rue de la Villette', 'zip': '69003', 'city': 'Lyon',
    'country_id': env.ref('base.fr').id,
    'company_registry': '732829320', 'vat': 'FR44732829320',
    'email': 'compta@atelier-dupuis.example', 'phone': '+33 4 72 00 00 00',
})
env.ref('base.user_admin').write({'lang': 'fr_FR', 'tz': 'Europe/Paris'})
env.cr.commit()
"""
NO_ODOO_LINE = (
    "Odoo 19.0 not found: set ODOO_PATH to an Odoo 19.0 source tree "
    "(holding odoo/ and addons/) or install Odoo so that `import odoo` works."
)


def say(message):
    print(f"[harness] {message}", flush=True)


def venv_python():
    python = VENV / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=False, **kwargs)


# --------------------------------------------------------------------------- Odoo


def find_odoo():
    """Return ``(source_root, addons_paths)`` of Odoo 19, or ``None``."""
    odoo_path = os.environ.get("ODOO_PATH")
    if odoo_path:
        root = Path(odoo_path).expanduser().resolve()
        if not (root / "odoo" / "release.py").exists():
            return None
    else:
        probe = run(
            [venv_python(), "-c", "import odoo, sys; sys.stdout.write(list(odoo.__path__)[0])"],
            capture_output=True,
            text=True,
            cwd=tempfile.gettempdir(),
        )
        if probe.returncode != 0 or not probe.stdout:
            return None
        root = Path(probe.stdout).resolve().parent
    release = (root / "odoo" / "release.py").read_text(encoding="utf-8")
    if not re.search(r"version_info = \(19, 0", release):
        return None
    addons = [root / "odoo" / "addons"]
    if (root / "addons").is_dir():
        addons.insert(0, root / "addons")
    return root, addons


def link_module():
    """Expose the repository under the module's technical name, whatever the clone is named.

    The module folder is made of links to the repository's entries, all but the hidden ones:
    a link to the root itself would let Odoo walk into ``.build`` (the virtual environment,
    the filestore, and the module again) when it collects translatable terms.
    """
    module = ADDONS_LINK_DIR / MODULE
    if module.is_symlink():
        module.unlink()
    module.mkdir(parents=True, exist_ok=True)
    wanted = {entry.name: entry for entry in ROOT.iterdir() if not entry.name.startswith(".")}
    for link in module.iterdir():
        if link.name not in wanted or not link.is_symlink():
            link.unlink()
    for name, entry in wanted.items():
        link = module / name
        if not link.is_symlink():
            link.symlink_to(entry, target_is_directory=entry.is_dir())


def odoo_command(odoo, pg, database, extra, subcommand="server"):
    _root, addons = odoo
    addons_path = ",".join(str(p) for p in [ADDONS_LINK_DIR, *addons])
    cmd = [
        venv_python(), "-m", "odoo", subcommand,
        f"--addons-path={addons_path}",
        f"--database={database}",
        f"--db_host={pg['host']}",
        f"--db_port={pg['port']}",
        f"--db_user={pg['user']}",
        "--data-dir", str(BUILD / "filestore"),
    ]
    if pg.get("password"):
        cmd.append(f"--db_password={pg['password']}")
    return cmd + extra


def odoo_env(odoo):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(odoo[0]), env.get("PYTHONPATH")]))
    return env


# --------------------------------------------------------------------------- PostgreSQL


def free_port(preferred=54329):
    for port in [preferred, *range(preferred + 1, preferred + 50)]:
        with contextlib.closing(socket.socket()) as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free TCP port for PostgreSQL")


def pg_answers(settings):
    env = dict(os.environ, PGCONNECT_TIMEOUT="3")
    if settings.get("password"):
        env["PGPASSWORD"] = settings["password"]
    probe = run(
        ["psql", "-h", settings["host"], "-p", str(settings["port"]), "-U", settings["user"],
         "-d", "postgres", "-Atc", "select 1"],
        capture_output=True, text=True, env=env,
    )
    return probe.returncode == 0


def environment_pg():
    """The server named by the PG* environment, when one is named and answers."""
    if not any(os.environ.get(k) for k in ("PGHOST", "PGPORT", "PGUSER")):
        return None
    settings = {
        "host": os.environ.get("PGHOST", "localhost"),
        "port": int(os.environ.get("PGPORT", "5432")),
        "user": os.environ.get("PGUSER", os.environ.get("USER", "odoo")),
        "password": os.environ.get("PGPASSWORD", ""),
    }
    return settings if pg_answers(settings) else None


def as_cluster_owner(cmd):
    """initdb refuses root: run the cluster as ``nobody`` when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "nobody", "--", *cmd]
    return cmd


#: A small production server's settings rather than PostgreSQL's defaults (128 MB of buffers,
#: a checkpoint every 1 GB of WAL): a dunning run over 100,000 invoices writes gigabytes of WAL,
#: and with the defaults its time doubles or not depending on the disk's other tenants.
PG_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "wal_buffers": "64MB",
    "work_mem": "32MB",
}


def start_throwaway_pg(where=PG_DIR):
    """Start (creating when needed) a private cluster; return ``(settings, started_now)``."""
    data, sockets = where / "data", where / "run"
    state_file = where / "state.json"
    if state_file.exists():
        settings = json.loads(state_file.read_text())
        if pg_answers(settings):
            return settings, False
    where.mkdir(parents=True, exist_ok=True)
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        for path in (where, sockets):
            shutil.chown(path, "nobody", "nogroup")
    if not (data / "PG_VERSION").exists():
        shutil.rmtree(data, ignore_errors=True)
        init = run(
            as_cluster_owner(["initdb", "-D", str(data), "-U", PG_ROLE, "--auth=trust",
                              "-E", "UTF8", "--locale=C"]),
            capture_output=True, text=True,
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed in {data}: {init.stderr.strip()}")
    port = free_port()
    options = " ".join(f"-c {name}={value}" for name, value in PG_SETTINGS.items())
    start = run(
        as_cluster_owner(["pg_ctl", "-D", str(data), "-l", str(where / "server.log"), "-w",
                          "-o", f"-p {port} -k {sockets} -c listen_addresses='' {options}", "start"]),
        capture_output=True, text=True,
    )
    if start.returncode != 0:
        raise RuntimeError(f"pg_ctl start failed, see {where / 'server.log'}")
    settings = {"host": str(sockets), "port": port, "user": PG_ROLE, "password": ""}
    state_file.write_text(json.dumps(settings))
    say(f"throwaway PostgreSQL cluster in {data} (socket {sockets}, port {port})")
    return settings, True


def stop_throwaway_pg(where=PG_DIR):
    if (where / "data" / "PG_VERSION").exists():
        run(as_cluster_owner(["pg_ctl", "-D", str(where / "data"), "-m", "fast", "stop"]),
            capture_output=True)
    (where / "state.json").unlink(missing_ok=True)


def reachable_pg():
    """Return ``(settings, started_here)``."""
    settings = environment_pg()
    if settings:
        say(f"using the PostgreSQL server of the PG* environment ({settings['host']}:{settings['port']})")
        return settings, False
    return start_throwaway_pg()


def database_exists(pg, database):
    env = dict(os.environ, PGPASSWORD=pg.get("password", ""))
    probe = run(["psql", "-h", pg["host"], "-p", str(pg["port"]), "-U", pg["user"], "-d", "postgres",
                 "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
                capture_output=True, text=True, env=env)
    return probe.stdout.strip() == "1"


def drop_database(pg, database):
    env = dict(os.environ, PGPASSWORD=pg.get("password", ""))
    run(["dropdb", "--if-exists", "-h", pg["host"], "-p", str(pg["port"]), "-U", pg["user"], database],
        capture_output=True, env=env)
    shutil.rmtree(BUILD / "filestore" / "filestore" / database, ignore_errors=True)


# --------------------------------------------------------------------------- commands


def cmd_setup(_args):
    if not (VENV / "bin" / "python").exists():
        say(f"creating the virtual environment {VENV}")
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(ROOT / "requirements.txt"), "-r", str(ROOT / "requirements-dev.txt")],
                   check=True)
    link_module()
    say("virtual environment ready")
    if find_odoo() is None:
        say(NO_ODOO_LINE)
    return 0


#: The demo customers read French; then the day's escalation runs as the scheduled action would.
DEMO_RUN = """
if env['res.lang']._lang_get('fr_FR'):
    demo = env['ir.model.data'].search(
        [('module', '=', 'account_debt_collection'), ('model', '=', 'res.partner')])
    env['res.partner'].browse(demo.mapped('res_id')).write({'lang': 'fr_FR'})
env['debt.collection.run']._cron_escalate()
env.cr.commit()
"""


def cmd_demo(args):
    odoo = find_odoo()
    if odoo is None:
        print(NO_ODOO_LINE)
        return 1
    link_module()
    pg, _started = reachable_pg()
    if args.reset:
        drop_database(pg, DEMO_DB)
    log = BUILD / "demo-install.log"
    log.unlink(missing_ok=True)
    if not database_exists(pg, DEMO_DB):
        say(f"creating {DEMO_DB}: a French company, in French")
        steps = [
            run(odoo_command(odoo, pg, DEMO_DB, ["-i", "base", "--with-demo", "--stop-after-init",
                                                 "--http-interface=127.0.0.1", f"--logfile={log}"]),
                env=odoo_env(odoo)),
            run(odoo_command(odoo, pg, DEMO_DB, ["--no-http", f"--logfile={log}"], subcommand="shell"),
                input=FRENCH_COMPANY, text=True, env=odoo_env(odoo), capture_output=True),
        ]
        if any(step.returncode for step in steps):
            say(f"creating the demo database failed, see {log}")
            return 1
        log.unlink(missing_ok=True)
    say(f"installing {MODULE} with demo data in database {DEMO_DB} (log: {log})")
    install = run(
        odoo_command(odoo, pg, DEMO_DB, [
            "-i", MODULE, "--with-demo", "--stop-after-init", "--http-interface=127.0.0.1",
            f"--logfile={log}",
        ]),
        env=odoo_env(odoo),
    )
    if install.returncode != 0:
        say(f"install failed, see {log}")
        return 1
    warnings = [line for line in log.read_text(errors="replace").splitlines()
                if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]
    say(f"install log: {len(warnings)} WARNING/ERROR line(s)")
    for line in warnings[:20]:
        print(line)
    say("running the daily escalation once")
    escalate = run(
        odoo_command(odoo, pg, DEMO_DB, ["--no-http", f"--logfile={log}"], subcommand="shell"),
        input=DEMO_RUN,
        text=True, env=odoo_env(odoo), capture_output=True,
    )
    if escalate.returncode != 0:
        say(f"escalation failed: {escalate.stderr[-2000:]}")
        return 1
    say("Odoo serves on http://127.0.0.1:8069  (login: admin, password: admin); Ctrl-C stops it")
    server = subprocess.Popen(
        odoo_command(odoo, pg, DEMO_DB, ["--http-interface=127.0.0.1", "--http-port=8069",
                                         "--db-filter", f"^{DEMO_DB}$"]),
        env=odoo_env(odoo),
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        return server.wait()


def run_rules_tests(args):
    """Return ``(passed, failed, skipped)`` of the plain pytest suite."""
    report = BUILD / "pytest.xml"
    BUILD.mkdir(exist_ok=True)
    targets = args.paths or ["rules/tests"]
    proc = run(
        [venv_python(), "-m", "pytest", "-q", "-c", "rules/pytest.ini", f"--junitxml={report}", *targets],
        cwd=ROOT,
    )
    if not report.exists():
        return 0, 1, 0
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    if proc.returncode not in (0, 1, 5):
        failed = max(failed, 1)
    return total - failed - skipped, failed, skipped


def run_static_checks():
    """Return ``(passed, failed, skipped)``: each tool counts as one check."""
    checks = {
        "ruff": [venv_python(), "-m", "ruff", "check", "."],
        "pylint-odoo": [venv_python(), "-m", "pylint", "--rcfile=.pylintrc", "--score=n", "."],
    }
    passed = failed = 0
    for name, cmd in checks.items():
        say(f"static check: {name}")
        if run(cmd, cwd=ROOT).returncode == 0:
            passed += 1
        else:
            say(f"static check {name} FAILED")
            failed += 1
    return passed, failed, 0


ODOO_SKIPPED = re.compile(r" odoo\.addons\.\S+: skipped \S+")
ODOO_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def run_odoo_tests(odoo, args):
    """Return ``(passed, failed, skipped)`` of the module's Odoo tests, in a fresh database."""
    link_module()
    pg, started_here = reachable_pg()
    database = f"adc_test_{os.getpid()}"
    log = BUILD / "odoo-tests.log"
    tags = args.odoo_tags or f"/{MODULE}"
    say(f"Odoo tests (tags {tags}) in the fresh database {database}; log: {log}")
    log.unlink(missing_ok=True)
    try:
        proc = run(
            odoo_command(odoo, pg, database, [
                "-i", MODULE, "--test-enable", f"--test-tags={tags}", "--stop-after-init",
                "--http-interface=127.0.0.1", "--http-port", str(free_port(8169)),
                f"--logfile={log}", "--log-level=test",
            ]),
            env=odoo_env(odoo),
        )
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        problems = [line for line in text.splitlines() if re.search(r"\b(ERROR|CRITICAL)\b", line)]
        for line in problems[:40]:
            print(line)
        results = ODOO_RESULT.findall(text)
        if not results:
            say(f"the Odoo test run gave no result line (exit {proc.returncode}); see {log}")
            return 0, 1, 0
        failures, errors, total = (int(n) for n in results[-1])
        failed = failures + errors
        if failed == 0 and problems:
            say("the Odoo run logged errors outside the tests: counted as one failure")
            failed = 1
        skipped = len(ODOO_SKIPPED.findall(text))
        return total - failed - skipped, failed, skipped
    finally:
        drop_database(pg, database)
        if started_here:
            stop_throwaway_pg()


def cmd_test(args):
    results = []
    if not args.odoo_only:
        results.append(run_rules_tests(args))
        if not args.paths:
            results.append(run_static_checks())
    if not args.paths:
        odoo = find_odoo()
        if odoo is None:
            banner = "=" * 78
            print(f"\n{banner}\n  ODOO TESTS DID NOT RUN: {NO_ODOO_LINE}\n{banner}\n")
        else:
            results.append(run_odoo_tests(odoo, args))
    passed = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    skipped = sum(r[2] for r in results)
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed or not passed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup", help="virtual environment and tools").set_defaults(func=cmd_setup)
    demo = sub.add_parser("demo", help="install the demo database and serve Odoo")
    demo.add_argument("--reset", action="store_true", help="drop the demo database first")
    demo.set_defaults(func=cmd_demo)
    test = sub.add_parser("test", help="rules tests, static checks and Odoo tests")
    test.add_argument("paths", nargs="*", help="only these pytest files (no Odoo, no static checks)")
    test.add_argument("--odoo-tags", help="Odoo --test-tags, e.g. /account_debt_collection:TestEscalation")
    test.add_argument("--odoo-only", action="store_true", help="skip pytest and static checks")
    test.set_defaults(func=cmd_test)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
