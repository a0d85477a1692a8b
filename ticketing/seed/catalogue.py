"""Static data of the demo shop: products, carriers and the places parcels pass through."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    """One catalogue entry; final-sale products can't be returned."""

    sku: str
    name: str
    price: Decimal
    final_sale: bool = False


def _p(sku: str, name: str, price: str, final_sale: bool = False) -> Product:
    return Product(sku=sku, name=name, price=Decimal(price), final_sale=final_sale)


PRODUCTS: tuple[Product, ...] = (
    _p("SKU-TSHIRT-BLK-M", "Organic cotton T-shirt, black, M", "19.90"),
    _p("SKU-TSHIRT-WHT-L", "Organic cotton T-shirt, white, L", "19.90"),
    _p("SKU-TSHIRT-NAV-S", "Organic cotton T-shirt, navy, S", "19.90"),
    _p("SKU-HOODIE-GRY-L", "Zip hoodie, heather grey, L", "59.90"),
    _p("SKU-HOODIE-BLK-M", "Zip hoodie, black, M", "59.90"),
    _p("SKU-JEANS-IND-32", "Slim-fit jeans, indigo, 32/32", "79.90"),
    _p("SKU-JEANS-BLK-30", "Straight-leg jeans, black, 30/32", "74.90"),
    _p("SKU-CHINO-BEI-32", "Chino trousers, beige, 32", "54.90"),
    _p("SKU-DRESS-GRN-38", "Wrap dress, forest green, 38", "69.90"),
    _p("SKU-SKIRT-BLK-36", "Pleated midi skirt, black, 36", "44.90"),
    _p("SKU-PARKA-OLV-M", "Winter parka, olive, M", "189.00"),
    _p("SKU-RAINJ-YLW-L", "Rain jacket, yellow, L", "89.90"),
    _p("SKU-SNEAK-WHT-42", "Leather sneakers, white, EU 42", "99.90"),
    _p("SKU-RUNSH-BLK-39", "Running shoes, black, EU 39", "119.90"),
    _p("SKU-BOOTS-BRN-41", "Chelsea boots, brown, EU 41", "149.00"),
    _p("SKU-SOCKS-MER-4143", "Merino socks 3-pack, EU 41-43", "17.90"),
    _p("SKU-BELT-BRN-90", "Leather belt, brown, 90 cm", "34.90"),
    _p("SKU-CAP-NAV", "Baseball cap, navy", "22.90"),
    _p("SKU-BEANIE-GRY", "Wool beanie, grey", "24.90"),
    _p("SKU-SCARF-RED", "Cashmere-blend scarf, red", "49.90"),
    _p("SKU-TOTE-NAT", "Canvas tote bag, natural", "16.90"),
    _p("SKU-BACKPACK-BLK", "Commuter backpack 20 l, black", "84.90"),
    _p("SKU-WALLET-BLK", "Leather wallet, black", "39.90"),
    _p("SKU-SUNGL-TORT", "Sunglasses, tortoiseshell", "64.90"),
    _p("SKU-WATCH-SLV", "Minimalist watch, silver", "129.00"),
    _p("SKU-HEADPH-ANC-BLK", "Noise-cancelling headphones, black", "229.00"),
    _p("SKU-EARBUDS-WHT", "Wireless earbuds, white", "89.00"),
    _p("SKU-ESPRESSO-SLV", "Espresso machine, brushed steel", "279.00"),
    _p("SKU-SPEAKER-BT-BLU", "Bluetooth speaker, blue", "59.00"),
    _p("SKU-CHARGER-65W", "USB-C charger 65 W", "34.90"),
    _p("SKU-CABLE-USBC-2M", "USB-C cable, 2 m", "12.90"),
    _p("SKU-PHONECASE-CLR", "Phone case, clear", "14.90"),
    _p("SKU-POWERBANK-10K", "Power bank 10,000 mAh", "29.90"),
    _p("SKU-MUG-WHT-350", "Ceramic mug, white, 350 ml", "12.50"),
    _p("SKU-BOTTLE-STL-750", "Insulated steel bottle, 750 ml", "27.90"),
    _p("SKU-YOGAMAT-PRP", "Yoga mat, purple", "39.90"),
    _p("SKU-TOWELS-GRY", "Bath towel set, grey", "44.90"),
    _p("SKU-CANDLE-CEDAR", "Scented candle, cedarwood", "18.90"),
    _p("SKU-BOXER-3PK-M", "Boxer briefs 3-pack, M", "29.90", final_sale=True),
    _p("SKU-SWIM-BLU-38", "Swimsuit, blue, 38", "39.90", final_sale=True),
    _p("SKU-GIFTCARD-25", "Gift card 25 EUR", "25.00", final_sale=True),
    _p("SKU-GIFTCARD-50", "Gift card 50 EUR", "50.00", final_sale=True),
    _p("SKU-CLEAR-LINEN-L", "Clearance: linen shirt, sand, L", "24.95", final_sale=True),
)

REGULAR_PRODUCTS = tuple(product for product in PRODUCTS if not product.final_sale)
FINAL_SALE_PRODUCTS = tuple(product for product in PRODUCTS if product.final_sale)
BIG_TICKET_PRODUCTS = tuple(product for product in REGULAR_PRODUCTS if product.price > 150)
GIFT_CARD_PREFIX = "SKU-GIFTCARD"

# name, weight, tracking-number shape ("9" = a digit, "A" = an upper-case letter or digit)
CARRIERS: tuple[tuple[str, int, str], ...] = (
    ("DHL", 40, "00340434" + "9" * 12),
    ("DPD", 20, "0150" + "9" * 10),
    ("Hermes", 15, "H10" + "9" * 17),
    ("GLS", 13, "9" * 12),
    ("UPS", 12, "1Z" + "A" * 6 + "9" * 10),
)

WAREHOUSE = "Erfurt fulfilment centre, DE"

HUBS: dict[str, tuple[str, ...]] = {
    "DE": (
        "Leipzig parcel centre, DE",
        "Hamburg parcel centre, DE",
        "Kassel hub, DE",
        "Nürnberg parcel centre, DE",
        "Köln-Eifeltor hub, DE",
        "Hannover parcel centre, DE",
        "Dortmund hub, DE",
    ),
    "FR": ("Strasbourg hub, FR", "Paris-Roissy hub, FR", "Lyon-Saint-Exupéry hub, FR"),
    "GB": ("East Midlands hub, GB", "London Heathrow gateway, GB", "Coventry hub, GB"),
    "US": ("Louisville hub, KY, US", "Newark gateway, NJ, US", "Chicago hub, IL, US"),
}

DELIVERY_NOTES: tuple[str, ...] = (
    "Delivered: handed to the recipient",
    "Delivered: left with a neighbour",
    "Delivered to the parcel locker",
    "Delivered: placed at the front door as agreed",
)
