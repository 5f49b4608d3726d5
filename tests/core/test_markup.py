"""The markup vocabulary's one reader and writer (`harness.core.protocols.markup`): an item written in a provider's
own tags reads back as the same words and pauses; a model documented not to take a tag reads it as nothing; a tag's
words are listed for the judge; the providers' declarations quote their documents."""

from __future__ import annotations

import re

import pytest

from harness.core.protocols.markup import (
    SPELLED,
    Markup,
    Pause,
    Said,
    Syntax,
    Tag,
    TagKind,
    markup_item,
    spoken,
    tag_words,
    written_words,
)
from harness.core.registry import providers

SSML = Markup(
    syntax=Syntax.SSML,
    tags=(Tag(kind=TagKind.BREAK, form='<break time="{ms}ms"/>', doc="doc", quote="quote"),),
    document="<speak>{text}</speak>",
    also_sets=(("/TextType", "ssml"),),
)
INLINE = Markup(
    syntax=Syntax.INLINE,
    tags=(
        Tag(
            kind=TagKind.BREAK,
            form='<break time="{s}s" />',
            doc="doc",
            quote="quote",
            unsupported_on=("v3",),
            max_ms=3000,
        ),
    ),
)
ITEM = ("Mary had a lamb & a goat.", Pause(500), "Its fleece was white.")


@pytest.mark.parametrize("markup", [SSML, INLINE])
def test_an_item_written_in_a_providers_tags_reads_back_as_its_words_and_pauses(markup: Markup) -> None:
    sent = markup.written(ITEM)
    assert "<break" in sent
    assert markup.read(sent) == ITEM


def test_ssml_escapes_the_words_and_wraps_them_in_its_document() -> None:
    assert SSML.written(ITEM) == (
        '<speak>Mary had a lamb &amp; a goat.<break time="500ms"/>Its fleece was white.</speak>'
    )
    with pytest.raises(ValueError, match="well-formed"):
        SSML.read("<speak>not <b>well</speak>")


def test_a_model_documented_not_to_take_the_tag_reads_it_as_nothing_never_spoken() -> None:
    sent = INLINE.written(ITEM, "v3")
    assert INLINE.read(sent, "v3") == ("Mary had a lamb & a goat. Its fleece was white.",)


def test_other_tags_are_set_aside_and_a_pause_past_the_documented_maximum_is_cut_to_it() -> None:
    assert INLINE.read('Hi <emphasis>there</emphasis> <break time="9s"/> you') == ("Hi there", Pause(3000), "you")
    assert SSML.read('<speak>A<break time="1.5s"/><break time="200ms"/>B</speak>') == ("A", Pause(1700), "B")


def test_the_words_of_a_texts_tags_are_what_a_voice_reading_them_aloud_says() -> None:
    assert tag_words(SSML.written(ITEM)) == ("speak", "break", "time", "500ms")
    assert tag_words(INLINE.written(ITEM)) == ("break", "time", "0.5s")
    assert spoken(ITEM) == "Mary had a lamb & a goat. Its fleece was white."


@pytest.mark.parametrize("bad", [[], ["words", {"pause_ms": 0}], ["words", {"pause_ms": "1s"}], "words"])
def test_a_corpus_items_pieces_are_words_and_pauses_of_1_to_10000_ms(bad: object) -> None:
    with pytest.raises(ValueError, match=r"pieces?"):
        markup_item(bad)


def test_the_offerings_that_declare_markup_quote_their_documents() -> None:
    declared = {(p.name, o.name): o.markup for p in providers().values() for o in p.offerings if o.markup is not None}
    assert {"polly", "elevenlabs"} <= {name for name, _ in declared}
    for (name, model), markup in declared.items():
        for tag in markup.tags:
            # each tag quotes its own page: a break its pause, a say-as, sub or phoneme its element as written
            shown = "pause" if tag.kind is TagKind.BREAK else tag.form.split()[0] + " "
            assert tag.doc.startswith("https://") and shown in tag.quote and "read 20" in tag.quote, (name, model)
            if tag.kind in SPELLED:  # the interpret-as value the page names
                assert re.search(rf"\b{tag.interpret_as()}\b", tag.quote), (name, model, tag.kind)
    assert declared[("elevenlabs", "eleven_flash_v2_5-http")].tag(TagKind.BREAK, "eleven_v3") is None
    assert declared[("rime", "coda")].tag(TagKind.BREAK, "coda") is None  # the page names the Mist family only
    assert declared[("rime", "mistv2")].tag(TagKind.BREAK, "mistv2") is not None


def test_azures_markup_is_the_voice_elements_content_and_googles_moves_to_input_ssml() -> None:
    from harness.core.protocols.markup import Pause
    from harness.core.registry import providers
    from harness.core.ssml import SSML_BODY

    pieces = ("Hold on & wait.", Pause(500), "Done.")
    azure = providers()["azure"].offerings[0]
    assert azure.markup is not None and azure.markup.fragment
    text = azure.markup.written(pieces, azure.name)
    assert text == 'Hold on &amp; wait.<break time="500ms" />Done.'
    assert azure.markup.read(text) == ("Hold on & wait.", Pause(500), "Done.")
    fields = {"text": text, "voice": "en-US-AvaMultilingualNeural", "language": "en-US"}
    azure.markup.placed(fields)
    document = SSML_BODY.render(fields)
    assert '<break time="500ms" />' in document  # an element, not "&lt;break"
    assert SSML_BODY.parse(document)["text_type"] == "ssml"
    assert SSML_BODY.parse(SSML_BODY.render({**fields, "text_type": "text"})).get("text_type") is None

    google = next(o for o in providers()["google"].offerings if o.name == "neural2")
    assert google.markup is not None
    payload = {"input": {"text": google.markup.written(pieces, "neural2")}}
    google.markup.placed(payload)
    assert payload == {"input": {"ssml": '<speak>Hold on &amp; wait.<break time="500ms"/>Done.</speak>'}}


SAID = Markup(
    syntax=Syntax.SSML,
    tags=(
        Tag(kind=TagKind.BREAK, form='<break time="{ms}ms"/>', doc="doc", quote="quote"),
        Tag(
            kind=TagKind.CHARACTERS, form='<say-as interpret-as="characters">{text}</say-as>', doc="doc", quote="quote"
        ),
        Tag(kind=TagKind.DIGITS, form='<say-as interpret-as="number_digit">{text}</say-as>', doc="doc", quote="quote"),
        Tag(kind=TagKind.SUB, form='<sub alias="{value}">{text}</sub>', doc="doc", quote="quote"),
        Tag(
            kind=TagKind.PHONEME,
            form='<phoneme alphabet="ipa" ph="{value}">{text}</phoneme>',
            doc="doc",
            quote="quote",
            unsupported_on=("gen",),
        ),
    ),
    document="<speak>{text}</speak>",
)
TAGGED = (
    "Type",
    Said(TagKind.CHARACTERS, "dog", honoured="d o g", ignored="dog"),
    "or",
    Said(TagKind.DIGITS, "1234"),
    "at the",
    Said(TagKind.SUB, "WWW", 'World "Wide" Web'),
    "with a",
    Said(TagKind.PHONEME, "tomato", "təˈmɑːtoʊ"),
    "now.",
)


def test_say_as_sub_and_phoneme_are_written_in_the_declared_elements_and_read_as_an_honouring_voice_says_them() -> None:
    sent = SAID.written(TAGGED)
    assert sent == (
        '<speak>Type <say-as interpret-as="characters">dog</say-as> or <say-as '
        'interpret-as="number_digit">1234</say-as> at the <sub alias="World &quot;Wide&quot; Web">WWW</sub>'
        ' with a <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme> now.</speak>'
    )
    assert SAID.read(sent) == ('Type D O G or 1 2 3 4 at the World "Wide" Web with a tomato now.',)
    assert spoken(TAGGED) == SAID.read(sent)[0]
    assert written_words(TAGGED) == "Type dog or 1234 at the WWW with a tomato now."
    # a voice ignoring them reads the written text; a say-as value the model's tags do not name is its text too
    assert SAID.read(sent, honour_said=False) == ("Type dog or 1234 at the WWW with a tomato now.",)
    assert SSML.read(sent) == ("Type dog or 1234 at the WWW with a tomato now.",)
    # a tag the model is documented not to take is sent as its text (the plan asks no such item of it)
    assert "<phoneme" not in SAID.written(TAGGED, "gen") and " tomato " in SAID.written(TAGGED, "gen")


def test_a_corpus_items_tagged_pieces_name_their_tag_and_text() -> None:
    assert markup_item(["Type", {"say_as": "characters", "text": "dog", "honoured": "d o g", "ignored": "dog"}]) == (
        "Type",
        Said(TagKind.CHARACTERS, "dog", "", "d o g", "dog"),
    )
    assert markup_item([{"sub": "World Wide Web", "text": "WWW"}]) == (Said(TagKind.SUB, "WWW", "World Wide Web"),)
    for bad in ({"say_as": "cardinal", "text": "12"}, {"sub": "x"}, {"emphasis": "strong", "text": "x"}):
        with pytest.raises(ValueError, match=r"say_as|tagged piece"):
            markup_item([bad])


def test_the_plan_asks_a_tagged_item_only_of_offerings_whose_documents_show_the_tag() -> None:
    from harness.core.corpora import load_corpus

    phoneme = next(i for i in load_corpus("markup").items if i.id == "phoneme-word")
    known = providers()
    google = next(o for o in known["google"].offerings if o.name == "neural2")
    polly = {o.name: o for o in known["polly"].offerings}
    assert google.markup is not None and google.markup.tag(TagKind.PHONEME, "neural2") is None
    assert polly["neural"].markup is not None and polly["neural"].markup.tag(TagKind.PHONEME, "neural") is not None
    assert polly["generative"].markup is not None
    assert polly["generative"].markup.tag(TagKind.PHONEME, "generative") is None  # the page names no generative
    assert phoneme.markup is not None and any(isinstance(p, Said) for p in phoneme.markup)
