"""Errors that users see as a clear one-line message (the CLI exits with code 2)."""


class UsageError(Exception):
    """A problem with the user's input or files: shown without a traceback, exit code 2."""


class InputFileError(UsageError):
    """A file that cannot be read at all; the message names the file (and row/field when known)."""


class NotConfigured(RuntimeError):
    """A setting the operation needs is missing or unusable (link secret, mail delivery); the message names it.
    Nothing is sent, signed or verified in the meantime (fail closed)."""
