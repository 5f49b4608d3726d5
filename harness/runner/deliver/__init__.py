"""Sending a run's jobs and receiving their answers: one job end to end (`job`, `executor`), by its endpoint's wire
family (`audio_answer`, `socket_speech`, `socket_cancel`, `rpc_speech`, `waiting` with `status_poll`, `webhook` and
`polling/`), over one timed exchange (`exchange`) under its one deadline (`deadline`) and its provider's gates
(`admission`); the audio checked, fetched and kept (`answer_format`, `media`, `download`, `audio_keeping`,
`streaming`), what the answer billed (`billing`), marks asked of their own (`marks_request`), the catalogues asked as
the run starts (`catalogue`) and the client's health watched (`client_health`). It imports the plan and the record.
What the other phases, the runner's own modules (`run`, `session`, `dry_run`) and the composers use of it is its
surface, `__all__`; the rest is the phase's own.
"""

from __future__ import annotations

from harness.runner.deliver.admission import Gates
from harness.runner.deliver.catalogue import account_catalogues, record_catalogues
from harness.runner.deliver.client_health import HealthMonitor, RenderRoom
from harness.runner.deliver.executor import run_job
from harness.runner.deliver.job import RunServices
from harness.runner.deliver.polling import ScheduleBook
from harness.runner.deliver.socket_speech import describe
from harness.runner.deliver.status_poll import status_call
from harness.runner.deliver.webhook import WebhookHub, serve

__all__ = [
    "Gates",
    "HealthMonitor",
    "RenderRoom",
    "RunServices",
    "ScheduleBook",
    "WebhookHub",
    "account_catalogues",
    "describe",
    "record_catalogues",
    "run_job",
    "serve",
    "status_call",
]
