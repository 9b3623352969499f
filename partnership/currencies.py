"""ISO 4217 currency codes accepted for amounts of money."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Active ISO 4217 codes. Kept as data rather than fetched, since currencies change rarely.
ISO_4217 = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
    """.split()
)

CURRENCY_CHOICES = sorted((code, code) for code in ISO_4217)


def validate_currency(value):
    """Refuse a code that is not an active ISO 4217 currency."""
    if value not in ISO_4217:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (for example USD, KZT, UZS)."),
            code="unknown_currency",
            params={"value": value},
        )
