"""libsndfile's MP3 decoder (libmpg123, inside the soundfile wheel) talks on the process's stderr.

It writes its notes straight to file descriptor 2 from C ("Note: Illegal Audio-MPEG-Header 0x… at offset 1278.",
"Warning: Xing stream size off by more than 1%…"): an MP3 whose Xing header counts other bytes than arrived (a
stream cut into chunks, a provider's own encoder) makes a line or three per clip, and a run over a few thousand
such clips printed about 1,900 of them between its progress lines. Nothing here can ask libmpg123 to be quiet
(libsndfile keeps its handle), so while soundfile reads, descriptor 2 points at a temporary file, and what the
decoder wrote there is dropped; anything else written to it meanwhile (another thread's line) is written back.
The decoder's verdict is the exception it raises, which the callers turn into one line.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# What libmpg123 writes: its notes, warnings and errors, and its source-located messages.
_DECODER_LINE = re.compile(rb"^(?:Note|Warning|Error|\[src/libmpg123/|\[[^\]]*mpg123)", re.IGNORECASE)
_lock = threading.Lock()


@contextmanager
def quiet_decoder() -> Iterator[None]:
    """Run the block with descriptor 2 kept from the terminal; the decoder's lines are dropped, others kept."""
    with _lock:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):  # no descriptor 2 to guard (a closed or replaced stderr)
            yield
            return
        with tempfile.TemporaryFile() as sink:
            os.dup2(sink.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                sink.seek(0)
                kept = b"".join(line for line in sink.read().splitlines(keepends=True) if not _DECODER_LINE.match(line))
                if kept:
                    os.write(2, kept)
