"""The score cache's payloads are typed records read by attribute (`harness.results.score_cache`): what a row holds
that is not such a record — written by an older harness, without a field the record needs, a value of another type,
not JSON at all — is a miss (computed again), never a KeyError or a wrong value."""

from __future__ import annotations

from pathlib import Path

from harness.results import CachedDnsmos, CachedSimilarity, CachedTranscript, CacheKey, CacheKind, HeardTranscript
from harness.results.score_cache import ScoreCache


def _key(kind: CacheKind = CacheKind.TRANSCRIPT) -> CacheKey:
    return CacheKey(kind=kind, audio_sha256="a" * 64, backend="faster-whisper", model="tiny", settings="s")


def _stored(cache: ScoreCache, text: str) -> None:
    cache._conn.execute("UPDATE score_cache SET value_json = ?", (text,))
    cache._conn.commit()


def test_a_payload_reads_back_as_its_record(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "cache.db")
    heard = HeardTranscript(transcript="hello", asr_seconds=0.5, heard_language="en", heard_probability=0.9)
    cache.put(_key(), heard)
    assert cache.get(_key(), HeardTranscript) == heard
    assert cache.get(_key(), CachedTranscript) == CachedTranscript(transcript="hello", asr_seconds=0.5)
    assert cache.payload(_key()) == {
        "transcript": "hello",
        "asr_seconds": 0.5,
        "heard_language": "en",
        "heard_probability": 0.9,
    }  # the JSON an older harness wrote and reads
    cache.put(_key(CacheKind.DNSMOS), CachedDnsmos())
    assert cache.get(_key(CacheKind.DNSMOS), CachedDnsmos) == CachedDnsmos()
    cache.close()


def test_a_stale_or_unknown_payload_is_a_miss(tmp_path: Path) -> None:
    cache = ScoreCache(tmp_path / "cache.db")
    cache.put(_key(), CachedTranscript(transcript="hello", asr_seconds=1))
    # cached before the language check: a transcript, but no heard language
    assert cache.get(_key(), CachedTranscript) == CachedTranscript(transcript="hello", asr_seconds=1)
    assert cache.get(_key(), HeardTranscript) is None
    for stored in ('{"text": "hello"}', '{"transcript": 42}', '["hello"]', "not json", '{"transcript": null}'):
        _stored(cache, stored)
        assert cache.get(_key(), CachedTranscript) is None, stored
    cache.put(_key(CacheKind.SIMILARITY), {"similarity": "high"})
    assert cache.get(_key(CacheKind.SIMILARITY), CachedSimilarity) is None
    cache.close()
