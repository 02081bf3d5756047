"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, and that a test can
make refuse: for a while (busy, 4xx), for some addresses for good (5xx), or stop altogether.
Started with eight_bit_mime=False it does not offer 8BITMIME, as some servers still do not."""

import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


class _Keeper:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.lock = threading.Lock()
        self.busy = False
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.busy:
            return "451 4.3.2 Try again later"
        if address.lower() in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.raw.append(envelope.original_content)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, *, eight_bit_mime: bool = True):
        self.eight_bit_mime = eight_bit_mime
        with socket.socket() as probe:  # aiosmtpd's port=0 breaks its own start-up check
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._keeper = _Keeper()
        self._controller = None

    def start(self):
        # aiosmtpd offers 8BITMIME unless it decodes the data itself.
        self._controller = Controller(
            self._keeper,
            hostname="127.0.0.1",
            port=self.port,
            decode_data=not self.eight_bit_mime,
        )
        self._controller.start()

    def stop(self):
        self._controller.stop()

    @property
    def busy(self) -> bool:
        return self._keeper.busy

    @busy.setter
    def busy(self, value: bool) -> None:
        """Answer every recipient with a temporary failure (451) while set."""
        self._keeper.busy = value

    def refuse_for_good(self, address: str) -> None:
        """Answer this recipient with a permanent failure (550)."""
        self._keeper.refused.add(address.lower())

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        with self._keeper.lock:
            return list(self._keeper.messages)

    @property
    def raw_messages(self) -> list[bytes]:
        """Each message exactly as the server received it."""
        with self._keeper.lock:
            return list(self._keeper.raw)

    def messages_to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]
