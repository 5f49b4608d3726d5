"""The hard-text judge on real renders with tiny.en: forced choice, another reading, a form searched rather than
listed, the cache that spares the model, and the fallback where spoken-form decoding stops early (issue 58)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soxr

from harness.core.hard_text import HardText, HardTextVerdict, Misreading
from harness.results import ScoreCache
from harness.scoring.hard_text import HardTextClip, HardTextJudge
from harness.scoring.hard_text.candidates import listed
from harness.scoring.hard_text.judge import ended_early
from harness.scoring.hard_text.listener import Hearing
from harness.speech import Engine, Rendition, default_engine

MONEY = HardText(
    text="The ticket costs $12.50 at the door tonight.",
    category="money",
    span="$12.50",
    accepted=("twelve dollars [and] fifty [cents]", "twelve fifty"),
    misreadings=(
        Misreading("twelve point five zero dollars", "decimal-read-as-point"),
        Misreading("dollar twelve fifty", "symbol-order"),
    ),
    control="The ticket costs twelve dollars and fifty cents at the door tonight.",
    meaning_changes=True,
)
# A phone number whose accepted form allows 2^7 readings ("oh" or "zero" for each 0): searched, never listed.
PHONE = HardText(
    text="Please call 000-0070 after the meeting today.",
    category="phone",
    span="000-0070",
    accepted=("{oh|zero} {oh|zero} {oh|zero} {oh|zero} {oh|zero} seven {oh|zero}",),
    misreadings=(Misreading("seventy", "phone-read-as-cardinal"),),
    control="Please call zero zero zero zero zero seven zero after the meeting today.",
    meaning_changes=True,
)


def _say(text: str) -> np.ndarray:
    clip = default_engine().render(text, Rendition(Engine.PIPER))
    return soxr.resample(clip.samples, clip.sample_rate, 16_000).astype(np.float32)


@pytest.fixture(scope="module")
def judge() -> HardTextJudge:
    return HardTextJudge()


def _heard_as(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch, transcript: str, *, again: str | None = None
) -> None:
    """The model hears every clip (encoded as it is) but its free transcript is ``transcript``, and decoded again
    ``again`` (where given): a decode the model gave on another clip, made up for the test."""
    hear = judge.listener.hear

    def heard_as(audio: list[np.ndarray]) -> list[Hearing]:
        heard = hear(audio)
        for hearing in heard:
            hearing.transcript = transcript
        return heard

    monkeypatch.setattr(judge.listener, "hear", heard_as)
    if again is not None:
        monkeypatch.setattr(judge.listener, "hear_again", lambda hearings: [again] * len(hearings))


def test_a_reading_no_item_lists_is_another_reading(judge: HardTextJudge) -> None:
    scores = judge.score_many(
        [
            HardTextClip(hard=MONEY, samples=_say("The ticket costs twelve fifty at the door tonight.")),
            HardTextClip(hard=MONEY, samples=_say("The ticket costs twelve euros at the door tonight.")),
        ]
    )
    assert [score.verdict for score in scores] == [HardTextVerdict.PASS, HardTextVerdict.OTHER]
    other = scores[1]
    assert "euros" in other.choice.reading and "euros" in other.free_heard
    assert other.choice.free_margin is not None and other.choice.free_margin > judge.thresholds.other_margin
    assert other.second_opinion.verdict is HardTextVerdict.UNSURE and not other.disagree  # neither listed: no quarrel


def test_a_form_of_very_many_readings_is_searched_not_listed(judge: HardTextJudge) -> None:
    assert listed(PHONE.accepted[0]) is None
    said = _say("Please call zero zero zero zero zero seven zero after the meeting today.")
    [score] = judge.score_many([HardTextClip(hard=PHONE, samples=said)])
    assert score.verdict is HardTextVerdict.PASS and len(score.choice.reading.split()) == 7
    [found] = judge.evidence([HardTextClip(hard=PHONE, samples=said)])[0]
    assert found is not None and 0 < len(found.searched[PHONE.accepted[0]]) <= 32  # the beam's, not 128


def test_what_the_model_said_is_cached_and_a_verdict_asks_it_no_more(
    judge: HardTextJudge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import wave

    samples = _say("The ticket costs twelve fifty at the door tonight.")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    cache = ScoreCache(tmp_path / "cache.db")
    first = judge.score_many([HardTextClip(hard=MONEY, audio=buffer.getvalue())], cache=cache)[0]

    def deaf(*_: object, **__: object) -> None:
        raise AssertionError("the model was asked again")

    monkeypatch.setattr(judge.listener, "hear", deaf)
    again = judge.score_many([HardTextClip(hard=MONEY, audio=buffer.getvalue())], cache=cache)[0]
    assert (
        (again.verdict, again.choice.margin)
        == (first.verdict, first.choice.margin)
        == (again.verdict, first.choice.margin)
    )
    cache.close()


def test_a_transcript_that_stops_before_the_carrier_ends_is_decoded_again(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spoken-form decoding ended the transcript where the digits it wanted were blocked (13 of 298 renders lost
    span words), with no fallback: such a transcript is decoded again with end-of-text suppressed."""
    assert ended_early(MONEY, "The ticket costs twelve")
    assert not ended_early(MONEY, "The ticket costs twelve fifty at the door tonight.")
    _heard_as(judge, monkeypatch, "The ticket costs")  # as spoken-form decoding left it
    [found], _ = judge.evidence(
        [HardTextClip(hard=MONEY, samples=_say("The ticket costs twelve fifty at the door tonight."))]
    )
    assert found is not None and "twelve fifty" in found.transcript.lower()


# A span that ends the sentence: a free transcript cut short stops right before it.
LAST = HardText(
    text="You can reach the front desk on 555-0142.",
    category="phone",
    span="555-0142",
    accepted=("five five five {oh|zero} one four two",),
    misreadings=(Misreading("five hundred fifty five one hundred forty two", "phone-read-as-cardinal"),),
    control="You can reach the front desk on five five five oh one four two.",
    meaning_changes=True,
)


def test_a_transcript_that_stops_before_a_closing_span_is_no_reading_of_it(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A free transcript that stops right before the span (spoken-form decoding blocked the digits it wanted, and
    decoding again did not help) was compared as the open-world reference and, being shorter, "explained" the clip
    40 nats better than any reading: right readings were judged other readings (phone-004 and -005, year-030 read
    by Piper). Where it still stops there, the listed readings alone decide. Here the span also ends the sentence,
    where a transcript cut short was not even decoded again (no carrier word after the span to miss)."""
    from harness.scoring.hard_text.judge import stops_before_span

    assert stops_before_span(LAST, "you can reach the front desk on")
    assert ended_early(LAST, "You can reach the front desk on") and not ended_early(LAST, "... on 555 0142.")
    hear, again = judge.listener.hear, judge.listener.hear_again
    asked_again: list[int] = []

    def stopping(audio: list[np.ndarray]) -> list[Hearing]:
        heard = hear(audio)
        for hearing in heard:
            hearing.transcript = "You can reach the front desk on"
        return heard

    def stopping_again(hearings: list[Hearing]) -> list[str]:
        asked_again.append(len(hearings))
        again(hearings)
        return ["You can reach the front desk on"] * len(hearings)

    monkeypatch.setattr(judge.listener, "hear", stopping)
    monkeypatch.setattr(judge.listener, "hear_again", stopping_again)
    [score] = judge.score_many([HardTextClip(hard=LAST, samples=_say(LAST.control))])
    assert asked_again == [1]
    assert score.verdict is HardTextVerdict.PASS, score.choice
    assert score.choice.free_margin is None and score.free_heard == ""


def test_a_reading_is_as_likely_as_its_likeliest_writing(judge: HardTextJudge) -> None:
    """Letters said two or three in a row are asked about as spaced and as dotted capitals ("A M", "A.M."), and the
    reading counts as its likelier writing: tiny.en writes a time's "a.m." with dots, and spaced capitals alone left
    a right "A M" within 3 nats of the word "am" (17 of the self-test's 77 right times unsure or failed)."""
    from harness.scoring.hard_text.judge import JudgeEvidence

    hard = HardText(
        text="The shop opens at 9 a.m. on Sundays.",
        category="time",
        span="9 a.m.",
        accepted=("nine a m",),
        misreadings=(Misreading("nine am", "initialism-read-as-word"),),
        control="The shop opens at nine a.m. on Sundays.",
        meaning_changes=True,
    )
    evidence = JudgeEvidence("")
    listed_texts, _ = judge.sentences(hard, evidence)
    assert {"The shop opens at nine A M on", "The shop opens at nine A.M. on", "The shop opens at nine am on"} <= set(
        listed_texts
    )
    likelihoods = {
        "The shop opens at nine A M on": -20.0,
        "The shop opens at nine A.M. on": -12.0,
        "The shop opens at nine am on": -16.0,
    }
    evidence.scores = {text: likelihoods.get(text, -40.0) for text in listed_texts}
    evidence.priors = dict.fromkeys(listed_texts, -30.0)
    score = judge.decide(hard, evidence)
    assert (score.verdict, score.choice.reading, score.choice.margin) == (HardTextVerdict.PASS, "nine a m", 4.0)
    evidence.scores["The shop opens at nine A.M. on"] = -21.0  # the spaced writing likelier: it counts
    assert (judge.decide(hard, evidence).verdict, judge.decide(hard, evidence).choice.error) == (
        HardTextVerdict.FAIL,
        "initialism-read-as-word",
    )


def test_a_misreading_no_voice_says_unlike_an_accepted_reading_is_no_candidate(judge: HardTextJudge) -> None:
    """ "pm" read as a word is said "P M" (a word without a vowel is spelled), so it cannot be told from the accepted
    "p m" by ear: as a candidate it made right readings of "7:15 p.m." unsure (6 of 32 of Piper's), and it is left
    out. "am" as a word is a word ("seven forty five am"): still a candidate."""
    from harness.scoring.hard_text.judge import JudgeEvidence

    pm = HardText(
        text="The library closes at 7:15 p.m. during the winter.",
        category="time",
        span="7:15 p.m.",
        accepted=("seven fifteen [p m]",),
        misreadings=(
            Misreading("seven hundred fifteen p m", "time-read-as-cardinal"),
            Misreading("seven fifteen pm", "initialism-read-as-word"),
        ),
        control="The library closes at seven fifteen p m during the winter.",
        meaning_changes=True,
    )
    am = replace(
        pm,
        text=pm.text.replace("p.m.", "a.m."),
        span="7:15 a.m.",
        accepted=("seven fifteen [a m]",),
        misreadings=(Misreading("seven fifteen am", "initialism-read-as-word"),),
    )
    errors = [error for _, error in judge.readings(pm, JudgeEvidence(""))]
    assert "time-read-as-cardinal" in errors and "initialism-read-as-word" not in errors
    assert "initialism-read-as-word" in [error for _, error in judge.readings(am, JudgeEvidence(""))]


# Issue 68: the free transcript, the judge's open-world reference, made sound. Items made up for the purpose.
YEAR = HardText(
    text="The bridge was finished in 1931.",
    category="year",
    span="1931",
    accepted=("nineteen thirty one",),
    misreadings=(Misreading("one nine three one", "year-digit-by-digit"),),
    control="The bridge was finished in nineteen thirty one.",
    meaning_changes=True,
)
# A clip of the same window (4 s) whose item asks for far longer readings.
CODE = HardText(
    text="Her code was 4417-2290 on the form.",
    category="code",
    span="4417-2290",
    accepted=("four four one seven two two nine {zero|oh}",),
    misreadings=(
        Misreading("four thousand four hundred seventeen two thousand two hundred ninety", "read-as-cardinal"),
    ),
    control="Her code was four four one seven two two nine zero on the form.",
    meaning_changes=True,
)


def test_a_clips_transcript_is_the_same_alone_and_in_any_batch(judge: HardTextJudge) -> None:
    """The transcript's cap was the largest budget among the clips decoded together (and the budget the item's):
    "1931" said as a cardinal nobody listed was judged "other" alone and, beside a longer item's clip, its transcript
    ran on ("... thirty one. The Bridge was finished in one") and passed. The cap is now the window's, a run-on is cut
    where the sentence starts over, and the cardinal is a generated misreading: a fail, alone or not."""
    year = _say("The bridge was finished in one thousand nine hundred thirty one.")
    code = _say("Her code was four four one seven two two nine zero on the form.")
    alone = judge.score_many([HardTextClip(hard=YEAR, samples=year)])[0]
    batched = judge.score_many([HardTextClip(hard=CODE, samples=code), HardTextClip(hard=YEAR, samples=year)])
    edited = replace(YEAR, misreadings=(*YEAR.misreadings, Misreading("one nine three one " * 4, "long")))
    again = judge.score_many([HardTextClip(hard=edited, samples=year), HardTextClip(hard=YEAR, samples=code)])
    assert alone.transcript == batched[1].transcript == again[0].transcript
    assert batched[0].transcript == again[1].transcript  # the same audio, another item: the same transcript
    assert alone.transcript.lower().endswith("thirty one.")  # it ends where the speech ends
    assert alone.verdict is batched[1].verdict is HardTextVerdict.FAIL
    assert alone.choice.error == batched[1].choice.error == "generated:read-as-cardinal"


def test_two_listeners_give_every_number_one_listener_gives(judge: HardTextJudge) -> None:
    """The judge hears a call's clips in two parts at once, a thread and a replica of the model each
    (`ListenerSettings.listeners`): every transcript, likelihood and prior is the one a single listener gives."""
    from harness.scoring.hard_text.listener import ListenerSettings

    clips = [
        (MONEY, _say(MONEY.text)),
        (MONEY, _say(MONEY.control)),
        (PHONE, _say(PHONE.text)),
        (YEAR, _say("The bridge was finished in nineteen thirty one.")),
        (CODE, _say(CODE.control)),
    ]
    one = HardTextJudge(settings=ListenerSettings(listeners=1))
    assert judge.listener.settings.listeners == 2
    items, audio = [hard for hard, _ in clips], [samples for _, samples in clips]
    together = [evidence.as_json() for evidence in judge.listen(items, audio)]
    assert together == [evidence.as_json() for evidence in one.listen(items, audio)]
    assert [evidence.as_json() for evidence in judge.listen(items[3:], audio[3:])] == together[3:]


def test_a_re_decode_that_stops_sooner_never_replaces_the_first(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Get the forms at www.sample.org/tax today." decoded "Get the forms at www.sample.org" (ended early), decoded
    again "get the forms at": the re-decode replaced the first, and the span was lost."""
    hard = HardText(
        text="Get the forms at www.sample.org/tax today.",
        category="url",
        span="www.sample.org/tax",
        accepted=("w w w dot sample dot org slash tax",),
        misreadings=(Misreading("sample dot org slash tax", "prefix-dropped"),),
        control="Get the forms at w w w dot sample dot org slash tax today.",
        meaning_changes=True,
    )
    _heard_as(judge, monkeypatch, "Get the forms at www.sample.org", again="get the forms at")
    [found], _ = judge.evidence([HardTextClip(hard=hard, samples=_say(hard.control))])
    assert found is not None and found.transcript == "Get the forms at www.sample.org"


DATE = HardText(
    text="The library reopens on March 9, 2026.",
    category="date",
    span="March 9, 2026",
    accepted=("march ninth {twenty twenty six|two thousand [and] twenty six}",),
    misreadings=(Misreading("march nine two thousand twenty six", "ordinal-read-as-cardinal"),),
    control="The library reopens on March ninth, two thousand twenty six.",
    meaning_changes=True,
)


def test_a_transcript_cut_short_does_not_make_a_right_reading_another(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shorter sentence is always likelier (the likelihood has no end-of-text term): "The library reopens on March
    nine," beat the right reading by 7.8 nats and made it "other". A transcript that stops before a closing span's
    sentence ends is no reading to compare with."""
    _heard_as(judge, monkeypatch, "The library reopens on March nine,", again="The library reopens on March nine,")
    [score] = judge.score_many([HardTextClip(hard=DATE, samples=_say(DATE.control))])
    assert score.verdict is not HardTextVerdict.OTHER, score.choice  # pass, or unsure: "ninth" and "nine" are near
    assert score.choice.free_margin is None and score.free_heard == ""
    from harness.scoring.hard_text.judge import cut_short

    assert cut_short(DATE, "The library reopens on March nine,")
    assert not cut_short(DATE, "The library reopens on March ninth, two thousand twenty six.")


def test_a_misheard_carrier_is_the_reference_for_the_span_alone(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the carrier is misheard past anchoring, the whole transcript was compared with the listed readings in
    the written carrier: it gained by its carrier, not by its span (an o'clock time held word for word was "other"
    by 8.3 nats). The listed readings are now put in the transcript's own carrier."""
    from harness.scoring.hard_text.judge import JudgeEvidence

    hard = HardText(
        text="Doors open at 7 o'clock for members.",
        category="time",
        span="7 o'clock",
        accepted=("seven o clock",),
        misreadings=(Misreading("seven hundred", "time-read-as-cardinal"),),
        control="Doors open at seven o'clock for members.",
        meaning_changes=True,
    )
    transcript = "Four is a pen that seven o'clock fir remembers."
    assert judge.free_readings(hard, transcript) == []  # the carrier does not anchor
    _, free = judge.sentences(hard, JudgeEvidence(transcript))
    assert "Four is a pen that seven O clock fir remembers" in free  # written as every reading is (surfaces)
    assert "Four is a pen that seven hundred fir remembers" in free
    _heard_as(judge, monkeypatch, transcript)
    [score] = judge.score_many([HardTextClip(hard=hard, samples=_say(hard.control))])
    assert score.verdict is not HardTextVerdict.OTHER, score.choice
    assert score.free_heard == "seven o clock"


def test_markup_say_as_and_sub_are_judged_honoured_only_when_the_honoured_reading_wins(judge: HardTextJudge) -> None:
    """Markup's forced choice (`harness.measurement.markup.said_hard_text`, docs/markup.md) on the corpus' tagged
    items, voiced as the sandbox voices them: honoured ("T E S T"-style letters) passes; the drift `ignore_say_as`
    (the tag set aside, the text read as written) fails with the untagged reading."""
    from harness.core.corpora import load_corpus
    from harness.core.protocols.markup import Said
    from harness.measurement.markup import IGNORED, judged_said, said_hard_text
    from harness.providers.polly.declaration import MARKUP
    from harness.sandbox.markup import honoured

    items = {item.id: item.markup for item in load_corpus("markup").items if item.markup}
    clips, expected = [], []
    for item_id, fault in (
        ("say-as-characters", ""),
        ("say-as-characters", "ignore_say_as"),
        ("say-as-digits", "ignore_say_as"),
        ("sub-alias", "ignore_say_as"),
    ):
        pieces = items[item_id]
        said = judged_said(pieces)
        assert len(said) == 1 and isinstance(said[0], Said)
        voiced = " ".join(
            p for p in honoured(MARKUP, MARKUP.written(pieces, "neural"), "neural", fault) if isinstance(p, str)
        )
        clips.append(HardTextClip(hard=said_hard_text(pieces, said[0]), samples=_say(voiced)))
        expected.append((HardTextVerdict.FAIL, IGNORED) if fault else (HardTextVerdict.PASS, None))
    scores = judge.score_many(clips)
    assert [(s.verdict, s.choice.error) for s in scores] == expected, [s.choice for s in scores]


# Issue 81: the judge's four misses, each on an item made up for the purpose.
RATE = HardText(
    text="The rate fell to 0.85 last year.",
    category="decimal",
    span="0.85",
    accepted=("[{zero|oh}] point eight five",),
    misreadings=(Misreading("zero point eight", "digit-dropped"),),
    control="The rate fell to zero point eight five last year.",
    meaning_changes=True,
)


def _decoded_as(judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """The model decodes every clip (encoded as it is) to ``text``, as the listener's decoder gives it: before the
    listener reads where the speech ends. A decode the model gave on another clip, made up for the test."""
    judge.listener.tokens("")  # the tokenizer made
    tokenizer = judge.listener._tokenizer

    class DecodedAs:
        def __getattr__(self, name: str) -> object:
            return getattr(tokenizer, name)

        def decode(self, _tokens: object) -> str:
            return text

    monkeypatch.setattr(judge.listener, "_tokenizer", DecodedAs())


def test_a_decode_that_starts_over_without_a_sentence_end_passes_no_unlisted_misreading(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "0.85" said "zero point eighty five", a misreading nobody listed, decoded with the sentence started over and no
    sentence end between: the loop was read as part of the span ("zero point eighty five last year the rate fell
    to"), which no reading could beat, and the clip passed. Cut where it starts over, the free transcript says
    what was said, and the clip is another reading."""
    _decoded_as(judge, monkeypatch, "The rate fell to zero point eighty five last year The rate fell to zero point")
    [score] = judge.score_many(
        [HardTextClip(hard=RATE, samples=_say("The rate fell to zero point eighty five last year."))]
    )
    assert score.transcript == "The rate fell to zero point eighty five last year."
    assert (score.verdict, score.free_heard) == (HardTextVerdict.OTHER, "zero point eighty five"), score.choice


MENU = HardText(
    text="The menu is at www.cafe-example.com/menu for guests.",
    category="url",
    span="www.cafe-example.com/menu",
    accepted=("w w w dot cafe dash example dot com slash menu",),
    misreadings=(Misreading("cafe dash example dot com slash menu", "prefix-dropped"),),
    control="The menu is at w w w dot cafe dash example dot com slash menu for guests.",
    meaning_changes=True,
)


def test_a_transcript_that_stops_inside_the_span_is_no_reading_of_it(
    judge: HardTextJudge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A web address said right, its free transcript stopped inside the span and stopped again decoded a second
    time ("The menu is at www.cafe"): its last word was taken for the carrier's next, the span read "www", and that
    shorter sentence was 3.8 nats likelier than the right reading, a reference that vetoes. A transcript that hears
    none of the carrier after the span is cut short: the listed readings alone decide."""
    from harness.scoring.hard_text.judge import cut_short

    _heard_as(judge, monkeypatch, "The menu is at www.cafe", again="The menu is at www.cafe")
    [score] = judge.score_many([HardTextClip(hard=MENU, samples=_say(MENU.control))])
    assert score.verdict is HardTextVerdict.PASS, score.choice
    assert score.choice.free_margin is None and score.free_heard == ""
    assert cut_short(MENU, "The menu is at www.cafe-example.com slash")
    assert not cut_short(MENU, "The menu is at www.cafe-example.com slash menu for guest.")


MUSEUM = HardText(
    text="The museum reopens on March 9, 2027.",
    category="date",
    span="March 9, 2027",
    accepted=("march ninth {twenty twenty seven|two thousand [and] twenty seven}",),
    misreadings=(),
    control="The museum reopens on March ninth, twenty twenty seven.",
    meaning_changes=True,
)


def test_a_dates_ordinal_said_right_beats_the_generated_cardinal(judge: HardTextJudge) -> None:
    """ "March ninth" said right was likelier than the generated cardinal "march nine" by 1.46 nats, short of the 1.5
    a pass wants (unsure): the month was written "march", the verb, after which tiny.en finds an ordinal unlikely.
    Written "March", as a transcript writes it, the right reading passes, and the cardinal said still fails."""
    from harness.scoring.hard_text.surfaces import written

    right, wrong = judge.score_many(
        [
            HardTextClip(hard=MUSEUM, samples=_say(MUSEUM.control)),
            HardTextClip(hard=MUSEUM, samples=_say("The museum reopens on March nine, twenty twenty seven.")),
        ]
    )
    assert right.verdict is HardTextVerdict.PASS, right.choice
    assert (wrong.verdict, wrong.choice.error) == (HardTextVerdict.FAIL, "generated:ordinal-read-as-cardinal")
    assert written(("the", "ninth", "of", "march", "a", "m")) == "the ninth of March A M"
