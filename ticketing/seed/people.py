"""Demo customers (with a home address kept for their orders) and the demo staff logins."""

from __future__ import annotations

import os
import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ticketing.customers.models import Customer, CustomerTier
from ticketing.seed.names import (
    COUNTRIES,
    CULTURES,
    DE_MOBILE_PREFIXES,
    FR_MOBILE_PREFIXES,
    US_AREA_CODES,
    Country,
)
from ticketing.staff.models import StaffRole, StaffUser

DEMO_PASSWORD_ENV = "SUPPORTBOT_DEMO_PASSWORD"  # noqa: S105 - the variable name
DEFAULT_DEMO_PASSWORD = "demo-password"  # noqa: S105 - a documented demo login, never production

STAFF: tuple[tuple[str, str, StaffRole], ...] = (
    ("agent1", "Lena Hartmann", StaffRole.AGENT),
    ("agent2", "Yusuf Demir", StaffRole.AGENT),
    ("agent3", "Chloé Martin", StaffRole.AGENT),
    ("manager", "Sabine Krüger", StaffRole.MANAGER),
    ("admin", "Tobias Wolf", StaffRole.ADMIN),
)

TIERS: tuple[tuple[CustomerTier, int, float], ...] = (  # tier, weight, how often they order
    (CustomerTier.STANDARD, 68, 1.0),
    (CustomerTier.SILVER, 19, 1.6),
    (CustomerTier.GOLD, 9, 2.4),
    (CustomerTier.VIP, 4, 3.5),
)

EMAIL_DOMAINS = ("example.com", "example.org", "example.net")
_ASCII_FIXES = str.maketrans({"ß": "ss", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "æ": "ae"})


@dataclass
class CustomerSeed:
    """A customer row plus what orders need: a country, a home address and an order rate."""

    model: Customer
    country: Country
    address: dict[str, Any]
    activity: float


def demo_password() -> str:
    """The password of every demo staff login: $SUPPORTBOT_DEMO_PASSWORD or the default."""
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


def ascii_slug(text: str) -> str:
    """'Öztürk' -> 'ozturk', 'van den Berg' -> 'vandenberg' (for e-mail local parts)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_FIXES))
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode().lower())


def random_name(rng: random.Random) -> tuple[str, str]:
    """A first and last name from one culture, cultures weighted."""
    names = list(CULTURES.values())
    _, firsts, lasts = rng.choices(names, weights=[weight for weight, _, _ in names])[0]
    return rng.choice(firsts), rng.choice(lasts)


def random_address(rng: random.Random, country: Country, name: str) -> dict[str, Any]:
    """A shipping address in `country` as stored on an order."""
    city, postcodes = rng.choice(country.cities)
    street = rng.choice(country.streets)
    if country.code == "DE":
        line1 = f"{street} {rng.randint(1, 120)}"
    elif country.code == "FR":
        line1 = f"{rng.randint(1, 90)} {street}"
    else:
        line1 = f"{rng.randint(1, 240)} {street}"
    line2 = rng.choice(country.extras) if rng.random() < 0.25 else None
    return {
        "name": name,
        "line1": line1,
        "line2": line2,
        "city": city,
        "postal_code": rng.choice(postcodes),
        "country": country.code,
    }


def random_phone(rng: random.Random, country: Country) -> str:
    """A phone number formatted the way people in `country` write it, with country code."""
    if country.code == "DE":
        subscriber = "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((7, 8))))
        return f"+49 {rng.choice(DE_MOBILE_PREFIXES)} {subscriber}"
    if country.code == "FR":
        pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        return f"+33 {rng.choice(FR_MOBILE_PREFIXES)} {pairs}"
    if country.code == "GB":
        return f"+44 7{rng.randint(100, 999)} {rng.randint(0, 999999):06d}"
    return f"+1 {rng.choice(US_AREA_CODES)}-555-01{rng.randint(0, 99):02d}"


def make_customers(rng: random.Random, count: int, now: datetime) -> list[CustomerSeed]:
    """`count` customers with unique e-mails and phone numbers, signed up 5 to 30 months ago."""
    seeds: list[CustomerSeed] = []
    phones: set[str] = set()
    country_weights = [country.weight for country in COUNTRIES]
    for index in range(1, count + 1):
        first, last = random_name(rng)
        country = rng.choices(COUNTRIES, weights=country_weights)[0]
        phone = random_phone(rng, country)
        while re.sub(r"\D", "", phone) in phones:
            phone = random_phone(rng, country)
        digits = re.sub(r"\D", "", phone)
        phones.add(digits)
        tier, _, activity = rng.choices(TIERS, weights=[weight for _, weight, _ in TIERS])[0]
        name = f"{first} {last}"
        email = f"{ascii_slug(first)}.{ascii_slug(last)}{index}@{rng.choice(EMAIL_DOMAINS)}"
        created = now - timedelta(days=rng.randint(150, 900), minutes=rng.randint(0, 1439))
        customer = Customer(
            name=name,
            email=email,
            phone=phone,
            phone_digits=digits,
            tier=tier,
            created_at=created,
        )
        activity *= rng.choice((0.5, 1.0, 1.0, 1.0, 2.0, 3.0))
        address = random_address(rng, country, name)
        seeds.append(CustomerSeed(customer, country, address, activity))
    return seeds


def make_staff(password: str, existing: set[str]) -> list[StaffUser]:
    """The demo staff logins that don't exist yet, all with `password` (argon2id-hashed)."""
    from ticketing.staff.passwords import hash_password  # imported late: argon2 is slow to load

    return [
        StaffUser(
            username=username,
            display_name=display_name,
            password_hash=hash_password(password),
            role=role,
            active=True,
        )
        for username, display_name, role in STAFF
        if username not in existing
    ]
