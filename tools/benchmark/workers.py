#!/usr/bin/env python3
"""The daily run shared by N workers: wall time with 1, 2... processes on a copy of a ledger.

Development tool, not a test. Each worker is a process running what the scheduled action runs
(``_escalate``, committing after each batch), as N Odoo servers on one PostgreSQL do; they
start together once all have loaded the registry. The customer locks (``FOR NO KEY UPDATE
SKIP LOCKED``) let each take the batches the others do not hold. The run commits, so each
measure works on its own copy of the database (``createdb -T``), dropped afterwards::

    PYTHONPATH=/opt/odoo19 .build/venv/bin/python tools/benchmark/workers.py --db bench_100k --workers 1,2

Printed per number of workers: the wall time, the batches each worker carried out and skipped
(all their customers held by another worker: the lock contention), and what the database holds
afterwards (communications, customers communicated twice: must be 0).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from generate import odoo_env


def child(args):
    """One worker: load the registry, say READY, wait for GO, run, print its figures."""
    with odoo_env(args.db, tracking=True) as env:  # as the scheduled action runs
        company = env.ref("base.main_company")
        env = env(context=dict(env.context, allowed_company_ids=[company.id]))
        run = env["debt.collection.run"].with_company(company)
        run_class = type(run)
        taken = {"batches": 0, "skipped": 0, "customers": 0}
        lock = run_class._lock_partners

        def counting_lock(self, partner_ids):
            locked = lock(self, partner_ids)
            taken["batches" if locked else "skipped"] += 1
            taken["customers"] += len(locked)
            return locked

        run_class._lock_partners = counting_lock

        def commit(_done):
            env.cr.commit()
            return 1

        print("READY", flush=True)
        sys.stdin.readline()
        started = time.perf_counter()
        run._escalate(company, args.today, on_batch_done=commit, trigger="cron")
        env.cr.commit()
        taken["seconds"] = round(time.perf_counter() - started, 2)
    print("WORKER_JSON " + json.dumps(taken), flush=True)


def release(db):
    """Close this process's connections to ``db`` (a database being copied must have none)."""
    if "odoo" in sys.modules:
        from odoo.modules.registry import Registry
        from odoo.sql_db import close_db

        Registry.delete(db)
        close_db(db)


def share(db, workers, today):
    """Run ``workers`` processes on a copy of ``db``; return the figures of the run."""
    release(db)
    copy = f"{db}_w{workers}"
    subprocess.run(["dropdb", "--if-exists", copy], check=True)
    subprocess.run(["createdb", "-T", db, copy], check=True)
    try:
        command = [sys.executable, __file__, "--child", "--db", copy, "--today", today.isoformat()]
        processes = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for _ in range(workers)
        ]
        for process in processes:  # every registry loaded before the clock starts
            while process.stdout.readline().strip() != "READY":
                if process.poll() is not None:
                    raise RuntimeError("a worker stopped before starting")
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for process in processes:
            process.stdin.write("GO\n")
            process.stdin.flush()
        outputs = [process.communicate()[0] for process in processes]
        wall = time.perf_counter() - started
        figures = [
            json.loads(line[len("WORKER_JSON ") :])
            for output in outputs
            for line in output.splitlines()
            if line.startswith("WORKER_JSON ")
        ]
        if len(figures) != workers:
            raise RuntimeError("a worker failed:\n" + "\n".join(outputs))
        return {
            "workers": workers,
            "wall_seconds": round(wall, 2),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "per_worker": figures,
            **database_counts(copy, today),
        }
    finally:
        subprocess.run(["dropdb", "--if-exists", copy], check=False)


def database_counts(db, today):
    """What the run left in the database: communications, by channel, and customers served twice."""
    with odoo_env(db) as env:
        cr = env.cr
        cr.execute(
            "SELECT channel, COUNT(*) FROM debt_collection_event WHERE date = %s GROUP BY channel ORDER BY 1",
            [today],
        )
        by_channel = dict(cr.fetchall())
        cr.execute(
            """SELECT COUNT(*) FROM (SELECT partner_id FROM debt_collection_event
                WHERE date = %s AND origin IN ('pre_due', 'overdue') AND state NOT IN ('error', 'cancelled')
             GROUP BY partner_id HAVING COUNT(*) > 1) twice""",
            [today],
        )
        twice = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM mail_mail WHERE state = 'outgoing'")
        mails = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM debt_collection_event WHERE date = %s AND state = 'error'", [today])
        errors = cr.fetchone()[0]
    release(db)  # the copy can be dropped
    return {
        "communications": sum(by_channel.values()),
        "by_channel": by_channel,
        "mails_queued": mails,
        "errors": errors,
        "customers_communicated_twice": twice,
    }


def report(results):
    print(f"\n{'workers':>7}{'wall s':>9}{'speed-up':>10}  per worker: seconds, batches run / skipped")
    alone = results[0]["wall_seconds"] if results and results[0]["workers"] == 1 else None
    for result in results:
        speed_up = f"{alone / result['wall_seconds']:.2f}x" if alone else ""
        workers = ", ".join(
            f"{w['seconds']:.1f} s {w['batches']}/{w['skipped']}" for w in result["per_worker"]
        )
        print(f"{result['workers']:>7}{result['wall_seconds']:>9.2f}{speed_up:>10}  {workers}")
        print(f"{'':>7}  {counts_text(result)}, load average {load_text(result)}")


def counts_text(result):
    """What ``database_counts`` found, in words."""
    return (
        f"{result['communications']} communications {result['by_channel']}, "
        f"{result['mails_queued']} mails queued, {result['errors']} errors, "
        f"{result['customers_communicated_twice']} customers communicated twice"
    )


def load_text(result):
    before, after = result["load_average_1min"]
    return f"{before} -> {after}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", default="1,2", help="comma-separated numbers of workers")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.db.startswith("bench_"):
        parser.error("only databases named bench_* are used")
    if args.child:
        child(args)
        return
    results = [share(args.db, int(n), args.today) for n in args.workers.split(",")]
    report(results)


if __name__ == "__main__":
    main()
