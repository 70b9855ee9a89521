import pytest

from rules.phone import is_mobile, to_e164


@pytest.mark.parametrize(
    "written",
    ["01 42 68 53 00", "01.42.68.53.00", "0142685300", "+33 1 42 68 53 00", "0033 1 42 68 53 00"],
)
def test_french_local_formats_normalise_to_e164(written):
    assert to_e164(written, "FR") == "+33142685300"


def test_mobile_and_foreign_numbers():
    assert to_e164("06 12 34 56 78", "FR") == "+33612345678"
    assert to_e164("+32 2 555 12 12", "FR") == "+3225551212"
    assert to_e164("02 555 12 12", "BE") == "+3225551212"


@pytest.mark.parametrize("written", ["12", "01 42 68", "not a number", "+33 9 99"])
def test_invalid_numbers_are_rejected(written):
    assert to_e164(written, "FR") is None


def test_no_number():
    assert to_e164("", "FR") is None
    assert to_e164(None, "FR") is None


def test_only_mobile_numbers_receive_an_sms():
    assert is_mobile("+33612345678")
    assert is_mobile("+32470123456")  # a Belgian mobile
    assert not is_mobile("+33142685300")  # a Paris landline
    assert not is_mobile("+33899123456")  # premium rate
    assert not is_mobile("0612345678")  # not E.164: the adapter passes Odoo's sanitized number
    assert not is_mobile("")
    assert not is_mobile(None)
