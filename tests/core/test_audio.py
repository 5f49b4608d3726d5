"""The one audio rule against real file headers: every format made for real where a library can write it
(libsndfile: WAV, RIFX, RF64, FLAC, Ogg Vorbis and Opus, MP3 with a Xing/LAME frame; lameenc: a bare MP3
stream), ADTS frames and ID3 tags built by hand from their specifications, then cut short and mislabelled.
Durations are checked against what libsndfile decodes from the same bytes."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.core.audio import (
    AudioKind,
    canonical_media_type,
    contradicts,
    declares,
    holds_a_frame,
    inspect,
    join_wav,
    pcm_layout,
    seal_wav,
    sniff,
    stream_frames,
    strip_metadata,
    walk_riff,
)

SECONDS = 0.5
PLANTED = "sk-planted-0123456789"  # a key a server wrote into the file's metadata

sf = pytest.importorskip("soundfile")
np = pytest.importorskip("numpy")


def _tone(rate: int, channels: int = 1, seconds: float = SECONDS) -> object:
    t = np.arange(int(rate * seconds)) / rate
    mono = (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32")
    return mono if channels == 1 else np.stack([mono] * channels, axis=1)


def _libsndfile(
    fmt: str, subtype: str, rate: int = 22050, channels: int = 1, tags: bool = False, **options: str
) -> bytes:
    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", rate, channels, format=fmt, subtype=subtype, **options) as out:
        if tags:
            out.title, out.comment = PLANTED, f"key={PLANTED}"
        out.write(_tone(rate, channels))
    return buffer.getvalue()


def _lameenc(rate: int = 22050) -> bytes:
    lameenc = pytest.importorskip("lameenc")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(2)
    samples = (np.asarray(_tone(rate)) * 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(samples) + encoder.flush())


def _syncsafe(value: int) -> bytes:
    return bytes(((value >> 21) & 0x7F, (value >> 14) & 0x7F, (value >> 7) & 0x7F, value & 0x7F))


def _id3v2(text: str = PLANTED) -> bytes:
    """An ID3v2.3 tag (id3.org, "ID3 tag version 2.3.0"): a title and a user-defined text frame."""
    frames = b""
    for frame_id, body in ((b"TIT2", b"\x00" + text.encode()), (b"TXXX", b"\x00api_key\x00" + text.encode())):
        frames += frame_id + len(body).to_bytes(4, "big") + b"\x00\x00" + body
    return b"ID3\x03\x00\x00" + _syncsafe(len(frames)) + frames


def _id3v1(title: str = PLANTED) -> bytes:
    """The 128-byte ID3v1 tag: TAG, title, artist, album (30 bytes each), year, comment, genre."""
    fields = title.encode().ljust(30, b"\x00") + b"\x00" * 60 + b"2025" + b"\x00" * 30 + b"\xff"
    return b"TAG" + fields


def _adts(frames: int = 20, rate_index: int = 4, channels: int = 1, payload: int = 200) -> bytes:
    """ADTS frames as ISO/IEC 14496-3 (1.A.2.2) lays them out: MPEG-4 AAC LC, no CRC, one raw block each."""
    length = 7 + payload
    header = (
        (0xFFF << 44) | (1 << 40) | (1 << 38) | (rate_index << 34) | (channels << 30) | (length << 13) | (0x7FF << 2)
    )
    return (header.to_bytes(7, "big") + bytes(payload)) * frames


def _wav_with_chunks(*extra: bytes) -> bytes:
    """A WAV with extra chunks (LIST/INFO, id3, ...) between fmt and data, sizes fixed up."""
    wav = _libsndfile("WAV", "PCM_16")
    riff = walk_riff(wav)
    assert riff is not None
    data = riff.first(b"data")
    assert data is not None
    body = wav[12 : data.offset] + b"".join(extra) + wav[data.offset :]
    return b"RIFF" + (4 + len(body)).to_bytes(4, "little") + b"WAVE" + body


def _chunk(ident: bytes, body: bytes) -> bytes:
    return ident + len(body).to_bytes(4, "little") + body + b"\x00" * (len(body) & 1)


def _list_info() -> bytes:
    return _chunk(b"LIST", b"INFO" + _chunk(b"INAM", PLANTED.encode() + b"\x00") + _chunk(b"ICMT", b"x\x00"))


def _set_size(wav: bytes, ident: bytes, size: int) -> bytes:
    riff = walk_riff(wav)
    assert riff is not None
    chunk = riff.first(ident)
    assert chunk is not None
    return wav[: chunk.offset + 4] + size.to_bytes(4, "little") + wav[chunk.offset + 8 :]


@dataclass(frozen=True)
class Case:
    make: Callable[[], bytes]
    kind: AudioKind | None
    truncated: bool = False
    seconds: float | None = SECONDS  # None: not told by the headers
    rate: int | None = None
    declared: str | None = None
    problem: str | None = None  # a part of the problem, when one is expected
    tolerance: float = 1e-9


def _half(make: Callable[[], bytes]) -> Callable[[], bytes]:
    return lambda: make()[: len(make()) // 2]


_LAME_SLACK = 4 * 576 / 22050  # four MPEG-2 layer III frames


@cache
def _made(name: str) -> bytes:
    return CASES[name].make()


CASES: dict[str, Case] = {
    # WAV and its relatives
    "wav pcm16 mono": Case(lambda: _libsndfile("WAV", "PCM_16"), AudioKind.WAV, rate=22050),
    "wav float stereo 48k": Case(lambda: _libsndfile("WAV", "FLOAT", 48000, 2), AudioKind.WAV, rate=48000),
    "rifx big-endian": Case(lambda: _libsndfile("WAV", "PCM_16", endian="BIG"), AudioKind.WAV, rate=22050),
    "rf64": Case(lambda: _libsndfile("RF64", "PCM_16"), AudioKind.WAV, rate=22050),
    "wav with LIST/INFO": Case(lambda: _wav_with_chunks(_list_info()), AudioKind.WAV, rate=22050),
    "wav streamed, sizes 0xFFFFFFFF": Case(
        lambda: _set_size(b"RIFF\xff\xff\xff\xff" + _libsndfile("WAV", "PCM_16")[8:], b"data", 0xFFFFFFFF),
        AudioKind.WAV,
        rate=22050,
    ),
    "wav streamed, data size 0": Case(lambda: _set_size(_libsndfile("WAV", "PCM_16"), b"data", 0), AudioKind.WAV),
    "wav data size past the bytes": Case(
        lambda: _set_size(_libsndfile("WAV", "PCM_16"), b"data", 44100 * 4),
        AudioKind.WAV,
        truncated=True,
        problem="data chunk promises",
    ),
    "wav cut in half": Case(
        _half(lambda: _libsndfile("WAV", "PCM_16")),
        AudioKind.WAV,
        truncated=True,
        seconds=None,
        problem="header promises",
    ),
    "wav without samples": Case(
        lambda: _set_size(b"RIFF\x24\x00\x00\x00" + _libsndfile("WAV", "PCM_16")[8:44], b"data", 0),
        AudioKind.WAV,
        seconds=0.0,
        problem="no samples",
    ),
    "riff without wave": Case(
        lambda: b"RIFF\x10\x00\x00\x00AVI LIST\x04\x00\x00\x00hdrl", None, seconds=None, problem="not WAVE"
    ),
    # MP3
    "mp3 libsndfile (xing, lame)": Case(lambda: _libsndfile("MP3", "MPEG_LAYER_III"), AudioKind.MP3, rate=22050),
    "mp3 44.1k vbr": Case(lambda: _libsndfile("MP3", "MPEG_LAYER_III", 44100), AudioKind.MP3, rate=44100),
    # Without a LAME tag a stream lasts all its frames, the encoder's delay and padding included.
    "mp3 lameenc stream": Case(_lameenc, AudioKind.MP3, rate=22050, tolerance=_LAME_SLACK),
    "mp3 with id3v2 and id3v1": Case(
        lambda: _id3v2() + _lameenc() + _id3v1(), AudioKind.MP3, rate=22050, tolerance=_LAME_SLACK
    ),
    "mp3 cut mid-frame": Case(
        lambda: _lameenc()[:-7], AudioKind.MP3, truncated=True, seconds=None, problem="last frame"
    ),
    "mp3 cut at a frame (xing counts)": Case(
        lambda: _cut_at_a_frame(_libsndfile("MP3", "MPEG_LAYER_III")),
        AudioKind.MP3,
        truncated=True,
        seconds=None,
        problem="the Xing header counts 22 frames",
    ),
    "an id3 tag and nothing after": Case(_id3v2, AudioKind.MP3, truncated=True, seconds=None, problem="no whole frame"),
    "0xFFFB: mpeg-1 layer III sync": Case(
        lambda: _libsndfile("MP3", "MPEG_LAYER_III", 44100)[:4], AudioKind.MP3, truncated=True, seconds=None
    ),
    "text starting ID3": Case(
        lambda: b"ID3 tags hold the title of a song", None, seconds=None, problem="not a known audio format"
    ),
    # AAC
    "0xFFF1: adts aac": Case(_adts, AudioKind.AAC, seconds=20 * 1024 / 44100, rate=44100),
    "adts after an id3 tag": Case(
        lambda: _id3v2() + _adts(rate_index=3), AudioKind.AAC, seconds=20 * 1024 / 48000, rate=48000
    ),
    "adts cut mid-frame": Case(
        lambda: _adts()[:-50], AudioKind.AAC, truncated=True, seconds=None, problem="last frame"
    ),
    "mp4 (ftyp)": Case(
        lambda: b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00M4A mp42isom" + bytes(64), AudioKind.MP4, seconds=None
    ),
    # FLAC
    "flac": Case(lambda: _libsndfile("FLAC", "PCM_16"), AudioKind.FLAC, rate=22050),
    "flac 24-bit stereo": Case(lambda: _libsndfile("FLAC", "PCM_24", 48000, 2), AudioKind.FLAC, rate=48000),
    "flac after an id3 tag": Case(lambda: _id3v2() + _libsndfile("FLAC", "PCM_16"), AudioKind.FLAC, rate=22050),
    "flac missing frames": Case(
        _half(lambda: _libsndfile("FLAC", "PCM_16")),
        AudioKind.FLAC,
        truncated=True,
        seconds=None,
        problem="frames end at sample",
    ),
    "flac cut in its metadata": Case(
        lambda: _libsndfile("FLAC", "PCM_16")[:20], AudioKind.FLAC, truncated=True, seconds=None, problem="metadata"
    ),
    # Ogg
    "ogg vorbis": Case(lambda: _libsndfile("OGG", "VORBIS"), AudioKind.VORBIS, rate=22050),
    "ogg opus": Case(lambda: _libsndfile("OGG", "OPUS", 48000), AudioKind.OPUS, rate=48000),
    "ogg opus cut": Case(
        lambda: _libsndfile("OGG", "OPUS", 48000)[:-100],
        AudioKind.OPUS,
        truncated=True,
        seconds=None,
        problem="truncated Ogg",
    ),
    "ogg vorbis cut at a page": Case(
        lambda: _cut_at_last_page(_libsndfile("OGG", "VORBIS")),
        AudioKind.VORBIS,
        truncated=True,
        seconds=None,
        problem="end-of-stream",
    ),
    # Headerless PCM: only when declared
    "pcm declared with a rate": Case(
        lambda: bytes(48000), AudioKind.PCM, seconds=1.0, rate=24000, declared="audio/pcm;rate=24000"
    ),
    "pcm_s16le declared without a rate": Case(
        lambda: bytes(4800), AudioKind.PCM, seconds=None, declared="audio/pcm_s16le"
    ),
    "L16 stereo (big-endian)": Case(
        lambda: bytes(4 * 8000), AudioKind.PCM, seconds=1.0, rate=8000, declared="audio/L16; rate=8000; channels=2"
    ),
    "pcm of odd length": Case(
        lambda: bytes(4801), AudioKind.PCM, truncated=True, seconds=None, declared="audio/pcm", problem="whole number"
    ),
    "pcm undeclared": Case(lambda: bytes(4800), None, seconds=None, problem="not a known audio format"),
    "a wav declared as pcm is a wav": Case(
        lambda: _libsndfile("WAV", "PCM_16"), AudioKind.WAV, rate=22050, declared="audio/pcm"
    ),
    # Not audio
    "an html error page": Case(
        lambda: b"<html><body>502 Bad Gateway</body></html>", None, seconds=None, problem="not a known audio format"
    ),
    "json": Case(lambda: b'{"error": "quota exceeded"}', None, seconds=None, problem="starting b'{\"error"),
    "empty": Case(lambda: b"", None, seconds=None, problem="an empty body"),
}


def _cut_at_last_page(data: bytes) -> bytes:
    return data[: data.rfind(b"OggS")]


def _cut_at_a_frame(mp3: bytes) -> bytes:
    """Up to the frame sync nearest the middle (MPEG-2 layer III, mono: 0xFFF3): whole frames, fewer of them."""
    return mp3[: mp3.find(b"\xff\xf3", len(mp3) // 2)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_real_headers(name: str) -> None:
    case, data = CASES[name], _made(name)
    info = inspect(data, case.declared)
    assert sniff(data, case.declared) is case.kind
    assert info.kind is case.kind
    assert info.truncated is case.truncated, info.problem
    assert (info.problem is None) is (case.problem is None and not case.truncated), info.problem
    if case.problem is not None:
        assert case.problem in (info.problem or "")
    if case.rate is not None:
        assert info.sample_rate == case.rate
    if case.seconds is not None:
        assert info.duration_s == pytest.approx(case.seconds, abs=case.tolerance)
    elif case.kind is not None and not case.truncated and case.kind is not AudioKind.MP4:
        assert info.duration_s is None  # a rate the declaration does not give


@pytest.mark.parametrize(
    "name",
    [
        name
        for name, case in sorted(CASES.items())
        if case.kind is not None
        and case.kind is not AudioKind.PCM
        and not case.truncated
        and case.kind is not AudioKind.AAC
        and case.kind is not AudioKind.MP4
        and case.seconds
    ],
)
def test_durations_agree_with_the_decoder(name: str) -> None:
    data = _made(name)
    decoded = sf.info(io.BytesIO(seal_wav(data)))  # libsndfile believes a streamed WAV's data size of 0
    told = inspect(data).duration_s
    assert told is not None
    if name.startswith(("mp3 lameenc", "mp3 with id3v2")):  # no LAME tag: decoders differ by under a frame
        assert told == pytest.approx(decoded.frames / decoded.samplerate, abs=1152 / 22050)
    else:
        assert told == pytest.approx(decoded.frames / decoded.samplerate, abs=1e-9)
    assert inspect(data).sample_rate == decoded.samplerate


def test_aac_and_mp3_syncs_are_told_apart() -> None:
    assert sniff(b"\xff\xf1\x50\x80") is AudioKind.AAC  # 12-bit sync, layer 00
    assert sniff(b"\xff\xf9\x50\x80") is AudioKind.AAC  # MPEG-2 AAC
    assert sniff(b"\xff\xfb\x90\xc4") is AudioKind.MP3  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
    assert sniff(b"\xff\xfd\x90\xc4") is None  # layer II: audio/mpeg, but not MP3
    assert sniff(b"\xff\xfb\xf0\xc4") is None  # bit-rate index 15 is forbidden
    assert sniff(b"\xff\xfb\x90\xc4" + bytes(600)) is None  # a lone sync with no frame where the next should be


def test_mislabelled_audio_contradicts_its_declaration() -> None:
    wav = _made("wav pcm16 mono")
    assert contradicts("audio/mpeg", sniff(wav) or AudioKind.PCM)
    assert not contradicts("audio/x-wav; codecs=1", AudioKind.WAV)
    assert not contradicts("application/octet-stream", AudioKind.WAV) and not contradicts(None, AudioKind.WAV)
    assert contradicts("audio/aac", AudioKind.MP3) and contradicts("audio/mpeg", AudioKind.AAC)
    assert declares("audio/opus", AudioKind.OPUS) and declares("audio/ogg", AudioKind.OPUS)
    assert not declares("audio/opus", AudioKind.VORBIS)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("audio/x-wav", "audio/wav"),
        ("audio/wave", "audio/wav"),
        ("audio/mp3", "audio/mpeg"),
        ("AUDIO/MPEG; bitrate=128", "audio/mpeg"),
        ("audio/x-flac", "audio/flac"),
        ("application/ogg", "audio/ogg"),
        ("audio/pcm_s16le", "audio/pcm"),
        ("audio/L16;rate=16000", "audio/l16"),
        ("", None),
        (None, None),
    ],
)
def test_media_type_aliases_fold(alias: str | None, canonical: str | None) -> None:
    assert canonical_media_type(alias) == canonical


def test_pcm_layouts() -> None:
    l16 = pcm_layout("audio/L16; rate=16000; channels=2")
    assert l16 is not None and (l16.byte_order, l16.sample_rate, l16.channels) == ("big", 16000, 2)  # RFC 2586
    pcm = pcm_layout("audio/pcm")
    assert pcm is not None and (pcm.byte_order, pcm.sample_rate, pcm.channels) == ("little", None, 1)
    assert pcm_layout("audio/wav") is None and pcm_layout(None) is None
    assert pcm_layout("audio/pcm;rate=nan") == pcm_layout("audio/pcm")  # a garbage parameter is no rate


@pytest.mark.parametrize(
    "name",
    [
        "wav pcm16 mono",
        "rifx big-endian",
        "mp3 libsndfile (xing, lame)",
        "mp3 lameenc stream",
        "flac",
        "ogg vorbis",
        "ogg opus",
        "0xFFF1: adts aac",
    ],
)
def test_a_stream_holds_audio_only_from_its_first_whole_frame(name: str) -> None:
    data = _made(name)
    assert holds_a_frame(data)
    assert not holds_a_frame(data[:12])
    first = next(cut for cut in range(1, len(data) + 1) if holds_a_frame(data[:cut]))
    assert first > 12  # a whole header and a frame, not the first buffer of bytes


@pytest.mark.parametrize(
    ("name", "fmt", "subtype", "options"),
    [
        ("wav", "WAV", "PCM_16", {}),
        ("rifx", "WAV", "PCM_16", {"endian": "BIG"}),
        ("rf64", "RF64", "PCM_16", {}),
        ("mp3", "MP3", "MPEG_LAYER_III", {}),
        ("flac", "FLAC", "PCM_16", {}),
        ("vorbis", "OGG", "VORBIS", {}),
    ],
)
def test_metadata_written_by_libsndfile_is_stripped(name: str, fmt: str, subtype: str, options: dict[str, str]) -> None:
    tagged = _libsndfile(fmt, subtype, tags=True, **options)
    assert PLANTED.encode() in tagged
    _assert_stripped_keeps_the_audio(tagged)


def test_opus_comments_are_blanked() -> None:
    tagged = _libsndfile("OGG", "OPUS", 48000, tags=True)
    assert PLANTED.encode() in tagged
    _assert_stripped_keeps_the_audio(tagged)


def test_riff_list_info_and_id3_chunks_and_mp3_tags_are_stripped() -> None:
    wav = _wav_with_chunks(_list_info(), _chunk(b"id3 ", _id3v2()), _chunk(b"bext", PLANTED.encode() * 3))
    stripped = _assert_stripped_keeps_the_audio(wav)
    riff = walk_riff(stripped)
    assert riff is not None and [chunk.ident for chunk in riff.chunks] == [b"fmt ", b"data"]
    assert riff.size == len(stripped) - 8
    mp3 = _id3v2() + _lameenc() + b"APETAGEX" + bytes(24) + _id3v1()  # an APE footer with no items too
    assert strip_metadata(mp3) == _lameenc()
    _assert_stripped_keeps_the_audio(_id3v2() + _lameenc() + _id3v1())
    assert strip_metadata(_id3v2() + _adts()) == _adts()


def test_stripping_keeps_a_truncation_visible() -> None:
    cut = _wav_with_chunks(_list_info())[:-1000]
    stripped = strip_metadata(cut)
    assert PLANTED.encode() not in stripped
    assert inspect(stripped).truncated and inspect(stripped).missing_share == pytest.approx(
        1000 / (len(_made("wav pcm16 mono")) - 44), abs=1e-6
    )


def _assert_stripped_keeps_the_audio(tagged: bytes) -> bytes:
    stripped = strip_metadata(tagged)
    assert PLANTED.encode() not in stripped and b"planted" not in stripped
    assert inspect(stripped).problem is None and sniff(stripped) is sniff(tagged)
    before, rate_before = sf.read(io.BytesIO(tagged), dtype="float32")
    after, rate_after = sf.read(io.BytesIO(stripped), dtype="float32")  # libogg checks every page's CRC
    assert rate_before == rate_after and np.array_equal(before, after)
    assert strip_metadata(stripped) == stripped
    return stripped


def test_a_streamed_wav_is_sealed_with_the_sizes_it_holds() -> None:
    streamed = _made("wav streamed, data size 0")
    assert sf.info(io.BytesIO(streamed)).frames == 0  # what libsndfile makes of the placeholder
    sealed = seal_wav(streamed)
    assert sf.info(io.BytesIO(sealed)).frames == int(22050 * SECONDS)
    assert inspect(sealed).declared_bytes == inspect(streamed).held_bytes
    whole = _made("wav pcm16 mono")
    assert seal_wav(whole) is whole and seal_wav(_made("flac")) is _made("flac")


def test_whole_wav_chunks_join_under_one_header() -> None:
    piece = _made("wav pcm16 mono")
    joined = join_wav([piece, piece, piece])
    assert joined is not None
    assert inspect(joined).duration_s == pytest.approx(3 * SECONDS)
    assert sf.info(io.BytesIO(joined)).frames == 3 * int(22050 * SECONDS)
    assert join_wav([piece, _made("wav float stereo 48k")]) is None  # two formats cannot share a header
    assert join_wav([piece, _made("mp3 lameenc stream")]) is None


def test_mp3_files_joined_as_one_stream_read_whole_without_their_xing_frames() -> None:
    """A socket sends an utterance's stretches as one MP3 stream: files joined as they are read as the first alone
    (its Xing frame counts its own frames); their frames alone, at one bitrate, read as all of them."""
    from harness.speech import encode_as

    piece = encode_as(_tone(22050), 22050, "mp3", "mp3", constant_bitrate=True)
    joined_files = piece * 3
    assert sf.info(io.BytesIO(joined_files)).frames < 2 * int(22050 * SECONDS)
    stream = b"".join(stream_frames(piece) for _ in range(3))
    assert b"Xing" not in stream and b"Info" not in stream[:200]
    frames, _ = sf.read(io.BytesIO(stream))
    assert len(frames) >= int(2.8 * 22050 * SECONDS)


REAL = (
    "wav pcm16 mono",
    "rifx big-endian",
    "rf64",
    "mp3 libsndfile (xing, lame)",
    "mp3 with id3v2 and id3v1",
    "0xFFF1: adts aac",
    "flac",
    "ogg vorbis",
    "ogg opus",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(REAL), cut=st.floats(0, 1), at=st.floats(0, 1), junk=st.binary(max_size=16))
def test_no_bytes_make_the_reader_raise(name: str, cut: float, at: float, junk: bytes) -> None:
    data = _made(name)
    data = data[: math.ceil(cut * len(data))]
    position = int(at * len(data))
    mangled = data[:position] + junk + data[position + len(junk) :]
    for body in (data, mangled, junk):
        info = inspect(body, "audio/pcm")
        assert info.kind is not None or info.problem is not None  # what is not audio always says why
        assert isinstance(strip_metadata(body), bytes) and holds_a_frame(body) in (True, False)
