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


#: What a number may be for an SMS to reach it (a French 06/07, a number that may be either).
_TEXTABLE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_mobile(e164):
    """Whether ``e164`` (an E.164 number, as Odoo's ``phone_sanitized``) can receive an SMS."""
    if not e164:
        return False
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) and phonenumbers.number_type(parsed) in _TEXTABLE
