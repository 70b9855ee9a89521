#!/usr/bin/env python3
"""Development harness of account_debt_collection: ``setup``, ``demo``, ``test``.

Standard library only: it runs before the virtual environment exists.

* ``setup``  virtual environment in ``.build/venv`` (it sees the machine's packages, so an
  Odoo installed on the machine stays importable), the module's Python dependencies and
  the test tools.
* ``demo``   PostgreSQL (the PG* environment when a server answers, otherwise a throwaway
  cluster in ``.build/pg``), a database of a French company on Odoo's French chart with the
  module, the demo's ledger lived over the last months (``tools/demo_story.py``), a summary
  of what is there, then Odoo served on http://127.0.0.1:8069 (``--port``), its emails caught
  by a local mail server (``tools/mail_sink.py``). Each phase prints its elapsed time.
  Ctrl-C stops Odoo, and the throwaway cluster when the demo started it.
* ``stop``   stops a running demo and the throwaway cluster (never the PG* environment's).
* ``test``   rules tests (pytest), static checks (ruff, pylint-odoo) and, when Odoo is
  found, the module's Odoo tests in a fresh database, then the run shared through OCA's
  ``queue_job`` in a second one where it is installed. Ends with ``N passed, N failed``.

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
import threading
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import demo_story
from mail_sink import MailSink

MODULE = "account_debt_collection"
ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".build"
VENV = BUILD / "venv"
ADDONS_LINK_DIR = BUILD / "addons"
#: OCA modules the tests install beside the module (not dependencies of it), from PyPI's
#: wheels (``--no-deps``: their ``odoo`` requirement is this Odoo), unpacked here.
OCA_ADDONS_DIR = BUILD / "oca_addons"
OCA_TEST_WHEELS = {"queue_job": "odoo-addon-queue_job==19.0.2.4.0.1"}
PG_DIR = BUILD / "pg"
PG_ROLE = "odoo"
DEMO_DB = "debt_collection_demo"
DEMO_PORT = 8069
#: While the demo serves, its Odoo's and its harness's pids, for ``stop``.
DEMO_PID_FILE = BUILD / "demo.json"
#: Where the demo's emails are kept, one ``.eml`` file each.
DEMO_MAILS = BUILD / "demo-mails"
#: Run in the demo database (created without Odoo's demo data, which would load Accounting's
#: generic chart in USD) before Accounting is installed: a French SME working in French and
#: English. Odoo's French chart (l10n_fr_account) then becomes the company's, in EUR.
FRENCH_COMPANY = """
env['res.lang']._activate_lang('fr_FR')
env['res.lang']._activate_lang('en_US')
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
    the filestore, and the module again) when it collects translatable terms. What else is
    found there goes, such as the ``__pycache__`` Python writes beside the linked
    ``__init__.py`` when bytecode is written (a fresh shell, as CI's).
    """
    module = ADDONS_LINK_DIR / MODULE
    if module.is_symlink():
        module.unlink()
    module.mkdir(parents=True, exist_ok=True)
    wanted = {entry.name: entry for entry in ROOT.iterdir() if not entry.name.startswith(".")}
    for link in module.iterdir():
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.name not in wanted or not link.is_symlink():
            link.unlink()
    for name, entry in wanted.items():
        link = module / name
        if not link.is_symlink():
            link.symlink_to(entry, target_is_directory=entry.is_dir())


def fetch_oca_addons():
    """Unpack the OCA modules of ``OCA_TEST_WHEELS`` into ``OCA_ADDONS_DIR`` (once)."""
    wheels = BUILD / "wheels"
    for module, requirement in OCA_TEST_WHEELS.items():
        if (OCA_ADDONS_DIR / module / "__manifest__.py").exists():
            continue
        download = run(
            [venv_python(), "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
             "-d", str(wheels), requirement],
            capture_output=True, text=True,
        )
        found = sorted(wheels.glob(f"odoo_addon_{module}-*.whl"))
        if download.returncode != 0 or not found:
            say(f"could not download {requirement}: the tests that need {module} will be skipped")
            continue
        with zipfile.ZipFile(found[-1]) as wheel:
            prefix = f"odoo/addons/{module}/"
            for name in wheel.namelist():
                if name.startswith(prefix) and not name.endswith("/"):
                    target = OCA_ADDONS_DIR / module / name[len(prefix):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(wheel.read(name))


def odoo_command(odoo, pg, database, extra, subcommand="server"):
    _root, addons = odoo
    oca = [OCA_ADDONS_DIR] if OCA_ADDONS_DIR.is_dir() else []
    addons_path = ",".join(str(p) for p in [ADDONS_LINK_DIR, *addons, *oca])
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


#: The benchmark's cluster: a small production server's settings rather than PostgreSQL's
#: defaults (128 MB of buffers, a checkpoint every 1 GB of WAL): a dunning run over 100,000
#: invoices writes gigabytes of WAL, and with the defaults its time doubles or not depending on
#: the disk's other tenants. ``start_throwaway_pg()``, as the README's Performance section
#: calls it, starts the cluster with them.
PG_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "wal_buffers": "64MB",
    "work_mem": "32MB",
}
#: The demo's and the tests' cluster: PostgreSQL's defaults. Neither needs tuning, and 4 GB of
#: shared buffers is more memory than a small machine can give (PostgreSQL then refuses to
#: start); 16 GB of WAL between checkpoints is disk a throwaway cluster should not hold.
DEV_PG_SETTINGS = {}


def running_throwaway_pg(where=PG_DIR):
    """``(connection, settings)`` of the throwaway cluster when it runs, else ``None``."""
    state_file = where / "state.json"
    if not state_file.exists():
        return None
    state = json.loads(state_file.read_text())
    connection = {key: state[key] for key in ("host", "port", "user", "password")}
    if not pg_answers(connection):
        return None
    # a state without settings was written when the cluster only had the benchmark's
    return connection, state.get("settings", PG_SETTINGS)


def start_throwaway_pg(where=PG_DIR, settings=None, any_settings=False):
    """Start (creating when needed) a private cluster; return ``(connection, started_now)``.

    ``settings`` are PostgreSQL's ``-c`` options, by default the benchmark's (``PG_SETTINGS``).
    A cluster already running is used as it is when ``any_settings`` (the demo and the tests
    work with any) or when it runs with ``settings``. Otherwise it must be stopped first
    (``make stop``): PostgreSQL takes these settings when it starts.
    """
    settings = PG_SETTINGS if settings is None else settings
    running = running_throwaway_pg(where)
    if running:
        connection, running_with = running
        if any_settings or running_with == settings:
            return connection, False
        raise RuntimeError(
            f"the throwaway PostgreSQL cluster in {where} runs with other settings "
            f"({running_with or 'PostgreSQL defaults'}): stop it first (make stop)"
        )
    data, sockets = where / "data", where / "run"
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
    options = " ".join(f"-c {name}={value}" for name, value in settings.items())
    start = run(
        as_cluster_owner(["pg_ctl", "-D", str(data), "-l", str(where / "server.log"), "-w",
                          "-o", f"-p {port} -k {sockets} -c listen_addresses='' {options}", "start"]),
        capture_output=True, text=True,
    )
    if start.returncode != 0:
        raise RuntimeError(f"pg_ctl start failed, see {where / 'server.log'}")
    connection = {"host": str(sockets), "port": port, "user": PG_ROLE, "password": ""}
    (where / "state.json").write_text(json.dumps({**connection, "settings": settings}))
    described = "the benchmark's settings" if settings == PG_SETTINGS else "PostgreSQL's defaults"
    say(f"throwaway PostgreSQL cluster in {data} (socket {sockets}, port {port}, {described})")
    return connection, True


def stop_throwaway_pg(where=PG_DIR):
    if (where / "data" / "PG_VERSION").exists():
        run(as_cluster_owner(["pg_ctl", "-D", str(where / "data"), "-m", "fast", "stop"]),
            capture_output=True)
    (where / "state.json").unlink(missing_ok=True)


def release_throwaway_pg(pg, database, where=PG_DIR):
    """Stop the throwaway cluster a command started, once done with ``database``.

    A cluster that another database still uses (a test run, a benchmark, a demo started
    meanwhile) is left running for it; ``make stop`` stops it. Returns whether it stopped.
    """
    in_use = psql_value(
        pg,
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        f"AND datname NOT IN ('postgres', '{database}')",
    )
    if in_use not in ("", "0"):
        say(f"the throwaway PostgreSQL cluster serves other databases too: left running ({where})")
        return False
    stop_throwaway_pg(where)
    return True


def reachable_pg():
    """Return ``(connection, started_here)``."""
    connection = environment_pg()
    if connection:
        say(f"using the PostgreSQL server of the PG* environment "
            f"({connection['host']}:{connection['port']})")
        return connection, False
    return start_throwaway_pg(settings=DEV_PG_SETTINGS, any_settings=True)


def psql_value(pg, query, database="postgres"):
    """The first column of the first row of ``query``, as text ("" when there is none)."""
    env = dict(os.environ, PGPASSWORD=pg.get("password", ""))
    probe = run(["psql", "-h", pg["host"], "-p", str(pg["port"]), "-U", pg["user"], "-d", database,
                 "-Atc", query], capture_output=True, text=True, env=env)
    return probe.stdout.strip().split("\n")[0]


def database_exists(pg, database):
    return psql_value(pg, f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"


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
    fetch_oca_addons()
    say("virtual environment ready")
    if find_odoo() is None:
        say(NO_ODOO_LINE)
    return 0


#: The demo's ledger, lived day by day (``tools/demo_story.py``), in ``odoo shell``.
DEMO_STORY = f"import runpy\nrunpy.run_path({str(Path(demo_story.__file__).resolve())!r})['main'](env)\n"
#: The links the demo's emails and letters carry (the customer's page) lead to the demo's server.
BASE_URL = "env['ir.config_parameter'].sudo().set_param('web.base.url', 'http://127.0.0.1:{port}')\n"
#: What the demo database holds, printed by ``odoo shell`` as one line ``SUMMARY_MARK <json>``:
#: counts by channel and by state, cases by stage in the kanban's order, the internal users
#: with their role and whether their password is their login.
SUMMARY_MARK = "demo-summary:"
DEMO_SUMMARY = """
import json
from odoo import fields
env = env(context=dict(env.context, lang='en_US'))

def by_selection(model, field, domain=()):
    counts = dict(env[model]._read_group(list(domain), [field], ['__count']))
    labels = env[model]._fields[field]._description_selection(env)
    return [[label, counts.get(key, 0)] for key, label in labels]

def role(user):
    for xmlid, name in [
        ('account_debt_collection.group_debt_collection_manager', 'Collection Manager'),
        ('account_debt_collection.group_debt_collection_user', 'Collection User (credit controller)'),
        ('account.group_account_invoice', 'Invoicing (salesperson)'),
    ]:
        if env.ref(xmlid, raise_if_not_found=False) and user.has_group(xmlid):
            return name
    return ''

cases = dict(env['debt.collection.case']._read_group([], ['stage_id'], ['__count']))
users = env['res.users'].search([('share', '=', False)], order='id')
env.cr.execute("SELECT id, COALESCE(password, '') FROM res_users WHERE id IN %s", [tuple(users.ids)])
hashes = dict(env.cr.fetchall())
crypt = env['res.users']._crypt_context()
Event = env['debt.collection.event']
Forecast = env['debt.collection.forecast']
accuracy = Forecast._accuracy(env.company, fields.Date.context_today(Forecast))
print(SUMMARY_MARK, json.dumps({
    'company': env.company.name,
    'currency': env.company.currency_id.name,
    'chart': env.company.chart_template or '',
    'languages': env['res.lang'].search([]).mapped('code'),
    'customers': env['res.partner'].search_count([('customer_rank', '>', 0)]),
    'invoices': by_selection(
        'account.move', 'payment_state', [('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]),
    'events': by_selection('debt.collection.event', 'channel', [('origin', 'in', ('pre_due', 'overdue'))]),
    'calls': Event.search_count([('origin', '=', 'manual'), ('channel', '=', 'phone')]),
    'event_states': by_selection('debt.collection.event', 'state'),
    'cases': [[stage.name, cases.get(stage, 0)] for stage in env['debt.collection.case.stage'].search([])],
    'handoffs': env['debt.collection.case'].search_count([('handoff_kind', '!=', False)]),
    'plans': env['debt.collection.case'].search_count([('plan_state', '=', 'running')]),
    'disputes': by_selection('debt.collection.dispute', 'state'),
    'promises': by_selection('debt.collection.promise', 'state'),
    'classes': by_selection('debt.collection.payer.profile', 'payer_class'),
    'snapshots': Forecast.search_count([]),
    'accuracy': list(accuracy) if accuracy else None,
    'tasks': env['mail.activity'].search_count([('date_deadline', '<=', fields.Date.today())]),
    'users': [
        [user.login, user.name, role(user),
         bool(hashes[user.id]) and crypt.verify(user.login, hashes[user.id])]
        for user in users
    ],
}))
"""
#: Seconds between two "still working" lines of a long phase.
HEARTBEAT = 30
#: Where an Odoo log says it is: ``Loading module mail (21/57)``, ``loading mail/data/x.xml``.
ODOO_MODULE_START = re.compile(r"odoo\.modules\.loading: Loading module (\w+) \((\d+/\d+)\)")
ODOO_FILE_LOADING = re.compile(r"odoo\.modules\.loading: loading (\w+/\S+)")
#: Where the demo's story is: ``demo-story: day -40 of -150..0 lived``.
STORY_PROGRESS = re.compile(re.escape(demo_story.MARK) + r" (.+)")


class DemoFailed(Exception):
    """A phase of the demo failed; the message says where to look."""


def duration(seconds):
    """``"42 s"`` or ``"6 min 02 s"``."""
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def last_loaded(log):
    """Where the Odoo run writing ``log`` is: ``module 21/57, mail/data/x.xml``, or ``""``."""
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - 262144))
            tail = handle.read().decode(errors="replace")
    except FileNotFoundError:
        return ""
    story = STORY_PROGRESS.findall(tail)
    if story:
        return story[-1].strip()
    where = [f"module {found[-1][1]}" for found in [ODOO_MODULE_START.findall(tail)] if found]
    where += [found[-1] for found in [ODOO_FILE_LOADING.findall(tail)] if found]
    return ", ".join(where)


class Progress:
    """Phases of a long command, each printed with its elapsed time, and a line every
    ``HEARTBEAT`` seconds while one runs (with the file Odoo loads, when it logs to ``log``)."""

    def __init__(self):
        self.started = time.monotonic()

    def total(self):
        return duration(time.monotonic() - self.started)

    @contextlib.contextmanager
    def phase(self, title, log=None):
        say(f"{title}...")
        began = time.monotonic()
        finished = threading.Event()

        def heartbeat():
            while not finished.wait(HEARTBEAT):
                where = last_loaded(log) if log else ""
                say(f"    {duration(time.monotonic() - began)}" + (f": {where}" if where else ""))

        thread = threading.Thread(target=heartbeat, daemon=True)
        thread.start()
        try:
            yield
        finally:
            finished.set()
            thread.join()
        say(f"{title}: done in {duration(time.monotonic() - began)} (total {self.total()})")


def odoo_step(odoo, pg, log, extra, subcommand="server", script=None):
    """Run one Odoo command on the demo database, all its output appended to ``log``
    (Odoo's log, and what goes to stderr, such as docutils' messages)."""
    with log.open("a", encoding="utf-8") as out:
        proc = run(
            odoo_command(odoo, pg, DEMO_DB, [*extra, f"--logfile={log}"], subcommand=subcommand),
            input=script, text=True, env=odoo_env(odoo), stdout=out, stderr=subprocess.STDOUT,
        )
    if proc.returncode != 0:
        raise DemoFailed(f"odoo {subcommand} {' '.join(extra)} failed (exit {proc.returncode}), see {log}")


def port_free(port):
    """Whether Odoo could listen on ``127.0.0.1:port`` (it reuses addresses, as this probe does)."""
    with contextlib.closing(socket.socket()) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def listening(port):
    with contextlib.closing(socket.socket()) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def port_taken(port):
    other = next((p for p in range(port + 1, port + 100) if port_free(p)), port + 1)
    return (f"port {port} is taken (another Odoo? a demo already running? `make stop` stops the "
            f"demo): choose another one, e.g. `make demo PORT={other}`")


#: A message of docutils (written to stderr, without the module whose description it renders).
DOCUTILS_MESSAGE = re.compile(r"^<string>:\d+: \((INFO|WARNING|ERROR|SEVERE)/\d\)")


def install_problems(text):
    """``(warnings, docutils)`` of an install's output: its WARNING/ERROR lines, and the count
    of docutils messages per module, the one Odoo was loading when it rendered its description."""
    warnings, docutils, module = [], {}, "?"
    for line in text.splitlines():
        if started := ODOO_MODULE_START.search(line):
            module = started.group(1)
        elif DOCUTILS_MESSAGE.match(line):
            docutils[module] = docutils.get(module, 0) + 1
        elif re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line):
            warnings.append(line)
    return warnings, docutils


def prepare_demo(odoo, pg, args, progress, smtp_port):
    """The demo database, created when missing: a French company on Odoo's French chart, the
    module, and the demo's ledger lived over the last months (its emails sent to ``smtp_port``)."""
    log = BUILD / "demo-install.log"
    log.unlink(missing_ok=True)
    say(f"the output of Odoo goes to {log}")
    if args.reset:
        drop_database(pg, DEMO_DB)
    install_from = 0
    if not database_exists(pg, DEMO_DB):
        with progress.phase(f"creating {DEMO_DB} with Odoo's base, in French and English", log):
            odoo_step(odoo, pg, log,
                      ["-i", "base", "--load-language=fr_FR", "--stop-after-init", "--no-http"])
        with progress.phase("a French company", log):
            odoo_step(odoo, pg, log, ["--no-http"], subcommand="shell", script=FRENCH_COMPANY)
        install_from = log.stat().st_size
        with progress.phase("Odoo's accounting and French chart of accounts (l10n_fr_account)", log):
            odoo_step(odoo, pg, log, ["-i", "l10n_fr_account", "--stop-after-init", "--no-http"])
        install = ["-i", MODULE]
    else:
        say(f"{DEMO_DB} exists: kept, {MODULE} updated "
            "(`python3 tools/harness.py demo --reset` starts again)")
        # the module of an earlier checkout: its new fields, dependencies and migrations
        install = ["-u", MODULE]
    with progress.phase(f"installing {MODULE} and its dependencies", log):
        odoo_step(odoo, pg, log, [*install, "--stop-after-init", "--no-http"])
    with log.open(encoding="utf-8", errors="replace") as handle:
        handle.seek(install_from)
        warnings, docutils = install_problems(handle.read())
    say(f"install log: {len(warnings)} WARNING/ERROR line(s)")
    for line in warnings[:20]:
        print(line)
    if docutils:
        say("docutils messages, from module descriptions rendered for the Apps page (a module "
            "without static/description/index.html): "
            + ", ".join(f"{module} {count}" for module, count in docutils.items()))
    with progress.phase("living the demo's last five months, day by day (tools/demo_story.py)", log):
        odoo_step(odoo, pg, log, ["--no-http", *smtp_options(smtp_port)], subcommand="shell",
                  script=BASE_URL.format(port=args.port) + DEMO_STORY)


def smtp_options(port):
    """Odoo's outgoing mail server: the demo's local one."""
    return ["--smtp=127.0.0.1", f"--smtp-port={port}"]


def demo_summary(odoo, pg, port):
    """The lines saying what the demo database holds, read from it."""
    proc = run(
        odoo_command(odoo, pg, DEMO_DB, ["--no-http", f"--logfile={BUILD / 'demo-install.log'}"],
                     subcommand="shell"),
        input=f"SUMMARY_MARK = {SUMMARY_MARK!r}\n{DEMO_SUMMARY}", text=True, env=odoo_env(odoo),
        capture_output=True,
    )
    line = next((line for line in proc.stdout.splitlines() if line.startswith(SUMMARY_MARK)), None)
    if line is None:
        raise DemoFailed(f"reading the demo's summary failed: {proc.stderr[-2000:]}")
    data = json.loads(line[len(SUMMARY_MARK):])

    def listed(pairs, zeros=False):
        return ", ".join(f"{label} {count}" for label, count in pairs if count or zeros) or "none"

    def login(user_login, name, role, password_is_login):
        password = f" / {user_login}" if password_is_login else " (password not its login)"
        return f"    {user_login}{password}: {name}" + (f", {role}" if role else "")

    accuracy = (
        f"error {data['accuracy'][0]:.0%} over the last 8 weeks (bias {data['accuracy'][1]:+.0%})"
        if data["accuracy"] else "accuracy not measured yet"
    )
    return [
        f"{data['company']} ({data['currency']}, chart {data['chart'] or 'none'}, languages "
        f"{', '.join(data['languages'])}): {data['customers']} customers; posted invoices by payment "
        f"state: {listed(data['invoices'])}",
        f"communications by channel: {listed(data['events'])}; calls logged: {data['calls']}",
        f"collection events by state: {listed(data['event_states'], zeros=True)}",
        f"cases by stage: {listed(data['cases'], zeros=True)}; handed off: {data['handoffs']}; "
        f"payment plans running: {data['plans']}",
        f"disputes: {listed(data['disputes'], zeros=True)}; "
        f"promises to pay: {listed(data['promises'], zeros=True)}",
        f"payer classes: {listed(data['classes'], zeros=True)}; forecast snapshots: {data['snapshots']}, "
        f"{accuracy}; tasks due: {data['tasks']}",
        f"emails sent by the demo are kept in {DEMO_MAILS}",
        f"http://127.0.0.1:{port}  logins (password = login):",
        *(login(*user) for user in data["users"]),
    ]


def serve_demo(odoo, pg, port, summary, smtp_port):
    """Serve the demo until Ctrl-C or ``make stop``; return Odoo's exit code."""
    if not port_free(port):
        raise DemoFailed(f"the demo database is ready, but {port_taken(port)}")
    log = BUILD / "demo-server.log"
    with log.open("a", encoding="utf-8") as out:
        server = subprocess.Popen(
            odoo_command(odoo, pg, DEMO_DB, ["--http-interface=127.0.0.1", f"--http-port={port}",
                                             "--db-filter", f"^{DEMO_DB}$", f"--logfile={log}",
                                             *smtp_options(smtp_port)]),
            env=odoo_env(odoo), stdout=out, stderr=subprocess.STDOUT,
        )
    DEMO_PID_FILE.write_text(json.dumps({"odoo": server.pid, "harness": os.getpid()}))
    try:
        while server.poll() is None and not listening(port):
            time.sleep(0.5)
        if server.poll() is not None:
            raise DemoFailed(f"Odoo stopped at start (exit {server.returncode}), see {log}")
        for line in summary:
            say(line)
        say(f"Odoo serves the demo (log: {log}); Ctrl-C or `make stop` stops it, and the throwaway "
            "PostgreSQL cluster if the demo started it")
        try:
            return server.wait()
        except KeyboardInterrupt:
            # Ctrl-C reached Odoo too (same terminal): give it the time to stop cleanly
            try:
                return server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.terminate()
                return server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()
        DEMO_PID_FILE.unlink(missing_ok=True)


def cmd_demo(args):
    odoo = find_odoo()
    if odoo is None:
        print(NO_ODOO_LINE)
        return 1
    if not port_free(args.port):
        say(port_taken(args.port))
        return 1
    link_module()
    progress = Progress()
    with progress.phase("PostgreSQL"):
        pg, started_here = reachable_pg()
    try:
        with MailSink(DEMO_MAILS, refused=demo_story.REFUSED_ADDRESSES) as sink:
            prepare_demo(odoo, pg, args, progress, sink.port)
            with progress.phase("reading what the demo holds"):
                summary = demo_summary(odoo, pg, args.port)
            say(f"demo ready in {progress.total()}")
            return serve_demo(odoo, pg, args.port, summary, sink.port)
    except DemoFailed as failure:
        say(str(failure))
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        if started_here:
            if release_throwaway_pg(pg, DEMO_DB):
                say("throwaway PostgreSQL cluster stopped")
        elif pg["host"] == str(PG_DIR / "run"):
            say("the throwaway PostgreSQL cluster was running before the demo: left running "
                "(`make stop` stops it)")


def wait_gone(pid, seconds=30):
    """Wait until process ``pid`` has ended (or ``seconds`` have passed)."""
    with contextlib.suppress(ProcessLookupError):
        for _ in range(seconds * 4):
            os.kill(pid, 0)
            time.sleep(0.25)


def stop_demo():
    """Stop the demo's Odoo, then wait for its harness, which stops the cluster it started.
    Returns whether a demo was running."""
    pids = json.loads(DEMO_PID_FILE.read_text())
    cmdline = Path(f"/proc/{pids['odoo']}/cmdline")
    stopped = False
    with contextlib.suppress(ProcessLookupError, FileNotFoundError):
        # on Linux, make sure the pid was not reused since
        if not cmdline.parent.parent.exists() or DEMO_DB in cmdline.read_text(errors="replace"):
            os.kill(pids["odoo"], signal.SIGTERM)
            stopped = True
            say(f"stopping the demo's Odoo (pid {pids['odoo']})")
            wait_gone(pids["odoo"])
            wait_gone(pids["harness"])
    DEMO_PID_FILE.unlink(missing_ok=True)
    return stopped


def cmd_stop(_args):
    """Stop a running demo's Odoo, then the throwaway cluster, never the PG* environment's."""
    demo_stopped = DEMO_PID_FILE.exists() and stop_demo()
    running = running_throwaway_pg()
    if running is None:
        say(f"no throwaway PostgreSQL cluster runs{' any more' if demo_stopped else ''} ({PG_DIR})")
        return 0
    connection, _settings = running
    named = environment_pg()
    if named and (named["host"], named["port"]) == (connection["host"], connection["port"]):
        say(f"the PG* environment names the throwaway cluster in {PG_DIR}: it is theirs, left running")
        return 0
    stop_throwaway_pg()
    say(f"throwaway PostgreSQL cluster stopped ({PG_DIR})")
    return 0


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


#: Odoo's own tests of what the module touches (invoices, credit notes, payments, partners),
#: run with the module installed: the ordinary flows of Accounting must still work.
CORE_TEST_TAGS = (
    "/account:TestAccountMoveOutInvoiceOnchanges",
    "/account:TestAccountMoveOutRefundOnchanges",
    "/account:TestAccountPaymentRegister",
    "/account:TestAccountPartner",
    "/account:TestMergePartner",
)
#: Installed beside the module in the test database, not dependencies of it: Odoo's demo
#: payment provider, with which the customer-page tours pay online (the module only bridges
#: to ``account_payment``, which Odoo installs with ``account``).
TEST_EXTRA_MODULES = ("payment_demo",)
#: The second test database: the module beside OCA's queue_job, for the tests of the run shared
#: as jobs (they skip themselves in the first one, where queue_job is not installed).
QUEUE_JOB_TAGS = f"/{MODULE}:TestRunAsJobs"
ODOO_SKIPPED = re.compile(r" odoo\.addons\.\S+: skipped \S+")
ODOO_RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def run_odoo_tests(odoo, args, modules=(MODULE, *TEST_EXTRA_MODULES), tags=None, name="odoo-tests"):
    """Return ``(passed, failed, skipped)`` of the module's Odoo tests, in a fresh database."""
    link_module()
    pg, started_here = reachable_pg()
    database = f"adc_test_{os.getpid()}_{name.replace('-', '_')}"
    log = BUILD / f"{name}.log"
    tags = tags or args.odoo_tags or ",".join([f"/{MODULE}", *CORE_TEST_TAGS])
    say(f"Odoo tests (tags {tags}) in the fresh database {database} ({', '.join(modules)}); log: {log}")
    log.unlink(missing_ok=True)
    try:
        proc = run(
            odoo_command(odoo, pg, database, [
                "-i", ",".join(modules), "--test-enable", f"--test-tags={tags}",
                "--stop-after-init",
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
            release_throwaway_pg(pg, database)


def run_queue_job_tests(odoo, args):
    """The tests of the run shared as queue_job jobs, in a database where queue_job is installed."""
    fetch_oca_addons()
    if not (OCA_ADDONS_DIR / "queue_job" / "__manifest__.py").exists():
        say("OCA queue_job is not available: the tests of the run shared as jobs did not run")
        return 0, 0, 1
    return run_odoo_tests(
        odoo, args, modules=(MODULE, "queue_job"), tags=QUEUE_JOB_TAGS, name="odoo-tests-queue-job"
    )


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
            if not args.odoo_tags or "TestRunAsJobs" in args.odoo_tags:
                results.append(run_queue_job_tests(odoo, args))
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
    demo.add_argument("--port", type=int, default=DEMO_PORT, help=f"Odoo's HTTP port (default {DEMO_PORT})")
    demo.set_defaults(func=cmd_demo)
    stop = sub.add_parser("stop", help="stop the demo and the throwaway PostgreSQL cluster")
    stop.set_defaults(func=cmd_stop)
    test = sub.add_parser("test", help="rules tests, static checks and Odoo tests")
    test.add_argument("paths", nargs="*", help="only these pytest files (no Odoo, no static checks)")
    test.add_argument("--odoo-tags", help="Odoo --test-tags, e.g. /account_debt_collection:TestEscalation")
    test.add_argument("--odoo-only", action="store_true", help="skip pytest and static checks")
    test.set_defaults(func=cmd_test)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
