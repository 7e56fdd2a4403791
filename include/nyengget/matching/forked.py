"""A function run in a forked process, its result collected later (the `match` command's parallel parts).

Forking gives the child this process's memory as it is, so nothing but the result is pickled. Only for a
main process such as the CLI: a daemonic process (a Celery or multiprocessing pool worker) may not fork."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")
AVAILABLE = "fork" in multiprocessing.get_all_start_methods()  # not on Windows: callers then stay in-process


class Forked(Generic[T]):
    """`fn()` computing in a forked process from now on; `result()` waits for it (or re-raises its error)."""

    def __init__(self, fn: Callable[[], T]) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_send_result, args=(fn, child), daemon=True)
        self._proc.start()
        child.close()

    def result(self) -> T:
        try:
            ok, value = self._conn.recv()
        except EOFError:
            self._proc.join()
            raise RuntimeError(f"forked process ended without a result (exit code {self._proc.exitcode})") from None
        finally:
            self._conn.close()
        self._proc.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the process if it still runs (the caller failed and will not wait for the result)."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._conn.close()


def _send_result(fn: Callable[[], T], conn: Connection) -> None:
    try:
        result = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
        result = (False, exc)
    conn.send(result)
    conn.close()
