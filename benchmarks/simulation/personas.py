"""Who a simulated customer is and what they want: the owner of a seeded order (name, email,
phone, order number, its lines), the request's details they will give when asked, and the lines
a return or exchange is about."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing.orders.models import Order

ELECTRONICS = ("HEADPH", "EARBUDS", "SPEAKER", "ESPRESSO", "POWERBANK", "WATCH")
CLOTHES = ("TSHIRT", "HOODIE", "JEANS", "CHINO", "DRESS", "SKIRT", "PARKA", "RAINJ")
SHOES = ("SNEAK", "RUNSH", "BOOTS")
TOPS = ("TSHIRT", "HOODIE", "PARKA", "RAINJ")  # sized S, M, L
KINDS = {"clothes": CLOTHES, "shoes": SHOES, "tops": TOPS}


@dataclass(frozen=True)
class Line:
    """One line of the order as its customer would describe it."""

    item_id: int
    sku: str
    name: str
    quantity: int
    final_sale: bool

    @property
    def short(self) -> str:
        """'Leather sneakers' of 'Leather sneakers, white, EU 42'."""
        return self.name.split(",")[0].strip()

    @property
    def detail(self) -> str:
        """'white' of 'Leather sneakers, white, EU 42' ('' when the name has no comma)."""
        parts = [p.strip() for p in self.name.split(",")]
        return parts[1] if len(parts) > 1 else ""


@dataclass
class Persona:
    """The customer of one scenario: the order's owner and what they know."""

    first_name: str
    full_name: str
    email: str
    phone: str | None
    order_number: str
    order_id: int
    status: str
    lines: list[Line]

    def line(self, item_id: int) -> Line:
        return next(line for line in self.lines if line.item_id == item_id)


def persona_for(order: Order) -> Persona:
    customer = order.customer
    return Persona(
        first_name=customer.name.split()[0],
        full_name=customer.name,
        email=customer.email,
        phone=customer.phone,
        order_number=order.number,
        order_id=order.id,
        status=order.status.value,
        lines=[
            Line(i.id, i.sku, i.name, i.quantity, i.final_sale)
            for i in sorted(order.items, key=lambda item: item.id)
        ],
    )


@dataclass(frozen=True)
class Address:
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str | None = None

    def written(self, name: str, attempt: int = 0) -> str:
        """One line, the way the bot asks for it: name, street, [line 2,] postal city, CC; asked
        again, the customer writes it a little differently (line 2 in the street, then the
        city before the postal code)."""
        second = f", {self.line2}" if self.line2 else ""
        place = f"{self.postal_code} {self.city}"
        if attempt >= 1 and self.line2:
            second = f" {self.line2}"
        if attempt >= 2:
            place = f"{self.city} {self.postal_code}"
        return f"{name}, {self.line1}{second}, {place}, {self.country}"


@dataclass(frozen=True)
class Want:
    """What the customer wants and will answer when asked."""

    line: str = "auto"  # auto | all | qty | last | final_sale | electronic | clothes | shoes | tops
    quantity: int | None = None  # units of the line (None: all of it)
    reason: str = "does_not_fit"
    condition: str = "like_new"
    resolution: str = "refund"
    wish: str | None = None  # "size L": said when asked which size or colour
    wish_words: tuple[str, ...] = ()  # one of them must be stored with the exchange
    address: Address | None = None
    category: str = "after_sales"
    complaint: str = "The person on the phone was rude to me and hung up."
    questions: tuple[str, ...] = ()  # a policy question, in several wordings
    expect: tuple[str, ...] = ()  # the answer must contain each of these
    person: bool = False  # says yes when a person is offered
    requests: tuple[str, ...] = ()  # own wordings of the scenario's main (last) request


@dataclass(frozen=True)
class Target:
    """The lines a return or exchange is about, and how many units of each."""

    lines: tuple[Line, ...]
    quantities: dict[int, int]
    whole_order: bool = False


def target_of(want: Want, persona: Persona) -> Target | None:
    regular = [line for line in persona.lines if not line.final_sale]
    chosen: list[Line]
    if want.line == "all":
        return Target(tuple(regular), {ln.item_id: ln.quantity for ln in regular}, True)
    if want.line == "final_sale":
        chosen = [ln for ln in persona.lines if ln.final_sale]
    elif want.line == "qty":
        chosen = [ln for ln in regular if ln.quantity >= (want.quantity or 1) + 1]
    elif want.line == "last":
        chosen = regular[-1:]
    elif want.line == "electronic":
        chosen = [ln for ln in regular if any(part in ln.sku for part in ELECTRONICS)]
    elif want.line in KINDS:
        parts = KINDS[want.line]
        chosen = [ln for ln in regular if any(part in ln.sku for part in parts)]
    else:
        chosen = regular or persona.lines
    if not chosen:
        return None
    line = chosen[0]
    return Target((line,), {line.item_id: want.quantity or line.quantity})
