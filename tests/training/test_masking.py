"""Personal data out of a message before it is stored for training: nothing of the value kept,
dates kept, the conversation's known values (entities, the customer's name) masked too."""

from __future__ import annotations

import pytest

from ticketing.training.masking import KnownValues, mask_for_training, unmasked_example


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mail me at Jane.Roe+shop@mail.example.co.uk", "mail me at {email}"),
        ("call +49 (151) 2345-6789 please", "call {phone} please"),
        ("call 0151 23456789", "call {phone}"),
        ("order #10234 hasn't come", "order {order_number} hasn't come"),
        ("order 10234, 10235 and 9999", "order {order_number}, {order_number} and {order_number}"),
        ("it was due 02.12.2026 or 2026-12-01", "it was due 02.12.2026 or 2026-12-01"),
        ("2 candles for 15 euros", "2 candles for 15 euros"),
        ("where is my parcel", "where is my parcel"),
    ],
)
def test_patterns_mask_the_whole_value(text, masked):
    assert mask_for_training(text) == masked


def test_known_values_and_names_are_masked_in_any_case():
    known = KnownValues(
        emails=("hq@shop.example",),
        phones=("555 0199",),
        order_numbers=("A-77",),
        names=("Henrietta van Quandt",),
    )
    text = "HENRIETTA here (van quandt), order A-77 / #A-77, hq@shop.example, 555 0199"
    assert mask_for_training(text, known) == (
        "{name} here ({name} {name}), order {order_number} / {order_number}, {email}, {phone}"
    )
    # a name's word inside another word stays: "Henriettastrasse" is a street, not the person
    assert mask_for_training("Henriettastrasse", known) == "Henriettastrasse"


def test_single_letters_of_a_name_are_not_masked():
    assert mask_for_training("I need a refund", KnownValues(names=("A I",))) == "I need a refund"


def test_the_export_turns_placeholders_into_neutral_values():
    assert unmasked_example("{name}: order {order_number}, {email}, {phone}") == (
        "Alex: order 10234, jane@example.com, +44 7700 900123"
    )
