"""Phone numbers as the phone tasks dial them."""

import phonenumbers


def to_e164(number, region="FR"):
    """The E.164 form of ``number`` written in any local format, or ``None`` if invalid.

    ``region`` (ISO country code) is the country assumed for numbers without a prefix.
    """
    if not number:
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
