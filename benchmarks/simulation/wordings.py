"""The several ways a simulated customer words each answer; the scenario's seeded random
generator picks one each time, so two runs with one seed say exactly the same."""

from __future__ import annotations

ORDER_NUMBER = (
    "{number}",
    "#{number}",
    "it's {number}",
    "order {number}",
    "my order number is {number}",
    "The number is {number}.",
)
EMAIL = ("{email}", "it's {email}", "my email is {email}", "{email} is the one I used")
PHONE = ("{phone}", "my phone number is {phone}", "{phone}")
BOTH = ("order {number}, {contact}", "{number} and {contact}", "it's order #{number}, {contact}")
NO_ORDER = "it isn't about one particular order"
YES = ("yes", "yes please", "yep, go ahead", "sure", "yes, do that", "ok, please do")
NO = ("no", "no thanks", "no, don't", "nope, leave it")
THATS_ALL = (
    "no, that's all",
    "no thanks, that's everything",
    "nope, all good",
    "that's all, thanks",
)
THANKS_BYE = ("ok thanks, that's all", "great, thank you. bye", "thanks, that's all I needed")
CONFUSED = (
    "Sorry, I'm not sure what you mean.",
    "Hm? What do you need from me?",
    "I don't understand the question.",
)
GIVE_UP = ("never mind", "forget it")
STILL_NEED = ("yes, I still need help with this: {request}", "actually yes: {request}")

ALL_ITEMS = ("all of it", "everything", "the whole order", "all of them")
QUANTITY = {
    1: ("just one", "1", "only one of them", "one"),
    2: ("two", "2 of them", "2", "two of them"),
    3: ("three", "3", "all three"),
}
REASON = {
    "does_not_fit": (
        "it doesn't fit",
        "it's too small for me",
        "it doesn't fit me well, too tight",
        "too big unfortunately",
    ),
    "changed_mind": ("I changed my mind", "I don't need it any more", "I just don't like it"),
    "damaged": ("it arrived damaged", "it's broken", "it was damaged in the parcel"),
    "not_as_described": (
        "it's not as described",
        "it looks different from the photos",
        "the description was misleading",
    ),
    "wrong_item": ("you sent the wrong item", "it's not what I ordered"),
}
REASON_BUTTON = {  # the bot's own words for each reason (its buttons)
    "does_not_fit": "It doesn't fit",
    "damaged": "Damaged",
    "wrong_item": "Wrong item",
    "not_as_described": "Not as described",
    "changed_mind": "Changed my mind",
}
CONDITION = {
    "unopened": ("unopened", "still sealed in the box", "never opened"),
    "like_new": ("like new", "I only tried it on once", "as new, just tried it on"),
    "used": ("used", "I've worn it a few times", "it's been used a bit"),
    "damaged": ("damaged", "it's broken"),
}
RESOLUTION = {
    "refund": ("a refund please", "refund", "I'd like my money back"),
    "exchange": ("an exchange", "exchange it please", "I'd like to swap it"),
    "store_credit": ("store credit", "a voucher is fine", "store credit please"),
}
COMPLAINT_TOPIC = {
    "after_sales": ("your customer service", "the service I got", "one of your staff"),
    "logistics": ("the delivery", "the courier who brought my parcel"),
    "product_quality": ("the quality of a product", "a product I bought"),
    "payment": ("a payment", "how I was charged"),
}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
RATING_WORDS = NUMBER_WORDS
RATING = ("{score}", "{score} stars", "{score}/5", "{word}")
COMMENT = ("no", "no comment", "quick and easy, thanks", "it was fine")
NPS = ("{score}", "{score}/10", "{score} out of 10", "probably a {score}")
