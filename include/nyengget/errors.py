"""Errors that users see as a clear one-line message (the CLI exits with code 2)."""


class UsageError(Exception):
    """A problem with the user's input or files: shown without a traceback, exit code 2."""


class InputFileError(UsageError):
    """A file that cannot be read at all; the message names the file (and row/field when known)."""


class PermanentError(Exception):
    """A failure that a retry cannot fix (robots.txt disallow, 404, a changed page layout, a refused week):
    the task fails at once instead of waiting through its retries."""


class WeekRefused(PermanentError, UsageError):
    """A week that cannot be run: its data is missing, or it is too far from the data."""
