"""French company identifiers, as letters and court forms print them.

A SIREN has 9 digits (the company), a SIRET 14 (the SIREN and the 5 digits of one
establishment); both end with a Luhn check digit (La Poste's SIRET of 14 digits is the one
known exception, not checked here). Letters must show the SIREN, the city of the trade
register (RCS), the legal form and the share capital (Code de commerce R123-237): each is
a figure here, worded by the adapter.
"""

from dataclasses import dataclass

SIREN = "siren"
SIRET = "siret"


@dataclass(frozen=True)
class RegistryNumber:
    kind: str  # SIREN or SIRET
    number: str  # digits only
    valid: bool  # the Luhn check digit is right

    @property
    def siren(self):
        return self.number[:9]

    @property
    def siren_spaced(self):
        """ "443 061 841": the SIREN, as the INSEE writes it."""
        return " ".join(self.number[i : i + 3] for i in range(0, 9, 3))

    @property
    def spaced(self):
        """ "443 061 841" or "443 061 841 00012", as the INSEE writes them."""
        return f"{self.siren_spaced} {self.number[9:]}" if self.kind == SIRET else self.siren_spaced


def registry_number(value):
    """The SIREN or SIRET held in ``value`` (spaces and dots allowed), or None if it is neither."""
    digits = "".join(ch for ch in (value or "") if not ch.isspace() and ch not in ".-")
    if not digits.isdigit() or len(digits) not in (9, 14):
        return None
    return RegistryNumber(SIREN if len(digits) == 9 else SIRET, digits, _luhn(digits))


def _luhn(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0
