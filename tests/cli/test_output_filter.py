"""What of a child's output reaches the terminal: error lines and whole tracebacks only."""

from __future__ import annotations

from ticketing.cli.output_filter import ErrorLines

OUTPUT = """\
2026-12-06 21:59:16 INFO     rasa.cli.train  - Started validating domain and training data...
/venv/lib/python3.11/site-packages/keras/utils/data_utils.py:206: DeprecationWarning: invalid escape
  import sre_constants
2026-12-06 22:00:01 WARNING  rasa.shared.utils.common - The UnexpecTEDIntentPolicy is experimental
2026-12-06 22:00:02 ERROR    rasa.core.agent - Could not load model due to Model not found.
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/rasa/core/agent.py", line 10, in load
    raise ModelNotFound(path)
rasa.exceptions.ModelNotFound: models/x.tar.gz

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/venv/bin/rasa", line 8, in <module>
    sys.exit(main())
SystemExit: 1
INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)
2026-12-06 22:00:03 CRITICAL ticketing.app [- -]: the database is gone
/venv/lib/python3.11/site-packages/matplotlib/_fontconfig.py:88: PyparsingDeprecationWarning
\x1b[91mRasaException: Error when trying to expand the environment variables\x1b[0m
"""


def test_errors_and_whole_tracebacks_are_shown_the_rest_is_not() -> None:
    errors = ErrorLines()
    shown = [line for line in OUTPUT.splitlines() if errors.shows(line)]
    lines = OUTPUT.splitlines()
    assert shown == [*lines[4:16], lines[17], lines[19]]
    assert "rasa.exceptions.ModelNotFound: models/x.tar.gz" in shown
    assert "SystemExit: 1" in shown
    assert not any("INFO" in line or "DeprecationWarning" in line for line in shown)


def test_a_traceback_ends_with_its_exception_line() -> None:
    errors = ErrorLines()
    for line in ("Traceback (most recent call last):", '  File "x.py", line 1', "KeyError: 1"):
        assert errors.shows(line)
    assert not errors.shows("INFO all good again")
