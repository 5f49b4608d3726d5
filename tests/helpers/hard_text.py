"""A few hard-text items in the corpus format (docs/hard-text.md), for the loader's and the span scorer's tests."""

from __future__ import annotations

import copy
from typing import Any

ITEMS: list[dict[str, Any]] = [
    {
        "id": "money-001",
        "category": "money",
        "text": "The ticket costs $12.50 at the door tonight.",
        "span": "$12.50",
        "accepted": ["twelve dollars [and] fifty [cents]", "twelve fifty"],
        "misreadings": [
            {"say": "twelve point five zero dollars", "error": "decimal-read-as-point"},
            {"say": "dollar twelve fifty", "error": "symbol-order"},
        ],
        "control": "The ticket costs twelve dollars and fifty cents at the door tonight.",
        "meaning_changes": True,
    },
    {
        "id": "year-001",
        "category": "year",
        "text": "My grandmother was born in 1984 in a small village.",
        "span": "1984",
        "accepted": ["nineteen eighty four"],
        "misreadings": [
            {"say": "one nine eight four", "error": "year-digit-by-digit"},
            {"say": "one thousand nine hundred [and] eighty four", "error": "year-read-as-cardinal"},
        ],
        "control": "My grandmother was born in nineteen eighty four in a small village.",
        "meaning_changes": False,
    },
    {
        "id": "address-001",
        "category": "address",
        "text": "Please send the letter to 9 Oak Dr. before the weekend.",
        "span": "9 Oak Dr.",
        "accepted": ["nine oak drive"],
        "misreadings": [{"say": "nine oak doctor", "error": "abbreviation-expanded-wrong"}],
        "control": "Please send the letter to nine oak drive before the weekend.",
        "meaning_changes": True,
    },
]


def hard_corpus(items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A hard-text corpus file's content (a fresh copy: a test may spoil it)."""
    return {
        "name": "hard_mini",
        "version": "1",
        "language": "en",
        "kind": "hard-text",
        "categories": {"money": "Amounts of money", "year": "Years", "address": "Street addresses"},
        "items": copy.deepcopy(items if items is not None else ITEMS),
    }
