"""What each job's answer says the provider billed: its declared billing signals read from the answer the engine got
(the headers and JSON of an HTTP answer, every event of a stream, a socket's messages, a queued job's submit answer),
kept on the job's record for
its cost row (`JobRecord.cost`: the billed units, their cost at the plan's rates, and that cost as the job's where
the answer gave every unit the rates need).

Three findings, each a drift row of one line, never a failure: a signal that could not be read (not a plain count,
signed, sent twice, missing where declared: `billing-signal`), and the job keeps its planned cost; a bill beyond its
bound (`billing-refused`, `harness.core.prices.bills`: more than 10 times the most the plan expects of its unit for
the text sent), refused whole, and the job keeps its planned cost; and a bill within the bound that differs from the
plan beyond the provider's counting rule (`billing-gap`, `harness.core.prices.billing_gap`: a counted unit that is not
what the rule counts, an estimated one past the plan's upper bound), kept as the job's cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from harness.core.audio_fields import carrier
from harness.core.json_pointer import resolve
from harness.core.prices import Counting, billing_gap
from harness.core.prices.bills import REFUSED, beyond, bill_bounds
from harness.core.prices.units import Unit
from harness.core.protocols.billing import BilledSignal, Document, documents_of, named, read_billed
from harness.core.protocols.realtime_grammar import Channel, Session
from harness.core.protocols.socket_framing import FramingError, decode
from harness.core.protocols.websocket_speech import SocketGrammar
from harness.core.spec import CostUnit, EventStreamBody, NdjsonBody
from harness.core.verdict import Drift
from harness.runner.deliver.answer_format import synthesis_of
from harness.runner.deliver.exchange import Exchange
from harness.runner.deliver.job import Job

SIGNAL_FINDING = "billing-signal"  # the drift kind of a billing signal that could not be read
GAP_FINDING = "billing-gap"  # the drift kind of a bill beyond the plan's counting rule
REFUSED_FINDING = REFUSED  # the drift kind of a bill beyond its bound: refused, the plan kept


def read_http_billing(job: Job, exchange: Exchange) -> None:
    """The billing signals of the job's synthesis (else those its endpoint declares), read from its 2xx answer (before
    its audio is taken out)."""
    synthesis = synthesis_of(job.provider, job.endpoint)
    signals = synthesis.billing if synthesis is not None and synthesis.billing else job.endpoint.billing
    if not signals:
        return
    carried = carrier(job.endpoint.response_for(job.endpoint.success_status))
    stream = isinstance(carried, EventStreamBody | NdjsonBody)
    documents = documents_of(
        exchange.body,
        stream=stream,
        lines=isinstance(carried, NdjsonBody),
        event_at=synthesis.event_at if synthesis is not None else "",
    )
    _record(job, job.endpoint.key, "stream" if stream else "submit", signals, exchange.response.headers, documents)


def read_submit_billing(job: Job, exchange: Exchange) -> None:
    """The billing signals a queued job's submit endpoint declares (`Endpoint.billing`), read from its accepted
    answer: what it says the job will be billed, kept for the cost row the job's end writes."""
    if not job.endpoint.billing:
        return
    _record(
        job,
        job.endpoint.key,
        "submit",
        job.endpoint.billing,
        exchange.response.headers,
        documents_of(exchange.body, stream=False),
    )


def read_socket_billing(job: Job, channel: Channel, session: Session, context: str = "") -> None:
    """The billing signals of the job's socket, read from the server's messages (of its utterance's `context`, where
    the socket names contexts)."""
    grammar = channel.grammar
    if not isinstance(grammar, SocketGrammar) or not grammar.socket.billing:
        return
    socket = grammar.socket
    documents = []
    for frame in session.received():
        try:
            message = decode(frame.text, frame.data, socket.framing)
        except FramingError:
            continue  # not a message (an audio frame): the frame rules judge it
        if not isinstance(message, dict):
            continue
        named_context = resolve(message, socket.context_at) if socket.context_at and context else (False, None)
        if named_context[0] and named_context[1] not in (None, "", context):
            continue  # another utterance's
        documents.append(Document(message, named(message)))
    _record(job, channel.key, "stream", grammar.socket.billing, {}, documents)


def _record(
    job: Job,
    where: str,
    phase: str,
    signals: Sequence[BilledSignal],
    headers: Mapping[str, str],
    documents: Sequence[Document],
) -> None:
    record = job.record
    record.billed = None
    billed = read_billed(signals, headers, documents)
    if billed.problems:
        record.add_drift(
            where,
            phase,
            [
                Drift(signal.at, f"{job.label}: {line}; the planned cost is kept", SIGNAL_FINDING)
                for signal, line in billed.problems
            ],
        )
    if not billed.units:
        return
    past = beyond(billed.units, bounds(job))
    if past:
        said = "; ".join(found.words() for found in past)
        record.add_drift(
            where,
            phase,
            [Drift("", f"{job.label}: {said}: the bill is refused, the planned cost is kept", REFUSED_FINDING)],
        )
        return
    record.billed = billed
    plan = record.job.price.charge
    gap = billing_gap(plan, billed.units) if plan is not None else None
    if plan is not None and gap is not None:
        record.add_drift(where, phase, [Drift("", f"{job.label}: {gap} (planned: {plan.how})", GAP_FINDING)])


def bounds(job: Job) -> dict[Unit, Decimal]:
    """The most the job's answer may say it billed of each unit (`harness.core.prices.bills.bill_bounds`): for the
    text it sent, under its plan's rates and counting rule, and its own planned amount where it is priced in the
    provider's own characters (a prepaid allowance)."""
    price = job.record.job.price
    own = price.amount if price.unit is CostUnit.CHARACTERS else None
    counting = price.sheet.counting if price.sheet is not None else Counting.CODE_POINTS
    return bill_bounds(job.record.job.item.text, counting, price.charge.rates if price.charge is not None else (), own)
