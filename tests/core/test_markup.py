"""The markup vocabulary's one reader and writer (`harness.core.protocols.markup`): an item written in a provider's
own tags reads back as the same words and pauses; a model documented not to take a tag reads it as nothing; a tag's
words are listed for the judge; the providers' declarations quote their documents."""

from __future__ import annotations

import pytest

from harness.core.protocols.markup import Markup, Pause, Syntax, Tag, TagKind, markup_item, spoken, tag_words
from harness.core.registry import providers

SSML = Markup(Syntax.SSML, (Tag(TagKind.BREAK, '<break time="{ms}ms"/>', "doc", "quote"),),
              document="<speak>{text}</speak>", also_sets=(("/TextType", "ssml"),))
INLINE = Markup(Syntax.INLINE, (Tag(TagKind.BREAK, '<break time="{s}s" />', "doc", "quote", unsupported_on=("v3",),
                                    max_ms=3000),))
ITEM = ("Mary had a lamb & a goat.", Pause(500), "Its fleece was white.")


@pytest.mark.parametrize("markup", [SSML, INLINE])
def test_an_item_written_in_a_providers_tags_reads_back_as_its_words_and_pauses(markup: Markup) -> None:
    sent = markup.written(ITEM)
    assert "<break" in sent
    assert markup.read(sent) == ITEM


def test_ssml_escapes_the_words_and_wraps_them_in_its_document() -> None:
    assert SSML.written(ITEM) == ('<speak>Mary had a lamb &amp; a goat.<break time="500ms"/>Its fleece was white.'
                                  "</speak>")
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
            assert tag.doc.startswith("https://") and "pause" in tag.quote and "read 20" in tag.quote, (name, model)
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
