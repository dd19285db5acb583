"""The API server's log: ``logging`` records handed over through a bounded queue, so a slow sink never stalls it.

The server's event loop and its router thread must never wait for a log handler: a ``rosbill router serve`` whose
stderr nobody reads (a full pipe) would otherwise stop accepting connections at the first warning that does not fit.
:class:`ServerLog` makes the record where the event happens (thread name, time, level, arguments) and puts it into
a queue of at most ``capacity`` records without waiting; one daemon thread gives the records to the target logger
(``logger.handle``: its level, handlers, propagation and ``logging.lastResort`` apply as usual). When the queue is full
the record is dropped and counted; the next record that gets through is preceded by a warning saying how many were
lost. Only that thread ever blocks on a slow handler.

Must not: format a message in the caller's thread beyond what ``logging`` does, or hold tracebacks (frames keep words,
which may carry passwords, alive): an exception is kept as its formatted text, cut to ``_MAX_TRACEBACK`` characters.
"""

from __future__ import annotations

import logging
import queue
import threading
import traceback
from typing import Any

_MAX_TRACEBACK = 8000
_STOP = object()


class ServerLog:
    """Never-blocking front of ``logger``; ``debug``/``info``/``warning``/``error``/``exception`` as on a Logger."""

    def __init__(self, logger: logging.Logger, capacity: int = 1000) -> None:
        self.logger = logger
        self._queue: queue.Queue[logging.LogRecord | object] = queue.Queue(maxsize=max(1, capacity))
        self._lock = threading.Lock()
        self._dropped = 0  # since the server started
        self._unreported = 0  # dropped since the last "dropped" warning
        self._thread = threading.Thread(target=self._drain, name="api-log", daemon=True)
        self._thread.start()

    @property
    def dropped(self) -> int:
        with self._lock:
            return self._dropped

    def debug(self, msg: str, *args: object) -> None:
        self._log(logging.DEBUG, msg, args)

    def info(self, msg: str, *args: object) -> None:
        self._log(logging.INFO, msg, args)

    def warning(self, msg: str, *args: object) -> None:
        self._log(logging.WARNING, msg, args)

    def error(self, msg: str, *args: object) -> None:
        self._log(logging.ERROR, msg, args)

    def exception(self, msg: str, *args: object) -> None:
        """An ERROR record with the traceback of the exception being handled (as text)."""
        text = traceback.format_exc()
        if len(text) > _MAX_TRACEBACK:
            text = "…" + text[-_MAX_TRACEBACK:]
        self._log(logging.ERROR, msg, args, text)

    def _log(self, level: int, msg: str, args: tuple[Any, ...], exc_text: str | None = None) -> None:
        if not self.logger.isEnabledFor(level):
            return
        record = self.logger.makeRecord(self.logger.name, level, "(api server)", 0, msg, args, None)
        record.exc_text = exc_text
        try:
            self._queue.put_nowait(record)
        except queue.Full:
            with self._lock:
                self._dropped += 1
                self._unreported += 1

    def _drain(self) -> None:
        while True:
            record = self._queue.get()
            with self._lock:
                lost, self._unreported = self._unreported, 0
            try:
                if lost:
                    self.logger.warning("%d API server log messages were dropped: the log sink was too slow", lost)
                if record is _STOP:
                    return
                assert isinstance(record, logging.LogRecord)
                self.logger.handle(record)
            except Exception:  # a broken handler outside its own emit(): this thread must go on handing over
                with self._lock:
                    self._dropped += 1

    def close(self, timeout: float = 2.0) -> None:
        """Hand over what is queued, waiting at most ``timeout`` s for the sink (a stuck sink keeps the rest)."""
        try:
            self._queue.put(_STOP, timeout=timeout)
        except queue.Full:
            return
        self._thread.join(timeout)
