"""Errors a user can cause: the CLI prints them as one line, never a traceback."""


class UserError(Exception):
    """A mistake in input, options or files that the user can fix; the message says how."""
