"""Seeded shoppers: Spanish-speaking names, safe e-mail addresses, local phones and addresses."""

from __future__ import annotations

import random
import re
from bisect import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from faker import Faker

from bot.store.models import ShippingZone
from bot.store.normalize import fold, normalize_postal_code
from bot.store.policies import match_zone
from bot.store.seed_places import (
    COMMON_SPANISH_STREETS,
    COUNTRIES,
    PERU_STREETS,
    City,
    Country,
)

Row = dict[str, object]


@dataclass
class Shopper:
    """A customer with their one address; ``created_at`` is settled once their orders exist."""

    id: int
    email: str
    first_name: str
    last_name: str
    phone: str
    country: Country
    city: City
    address: Row
    zone: ShippingZone
    created_at: datetime

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def customer_row(self) -> Row:
        return {
            "id": self.id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "phone": self.phone,
            "country": self.country.code,
            "created_at": self.created_at,
        }


@dataclass
class Shoppers:
    """Everyone, plus a weighted draw: a few loyal customers place many orders."""

    people: list[Shopper]
    cum_weights: list[float]

    def pick(self, rng: random.Random) -> Shopper:
        return self.people[bisect(self.cum_weights, rng.random() * self.cum_weights[-1])]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _phone(rng: random.Random, country: Country, city: City) -> str:
    """A mobile number written the way people of that country write it."""
    d = _digits
    if country.code == "ES":
        prefix = f"6{d(rng, 2)}" if rng.random() < 0.85 else f"7{rng.randint(1, 4)}{d(rng, 1)}"
        return f"+34 {prefix} {d(rng, 3)} {d(rng, 3)}"
    if country.code == "MX":
        rest = d(rng, 10 - len(city.area_code))
        if len(city.area_code) == 2:
            return f"+52 {city.area_code} {rest[:4]} {rest[4:]}"
        return f"+52 {city.area_code} {rest[:3]} {rest[3:]}"
    if country.code == "CO":
        return f"+57 3{rng.randint(0, 50):02d} {d(rng, 3)} {d(rng, 4)}"
    if country.code == "AR":
        rest = d(rng, 10 - len(city.area_code))
        return f"+54 9 {city.area_code} {rest[:-4]}-{rest[-4:]}"
    if country.code == "CL":
        return f"+56 9 {d(rng, 4)} {d(rng, 4)}"
    return f"+51 9{d(rng, 2)} {d(rng, 3)} {d(rng, 3)}"


def _line1(rng: random.Random, fake: Faker, country: Country) -> str:
    """Street and number in the country's usual order, sometimes with floor and door."""
    number = rng.randint(1, 180) if country.code == "ES" else rng.randint(10, 4800)
    if country.code == "ES":
        street = rng.choice(COMMON_SPANISH_STREETS) if rng.random() < 0.5 else fake.street_name()
        floor = f", {rng.randint(1, 8)}º {rng.choice('ABCD')}" if rng.random() < 0.6 else ""
        return f"{street}, {number}{floor}"
    if country.code == "CO":
        return str(fake.street_address())
    if country.code == "PE":
        flat = f", dpto. {rng.randint(1, 12)}0{rng.randint(1, 4)}" if rng.random() < 0.3 else ""
        return f"{rng.choice(PERU_STREETS)} {number}{flat}"
    street = fake.street_name()
    if country.code == "MX":
        flat = f", int. {rng.randint(1, 40)}" if rng.random() < 0.4 else ""
    elif country.code == "AR":
        flat = (
            f", piso {rng.randint(1, 12)} dpto. {rng.choice('ABCDE')}" if rng.random() < 0.4 else ""
        )
    else:
        flat = f", depto. {rng.randint(1, 20)}0{rng.randint(1, 6)}" if rng.random() < 0.4 else ""
    return f"{street} {number}{flat}"


def _email(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    """A lower-case address on a reserved example domain, unique among ``taken``."""
    name = re.sub(r"[^a-z0-9]", "", fold(first.split()[0]))
    surnames = [re.sub(r"[^a-z0-9]", "", fold(s)) for s in last.split()]
    surname = surnames[0] or "cliente"
    style = rng.randrange(5)
    if style == 0:
        local = f"{name}.{surname}"
    elif style == 1:
        local = f"{name}{surname}{rng.randint(1, 99)}"
    elif style == 2:
        local = f"{name[0]}{surname}"
    elif style == 3:
        local = f"{name}_{surname}{rng.randint(60, 99)}"
    else:
        local = f"{name}.{'.'.join(surnames)}"
    domain = rng.choice(("example.com", "example.com", "example.org", "example.net"))
    email = f"{local}@{domain}"
    while email in taken:
        email = f"{local}{rng.randint(2, 999)}@{domain}"
    taken.add(email)
    return email


def build_shoppers(
    rng: random.Random, seed: int, count: int, zones: list[ShippingZone], now: datetime
) -> Shoppers:
    """``count`` customers in the shop's countries, each with one default address."""
    fakers: dict[str, Faker] = {}
    for i, locale in enumerate(sorted({c.faker_locale for c in COUNTRIES})):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(seed + i)
    country_weights = list(accumulate(c.weight for c in COUNTRIES))
    taken: set[str] = set()
    people: list[Shopper] = []
    weights: list[float] = []
    for shopper_id in range(1, count + 1):
        country = COUNTRIES[bisect(country_weights, rng.random() * country_weights[-1])]
        fake = fakers[country.faker_locale]
        first = str(fake.first_name())
        last = str(fake.last_name())
        if rng.random() < country.two_surnames:
            last = f"{last} {fake.last_name()}"
        city = rng.choices(country.cities, weights=[c.weight for c in country.cities])[0]
        postal_code = normalize_postal_code(rng.choice(city.postal_codes.split()))
        address = {
            "id": shopper_id,
            "customer_id": shopper_id,
            "line1": _line1(rng, fake, country),
            "city": city.name,
            "region": city.region,
            "postal_code": postal_code,
            "country": country.code,
            "is_default": True,
        }
        people.append(
            Shopper(
                id=shopper_id,
                email=_email(rng, first, last, taken),
                first_name=first,
                last_name=last,
                phone=_phone(rng, country, city),
                country=country,
                city=city,
                address=address,
                zone=match_zone(zones, country.code, postal_code),
                created_at=now - timedelta(seconds=rng.randint(30 * 86400, 1100 * 86400)),
            )
        )
        weights.append(min(rng.paretovariate(1.4), 12.0))
    return Shoppers(people, list(accumulate(weights)))


def settle_signup_dates(
    shoppers: Shoppers, first_orders: dict[int, datetime], rng: random.Random
) -> None:
    """Nobody orders before signing up: many register minutes before their first purchase."""
    for person in shoppers.people:
        first = first_orders.get(person.id)
        if first is None:
            continue
        if rng.random() < 0.4 or person.created_at >= first:
            person.created_at = first - timedelta(seconds=rng.randint(120, 3600))
