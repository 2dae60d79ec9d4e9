"""The seeded shop's static data, in Spanish: catalogue, shipping zones, payments, promotions.

Brands and model names are invented so the demo shop never looks like it sells real
trademarks; everything a shopper reads (names, notes, descriptions) is Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass

FOOTWEAR_SIZES = tuple(str(n) for n in range(36, 47))
CLOTHING_SIZES = ("XS", "S", "M", "L", "XL", "XXL")

# Lower-case Spanish colour names and the code each gives to variant SKUs.
COLOUR_CODES = {
    "negro": "NEG",
    "blanco": "BLA",
    "azul marino": "AZM",
    "azul": "AZU",
    "azul claro": "AZC",
    "rojo": "ROJ",
    "verde": "VER",
    "verde oliva": "OLI",
    "gris": "GRI",
    "rosa": "ROS",
    "beige": "BEI",
    "marrón": "MAR",
    "camel": "CAM",
    "burdeos": "BUR",
    "amarillo": "AMA",
    "naranja": "NAR",
    "morado": "MOR",
    "crudo": "CRU",
    "caqui": "CAQ",
    "plateado": "PLA",
    "dorado": "DOR",
}


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    code: str  # SKU prefix
    sizing: str  # "calzado" (36-46), "ropa" (XS-XXL), "unica" (one size), "ninguna" (no colour)
    weight: int  # share of the catalogue and of sales
    price_euros: tuple[int, int]
    brands: tuple[str, ...]
    colours: tuple[str, ...]
    types: tuple[tuple[str, str], ...]  # (product type, what it is, ending a sentence)
    details: tuple[str, ...]  # material or care sentences, one picked per product
    returnable: bool = True
    return_note: str | None = None


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        slug="zapatillas",
        name="Zapatillas",
        code="ZAP",
        sizing="calzado",
        weight=14,
        price_euros=(40, 130),
        brands=("Andarín", "Pisada", "Senda", "Ruta Sport"),
        colours=("negro", "blanco", "gris", "azul marino", "rojo", "beige", "verde"),
        types=(
            (
                "Zapatillas de running",
                "con mediasuela amortiguada y malla transpirable, para rodar a diario en asfalto",
            ),
            (
                "Zapatillas urbanas",
                "de corte bajo con suela de goma vulcanizada, cómodas para todo el día",
            ),
            (
                "Zapatillas de lona",
                "de algodón resistente, con puntera reforzada y plantilla acolchada",
            ),
            ("Zapatillas de trail", "con suela de tacos para montaña y protección en la puntera"),
            ("Zapatillas de pádel", "con suela de espiga para pista y buena sujeción lateral"),
            ("Zapatillas de piel", "con forro textil y plantilla extraíble"),
        ),
        details=(
            "Horma normal: pide tu talla habitual.",
            "Horma estrecha: si dudas, pide media talla más.",
            "Se pueden lavar a mano con agua fría.",
            "Plantilla de espuma viscoelástica.",
        ),
    ),
    CategorySpec(
        slug="botas",
        name="Botas y botines",
        code="BOT",
        sizing="calzado",
        weight=7,
        price_euros=(60, 160),
        brands=("Andarín", "Senda", "Cumbre"),
        colours=("negro", "marrón", "camel", "gris", "burdeos"),
        types=(
            ("Botines chelsea", "de piel con elásticos laterales y suela de goma antideslizante"),
            ("Botas de montaña", "impermeables, con membrana transpirable y suela de tacos"),
            ("Botas altas", "de caña alta con cremallera interior y tacón bajo"),
            ("Botines de ante", "con cordones, tacto suave y forro cálido"),
        ),
        details=(
            "Piel de curtido vegetal.",
            "Tratamiento hidrófugo de fábrica.",
            "Horma amplia, ideal para pie ancho.",
            "Suela cosida, se puede reparar.",
        ),
    ),
    CategorySpec(
        slug="camisetas",
        name="Camisetas",
        code="CAM",
        sizing="ropa",
        weight=12,
        price_euros=(13, 35),
        brands=("Alba", "Marea", "Norte Sur", "Ruta Basics"),
        colours=(
            "negro",
            "blanco",
            "gris",
            "azul marino",
            "verde oliva",
            "rosa",
            "amarillo",
            "crudo",
        ),
        types=(
            ("Camiseta básica", "de manga corta y cuello redondo"),
            ("Camiseta estampada", "de manga corta con estampado frontal"),
            ("Camiseta de manga larga", "de punto fino, perfecta para llevar por capas"),
            ("Camiseta técnica", "de tejido ligero que evacúa el sudor"),
            ("Polo de piqué", "con cuello de canalé y tapeta de dos botones"),
        ),
        details=(
            "100 % algodón orgánico.",
            "Algodón y poliéster reciclado.",
            "Lavar a 30 °C del revés.",
            "Patrón regular, ni ajustado ni holgado.",
        ),
    ),
    CategorySpec(
        slug="pantalones",
        name="Pantalones y vaqueros",
        code="PAN",
        sizing="ropa",
        weight=10,
        price_euros=(30, 70),
        brands=("Norte Sur", "Olivo", "Siroco", "Ruta Basics"),
        colours=("azul", "azul claro", "negro", "beige", "caqui", "gris"),
        types=(
            ("Vaquero slim", "de denim elástico con cinco bolsillos"),
            ("Vaquero recto", "de denim rígido y tiro medio"),
            ("Pantalón chino", "de sarga de algodón con pinzas suaves"),
            ("Pantalón cargo", "con bolsillos laterales y cintura ajustable"),
            ("Pantalón de chándal", "de felpa con puños y cordón en la cintura"),
        ),
        details=(
            "98 % algodón, 2 % elastano.",
            "Largo de pierna: 32 pulgadas.",
            "Lavar a 30 °C, no usar secadora.",
            "Tejido con certificado OEKO-TEX.",
        ),
    ),
    CategorySpec(
        slug="vestidos",
        name="Vestidos y faldas",
        code="VES",
        sizing="ropa",
        weight=9,
        price_euros=(30, 90),
        brands=("Lúa", "Alba", "Siroco"),
        colours=("negro", "azul marino", "rojo", "verde", "beige", "rosa", "burdeos", "blanco"),
        types=(
            ("Vestido midi", "de viscosa fluida con escote de pico"),
            ("Vestido camisero", "con botones delanteros y cinturón a juego"),
            ("Vestido de punto", "ajustado, de canalé elástico"),
            ("Falda plisada", "de largo midi y cintura elástica"),
            ("Falda vaquera", "corta, de denim con botones metálicos"),
        ),
        details=(
            "100 % viscosa.",
            "Forro interior de algodón.",
            "Lavar a mano o en programa delicado.",
            "Largo aproximado: 110 cm en la talla M.",
        ),
    ),
    CategorySpec(
        slug="sudaderas",
        name="Sudaderas y jerséis",
        code="SUD",
        sizing="ropa",
        weight=8,
        price_euros=(30, 70),
        brands=("Marea", "Norte Sur", "Ruta Basics", "Olivo"),
        colours=("gris", "negro", "azul marino", "verde", "crudo", "burdeos", "caqui"),
        types=(
            ("Sudadera con capucha", "de felpa perchada con bolsillo canguro"),
            ("Sudadera de cuello redondo", "de algodón afelpado con puños de canalé"),
            ("Jersey de lana merino", "fino y cálido, de cuello redondo"),
            ("Cárdigan", "de punto grueso con botones de madera"),
        ),
        details=(
            "80 % algodón, 20 % poliéster.",
            "Lana merino extrafina.",
            "Lavar a 30 °C.",
            "Corte amplio: si prefieres ajustado, pide una talla menos.",
        ),
    ),
    CategorySpec(
        slug="chaquetas",
        name="Chaquetas y abrigos",
        code="CHA",
        sizing="ropa",
        weight=8,
        price_euros=(50, 160),
        brands=("Cumbre", "Norte Sur", "Siroco"),
        colours=("negro", "azul marino", "camel", "verde oliva", "gris", "beige"),
        types=(
            ("Plumífero ligero", "con relleno de plumón y bolsa para guardarlo"),
            ("Chaqueta vaquera", "de denim con botones metálicos"),
            ("Gabardina", "cruzada, con cinturón y tejido repelente al agua"),
            ("Abrigo de paño", "de lana mezcla, largo por debajo de la cadera"),
            ("Chaqueta cortavientos", "con capucha recogible y costuras selladas"),
        ),
        details=(
            "Relleno 90 % plumón, 10 % pluma.",
            "Exterior de poliéster reciclado.",
            "Limpieza en seco.",
            "Bolsillos interiores con cremallera.",
        ),
    ),
    CategorySpec(
        slug="ropa-interior",
        name="Ropa interior",
        code="INT",
        sizing="ropa",
        weight=6,
        price_euros=(8, 30),
        brands=("Lúa", "Ruta Basics", "Marea"),
        colours=("negro", "blanco", "beige", "gris", "rosa", "azul marino"),
        types=(
            ("Pack de 3 calzoncillos", "bóxer de algodón elástico"),
            ("Pack de 3 bragas", "de algodón con cintura suave"),
            ("Sujetador sin aros", "de microfibra con tirantes regulables"),
            ("Pack de 5 pares de calcetines", "de algodón peinado con refuerzo en talón"),
            ("Pijama largo", "de algodón con pantalón y camiseta de manga larga"),
        ),
        details=(
            "Tejido suave y transpirable.",
            "Sin costuras laterales.",
            "Lavar a 40 °C.",
        ),
        returnable=False,
        return_note="Por higiene, la ropa interior no admite devolución salvo defecto de fábrica.",
    ),
    CategorySpec(
        slug="banadores",
        name="Bañadores y bikinis",
        code="BAN",
        sizing="ropa",
        weight=5,
        price_euros=(20, 50),
        brands=("Marea", "Coral Beach", "Lúa"),
        colours=("azul", "rojo", "negro", "verde", "rosa", "amarillo", "naranja"),
        types=(
            ("Bañador de natación", "de tejido resistente al cloro"),
            ("Bikini triangular", "con braguita de talle medio"),
            ("Bañador short", "de secado rápido con bolsillo trasero"),
            ("Bañador de una pieza", "con espalda cruzada"),
        ),
        details=(
            "Protección solar UPF 50+.",
            "Poliamida reciclada.",
            "Aclarar con agua dulce tras usar.",
        ),
        returnable=False,
        return_note=(
            "Por higiene, los bañadores y bikinis no admiten devolución salvo defecto de fábrica."
        ),
    ),
    CategorySpec(
        slug="bolsos",
        name="Bolsos y mochilas",
        code="BOL",
        sizing="unica",
        weight=6,
        price_euros=(25, 100),
        brands=("Vereda", "Faro", "Cumbre"),
        colours=("negro", "marrón", "camel", "beige", "burdeos", "verde oliva", "azul marino"),
        types=(
            ("Mochila urbana", "con compartimento acolchado para portátil de 15 pulgadas"),
            ("Bolso bandolera", "de piel con correa regulable"),
            ("Bolso shopper", "amplio, de lona encerada con asas de piel"),
            ("Riñonera", "de nailon resistente con cremallera frontal"),
            ("Bolsa de viaje", "de fin de semana con bolsillo para zapatos"),
        ),
        details=(
            "Piel de vacuno.",
            "Tejido repelente al agua.",
            "Medidas: 30 x 40 x 12 cm.",
            "Herrajes de latón.",
        ),
    ),
    CategorySpec(
        slug="accesorios",
        name="Accesorios",
        code="ACC",
        sizing="unica",
        weight=8,
        price_euros=(10, 40),
        brands=("Vereda", "Faro", "Ruta Basics", "Olivo"),
        colours=("negro", "marrón", "gris", "beige", "dorado", "plateado", "azul marino"),
        types=(
            ("Gorra de béisbol", "de algodón con cierre ajustable"),
            ("Cinturón de piel", "con hebilla metálica"),
            ("Bufanda de lana", "suave y larga, con flecos"),
            ("Gafas de sol", "con lentes polarizadas y montura de acetato"),
            ("Cartera", "de piel con monedero y seis tarjeteros"),
            ("Gorro de punto", "con vuelta y tacto suave"),
        ),
        details=(
            "Talla única ajustable.",
            "Incluye funda.",
            "Fabricado en Ubrique.",
            "Protección UV400.",
        ),
    ),
    CategorySpec(
        slug="cosmetica",
        name="Cosmética y perfumes",
        code="COS",
        sizing="ninguna",
        weight=6,
        price_euros=(9, 70),
        brands=("Almendro", "Botica del Sur", "Azahar"),
        colours=(),
        types=(
            ("Crema hidratante facial", "de textura ligera para uso diario"),
            ("Sérum de vitamina C", "que aporta luminosidad y unifica el tono"),
            ("Eau de toilette", "de notas cítricas y flor de azahar, 100 ml"),
            ("Protector solar SPF 50", "resistente al agua, para rostro y cuerpo"),
            ("Aceite corporal", "de almendras dulces, nutritivo y de rápida absorción"),
            ("Champú sólido", "sin sulfatos, para todo tipo de cabello"),
        ),
        details=(
            "Apto para pieles sensibles.",
            "Sin parabenos.",
            "Fórmula vegana.",
            "Dermatológicamente testado.",
        ),
        returnable=False,
        return_note=(
            "Por higiene, la cosmética y los perfumes no admiten devolución una vez abiertos "
            "o desprecintados."
        ),
    ),
)

# Gift cards: fixed values, never out of stock, always one per product.
GIFT_CARD_CATEGORY = CategorySpec(
    slug="tarjetas-regalo",
    name="Tarjetas regalo",
    code="REG",
    sizing="ninguna",
    weight=0,
    price_euros=(0, 0),
    brands=("Ruta Store",),
    colours=(),
    types=(),
    details=(),
    returnable=False,
    return_note="Las tarjetas regalo no admiten devolución ni canje por dinero.",
)
GIFT_CARDS = (
    ("Tarjeta regalo 25 €", 2500, "Tarjeta regalo física de 25 € en un sobre de regalo."),
    ("Tarjeta regalo 50 €", 5000, "Tarjeta regalo física de 50 € en un sobre de regalo."),
    ("Tarjeta regalo 100 €", 10000, "Tarjeta regalo física de 100 € en un sobre de regalo."),
    ("Tarjeta regalo 150 €", 15000, "Tarjeta regalo física de 150 € en un estuche de regalo."),
)
GIFT_CARD_DETAIL = "Válida durante un año en Ruta Store para cualquier producto."

# Model names that turn a product type into a product: "Zapatillas de running Cometa".
MODEL_NAMES = (
    "Vuelo",
    "Brisa",
    "Trazo",
    "Cometa",
    "Pulso",
    "Atlas",
    "Nómada",
    "Orilla",
    "Alba",
    "Sierra",
    "Duna",
    "Faro",
    "Lince",
    "Quetzal",
    "Cóndor",
    "Rumbo",
    "Brújula",
    "Mistral",
    "Tramontana",
    "Alisio",
    "Aurora",
    "Delta",
    "Arena",
    "Coral",
    "Nazca",
    "Andes",
    "Pampa",
    "Caribe",
    "Tajo",
    "Ebro",
    "Duero",
    "Teide",
    "Gredos",
    "Moncayo",
    "Cierzo",
    "Levante",
    "Poniente",
    "Oasis",
)

POLICY = {
    "id": 1,
    "store_name": "Ruta Store",
    "return_window_days": 30,
    "defect_guarantee_days": 1095,  # Spain's three-year legal guarantee
    "refund_days": 14,
    "support_email": "ayuda@rutastore.example.com",
    # Phrased to sit mid-sentence: "te atendemos de lunes a viernes, ...".
    "support_hours": "de lunes a viernes, de 9:00 a 19:00, hora peninsular española",
}

# code, name, countries, postal prefixes, cost, free from, days min, days max
ZONES = (
    ("peninsula", "España peninsular", "ES", None, 495, 4900, 2, 4),
    ("baleares", "Islas Baleares", "ES", "07", 795, 7900, 3, 5),
    ("canarias", "Islas Canarias", "ES", "35,38", 1295, None, 5, 9),
    ("ceuta-melilla", "Ceuta y Melilla", "ES", "51,52", 1295, None, 5, 8),
    ("mexico", "México", "MX", None, 1495, 9900, 6, 10),
    ("latam", "Sudamérica", "AR,CL,CO,PE", None, 1995, None, 8, 14),
)

# code, name, description, max installments, active
PAYMENT_METHODS = (
    (
        "tarjeta",
        "Tarjeta de crédito o débito",
        "Visa, Mastercard y American Express. El cargo se hace al confirmar el pedido.",
        1,
        True,
    ),
    (
        "paypal",
        "PayPal",
        "Paga con tu cuenta PayPal; si PayPal te lo ofrece, en 3 plazos sin intereses.",
        3,
        True,
    ),
    ("bizum", "Bizum", "Solo en España: confirma el pago desde la app de tu banco.", 1, True),
    (
        "transferencia",
        "Transferencia bancaria",
        "Preparamos el pedido al recibir el importe; si no llega en 72 horas, se cancela.",
        1,
        True,
    ),
    (
        "meses_sin_intereses",
        "Meses sin intereses",
        "Solo en México, con tarjetas de crédito participantes: hasta 12 meses sin intereses.",
        12,
        True,
    ),
    (
        "oxxo",
        "Efectivo en OXXO",
        "Solo en México: genera tu referencia y paga en cualquier tienda OXXO en 72 horas.",
        1,
        True,
    ),
    ("pse", "PSE", "Solo en Colombia: débito directo desde tu cuenta bancaria.", 1, True),
    (
        "mercadopago",
        "Mercado Pago",
        "Argentina, Chile y Perú: paga con tu cuenta o en hasta 6 cuotas con tarjeta.",
        6,
        True,
    ),
    (
        "contrarreembolso",
        "Contrarreembolso",
        "Ya no está disponible: puedes pagar con tarjeta, PayPal, Bizum o transferencia.",
        1,
        False,
    ),
)

# code, title, description, percent, category slug (None: whole store), starts/ends (days from
# today). BIENVENIDA10 only ever applies to a customer's first order.
PROMOTIONS = (
    (
        "BIENVENIDA10",
        "10 % en tu primer pedido",
        "Descuento del 10 % en tu primera compra en Ruta Store.",
        10,
        None,
        -400,
        365,
    ),
    (
        "ZAPAS20",
        "20 % en zapatillas",
        "20 % de descuento en todas las zapatillas, incluidas las novedades.",
        20,
        "zapatillas",
        -12,
        16,
    ),
    (
        "ABRIGATE15",
        "15 % en chaquetas y abrigos",
        "Prepárate para el frío: 15 % en chaquetas, plumíferos y abrigos.",
        15,
        "chaquetas",
        -5,
        25,
    ),
    (
        "FINDE10",
        "Fin de semana al 10 %",
        "10 % en toda la tienda durante el fin de semana.",
        10,
        None,
        -3,
        0,
    ),
    (
        "VESTIDOS30",
        "30 % en vestidos",
        "Rebajas de temporada: 30 % en vestidos y faldas.",
        30,
        "vestidos",
        -200,
        -170,
    ),
    (
        "CAMISETAS3X2",
        "Camisetas con un 33 % menos",
        "Lleva tres camisetas y paga dos: 33 % en camisetas.",
        33,
        "camisetas",
        -60,
        -45,
    ),
    (
        "ANIVERSARIO15",
        "Aniversario de Ruta Store",
        "Celebramos nuestro aniversario con un 15 % en toda la tienda.",
        15,
        None,
        -300,
        -293,
    ),
    (
        "MOCHILAS15",
        "15 % en bolsos y mochilas",
        "Vuelta a la rutina: 15 % en bolsos y mochilas.",
        15,
        "bolsos",
        10,
        40,
    ),
    (
        "FLASH20",
        "Oferta flash: 20 % en todo",
        "Solo 48 horas: 20 % en toda la tienda.",
        20,
        None,
        20,
        21,
    ),
)
