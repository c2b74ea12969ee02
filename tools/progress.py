"""Progress of the steps that take more than a few seconds.

On a terminal a tqdm bar per phase (done/total, elapsed, an estimate of what is
left); elsewhere (CI, a log) nothing while it runs and one line when it ends.
"""

import contextlib
import sys
import time


class Progress:
    """What a phase has done so far; ``advance`` and ``reach`` move it on."""

    def __init__(self, bar):
        self.bar = bar
        self.done = 0

    @property
    def total(self):
        return self.bar.total

    @total.setter
    def total(self, total):
        self.bar.total = total
        self.bar.bar_format = None  # now a bar with done/total and what is left
        self.bar.refresh()

    def advance(self, count=1):
        self.done += count
        self.bar.update(count)

    def reach(self, done):
        """Set the count done (which may go back when a new total is set)."""
        if done < self.done:
            self.bar.reset(total=self.bar.total)
            self.done = 0
        self.advance(done - self.done)


@contextlib.contextmanager
def phase(description, total=None, unit="", stream=None):
    """A progress bar for one phase; yields its ``Progress``."""
    from tqdm import tqdm  # noqa: PLC0415 - installed by tools.install

    stream = stream or sys.stdout
    interactive = stream.isatty()
    started = time.monotonic()
    bar = tqdm(
        total=total,
        desc=description,
        unit=f" {unit}" if unit else "it",
        # With nothing to count yet, only the time spent.
        bar_format=None if total else "{desc}: {elapsed}",
        file=stream,
        disable=not interactive,
        dynamic_ncols=True,
    )
    progress = Progress(bar)
    try:
        yield progress
    finally:
        bar.close()
    if not interactive:
        parts = [f"{description}:"]
        if progress.total or progress.done:
            done = progress.done
            counted = f"{done}/{progress.total}" if progress.total else str(done)
            parts.append(f"{counted} {unit}".strip() + ",")
        parts.append(f"{time.monotonic() - started:.0f} s")
        print(" ".join(parts), file=stream, flush=True)
