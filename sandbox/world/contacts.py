"""Contacts: staff, customers and suppliers (docs/brightpearl-api.md §R3.11).

A compact core (kind, dates, company, currency, country) is generated eagerly; names, addresses and
everything else of a GET record come from the contact's own generator. Orders copy a contact's *seeded* name and
address into their parties (a snapshot, as in the API), so editing a contact never rewrites old orders.
"""

from __future__ import annotations

import random
from array import array
from bisect import bisect_right
from typing import Any, NamedTuple

from . import custom_fields, names
from .catalog import (
    COST_LIST,
    RETAIL_LIST_BY_CURRENCY,
    SUPPLIER_LIST,
    WHOLESALE_LIST,
    setup_instant,
)
from .interface import columns
from .rand import Weighted, mix, pick, record_rng, stream_rng, tag, unit
from .reference import Organisation
from .store import Store, WorldContext
from .timefmt import DAY_MS, HOUR_MS

TAG = tag("contact")
TAG_FACTS = tag("contact-facts")
FIRST_CONTACT_ID = 4  # staff come first; the recorded createdById/staff ids are small (4, 203, 206)
STAFF, CUSTOMER, SUPPLIER = 0, 1, 2
ADDRESS_BASE = 100_000  # postal address ids: two per contact (default/billing, delivery)
ACCOUNT_DOMAIN = "sandbox-goods.example.com"
EXEMPT_TAX_CODE_ID = 5
NO_COUNTRY = 255  # country index meaning countryId 0 (the party then has no country keys)

_CURRENCY = Weighted((1, 2, 3, 4), (85, 7, 5, 3))
COUNTRY_BY_CURRENCY = {1: (0, 0, 0, 0, 0, 0, 0, 0, 5), 2: (3, 4), 3: (2,), 4: (1,)}  # indexes into names.COUNTRIES

CONTACT_SEARCH_COLUMNS = columns(
    ("contactId", "IDSET"),
    ("primaryEmail", "SEARCH_STRING"),
    ("secondaryEmail", "SEARCH_STRING"),
    ("tertiaryEmail", "SEARCH_STRING"),
    ("firstName", "SEARCH_STRING"),
    ("lastName", "SEARCH_STRING"),
    ("isSupplier", "BOOLEAN", (), False),
    ("companyName", "SEARCH_STRING"),
    ("isStaff", "BOOLEAN", (), False),
    ("isCustomer", "BOOLEAN", (), False),
    ("createdOn", "PERIOD"),
    ("updatedOn", "PERIOD"),
    ("lastContactedOn", "PERIOD"),
    ("lastOrderedOn", "PERIOD"),
    ("nominalCode", "INTEGER"),
    ("isPrimary", "BOOLEAN"),
    ("pri", "STRING", (), False),
    ("sec", "STRING", (), False),
    ("mob", "STRING", (), False),
    ("exactCompanyName", "STRING"),
    ("title", "STRING"),
)


class ContactSeed(NamedTuple):
    """A contact's core facts."""

    id: int
    kind: int
    created: int
    updated: int
    company: int
    currency: int
    country: int  # index into names.COUNTRIES, or NO_COUNTRY


class ContactExtras(NamedTuple):
    secondary_email: str  # "" when none
    tertiary_email: str
    secondary_phone: str
    primary: bool  # isPrimaryContact
    last_contacted: int  # ms, 0 when never


class ContactTerms(NamedTuple):
    currency: int
    price_list: int
    credit_days: int
    tax_code: int  # 0: no override
    lead_source: int  # 0: none


def _price_list(seed: ContactSeed) -> int:
    if seed.kind == SUPPLIER:
        return SUPPLIER_LIST if seed.id % 3 else COST_LIST
    if seed.company and seed.currency == 1 and seed.id % 5 < 3:
        return WHOLESALE_LIST
    return RETAIL_LIST_BY_CURRENCY[seed.currency]


class Person(NamedTuple):
    """The seeded identity of a contact: what orders copy into their parties."""

    salutation: str
    first: str
    last: str
    email: str
    phone: str
    mobile: str
    company: str
    line1: str
    line2: str
    city: str
    region: str
    postcode: str
    country: tuple | None  # an entry of names.COUNTRIES, or None (countryId 0)


def _postcode(rng: random.Random, pattern: str) -> str:
    return "".join(str(rng.randint(0, 9)) if ch == "#" else chr(65 + rng.randrange(26)) if ch == "A" else ch for ch in pattern)


def _phone(rng: random.Random, country: tuple | None) -> str:
    prefix = {"US": "+1", "CA": "+1", "GB": "+44", "DE": "+49", "FR": "+33", "MX": "+52"}.get(country[2] if country else "", "+1")
    return f"{prefix} 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


class Contacts(Store):
    name = "contact"

    def __init__(self, ctx: WorldContext, org: Organisation):
        super().__init__(ctx)
        self.org = org
        scale = ctx.scale
        rng = stream_rng(ctx.seed, "contacts")
        n, staff = scale.contacts, scale.staff
        others = max(1, n - staff)
        supplier_share = scale.suppliers / others
        lo = ctx.start_ms - 365 * DAY_MS
        span = ctx.anchor_ms - HOUR_MS - lo

        ids, kinds, created, updated = array("q"), bytearray(), array("q"), array("q")
        company, currency, country = array("l"), bytearray(), bytearray()
        next_id = FIRST_CONTACT_ID
        for i in range(n):
            if i < staff:
                kind, made = STAFF, setup_instant(ctx, rng) - 400 * DAY_MS
            else:
                j = i - staff
                kind = SUPPLIER if rng.random() < supplier_share else CUSTOMER
                made = lo + int((j + rng.random()) * span / others) // 1000 * 1000
            if i == staff:
                kind = SUPPLIER  # at least one supplier and (below) one customer
            elif i == staff + 1:
                kind = CUSTOMER
            edited = (
                made
                if rng.random() < 0.5
                else min(ctx.anchor_ms - 1000, made + rng.randint(1, 500) * DAY_MS + rng.randint(0, 86_399_999))
            )
            if rng.random() < 0.8:
                edited = edited // 1000 * 1000
            cur = 1 if kind != CUSTOMER else _CURRENCY.at(rng.random())
            if kind == SUPPLIER or kind == CUSTOMER and rng.random() < 0.3:
                comp = 1 + rng.randrange(scale.companies)
            else:
                comp = 0
            ctry = NO_COUNTRY if rng.random() < 0.04 else rng.choice(COUNTRY_BY_CURRENCY[cur])
            ids.append(next_id)
            kinds.append(kind)
            created.append(made)
            updated.append(max(made, edited))
            company.append(comp)
            currency.append(cur)
            country.append(ctry)
            next_id += 1 if i < staff or rng.random() > 0.03 else rng.randint(2, 4)
        self.ids_ = ids
        self.kinds = bytes(kinds)
        self.created = created
        self.updated = updated
        self.company = company
        self.currency = bytes(currency)
        self.country = bytes(country)
        self.staff_ids = list(ids[:staff])
        self._search: list[list] | None = None
        self._created_people: dict[int, Person] = {}  # identities of contacts created by mutations
        self._terms: dict[int, ContactTerms] = {}
        # Eligibility for orders: contacts of a kind, with their creation instants ascending.
        self.by_kind: dict[int, tuple[array, array]] = {}
        for kind in (CUSTOMER, SUPPLIER):
            members = [i for i in range(n) if kinds[i] == kind]
            self.by_kind[kind] = (array("q", (ids[i] for i in members)), array("q", (created[i] for i in members)))

    # -- store ---------------------------------------------------------------------------------------------------

    def seed_ids(self) -> array:
        return self.ids_

    def first_id(self) -> int:
        return FIRST_CONTACT_ID

    def seed_record(self, index: int) -> dict:
        return self._build(index)

    def served(self, record: Any, custom: bool, null_custom: bool) -> Any:
        return custom_fields.served(record, self.fields_for(record), custom, null_custom)

    @staticmethod
    def fields_for(record: dict) -> tuple:
        return custom_fields.SUPPLIER_FIELDS if record["relationshipToAccount"]["isSupplier"] else custom_fields.CUSTOMER_FIELDS

    # -- facts other resources use -------------------------------------------------------------------------------
    # Seeded contacts answer from the core (pure: orders of the seeded world snapshot these); created contacts
    # answer from their current record.

    def seed(self, index: int) -> ContactSeed:
        return ContactSeed(
            self.ids_[index],
            self.kinds[index],
            self.created[index],
            self.updated[index],
            self.company[index],
            self.currency[index],
            self.country[index],
        )

    def _seed_of(self, contact_id: int) -> ContactSeed | None:
        index = self.seed_index(contact_id)
        return None if index is None else self.seed(index)

    def _current(self, contact_id: int) -> dict:
        record = self.record(contact_id)
        if record is None:
            raise KeyError(f"contact {contact_id} does not exist")
        return record

    def eligible(self, kind: int, moment: int, u: float) -> int:
        """A seeded contact of `kind` that existed at `moment`, chosen by a uniform draw (the earliest if none)."""
        members, made = self.by_kind[kind]
        k = bisect_right(made, moment)
        return members[min(int(u * k), k - 1)] if k else members[0]

    def kind_of(self, contact_id: int) -> int:
        seed = self._seed_of(contact_id)
        if seed is not None:
            return seed.kind
        rel = self._current(contact_id)["relationshipToAccount"]
        return STAFF if rel["isStaff"] else SUPPLIER if rel["isSupplier"] else CUSTOMER

    def terms(self, contact_id: int) -> ContactTerms:
        """Currency, price list, credit days, tax-code override and lead source: what orders derive from their
        contact (memoised for seeded contacts; read from the record for created ones)."""
        terms = self._terms.get(contact_id)
        if terms is not None:
            return terms
        seed = self._seed_of(contact_id)
        if seed is None:
            record = self._current(contact_id)
            financial = record["financialDetails"]
            return ContactTerms(
                financial["currencyId"],
                financial["priceListId"],
                financial["creditTermDays"],
                financial.get("taxCodeId", 0),
                record["assignment"]["current"].get("leadSourceId", 0),
            )
        terms = self._terms[contact_id] = ContactTerms(
            seed.currency, _price_list(seed), self._credit_days(seed), self._tax_code(seed), self._lead_source(seed)
        )
        return terms

    def currency_of(self, contact_id: int) -> int:
        return self.terms(contact_id).currency

    def price_list_of(self, contact_id: int) -> int:
        return self.terms(contact_id).price_list

    def credit_days(self, contact_id: int) -> int:
        return self.terms(contact_id).credit_days

    def tax_code(self, contact_id: int) -> int:
        return self.terms(contact_id).tax_code

    def lead_source(self, contact_id: int) -> int:
        return self.terms(contact_id).lead_source

    def person(self, contact_id: int) -> Person:
        """The seeded identity (pure: never reflects mutations)."""
        seed = self._seed_of(contact_id)
        if seed is None:
            return self.current_person(contact_id)
        return self._person(seed, record_rng(self.ctx.seed, TAG, contact_id))

    def current_person(self, contact_id: int) -> Person:
        """The identity as the contact record shows it now (what a newly created order copies)."""
        seed = self._seed_of(contact_id)
        base = self._person(seed, record_rng(self.ctx.seed, TAG, contact_id)) if seed else self._created_people[contact_id]
        record = self._current(contact_id)
        comm = record["communication"]
        return base._replace(
            salutation=record["salutation"],
            first=record["firstName"],
            last=record["lastName"],
            email=comm["emails"].get("PRI", {}).get("email", ""),
            phone=comm["telephones"].get("PRI", ""),
            mobile=comm["telephones"].get("MOB", ""),
            company=record["organisation"].get("name", ""),
        )

    def register_person(self, contact_id: int, person: Person) -> None:
        """Remember a created contact's identity (its address is not part of the contact record)."""
        self._created_people[contact_id] = person

    def _facts(self, contact_id: int) -> int:
        return mix(self.ctx.seed, TAG_FACTS, contact_id)

    def _credit_days(self, seed: ContactSeed) -> int:
        """Payment terms: trade customers and suppliers get 30–60 days, consumers pay at once."""
        if not (seed.company or seed.kind == SUPPLIER):
            return 0
        return pick(self._facts(seed.id), (30, 30, 45, 60), salt=1)

    def _tax_code(self, seed: ContactSeed) -> int:
        """A tax-code override (8% of customers are tax exempt), or 0."""
        return EXEMPT_TAX_CODE_ID if seed.kind == CUSTOMER and unit(self._facts(seed.id), 2) < 0.08 else 0

    def _lead_source(self, seed: ContactSeed) -> int:
        if seed.kind != CUSTOMER or unit(self._facts(seed.id), 3) >= 0.6:
            return 0
        return pick(self._facts(seed.id), self.org.lead_source_ids, salt=4)

    # -- derivation ----------------------------------------------------------------------------------------------

    def _person(self, seed: ContactSeed, rng: random.Random) -> Person:
        country = None if seed.country == NO_COUNTRY else names.COUNTRIES[seed.country]
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        salutation = rng.choice(names.SALUTATIONS)
        company = self.org.company_names.get(seed.company, "")
        if seed.kind == STAFF:
            email = f"{first}.{last}@{ACCOUNT_DOMAIN}".lower()
        else:
            email = f"{first}.{last}{rng.randint(1, 999)}@example.{rng.choice(('com', 'net', 'org'))}".lower()
        phone = _phone(rng, country) if rng.random() < 0.85 else ""
        mobile = _phone(rng, country) if rng.random() < 0.3 else ""
        street = f"{rng.randint(1, 2400)} {rng.choice(names.STREET_NAMES)} {rng.choice(names.STREET_KINDS)}"
        line2 = f"{rng.choice(names.UNIT_PREFIXES)} {rng.randint(1, 400)}" if rng.random() < 0.25 else ""
        if country:
            city, region = rng.choice(country[4])
            postcode = _postcode(rng, country[5])
        else:
            city, region, postcode = "", "", ""
        return Person(salutation, first, last, email, phone, mobile, company, street, line2, city, region, postcode, country)

    def _extras(self, seed: ContactSeed, person: Person, rng: random.Random) -> ContactExtras:
        """The other search-visible facts, drawn right after the identity so search rows need nothing more."""
        secondary = tertiary = ""
        if rng.random() < 0.15:
            secondary = f"{person.first}.{person.last}@example.org".lower()
            if rng.random() < 0.5:
                tertiary = f"{person.last}.{seed.id}@example.net".lower()
        phone = _phone(rng, person.country) if rng.random() < 0.05 else ""
        primary = seed.kind == STAFF or rng.random() < 0.9
        contacted = 0
        if rng.random() < 0.15 and seed.kind != STAFF:
            contacted = min(self.ctx.anchor_ms - 1000, seed.updated + rng.randint(1, 90) * DAY_MS)
        return ContactExtras(secondary, tertiary, phone, primary, contacted)

    def _build(self, index: int) -> dict:
        seed = self.seed(index)
        return self.compose(seed, record_rng(self.ctx.seed, TAG, seed.id))[0]

    def compose(self, seed: ContactSeed, rng: random.Random) -> tuple[dict, Person]:
        """A contact GET record (examples/contact-get*.json key order) and the identity it was made from."""
        tf = self.ctx.tf
        contact_id, kind = seed.id, seed.kind
        person = self._person(seed, rng)
        extras = self._extras(seed, person, rng)
        trade = bool(seed.company) and kind == CUSTOMER
        staff = self.staff_ids

        emails: dict[str, dict] = {"PRI": {"email": person.email}}
        if extras.secondary_email:
            emails["SEC"] = {"email": extras.secondary_email}
        if extras.tertiary_email:
            emails["TER"] = {"email": extras.tertiary_email}
        telephones: dict[str, str] = {}
        if person.phone:
            telephones["PRI"] = person.phone
        if extras.secondary_phone:
            telephones["SEC"] = extras.secondary_phone
        if person.mobile:
            telephones["MOB"] = person.mobile
        if rng.random() < 0.02:
            telephones["FAX"] = _phone(rng, person.country)
        voips = {"SKP": f"{person.first}.{person.last}.{contact_id}".lower()} if rng.random() < 0.05 else {}
        websites = (
            {"PRI": f"https://www.{person.last.lower()}-{contact_id}.example.com"}
            if person.company and rng.random() < 0.4
            else {}
        )

        status: dict[str, Any] = {"current": {"contactStatusId": 0}}
        if kind == CUSTOMER and rng.random() < 0.1:
            status_id, status_name = rng.choice(((1, "Lead"), (2, "Prospect"), (3, "Active")))
            status["current"] = {"contactStatusName": status_name, "contactStatusId": status_id}
            status["history"] = [
                {
                    "contactStatusName": status_name,
                    "contactStatusId": status_id,
                    "occuredOn": tf.dt(seed.created + HOUR_MS),
                    "staffContactId": rng.choice(staff),
                }
            ]

        credit_days, tax_code, lead_source = self._credit_days(seed), self._tax_code(seed), self._lead_source(seed)
        financial: dict[str, Any] = {"priceListId": _price_list(seed), "nominalCode": "0" if kind != SUPPLIER else "5000"}
        if tax_code:
            financial["taxCodeId"] = tax_code
        financial.update(
            {
                "creditLimit": rng.choice((2500, 5000, 10000)) if trade else 0,
                "creditTermDays": credit_days,
                "currencyId": seed.currency,
                "discountPercentage": rng.choice((5.0, 10.0)) if trade and rng.random() < 0.3 else 0.0,
                "creditTermTypeId": 1 if credit_days else 2,
            }
        )

        assignment: dict[str, Any] = {}
        if kind == CUSTOMER and rng.random() < 0.3:
            assignment["staffOwnerContactId"] = rng.choice(staff)
        if lead_source:
            assignment["leadSourceId"] = lead_source
        if person.company and rng.random() < 0.5:
            assignment["accountReference"] = f"ACC{contact_id:06d}"

        organisation: dict[str, Any] = {"organisationId": seed.company or contact_id}
        if person.company:
            organisation["name"] = person.company

        address = ADDRESS_BASE + 2 * contact_id
        record: dict[str, Any] = {
            "contactId": contact_id,
            "isPrimaryContact": extras.primary,
            "salutation": person.salutation,
            "firstName": person.first,
            "lastName": person.last,
            "postAddressIds": {"DEF": address, "BIL": address, "DEL": address + (1 if rng.random() < 0.3 else 0)},
            "communication": {"emails": emails, "telephones": telephones, "messagingVoips": voips, "websites": websites},
            "contactStatus": status,
            "relationshipToAccount": {"isSupplier": kind == SUPPLIER, "isStaff": kind == STAFF},
            "marketingDetails": {"isReceiveEmailNewsletter": kind == CUSTOMER and rng.random() < 0.6},
            "financialDetails": financial,
            "assignment": {"current": assignment},
            "organisation": organisation,
            "tradeStatus": "UNKNOWN",
            "createdByid": 0 if kind == CUSTOMER and rng.random() < 0.5 else rng.choice(staff),
            "createdOn": tf.dt(seed.created),
            "updatedOn": tf.dt(seed.updated),
        }
        if extras.last_contacted:
            record["lastContactedOn"] = tf.dt(extras.last_contacted)
        record["contactTags"] = rng.choice(("0", "0", "3", "0,5", "2,7", "9"))
        record["aliases"] = {}
        record["companyId"] = seed.company
        fields = custom_fields.SUPPLIER_FIELDS if kind == SUPPLIER else custom_fields.CUSTOMER_FIELDS
        record["customFields"] = custom_fields.generate(fields, rng, tf, seed.created) if kind != STAFF else {}
        return record, person

    # -- search --------------------------------------------------------------------------------------------------

    def seeded_search_rows(self) -> list[list]:
        """Search rows of every seeded contact with lastOrderedOn (index 13) unset, from the identity and extra
        draws only (the fast path; tests hold it equal to `search_row(record)`). Derived once."""
        if self._search is None:
            dt, rows = self.ctx.tf.dt, []
            for i in range(len(self.ids_)):
                seed = self.seed(i)
                rng = record_rng(self.ctx.seed, TAG, seed.id)
                person = self._person(seed, rng)
                extras = self._extras(seed, person, rng)
                rows.append(
                    [
                        seed.id,
                        person.email,
                        extras.secondary_email,
                        extras.tertiary_email,
                        person.first,
                        person.last,
                        seed.kind == SUPPLIER,
                        person.company,
                        seed.kind == STAFF,
                        seed.kind == CUSTOMER,
                        dt(seed.created),
                        dt(seed.updated),
                        dt(extras.last_contacted) if extras.last_contacted else None,
                        None,
                        5000 if seed.kind == SUPPLIER else 0,
                        extras.primary,
                        person.phone,
                        extras.secondary_phone,
                        person.mobile,
                        person.company,
                        person.salutation or None,
                    ]
                )
            self._search = rows
        return self._search

    @staticmethod
    def search_row(record: dict, last_ordered: dict[int, str]) -> list:
        """contact-search row (examples/contact-search.json): empty strings for absent emails/phones, null for
        absent dates and title."""
        comm = record["communication"]
        emails, phones = comm["emails"], comm["telephones"]
        rel = record["relationshipToAccount"]
        company = record["organisation"].get("name", "")
        return [
            record["contactId"],
            emails.get("PRI", {}).get("email", ""),
            emails.get("SEC", {}).get("email", ""),
            emails.get("TER", {}).get("email", ""),
            record["firstName"],
            record["lastName"],
            rel["isSupplier"],
            company,
            rel["isStaff"],
            not rel["isSupplier"] and not rel["isStaff"],
            record["createdOn"],
            record.get("updatedOn"),
            record.get("lastContactedOn"),
            last_ordered.get(record["contactId"]),
            int(record["financialDetails"]["nominalCode"]),
            record["isPrimaryContact"],
            phones.get("PRI", ""),
            phones.get("SEC", ""),
            phones.get("MOB", ""),
            company,
            record["salutation"] or None,
        ]
