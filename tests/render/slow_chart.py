"""A test seam for :class:`bot.render.chart.ChartWorker`: a draw function that sleeps before drawing, so a
test can make charts slow (as a loaded machine makes them) without mocking anything. It runs in the
worker process, so it is a module-level function the worker imports by name."""

from __future__ import annotations

import time

from bot.render.chart import ChartData, draw_chart

#: Seconds each chart takes, at least (the real one takes ~170 ms on this machine).
SLOW = 0.5


def slow_draw(data: ChartData) -> bytes:
    time.sleep(SLOW)
    return draw_chart(data)
