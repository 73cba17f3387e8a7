"""A progress bar for the command line: on standard error, and only when that is a terminal.

Lines printed while the bar is shown go above it (the bar is wiped, the line printed, the bar drawn again), so
the output stays readable whether it goes to a terminal, a file or a pipe.
"""

from __future__ import annotations

import shutil
import sys
from typing import TextIO


class Progress:
    def __init__(
        self, total: int, *, out: TextIO | None = None, err: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.total = total
        self.done = 0
        self._label = ""
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.enabled = (total > 1 and self.err.isatty()) if enabled is None else enabled
        self._shown = False

    def line(self, text: str, *, err: bool = False) -> None:
        """Print a line of output above the bar."""
        self._wipe()
        stream = self.err if err else self.out
        print(text, file=stream, flush=True)
        self._draw()

    def step(self, label: str = "") -> None:
        self.done += 1
        self._label = label
        self._draw()

    def close(self) -> None:
        self._wipe()

    def _draw(self) -> None:
        if not self.enabled:
            return
        columns = shutil.get_terminal_size((80, 20)).columns
        width = max(10, min(40, columns // 3))
        filled = width * self.done // max(1, self.total)
        counter = f" {self.done}/{self.total} "
        label = self._label
        room = max(0, columns - width - len(counter) - 3)
        if len(label) > room:
            label = "…" + label[-(room - 1) :] if room > 1 else ""
        self.err.write(f"\r[{'#' * filled}{'.' * (width - filled)}]{counter}{label}\033[K")
        self.err.flush()
        self._shown = True

    def _wipe(self) -> None:
        if self._shown:
            self.err.write("\r\033[K")
            self.err.flush()
            self._shown = False
