"""Decimal strings with the API's scales (docs/brightpearl-api.md §R4 item 2).

Amounts are integers in units of 10^-scale, so sums never drift: quantities and unit prices are carried at
4 dp ("1.0000", "9.0909"), row tax and every total at 2 dp ("0.91", "9.09"), exchange rates at 6 dp
("1.000000"). Price-list breaks print with a variable scale ("10", "9.555").
"""

from __future__ import annotations


def dec(value: int, scale: int) -> str:
    """Integer units of 10^-scale → a fixed-scale decimal string."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(value), 10**scale)
    return f"{sign}{whole}.{frac:0{scale}d}" if scale else f"{sign}{whole}"


def rescale(value: int, from_scale: int, to_scale: int) -> int:
    """Change scale, rounding half away from zero."""
    if to_scale >= from_scale:
        return value * 10 ** (to_scale - from_scale)
    step = 10 ** (from_scale - to_scale)
    whole, rest = divmod(abs(value), step)
    if rest * 2 >= step:
        whole += 1
    return -whole if value < 0 else whole


def mul_div(value: int, numerator: int, denominator: int) -> int:
    """value × numerator / denominator, rounded half away from zero (integer arithmetic)."""
    product = value * numerator
    whole, rest = divmod(abs(product), denominator)
    if rest * 2 >= denominator:
        whole += 1
    return -whole if product < 0 else whole


def loose(value: int, scale: int) -> str:
    """Variable scale: trailing zeros (and a bare point) dropped, as in price-list breaks ("10", "9.555")."""
    text = dec(value, scale)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def parse(text: str, scale: int) -> int:
    """A decimal string → integer units of 10^-scale (rounded)."""
    negative = text.startswith("-")
    whole, _, frac = text.lstrip("+-").partition(".")
    digits = int(whole or "0") * 10 ** len(frac) + int(frac or "0")
    value = rescale(digits, len(frac), scale)
    return -value if negative else value
