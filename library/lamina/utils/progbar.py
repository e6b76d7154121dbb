"""Progbar: the Keras-style progress bar (live in a terminal, one line otherwise).

Example:
    >>> bar = lamina.utils.Progbar(target=10)
    >>> for i in range(10):
    ...     bar.update(i + 1, values=[("loss", 0.5)])
"""

import os
import sys
import time

import numpy as np


def _interactive():
    if os.environ.get("LAMINA_INTERACTIVE") is not None:
        return os.environ["LAMINA_INTERACTIVE"] == "1"
    return sys.stdout.isatty() or _in_notebook()


def _in_notebook():
    """True inside a Jupyter kernel (importing ipykernel elsewhere does not count)."""
    ipython = sys.modules.get("IPython")
    get_ipython = getattr(ipython, "get_ipython", None)
    try:
        shell = get_ipython() if get_ipython is not None else None
    except Exception:
        return False
    return type(shell).__name__ == "ZMQInteractiveShell"


def _format_time(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    if seconds >= 1:
        return f"{int(round(seconds))}s"
    return f"{seconds * 1000:.0f}ms"


class Progbar:
    """A progress bar with an ETA and running metric averages.

    Args:
        target: the number of steps (None if unknown).
        width: the bar width in characters.
        verbose: 1 for the live bar, 2 for one line at the end, 0 for silence.
        interval: the minimum seconds between two redraws.
        stateful_metrics: names of metrics shown as given rather than averaged.
        unit_name: the name of a step (``"step"``, ``"sample"``).

    Example:
        >>> bar = lamina.utils.Progbar(target=3)
        >>> for step in range(3):
        ...     bar.update(step + 1, values=[("loss", 0.5)])
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stateful_metrics = set(stateful_metrics or [])
        self._values = {}
        self._order = []
        self._start = time.time()
        self._last_draw = 0.0
        self._seen = 0
        self._interactive = _interactive()
        self._line_length = 0

    def due(self, current):
        """True when ``update(current, ...)`` would redraw (so values are worth reading)."""
        if self.target is not None and current >= self.target:
            return True
        return self.verbose == 1 and self._interactive and \
            time.time() - self._last_draw >= self.interval

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step ``current`` and records ``values`` (name, value) pairs."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or []:
            if name not in self._order:
                self._order.append(name)
            value = float(np.asarray(value))
            if name in self.stateful_metrics:
                self._values[name] = [value, 1]
            else:
                step_count = max(current - self._seen, 1)
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * step_count, count + step_count]
        self._seen = current
        now = time.time()
        if self.verbose == 0:
            return
        if self.verbose == 2 or not self._interactive:
            if finalize:
                self._write(self._line(current, now, finalize=True) + "\n", overwrite=False)
            return
        if not finalize and now - self._last_draw < self.interval:
            return
        self._last_draw = now
        self._write(self._line(current, now, finalize), overwrite=True)
        if finalize:
            self._write("\n", overwrite=False)

    def _line(self, current, now, finalize):
        elapsed = now - self._start
        parts = []
        if self.target is not None:
            digits = len(str(self.target))
            parts.append(f"{current:>{digits}}/{self.target}")
            if self.verbose == 1:
                done = int(self.width * current / max(self.target, 1))
                parts.append("━" * done + " " * (self.width - done) if not self._interactive else
                             "\x1b[32m" + "━" * done + "\x1b[0m" + "━" * (self.width - done))
        else:
            parts.append(f"{current}")
        per_step = elapsed / max(current, 1)
        if finalize or self.target is None:
            parts.append(f"{_format_time(elapsed)} {_format_time(per_step)}/{self.unit_name}")
        else:
            parts.append(f"{_format_time(per_step * (self.target - current))} "
                         f"{_format_time(per_step)}/{self.unit_name}")
        for name in self._order:
            total, count = self._values[name]
            value = total / max(count, 1)
            parts.append(f"- {name}: {value:.4f}" if abs(value) >= 1e-3 or value == 0
                         else f"- {name}: {value:.4e}")
        return " ".join(parts)

    def _write(self, text, overwrite):
        if overwrite:
            padding = max(self._line_length - len(text), 0)
            sys.stdout.write("\r" + text + " " * padding)
            self._line_length = len(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
