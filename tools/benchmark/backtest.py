#!/usr/bin/env python3
"""Backtest of the cash-in forecast (``rules/forecast.py``) on a generated ledger.

Development tool, not a test and not part of the Odoo module; plain Python, no database::

    python3 tools/benchmark/backtest.py [--customers 400] [--seed 17] [--weeks 26]

The ledger: customers who pay with known, different habits, each invoicing about every two
weeks at 30 days (amounts log-normal around 2,000):

* ``on time``: paid on the due date, give or take 3 days;
* ``30 days late``: paid 30 days late, give or take 8 days;
* ``erratic``: paid anywhere from 0 to 180 days late;
* ``never``: never paid.

One invoice in ten gets a credit note (a return, a discount) of 10 to 50 % of it, ten days
before its due date, matched with it at once as Odoo matches a credit note with the open
invoice it reverses when it posts it: the invoice stays open for the rest, which the customer
pays by its habit. A year and a half is
simulated. On each of the last ``--weeks`` Mondays, both models forecast
the open book from what was known that morning (the lines booked and the payments received
before that day), and each forecast week is compared with what came in that week on those
lines. Printed per week ahead (1 = this week): the mean absolute error and the bias as shares
of the week's collections, for our model and for the naive one it replaces (due date plus the
customer's average days late, anything already past in the current week), and the error of
the best forecast there is: each open invoice by its customer's true habit (the generator's,
which the models never see), given that it is not paid yet. What that one misses is chance,
which no model learning from the ledger can beat: the floor of the error.
"""

import argparse
import math
import os
import random
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from rules import forecast as model
from rules.analytics import weighted_days_late, window_start


def _rounded_normal(mean, spread):
    """Probability of each whole day of ``round(gauss(mean, spread))``."""

    def cdf(x):
        return 0.5 * (1 + math.erf((x - mean) / spread / math.sqrt(2)))

    return lambda day: cdf(day + 0.5) - cdf(day - 0.5)


#: habit: (share of the customers, function drawing the delay in days, None: never paid,
#: probability of each delay in days)
HABITS = {
    "on time": (0.4, lambda rng: round(rng.gauss(0, 3)), _rounded_normal(0, 3)),
    "30 days late": (0.3, lambda rng: round(rng.gauss(30, 8)), _rounded_normal(30, 8)),
    "erratic": (0.2, lambda rng: rng.randint(0, 180), lambda day: 1 / 181 if 0 <= day <= 180 else 0.0),
    "never": (0.1, None, lambda _day: 0.0),
}
#: Delays the habits' laws are summed over, in days.
DELAYS = range(-60, 241)
FIRST_DAY = date(2025, 1, 6)  # a Monday
DAYS = 7 * 78  # a year and a half
TERMS = 30
PROFILE_MONTHS = 6


def generate(customers, seed):
    """``[(key, partner, habit, date, due, amount, paid_on or None, credit)]``, one per
    invoice; ``credit``: the amount of its credit note (0.0: none), dated ``due - 10``."""
    rng = random.Random(seed)
    habits = list(HABITS)
    weights = [HABITS[h][0] for h in habits]
    invoices = []
    for partner in range(1, customers + 1):
        habit = rng.choices(habits, weights)[0]
        draw = HABITS[habit][1]
        day = FIRST_DAY + timedelta(days=rng.randint(0, 13))
        while (day - FIRST_DAY).days < DAYS:
            due = day + timedelta(days=TERMS)
            amount = round(rng.lognormvariate(7.4, 0.6), 2)
            paid_on = due + timedelta(days=draw(rng)) if draw else None
            credit = round(amount * rng.uniform(0.1, 0.5), 2) if rng.random() < 0.1 else 0.0
            invoices.append((len(invoices) + 1, partner, habit, day, due, amount, paid_on, credit))
            day += timedelta(days=rng.randint(7, 21))
    return invoices


def credit_date(due):
    return due - timedelta(days=10)


def known_on(invoices, today):
    """History and open lines as the database would hold them on the morning of ``today``:
    an invoice is matched with its credit note from the credit note's day (a settlement, no
    cash) and with the payment of the rest (a collection); an unpaid one is open for what its
    credit note, if any yet, leaves."""
    history, lines = [], []
    for key, partner, _habit, booked, due, amount, paid_on, credit in invoices:
        if booked >= today:
            continue
        credited = credit if credit and credit_date(due) < today else 0.0
        settlements = ((credit_date(due), credited),) if credited else ()
        if paid_on is not None and paid_on < today:
            history.append(
                model.PastLine(key, partner, booked, due, amount, ((paid_on, amount - credit),), settlements)
            )
            continue
        history.append(model.PastLine(key, partner, booked, due, amount, (), settlements))
        lines.append(model.OpenLine(key, partner, due, round(amount - credited, 2)))
    return history, lines


def ours(history, lines, today):
    start = window_start(today, PROFILE_MONTHS)
    learnt = model.learn(history, today, start)
    return {f.key: f.weeks for f in learnt.forecast(lines)}


def naive(history, lines, today):
    """Due date plus the customer's average days late, as the payer profile counted it (paid
    invoices of the window and open overdue ones, floored at 0); past dates: this week."""
    start = window_start(today, PROFILE_MONTHS)
    items = {}
    for line in history:
        for paid_on, amount in line.collections:
            if start <= paid_on <= today:
                items.setdefault(line.partner, []).append((amount, max((paid_on - line.due).days, 0)))
        if not line.collections and line.due < today:
            items.setdefault(line.partner, []).append((line.amount, (today - line.due).days))
    average = {partner: weighted_days_late(rows) or 0.0 for partner, rows in items.items()}
    result = {}
    for line in lines:
        if line.amount <= 0:
            continue
        expected = line.due + timedelta(days=model.round_days(average.get(line.partner, 0.0)))
        weeks = [0.0] * model.FORECAST_WEEKS
        week = max(model.week_index(expected, today), 0)
        if week < model.FORECAST_WEEKS:
            weeks[week] = line.amount
        result[line.key] = weeks
    return result


def best(invoices, lines, today):
    """Each open invoice by its customer's true habit, given that it is not paid yet: of the
    delays it may still be paid with, the share of each week, times what it will pay (its
    amount less its credit note, matched already or to come)."""
    habit_of = {invoice[0]: invoice[2] for invoice in invoices}
    pays = {invoice[0]: invoice[5] - invoice[7] for invoice in invoices}
    result = {}
    for line in lines:
        if line.amount <= 0:
            continue
        law = HABITS[habit_of[line.key]][2]
        still = [(delay, law(delay)) for delay in DELAYS if line.due + timedelta(days=delay) >= today]
        left = sum(chance for _delay, chance in still)
        weeks = [0.0] * model.FORECAST_WEEKS
        for delay, chance in still if left > 0 else ():
            week = model.week_index(line.due + timedelta(days=delay), today)
            if week < model.FORECAST_WEEKS:
                weeks[week] += pays[line.key] * chance / left
        result[line.key] = weeks
    return result


def collected(invoices, lines, today, weeks):
    """What came in during each week from ``today`` on, on the open ``lines``: the payments,
    not the credit notes."""
    open_keys = {line.key for line in lines}
    actual = [0.0] * weeks
    for key, _partner, _habit, _booked, _due, amount, paid_on, credit in invoices:
        if key in open_keys and paid_on is not None and paid_on >= today:
            week = model.week_index(paid_on, today)
            if week < weeks:
                actual[week] += amount - credit
    return actual


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=400)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--weeks", type=int, default=26, help="forecasts backtested, one a week")
    parser.add_argument("--ahead", type=int, default=5, help="weeks shown")
    args = parser.parse_args()

    invoices = generate(args.customers, args.seed)
    last_monday = model.week_start(FIRST_DAY + timedelta(days=DAYS)) - timedelta(days=7 * args.ahead)
    mondays = [last_monday - timedelta(days=7 * i) for i in range(args.weeks)][::-1]
    errors = {name: [[] for _ in range(args.ahead)] for name in ("ours", "naive", "best")}
    for today in mondays:
        history, lines = known_on(invoices, today)
        actual = collected(invoices, lines, today, args.ahead)
        for name, forecaster in (
            ("ours", ours),
            ("naive", naive),
            ("best", lambda _history, lines, today: best(invoices, lines, today)),
        ):
            by_line = forecaster(history, lines, today)
            for week in range(args.ahead):
                forecast = sum(weeks[week] for weeks in by_line.values())
                errors[name][week].append((forecast, actual[week]))

    counts = dict.fromkeys(HABITS, 0)
    for _partner, habit in {(invoice[1], invoice[2]) for invoice in invoices}:
        counts[habit] += 1
    print(
        f"{len(invoices)} invoices of {args.customers} customers ("
        + ", ".join(f"{count} {habit}" for habit, count in counts.items())
        + f"), {len(mondays)} weekly forecasts, Mondays {mondays[0]} to {mondays[-1]}"
    )
    print("week 1 is the week of the forecast; error and bias as shares of the week's collections")
    print(f"{'week':>4} | {'collected':>9} | {'ours: error':>11} {'bias':>7} | ", end="")
    print(f"{'naive: error':>12} {'bias':>7} | ratio | {'best: error':>11} | best ratio")

    def line(label, pairs_ours, pairs_naive, pairs_best):
        ours_error, ours_bias = model.forecast_error(pairs_ours)
        naive_error, naive_bias = model.forecast_error(pairs_naive)
        best_error, _best_bias = model.forecast_error(pairs_best)
        mean_collected = sum(actual for _forecast, actual in pairs_ours) / len(mondays)
        print(
            f"{label:>4} | {mean_collected:>9,.0f} | {ours_error:>10.1%} {ours_bias:>+7.1%} | "
            f"{naive_error:>11.1%} {naive_bias:>+7.1%} | {naive_error / ours_error:>4.1f}x | "
            f"{best_error:>10.1%} | {naive_error / best_error:.1f}x"
        )

    for week in range(args.ahead):
        line(str(week + 1), errors["ours"][week], errors["naive"][week], errors["best"][week])

    def four_weeks(name):  # the dashboard's figure: the first 4 weeks together
        return [
            (sum(f for f, _a in rows), sum(a for _f, a in rows))
            for rows in zip(*(errors[name][week] for week in range(4)), strict=True)
        ]

    line("1-4", four_weeks("ours"), four_weeks("naive"), four_weeks("best"))


if __name__ == "__main__":
    main()
