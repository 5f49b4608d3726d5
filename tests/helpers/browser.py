"""Open a report in headless Chromium and record what a reader's browser would see and do.

Drives Debian's `chromium` over the DevTools protocol through `--remote-debugging-pipe` (file
descriptors 3 and 4, NUL-separated JSON), so no websocket library and no browser download is needed.
Records console errors, uncaught exceptions, log errors (CSP violations land there), every network
request, whether each plotly chart drew, each audio element's duration, and a screenshot. `opened_report`
keeps the page open for a test to act as a reader does: click a heading (a real mouse press and release at
its place on the screen), read the page, measure every chart label's box, screenshot one part of the page.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
    "--autoplay-policy=no-user-gesture-required",
    "--remote-debugging-pipe",
)
DEADLINE_S = 60.0

# Resolves once every audio element that preloads has metadata (or failed) and every chart has drawn; never hangs:
# the page's own timer resolves it with what it has after 20 s. An element marked `preload="none"` (the report's
# misheard and failed clips, loaded when played) reads nothing until a reader presses play, as in any browser: waiting
# for its metadata only ran that timer out (20 s of every page that has one).
PAGE_STATE_JS = """
new Promise((resolve) => {
  const collect = () => ({
    audio: [...document.querySelectorAll('audio')].map(a => ({
      src: a.getAttribute('src'), preload: a.getAttribute('preload'), duration: a.duration,
      readyState: a.readyState, error: a.error ? a.error.code : null})),
    charts: [...document.querySelectorAll('.plotly-graph-div')].map(g => ({
      id: g.id, drawn: !!g._fullLayout && !!g.querySelector('svg.main-svg'),
      traces: g.data ? g.data.length : 0,
      groups: g.data ? [...new Set(g.data.map(t => t.legendgroup || t.name))] : []})),
  });
  const ready = () => {
    const s = collect();
    const loaded = (a) => a.preload === 'none' || a.readyState >= 1 || a.error !== null;
    return s.audio.every(loaded) && s.charts.every(c => c.drawn);
  };
  if (ready()) { resolve(collect()); return; }
  const timer = setInterval(() => { if (ready()) { clearInterval(timer); resolve(collect()); } }, 50);
  setTimeout(() => { clearInterval(timer); resolve(collect()); }, 20000);
})
"""


@dataclass
class PageReport:
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    audio: list[dict[str, Any]] = field(default_factory=list)
    leaderboard_cells: list[dict[str, str]] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)  # LAYOUT_JS: the leaderboard's columns as laid out


def _lift(fd: int) -> int:
    """The same pipe end on a descriptor number above 9 (the original is closed)."""
    if fd > 9:
        return fd
    lifted = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return lifted


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Chromium:
    """A headless Chromium and the DevTools session of one page."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="tts-harness-chromium-")
        self.page_state: Any = None  # what PAGE_STATE_JS said once the page loaded (`opened_report`)
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4; bash moves the pipe ends there. They
        # are first lifted above 9 so that no redirection overwrites the other end before it is moved.
        to_child_r, from_child_w = _lift(to_child_r), _lift(from_child_w)
        command = [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        moves = f"3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-"
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec "$@" {moves}', "bash", *command],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def close(self) -> None:
        os.close(self._to_child)
        os.close(self._from_child)
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(0.0, remaining))
            if not ready:
                raise TimeoutError(f"chromium sent nothing for {DEADLINE_S} s")
            chunk = os.read(self._from_child, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        loaded: dict[str, Any] = json.loads(message)
        return loaded

    def call(self, method: str, params: dict[str, Any] | None = None, *, browser: bool = False) -> dict[str, Any]:
        """Send one command (to the page session unless ``browser``) and wait for its answer."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + DEADLINE_S
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method} failed: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + DEADLINE_S
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def open_page(self, width: int, height: int) -> None:
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)
        attached = self.call("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, browser=True)
        self.session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def evaluate(self, expression: str, *, wait: bool = False) -> Any:
        """The value of a JavaScript expression in the page (`wait`: a promise, awaited)."""
        answer = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": wait, "returnByValue": True})
        if "exceptionDetails" in answer:
            raise RuntimeError(f"the page threw: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the element `selector` names as a reader does: scrolled into view, a mouse press and release at
        its centre (what the page's own listeners see, not a call of its click method)."""
        box = self.evaluate(f"""(() => {{
          const element = document.querySelector({json.dumps(selector)});
          if (!element) {{ return null; }}
          element.scrollIntoView({{block: 'center', inline: 'center'}});
          const r = element.getBoundingClientRect();
          return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
        }})()""")
        if box is None:
            raise LookupError(f"no element {selector} on the page")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {
                    "type": kind,
                    "x": box["x"],
                    "y": box["y"],
                    "button": "left",
                    "clickCount": 1 if kind != "mouseMoved" else 0,
                },
            )

    def screenshot(self, target: Path, selector: str | None = None) -> Path:
        """A PNG of the viewport, or of the whole element `selector` names (beyond the viewport if it must)."""
        params: dict[str, Any] = {"format": "png"}
        if selector is not None:
            rect = self.evaluate(f"""(() => {{
              const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();
              return {{x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}};
            }})()""")
            params |= {"captureBeyondViewport": True, "clip": {**rect, "scale": 1}}
        target.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", params)["data"]))
        return target


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    errors = []
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif event.get("method") == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif event.get("method") == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}")
    return errors


# The leaderboard's headings as the window lays them out, before and after ticking "every column": each
# heading's text, tooltip, whether it is displayed and where its right edge is; the scroll box's widths;
# whether the first column sticks; the legend's terms. The toggle is put back as it was.
LAYOUT_JS = """(() => {
  const table = document.querySelector('table.board');
  if (!table) { return {}; }
  const box = table.closest('.scroll');
  const measure = () => ({
    columns: [...table.querySelectorAll('thead th')].map(th => ({
      text: th.innerText.trim(), title: th.getAttribute('title') || '',
      shown: getComputedStyle(th).display !== 'none', right: th.getBoundingClientRect().right})),
    scroll_width: box ? box.scrollWidth : table.scrollWidth, client_width: box ? box.clientWidth : table.clientWidth,
    overflow_x: box ? getComputedStyle(box).overflowX : 'visible'});
  const toggle = document.getElementById('every-column');
  const before = measure();
  if (toggle) { toggle.click(); }
  const after = measure();
  if (toggle) { toggle.click(); }
  const first = table.querySelector('tbody td');
  return {before, after, toggle: !!toggle, viewport: window.innerWidth,
          sticky_first: first ? getComputedStyle(first).position === 'sticky' : false,
          legend: [...document.querySelectorAll('dl.legend dt')].map(dt => dt.innerText.trim())};
})()"""

CELLS_JS = """[...document.querySelectorAll('[data-key]')].map(c => ({
  key: c.dataset.key, value: c.dataset.value || '', text: c.innerText}))"""


# Every text a chart draws (titles, axis titles, tick labels, point labels, legend entries, annotations) with the box
# the browser laid it out in, per chart; the hover layer (drawn only on hover) is left out. `plot`: the plotting
# area's size in px (its drag layer), which the label rule's nominal plot must not exceed.
CHART_TEXT_JS = """[...document.querySelectorAll('.plotly-graph-div')].map(g => ({
  id: g.id,
  plot: (r => r ? {width: r.width, height: r.height} : null)(
    g.querySelector('.nsewdrag') && g.querySelector('.nsewdrag').getBoundingClientRect()),
  texts: [...g.querySelectorAll('svg text')].filter(t => !t.closest('.hoverlayer') && t.textContent.trim())
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                        kind: t.getAttribute('class') || (t.parentNode && t.parentNode.getAttribute('class')) || ''}; })
    .filter(b => b.right - b.left > 0 && b.bottom - b.top > 0)}))"""


def overlapping_labels(charts: list[dict[str, Any]], tolerance: float = 0.5) -> list[tuple[str, str, str]]:
    """(chart, text, text) for every two texts of one chart whose boxes overlap by more than `tolerance` px each way."""
    found = []
    for chart in charts:
        texts = chart["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                wide = min(a["right"], b["right"]) - max(a["left"], b["left"])
                tall = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                if wide > tolerance and tall > tolerance:
                    found.append((chart["id"], a["text"], b["text"]))
    return found


@contextmanager
def opened_report(page: Path, width: int = 1440, height: int = 1000) -> Iterator[Chromium]:
    """The report open in headless Chromium, its charts drawn and its audio's metadata read (or failed): the page's
    state (`PAGE_STATE_JS`) is `browser.page_state`."""
    executable = chromium_path()
    if executable is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with Chromium(executable) as browser:
        browser.open_page(width, height)
        browser.call("Page.navigate", {"url": page.resolve().as_uri()})
        browser.wait_for("Page.loadEventFired")
        browser.page_state = browser.evaluate(PAGE_STATE_JS, wait=True)
        yield browser


def inspect_report(
    page: Path, screenshot: Path, width: int = 1440, height: int = 1000, full_page: bool = False
) -> PageReport:
    """Load ``page`` from disk, wait for audio metadata and charts, record everything, save a screenshot."""
    with opened_report(page, width, height) as browser:
        state = browser.page_state
        cells = browser.call("Runtime.evaluate", {"expression": CELLS_JS, "returnByValue": True})["result"]["value"]
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = browser.call("Page.getLayoutMetrics")["cssContentSize"]
            params |= {
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            }
        shot = browser.call("Page.captureScreenshot", params)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        layout = browser.call("Runtime.evaluate", {"expression": LAYOUT_JS, "returnByValue": True})["result"]["value"]
        # One more round trip so late console messages and requests are in the event list.
        browser.call("Runtime.evaluate", {"expression": "1"})
        events = browser.events
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    return PageReport(_console_errors(events), requests, state["charts"], state["audio"], cells, layout)
