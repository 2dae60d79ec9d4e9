"""Where the seeded shoppers live and who carries their parcels: real cities and postal codes.

Postal codes are real ones for each city (already normalised, as the store keeps them),
so a shopper who types the code printed on their own door verifies their order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    region: str
    weight: int  # how often shoppers live here, roughly by population
    postal_codes: str  # space-separated, already normalised
    area_code: str = ""  # telephone area code where numbers carry one (Mexico, Argentina)


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    weight: int  # share of customers, in percent
    faker_locale: str
    two_surnames: float  # share of people who give both surnames
    email_domains: tuple[str, ...]
    carriers: tuple[tuple[str, int], ...]  # (carrier, weight)
    payments: tuple[tuple[str, int], ...]  # (payment method code, weight)
    pending_payments: tuple[str, ...]  # methods an order can wait on (cash, transfer)
    cities: tuple[City, ...]


WAREHOUSE = "Getafe (Madrid)"
EXPORT_HUB = "Madrid-Barajas"
# Only domains reserved for examples (RFC 2606): no seeded address can reach a real mailbox.
SAFE_DOMAINS = ("example.com", "example.org", "example.net")

SPAIN_CARRIERS = (("Correos", 30), ("SEUR", 20), ("MRW", 15), ("GLS", 15), ("Correos Express", 20))
ISLAND_CARRIERS = (("Correos", 60), ("Correos Express", 25), ("SEUR", 15))

COUNTRIES: tuple[Country, ...] = (
    Country(
        code="ES",
        name="España",
        weight=65,
        faker_locale="es_ES",
        two_surnames=0.8,
        email_domains=SAFE_DOMAINS,
        carriers=SPAIN_CARRIERS,
        payments=(("tarjeta", 52), ("paypal", 20), ("bizum", 20), ("transferencia", 8)),
        pending_payments=("transferencia",),
        cities=(
            City(
                "Madrid",
                "Madrid",
                30,
                "28001 28004 28005 28010 28013 28015 28020 28028 28034 28039 28045 28050",
            ),
            City("Getafe", "Madrid", 3, "28901 28902 28903 28905"),
            City("Alcalá de Henares", "Madrid", 3, "28801 28803 28805 28807"),
            City(
                "Barcelona",
                "Barcelona",
                20,
                "08001 08008 08012 08014 08015 08021 08025 08029 08036",
            ),
            City("L'Hospitalet de Llobregat", "Barcelona", 3, "08901 08902 08905"),
            City("Valencia", "Valencia", 10, "46001 46004 46005 46010 46015 46020 46022"),
            City("Sevilla", "Sevilla", 9, "41001 41003 41005 41010 41013 41018"),
            City("Málaga", "Málaga", 7, "29001 29004 29007 29010 29016"),
            City("Zaragoza", "Zaragoza", 7, "50001 50004 50008 50009 50012"),
            City("Bilbao", "Bizkaia", 5, "48001 48005 48007 48013"),
            City("Valladolid", "Valladolid", 4, "47001 47003 47010 47014"),
            City("Murcia", "Murcia", 5, "30001 30003 30007 30009"),
            City("Alicante", "Alicante", 4, "03001 03003 03010 03015"),
            City("Granada", "Granada", 3, "18001 18005 18008"),
            City("Córdoba", "Córdoba", 3, "14001 14004 14005 14010"),
            City("A Coruña", "A Coruña", 3, "15001 15004 15006 15008"),
            City("Vigo", "Pontevedra", 3, "36201 36202 36204 36211"),
            City("Oviedo", "Asturias", 2, "33001 33003 33006 33011"),
            City("Gijón", "Asturias", 2, "33201 33204 33205 33208"),
            City("Pamplona", "Navarra", 2, "31001 31002 31008"),
            City("Santander", "Cantabria", 2, "39001 39002 39005"),
            City("Salamanca", "Salamanca", 2, "37001 37002 37004"),
            City("Palma", "Illes Balears", 3, "07001 07003 07004 07010 07013"),
            City("Eivissa", "Illes Balears", 1, "07800"),
            City("Manacor", "Illes Balears", 1, "07500"),
            City("Las Palmas de Gran Canaria", "Las Palmas", 3, "35001 35002 35004 35010 35011"),
            City("Arrecife", "Las Palmas", 1, "35500"),
            City("Santa Cruz de Tenerife", "Santa Cruz de Tenerife", 2, "38001 38003 38005"),
            City("San Cristóbal de La Laguna", "Santa Cruz de Tenerife", 1, "38201 38205"),
            City("Ceuta", "Ceuta", 1, "51001 51002 51003"),
            City("Melilla", "Melilla", 1, "52001 52004 52005"),
        ),
    ),
    Country(
        code="MX",
        name="México",
        weight=14,
        faker_locale="es_MX",
        two_surnames=0.7,
        email_domains=SAFE_DOMAINS,
        carriers=(("Estafeta", 45), ("DHL Express", 35), ("FedEx", 20)),
        payments=(("tarjeta", 35), ("meses_sin_intereses", 25), ("oxxo", 25), ("paypal", 15)),
        pending_payments=("oxxo", "transferencia"),
        cities=(
            City(
                "Ciudad de México",
                "Ciudad de México",
                35,
                "06700 06600 06140 03100 04100 11000 11560 03810",
                "55",
            ),
            City("Guadalajara", "Jalisco", 12, "44100 44160 44600 44130", "33"),
            City("Zapopan", "Jalisco", 4, "45050 45110 45116", "33"),
            City("Monterrey", "Nuevo León", 12, "64000 64460 64620 64700", "81"),
            City("San Pedro Garza García", "Nuevo León", 3, "66220 66260", "81"),
            City("Puebla", "Puebla", 7, "72000 72160 72530", "222"),
            City("Querétaro", "Querétaro", 6, "76000 76090 76100", "442"),
            City("Mérida", "Yucatán", 6, "97000 97130 97070", "999"),
            City("Tijuana", "Baja California", 5, "22000 22320 22420", "664"),
            City("León", "Guanajuato", 5, "37000 37160 37270", "477"),
            City("Cancún", "Quintana Roo", 3, "77500 77504 77533", "998"),
            City("Toluca", "Estado de México", 3, "50000 50090 50120", "722"),
        ),
    ),
    Country(
        code="CO",
        name="Colombia",
        weight=7,
        faker_locale="es_CO",
        two_surnames=0.7,
        email_domains=SAFE_DOMAINS,
        carriers=(("Servientrega", 80), ("DHL Express", 20)),
        payments=(("tarjeta", 45), ("pse", 40), ("paypal", 15)),
        pending_payments=("pse", "transferencia"),
        cities=(
            City("Bogotá", "Bogotá D.C.", 40, "110111 110221 110311 111071 110911 111211"),
            City("Medellín", "Antioquia", 20, "050001 050021 050022 050031"),
            City("Cali", "Valle del Cauca", 14, "760001 760042 760044"),
            City("Barranquilla", "Atlántico", 10, "080001 080002 080020"),
            City("Cartagena de Indias", "Bolívar", 6, "130001 130005"),
            City("Bucaramanga", "Santander", 5, "680001 680003"),
            City("Pereira", "Risaralda", 5, "660001 660003"),
        ),
    ),
    Country(
        code="AR",
        name="Argentina",
        weight=6,
        faker_locale="es_AR",
        two_surnames=0.2,
        email_domains=SAFE_DOMAINS,
        carriers=(("Andreani", 60), ("OCA", 40)),
        payments=(("tarjeta", 40), ("mercadopago", 45), ("paypal", 15)),
        pending_payments=("mercadopago", "transferencia"),
        cities=(
            City(
                "Ciudad Autónoma de Buenos Aires",
                "Ciudad Autónoma de Buenos Aires",
                40,
                "C1425DKA C1414CWL C1043AAZ C1119ACA C1426ABC C1405BCH",
                "11",
            ),
            City("La Plata", "Buenos Aires", 8, "1900 B1900BJB 1902", "221"),
            City("Mar del Plata", "Buenos Aires", 6, "7600 B7600DRE", "223"),
            City("Córdoba", "Córdoba", 15, "5000 X5000JJK 5009", "351"),
            City("Rosario", "Santa Fe", 12, "2000 S2000BPJ 2002", "341"),
            City("Mendoza", "Mendoza", 8, "5500 M5500GIA", "261"),
            City("San Miguel de Tucumán", "Tucumán", 6, "4000 T4000IAK", "381"),
            City("Salta", "Salta", 5, "4400 A4400BDA", "387"),
        ),
    ),
    Country(
        code="CL",
        name="Chile",
        weight=5,
        faker_locale="es_CL",
        two_surnames=0.7,
        email_domains=SAFE_DOMAINS,
        carriers=(("Chilexpress", 80), ("DHL Express", 20)),
        payments=(("tarjeta", 40), ("mercadopago", 45), ("paypal", 15)),
        pending_payments=("mercadopago", "transferencia"),
        cities=(
            City("Santiago", "Región Metropolitana", 25, "8320000 8340000 8370000"),
            City("Providencia", "Región Metropolitana", 12, "7500000 7500539 7510000"),
            City("Las Condes", "Región Metropolitana", 10, "7550000 7560000"),
            City("Ñuñoa", "Región Metropolitana", 8, "7750000 7760000"),
            City("Valparaíso", "Valparaíso", 8, "2340000 2360000"),
            City("Viña del Mar", "Valparaíso", 8, "2520000 2540000"),
            City("Concepción", "Biobío", 9, "4030000 4070000"),
            City("La Serena", "Coquimbo", 6, "1700000 1720000"),
            City("Antofagasta", "Antofagasta", 6, "1240000 1270000"),
            City("Temuco", "La Araucanía", 5, "4780000 4810000"),
        ),
    ),
    Country(
        code="PE",
        name="Perú",
        weight=3,
        faker_locale="es_CO",
        two_surnames=0.8,
        email_domains=SAFE_DOMAINS,
        carriers=(("Olva Courier", 80), ("DHL Express", 20)),
        payments=(("tarjeta", 40), ("mercadopago", 45), ("paypal", 15)),
        pending_payments=("mercadopago", "transferencia"),
        cities=(
            City("Lima", "Lima", 25, "15001 15046 15082"),
            City("Miraflores", "Lima", 12, "15074 15047 15048"),
            City("San Isidro", "Lima", 8, "15073 15076"),
            City("Santiago de Surco", "Lima", 8, "15023 15038 15039"),
            City("Barranco", "Lima", 4, "15063"),
            City("Arequipa", "Arequipa", 10, "04001 04002"),
            City("Trujillo", "La Libertad", 8, "13001 13006"),
            City("Cusco", "Cusco", 6, "08002 08003"),
            City("Chiclayo", "Lambayeque", 5, "14001 14008"),
            City("Piura", "Piura", 5, "20001 20002"),
        ),
    ),
)

COUNTRY_BY_CODE = {c.code: c for c in COUNTRIES}

# Spain: half the streets from a list of names every town has, half invented by Faker.
COMMON_SPANISH_STREETS = (
    "Calle Mayor",
    "Calle Real",
    "Avenida de la Constitución",
    "Calle de la Iglesia",
    "Plaza de España",
    "Calle Nueva",
    "Avenida de Andalucía",
    "Calle del Sol",
    "Paseo del Prado",
    "Calle de San José",
    "Avenida de Europa",
    "Calle del Carmen",
    "Ronda de Poniente",
    "Calle de Cervantes",
    "Avenida de América",
    "Calle Doctor Fleming",
    "Calle de la Paz",
)
PERU_STREETS = (
    "Av. Larco",
    "Av. José Pardo",
    "Jr. de la Unión",
    "Calle Schell",
    "Av. Arequipa",
    "Av. Javier Prado Este",
    "Av. Benavides",
    "Calle Los Pinos",
    "Av. Angamos Oeste",
    "Jr. Huallaga",
    "Av. Ejército",
    "Calle Mercaderes",
    "Av. El Sol",
    "Av. Grau",
)

# Plausible tracking numbers per carrier: (prefix, digits, suffix).
TRACKING_FORMATS: dict[str, tuple[str, int, str]] = {
    "Correos": ("PQ4B6M", 16, "Z"),
    "Correos Express": ("", 16, ""),
    "SEUR": ("", 14, ""),
    "MRW": ("0265", 8, ""),
    "GLS": ("", 11, ""),
    "Estafeta": ("", 22, ""),
    "DHL Express": ("", 10, ""),
    "FedEx": ("", 12, ""),
    "Servientrega": ("", 10, ""),
    "Chilexpress": ("99", 10, ""),
    "Andreani": ("3600", 11, ""),
    "OCA": ("", 19, ""),
    "Olva Courier": ("OL", 9, "PE"),
}

# Where international parcels clear customs, by country.
CUSTOMS_CITY = {
    "MX": "Ciudad de México",
    "CO": "Bogotá",
    "AR": "Ezeiza (Buenos Aires)",
    "CL": "Santiago",
    "PE": "Callao",
}
