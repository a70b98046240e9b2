"""``python -m bot sandbox``: try Debrief in a terminal against the fake Discord, without an account.

A repository package, not part of the installed bot: it needs a checkout and the ``sandbox`` extra
(``pip install -e '.[sandbox]'``). See :mod:`sandbox.session`.
"""

from sandbox.session import InputError, LineReader, Sandbox, run_sandbox, split_options

__all__ = ["InputError", "LineReader", "Sandbox", "run_sandbox", "split_options"]
