"""Worker processes end with the process that started them, even when it is killed (SIGKILL gives it no
chance to stop them): on Linux the kernel sends the worker SIGKILL when its parent dies (prctl
PR_SET_PDEATHSIG); elsewhere a watchdog thread notices that the worker was handed to another parent."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
WATCH_INTERVAL = 1.0  # seconds between two looks at the parent, where the kernel cannot be asked


def die_with_parent(parent_pid: int) -> None:
    """Call first thing in a worker process; `parent_pid` is the pid of the process that started it."""
    if not _ask_the_kernel():
        threading.Thread(target=_watch, args=(parent_pid,), name="parent-watchdog", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _ask_the_kernel() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    stop = threading.Event()
    while not stop.wait(WATCH_INTERVAL):
        if os.getppid() != parent_pid:
            os._exit(1)
