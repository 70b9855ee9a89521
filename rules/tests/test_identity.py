from rules.identity import SIREN, SIRET, registry_number


def test_siren_and_siret_are_told_apart_and_spaced():
    siren = registry_number("443061841")
    assert (siren.kind, siren.spaced, siren.valid) == (SIREN, "443 061 841", True)
    siret = registry_number("443 061 841 00013")
    assert (siret.kind, siret.siren, siret.spaced) == (SIRET, "443061841", "443 061 841 00013")


def test_the_check_digit_is_verified():
    # From the right, every second digit doubled (less 9 above 9):
    # 732 829 320: 0 + 4 + 3 + 9 + 2 + 7 + 2 + 6 + 7 = 40, a multiple of 10: valid; ending in 1: 41, not.
    assert registry_number("732829320").valid is True
    assert registry_number("732829321").valid is False


def test_anything_else_is_no_registry_number():
    for value in (None, "", "FR12443061841", "44306184", "4430618410001X"):
        assert registry_number(value) is None
