#!/usr/bin/env python3
"""A Confab protocol v1 client in Python 3.11, standard library only, written from docs/protocol.md.

    python3 confab_client.py HOST[:PORT] NICK

Each stdin line is sent as a message; /nick NEW renames; /quit (or end of input) leaves.
Room events are printed one per line. Exit status: 0 left or room closed, 1 connection lost or
dropped, 2 usage, 3 join refused/failed.
"""
import datetime
import json
import socket
import struct
import sys
import threading

DEFAULT_PORT = 4747
MAX_PAYLOAD = 1024 * 1024          # §2: frames above 1 MiB are an error
KIND_JSON, KIND_BINARY = 1, 2
IDLE_TIMEOUT = 15.0                # §8: no byte for 15 s = peer gone
PING_EVERY = IDLE_TIMEOUT / 3      # §8: client pings every idle/3


class ProtocolError(Exception):
    pass


def encode(msg: dict) -> bytes:
    """One JSON frame: u32 BE payload length, u8 kind 1, UTF-8 JSON object (§2, §3)."""
    payload = json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not 0 < len(payload) <= MAX_PAYLOAD:
        raise ValueError("frame too large")
    return struct.pack(">IB", len(payload), KIND_JSON) + payload


class FrameReader:
    """Reads whole frames from a socket, checking the header before allocating (§2)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock

    def _exact(self, n: int, mid_frame: bool) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                if buf or mid_frame:
                    raise ConnectionError("connection closed in the middle of a frame")
                return None
            buf += chunk
        return bytes(buf)

    def read(self) -> dict | None:
        """The next JSON message, or None at a clean end of stream. Binary frames are skipped."""
        while True:
            header = self._exact(5, False)
            if header is None:
                return None
            length, kind = struct.unpack(">IB", header)
            if length >= 2 ** 31 or length == 0 or kind not in (KIND_JSON, KIND_BINARY):
                raise ProtocolError(f"bad frame header {header.hex()}")
            if length > MAX_PAYLOAD:
                raise ProtocolError(f"frame of {length} bytes exceeds {MAX_PAYLOAD}")
            payload = self._exact(length, True)
            if kind == KIND_BINARY:
                continue  # reserved in v1: skip
            try:
                msg = json.loads(payload.decode("utf-8", errors="strict"))
            except (UnicodeDecodeError, ValueError) as e:
                raise ProtocolError(f"unreadable frame: {e}") from e
            if not isinstance(msg, dict) or not isinstance(msg.get("type"), str):
                raise ProtocolError("frame is not a JSON object with a type")
            return msg


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT, HOST alone, or a bare IPv6 address."""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else DEFAULT_PORT
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, DEFAULT_PORT


def clock(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000).strftime("%H:%M:%S")


def describe(ev: dict) -> str:
    t = ev["type"]
    stamp = f"[{clock(ev['time'])}]"
    if t == "message":
        return f"{stamp} <{ev['from']}> {ev['text']}"
    if t == "joined":
        return f"{stamp} * {ev['nick']} joined"
    if t == "left":
        reason = ev.get("reason")
        return f"{stamp} * {ev['nick']} left" + ("" if reason in (None, "left") else f" ({reason})")
    if t == "renamed":
        return f"{stamp} * {ev['from']} is now {ev['to']}"
    return f"{stamp} ? {ev}"


class Client:
    def __init__(self, host: str, port: int, nick: str):
        self.sock = socket.create_connection((host, port), timeout=8)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = FrameReader(self.sock)
        self.write_lock = threading.Lock()
        self.leaving = False
        self.ended = threading.Event()
        self.exit_code = 1
        self.last_seq = 0
        # §4.1: hello first, then exactly one of welcome / reject / fatal error
        self.send_msg({"type": "hello", "version": 1, "nick": nick, "client": "confab_client.py"})
        first = self.reader.read()
        if first is None:
            raise ConnectionError("the host closed the connection during joining")
        if first["type"] == "reject":
            raise ConnectionError(f"refused ({first['code']}): {first['reason']}")
        if first["type"] == "error":
            raise ConnectionError(f"host error ({first['code']}): {first['text']}")
        if first["type"] != "welcome" or first.get("version") != 1:
            raise ProtocolError("not a Confab v1 host")
        self.welcome = first
        self.sock.settimeout(IDLE_TIMEOUT)  # §8: silence for 15 s = host gone

    def send_msg(self, msg: dict) -> None:
        data = encode(msg)
        with self.write_lock:
            self.sock.sendall(data)

    def print_welcome(self) -> None:
        w = self.welcome
        print(f"* Joined \"{w['room']}\" as {w['you']}. Members: {', '.join(w['members'])}", flush=True)
        for ev in w["history"]:
            print(describe(ev), flush=True)
        self.last_seq = w["lastSeq"]

    def read_loop(self) -> None:
        try:
            while True:
                msg = self.reader.read()
                if msg is None:
                    if self.leaving:
                        print("* You left the room.", flush=True)
                        self.exit_code = 0
                    else:
                        print("* Connection closed by the host.", flush=True)
                    return
                t = msg["type"]
                if t in ("message", "joined", "left", "renamed"):
                    if msg["seq"] != self.last_seq + 1:  # §6: no gaps, no repeats
                        print(f"! sequence gap: {self.last_seq} -> {msg['seq']}", file=sys.stderr, flush=True)
                    self.last_seq = msg["seq"]
                    print(describe(msg), flush=True)
                elif t == "ping":
                    self.send_msg({"type": "pong", "nonce": msg["nonce"]})
                elif t == "pong":
                    pass
                elif t == "closing":
                    print(f"* {msg['reason']}", flush=True)
                    self.exit_code = 0
                    return
                elif t == "error":
                    if msg.get("fatal", False):
                        print(f"* The host disconnected you: {msg['text']} ({msg['code']})", flush=True)
                        return
                    print(f"! {msg['text']} ({msg['code']})", flush=True)
                # unknown types: a newer host; ignore
        except (socket.timeout, TimeoutError):
            print("* No sign of the host for 15 s; connection lost.", flush=True)
        except (OSError, ProtocolError) as e:
            if self.leaving:
                self.exit_code = 0
                print("* You left the room.", flush=True)
            else:
                print(f"* Connection lost: {e}", flush=True)
        finally:
            self.ended.set()
            try:
                self.sock.close()
            except OSError:
                pass

    def ping_loop(self) -> None:
        nonce = 0
        while not self.ended.wait(PING_EVERY):
            nonce += 1
            try:
                self.send_msg({"type": "ping", "nonce": nonce})
            except OSError:
                return

    def leave(self) -> None:
        # §4.3: send leave, then read until the host closes (we still see our last events)
        self.leaving = True
        try:
            self.send_msg({"type": "leave"})
        except OSError:
            pass

    def input_loop(self) -> None:
        for line in sys.stdin:
            line = line.rstrip("\r\n")
            if self.ended.is_set():
                return
            if not line.strip():
                continue
            if line.strip() == "/quit":
                break
            if line.startswith("/nick "):
                self.send_msg({"type": "rename", "nick": line[6:].strip()})
                continue
            self.send_msg({"type": "send", "text": line})
        if not self.ended.is_set():
            self.leave()


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    host, port = parse_address(argv[1])
    try:
        client = Client(host, port, argv[2])
    except (OSError, ProtocolError) as e:
        print(f"confab_client: {e}", file=sys.stderr)
        return 3
    client.print_welcome()
    threading.Thread(target=client.read_loop, name="reader").start()
    threading.Thread(target=client.ping_loop, name="pinger", daemon=True).start()
    threading.Thread(target=client.input_loop, name="stdin", daemon=True).start()
    client.ended.wait()
    return client.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
