"""The leaderboard's columns: each one's heading, what it means in a sentence, and whether it is shown
before the reader asks for every column. The template draws the headings (their tooltips), the legend
under the table and the "every column" toggle from this one list, so no column goes unexplained.

A laptop window (1,400 px) holds the default columns; the others (tails, second opinions of a figure
already shown) appear with the toggle. The first column stays in view while the table scrolls sideways.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    meaning: str
    default: bool = True  # shown before "every column" is ticked
    streaming: bool = False  # only when some model streamed (TTFA)


COLUMNS: tuple[Column, ...] = (
    Column("model", "provider / model", "The model benchmarked, as provider/model; ★ marks the cost/WER Pareto "
           "front (no other model is both cheaper and more intelligible)."),
    Column("sent", "sent", "Jobs sent: those that ended with audio or with an error (jobs skipped before sending, "
           "by the budget or the documented limits, never reached the wire)."),
    Column("success", "success", "Share of sent jobs that returned audio, with its Wilson 95% interval."),
    Column("p50", "latency p50", "Median end-to-end latency of successful jobs (request sent → audio complete), "
           "with a bootstrap 95% interval."),
    Column("p95", "p95", "95th percentile of the same latency: the slow tail one request in twenty meets."),
    Column("p99", "p99", "99th percentile of the same latency.", default=False),
    Column("mean", "mean", "Mean of the same latency.", default=False),
    Column("width", "± job", "How precisely each job's latency is known: half the median width of the interval "
           "that must hold it (polling and whole-second server clocks blur completion). The column is "
           "e2e_bracket in the rows."),
    Column("ttfa", "TTFA p50", "Median time to first audio of streamed answers, from the first text token sent "
           "(an HTTP or SSE request: its send; a realtime socket: its first text message, the text fed whole or "
           "token by token as the run says) to the first decodable audio.", streaming=True),
    Column("heard", "heard p50", "Median time from the first token until speech is first heard: time to first "
           "audio plus the silence that leads the stream, plus any wait for a late chunk before it.", streaming=True),
    Column("last_audio", "last audio p50", "Median time from the first token to the last audio chunk.",
           default=False, streaming=True),
    Column("jitter", "jitter p95", "Median over streams of each stream's 95th percentile wait between consecutive "
           "audio chunks: how unevenly the audio comes.", streaming=True),
    Column("underruns", "underruns", "Playback stalls: times a player that starts at the first audio ran out "
           "before the next chunk came, summed over the model's streams, and how many streams stalled.",
           streaming=True),
    Column("rtf", "RTF p50", "Median real-time factor: time from the first token to the stream's end / seconds of "
           "audio (below 1: the audio comes faster than it plays).", default=False, streaming=True),
    Column("usd_1m", "$ / 1M chars", "USD per million characters of input text, the figure every provider's price "
           "compares on and the one the Pareto chart uses: the billed cost where the provider's answers said what "
           "they billed, else the planned one from the published price (the small word under it says which; "
           "sandbox runs: what live would cost), over the priced jobs. Where there is none, the words say why: "
           "no public price (the provider publishes none), no data (nothing was sent), or the unit it is priced in."),
    Column("usd_hour", "$ / audio hour", "USD per hour of audio returned, from the same cost: the other figure a "
           "price compares on."),
    Column("usd_req", "$ / req", "Mean USD per sent request, from the same cost.", default=False),
    Column("usd_min", "$ / audio min", "USD per minute of audio returned.", default=False),
    Column("usd_1k", "$ / 1k chars", "USD per 1,000 characters of input text.", default=False),
    Column("planned_billed", "planned / billed", "The run's cost as planned from the published price before "
           "sending, and as the provider's answers said they billed (over the jobs whose answers said so; the "
           "prices section lists both per model).", default=False),
    Column("wer_pooled", "WER pooled", "Word error rate in %, the scored clips in word languages pooled (errors / "
           "reference words), with a bootstrap 95% interval over utterances; lower is better."),
    Column("wer_mean", "WER mean", "Mean of the per-clip word error rates, in %.", default=False),
    Column("cer_pooled", "CER pooled", "Character error rate in %, errors / reference characters over the zh and ja "
           "clips, pooled apart from WER (a WER and a CER are never mixed).", default=False),
    Column("similarity", "similarity", "Speaker similarity of cloned clips to the reference voice (cosine, "
           "0–1; above about 0.85 is the same voice)."),
    Column("hard_text", "hard text", "Hard-text accuracy in %: spans read right over the judged items of every "
           "category the ASR model can judge (forced choice, docs/hard-text.md), with its Wilson 95% interval; the "
           "hard-text section has it per category."),
    Column("dnsmos", "DNSMOS", "DNSMOS overall quality estimate (1–5, higher is better).", default=False),
    Column("flagged", "flagged", "Scored clips with a conformance finding (declared type, rate or channels not "
           "what the bytes are, truncation, clipping, silence) / scored clips; the findings table names them."),
    Column("polls", "polls / job", "Mean status requests per polled job: the request cost of an asynchronous API.",
           default=False),
)


def shown(streaming: bool) -> tuple[Column, ...]:
    """The columns of this report: the streaming ones only when some model streamed."""
    return tuple(column for column in COLUMNS if streaming or not column.streaming)
