#!/usr/bin/env python3
"""The daily run through OCA's queue_job and its job runner, on a real Odoo server with N workers.

Development tool, not a test. On a copy of a ledger where ``queue_job`` is installed, an Odoo
server is started as a deployment runs it (prefork, ``--workers=N``, ``queue_job`` among the
server-wide modules, the channels ``root:N,root.debt_collection:N``): its job runner hands the
run's jobs to the HTTP workers. The scheduled action (``_cron_escalate``) queues the day's
batches; the clock stops when the last job is done::

    PYTHONPATH=/opt/odoo19 .build/venv/bin/python tools/benchmark/job_runner.py --db bench_10k --workers 1,2

Printed per number of workers: the time from the scheduled action's start to the last job done
(and, from the jobs' own dates, when the first started and how long they ran), the jobs per
state and per worker process, and what the database holds afterwards, counted as
``workers.py`` counts it (communications, mails, errors, customers communicated twice).
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import ADDONS_PATH, MODULE_ROOT, ODOO_PATH, PG_HOST, PG_PORT, PG_USER, odoo_env
from workers import counts_text, database_counts, load_text, release

QUEUE_JOB_ADDONS = os.environ.get("BENCH_QUEUE_JOB_ADDONS", f"{MODULE_ROOT}/.build/oca_addons")
ADDONS = f"{ADDONS_PATH},{QUEUE_JOB_ADDONS}"
ODOO_BIN = os.path.join(ODOO_PATH, "odoo-bin")
#: the server measured: odoo-bin without its websocket process (see the file)
SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "odoo_server.py")
#: states of a job not finished yet
PENDING_STATES = ("wait_dependencies", "pending", "enqueued", "started")


def odoo_options(db, log_level="warn"):
    """The command line options of an Odoo process on ``db`` (a server, or an install)."""
    return [
        f"--addons-path={ADDONS}",
        f"--db_host={PG_HOST}",
        f"--db_port={PG_PORT}",
        f"--db_user={PG_USER}",
        f"--database={db}",
        f"--db-filter=^{db}$",
        "--data-dir=/tmp/bench_filestore",
        f"--log-level={log_level}",
    ]


def with_queue_job(db):
    """``{db}_jobs``, a copy of ``db`` where queue_job is installed (made once, kept)."""
    template = f"{db}_jobs"
    exists = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{template}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        release(db)
        subprocess.run(["createdb", "-T", db, template], check=True)
        subprocess.run(
            [sys.executable, ODOO_BIN, *odoo_options(template), "-i", "queue_job", "--stop-after-init"],
            check=True,
        )
    return template


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db, workers, port, log):
    """An Odoo server as deployed: prefork with ``workers`` HTTP workers and queue_job's runner."""
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=f"root:{workers},root.debt_collection:{workers}")
    server = subprocess.Popen(
        [
            sys.executable,
            SERVER,
            *odoo_options(db, log_level="info"),  # the runner's and the requests' lines
            f"--workers={workers}",
            "--max-cron-threads=0",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--load=base,web,queue_job",
            "--limit-time-real=900",
            "--limit-time-cpu=900",
            f"--logfile={log}",
        ],
        env=env,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/web/health", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"the Odoo server did not answer on port {port}: see {log}")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def jobs_by_state(env):
    env.cr.execute("SELECT state, COUNT(*) FROM queue_job GROUP BY state")
    return dict(env.cr.fetchall())


def share(db, workers, today):
    """Queue the day's run on a copy of ``db`` and let ``workers`` Odoo workers carry it out."""
    template = with_queue_job(db)
    release(template)
    copy = f"{db}_jobs{workers}"
    subprocess.run(["dropdb", "--if-exists", copy], check=True)
    subprocess.run(["createdb", "-T", template, copy], check=True)
    log = os.path.join(tempfile.gettempdir(), f"{copy}.log")
    server = start_server(copy, workers, free_port(), log)
    try:
        time.sleep(6)  # the job runner starts 5 s after the server (queue_job's START_DELAY)
        with odoo_env(copy, extra_addons=QUEUE_JOB_ADDONS, tracking=True) as env:
            load_before = os.getloadavg()[0]
            started = time.perf_counter()  # the registry loaded: the clock times the run only
            env["debt.collection.run"]._cron_escalate()
            env.cr.commit()
            queued = sum(jobs_by_state(env).values())
            states = jobs_by_state(env)
            while set(states) & set(PENDING_STATES):
                env.cr.commit()  # a new snapshot to read the workers' progress
                time.sleep(0.2)
                states = jobs_by_state(env)
            wall = time.perf_counter() - started
            env.cr.execute(
                """SELECT worker_pid, COUNT(*),
                          ROUND(SUM(EXTRACT(EPOCH FROM date_done - date_started))::numeric, 1)
                     FROM queue_job WHERE state = 'done' GROUP BY worker_pid ORDER BY 1"""
            )
            per_worker = env.cr.fetchall()
            env.cr.execute(
                """SELECT EXTRACT(EPOCH FROM MIN(date_started) - MIN(date_created)),
                          EXTRACT(EPOCH FROM MAX(date_done) - MIN(date_started))
                     FROM queue_job"""
            )
            first_start, running = (round(float(value), 2) for value in env.cr.fetchone())
            # a worker's idle time between jobs: from one job's end to the runner handing out
            # the next (enqueued), then to a worker starting it
            env.cr.execute(
                """SELECT PERCENTILE_CONT(0.5)
                              WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM enqueued - previous)),
                          PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM started - enqueued))
                     FROM (SELECT date_enqueued AS enqueued, date_started AS started,
                                  LAG(date_done) OVER (PARTITION BY worker_pid ORDER BY date_started)
                                      AS previous
                             FROM queue_job WHERE state = 'done') jobs
                    WHERE previous IS NOT NULL"""
            )
            handed_out, picked_up = (round(float(value or 0), 2) for value in env.cr.fetchone())
            env.cr.execute(
                """SELECT state, customer_count, communication_count
                     FROM debt_collection_run_log ORDER BY id DESC LIMIT 1"""
            )
            run_log = env.cr.fetchone()
    finally:
        stop_server(server)
    try:
        return {
            "workers": workers,
            "wall_seconds": round(wall, 2),
            "jobs": queued,
            "jobs_by_state": states,
            "per_worker": per_worker,
            "first_start_seconds": first_start,
            "running_seconds": running,
            "handed_out_seconds": handed_out,
            "picked_up_seconds": picked_up,
            "run_log": run_log,
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "server_log": log,
            **database_counts(copy, today),
        }
    finally:
        release(copy)
        subprocess.run(["dropdb", "--if-exists", copy], check=False)


def report(results):
    print(f"\n{'workers':>7}{'wall s':>9}{'speed-up':>10}  jobs by state; per worker process: jobs, seconds")
    alone = results[0]["wall_seconds"] if results and results[0]["workers"] == 1 else None
    for result in results:
        speed_up = f"{alone / result['wall_seconds']:.2f}x" if alone else ""
        processes = ", ".join(f"{count} jobs {seconds} s" for _pid, count, seconds in result["per_worker"])
        print(
            f"{result['workers']:>7}{result['wall_seconds']:>9.2f}{speed_up:>10}  "
            f"{result['jobs']} jobs {result['jobs_by_state']}; {processes}"
        )
        print(
            f"{'':>7}  first job started {result['first_start_seconds']} s after the queueing, "
            f"the jobs ran {result['running_seconds']} s from the first start to the last end; "
            f"between two jobs of a worker (medians): {result['handed_out_seconds']} s until the runner "
            f"hands out the next, {result['picked_up_seconds']} s until the worker starts it"
        )
        print(
            f"{'':>7}  {counts_text(result)}, run log {result['run_log']}, "
            f"load average {load_text(result)} (server log {result['server_log']})"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", default="1,2", help="comma-separated numbers of Odoo workers")
    args = parser.parse_args()
    if not args.db.startswith("bench_"):
        parser.error("only databases named bench_* are used")
    # the scheduled action runs for the server's today, as the ledger was generated for
    results = [share(args.db, int(n), date.today()) for n in args.workers.split(",")]
    report(results)


if __name__ == "__main__":
    main()
