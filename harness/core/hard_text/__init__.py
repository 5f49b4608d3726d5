"""Hard text in the core: the vocabulary the loader, the judge, the store and the faces share (docs/hard-text.md).

Hard text has one name in every layer that holds a part of it: this package (the item, its grammar, the verdict),
`harness.scoring.hard_text` (the judge), `harness.results.hard_text` (the verdict rows) and
`harness.measurement.hard_text` (the figures); the corpus loader is `harness.core.corpora`.

Modules: `item` (a hard-text item as a corpus writes it, read with one line per problem, and `HardTextVerdict`),
`grammar` (the spoken forms an item's readings are written in, matched against what was heard) and `automata` (the
automata a form compiles to, walked without listing its readings).
"""

from harness.core.hard_text.item import (
    CLASH_PAIRS,
    MAX_FORMS,
    HardText,
    HardTextVerdict,
    Misreading,
    carrier_words,
    read_hard_text,
)

__all__ = ["CLASH_PAIRS", "MAX_FORMS", "HardText", "HardTextVerdict", "Misreading", "carrier_words", "read_hard_text"]
