"""Search work in a forked child process, with its answer sent back through a pipe
(Linux ``fork``: the child starts from the parent's state without pickling it)."""

from __future__ import annotations

import multiprocessing
import time


def start(target, args):
    """Fork ``target(*args, conn)``; returns (process, connection to read its answer)."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send), daemon=True)
    proc.start()
    send.close()
    return proc, recv


def collect(proc, recv, deadline: float):
    """The child's answer (None if it sent none by a little after ``deadline``); the child
    is reaped, and killed if it outlives that."""
    got = None
    if recv.poll(max(1.0, deadline - time.perf_counter() + 5.0)):
        try:
            got = recv.recv()
        except EOFError:
            got = None
    recv.close()
    proc.join(timeout=1.0)
    if proc.is_alive():
        proc.kill()
    return got
