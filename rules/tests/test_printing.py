from rules.printing import NOT_PRINTABLE, PAID, PRINT, REPRINT, SUPERSEDED, print_decision


def test_a_queued_letter_still_owed_is_printed():
    assert print_decision("to_print", printed=False, owes=True, superseded=False) == PRINT


def test_a_letter_whose_invoices_were_paid_is_not_printed():
    assert print_decision("to_print", printed=False, owes=False, superseded=False) == PAID


def test_a_later_communication_supersedes_the_letter_even_if_still_owed():
    assert print_decision("to_print", printed=False, owes=True, superseded=True) == SUPERSEDED


def test_a_printed_letter_is_printed_again_as_it_was():
    assert print_decision("done", printed=True, owes=False, superseded=True) == REPRINT


def test_letters_awaiting_approval_failed_or_cancelled_cannot_be_printed():
    for state in ("to_approve", "error", "cancelled"):
        assert print_decision(state, printed=False, owes=True, superseded=False) == NOT_PRINTABLE
