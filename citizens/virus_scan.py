"""Ask ClamAV's daemon (clamd) about an uploaded file, when CLAMD_SOCKET names its Unix socket.

clamd's INSTREAM command over its socket: the file in length-prefixed chunks, then a zero
length; the daemon answers "stream: OK" or "stream: <signature> FOUND".
"""

import socket
import struct

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave an answer we do not understand."""


def find_virus(content: bytes, *, socket_path: str, timeout: float) -> str | None:
    """The name of the virus clamd finds in `content`, or None when it finds none."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(timeout)
            connection.connect(socket_path)
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as exc:
        raise ScannerUnavailable(str(exc)) from exc
    answer = answer.rstrip(b"\0").decode(errors="replace")
    if answer == "stream: OK":
        return None
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return answer.removeprefix("stream: ").removesuffix(" FOUND")
    raise ScannerUnavailable(answer)
