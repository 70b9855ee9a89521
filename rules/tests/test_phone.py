from rules.phone import is_mobile


def test_only_mobile_numbers_receive_an_sms():
    assert is_mobile("+33612345678")
    assert is_mobile("+32470123456")  # a Belgian mobile
    assert not is_mobile("+33142685300")  # a Paris landline
    assert not is_mobile("+33899123456")  # premium rate
    assert not is_mobile("0612345678")  # not E.164: the adapter passes Odoo's sanitized number
    assert not is_mobile("")
    assert not is_mobile(None)
