"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives, for tests."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """Records delivered messages; refuses recipients listed in `refuse` (a 451 temporary failure)."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "451 4.3.0 mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return sorted(str(m["To"]) for m in self.messages)


@contextmanager
def smtp_server(inbox: Inbox, port: int | None = None) -> Iterator[int]:
    """Serve `inbox` on 127.0.0.1:`port` (a free one by default) until the block ends."""
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


class SmtpSwitch:
    """An SMTP server on a fixed port that a test can stop (an outage) and start again."""

    def __init__(self, inbox: Inbox, port: int | None = None) -> None:
        self.inbox, self.port = inbox, port or free_port()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
