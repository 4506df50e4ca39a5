#!/usr/bin/env python3
"""A Confab protocol v1 client in Python 3.11, standard library only, written from docs/protocol.md.

    python3 confab_client.py [options] ADDRESS NICK

ADDRESS is HOST[:PORT], [IPv6]:PORT, or an invite link confab://HOST:PORT/?fp=FINGERPRINT.

Options:
    --fp FINGERPRINT       the room's key (base64url, 43 chars, or hex, 64 digits): join only if it
                           matches (a link's ?fp= does the same)
    --trust-new            without --fp: accept the room's key without asking
    --insecure             plain TCP without TLS (only against a host run with --insecure)
    --password PW          the room password (or set CONFAB_PASSWORD, or --password-file FILE)
    --password-file FILE   read the room password from the first line of FILE

Each stdin line is sent as a message; /nick NEW renames; /quit (or end of input) leaves.
Room events are printed one per line. Exit status: 0 left or room closed, 1 connection lost or
dropped, 2 usage, 3 join refused/failed (including password problems), 4 the room's key was
refused (fingerprint mismatch, or an unknown key not trusted).
"""
import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import select
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse

DEFAULT_PORT = 4747
MAX_PAYLOAD = 1024 * 1024          # §2: frames above 1 MiB are an error
KIND_JSON, KIND_BINARY = 1, 2
CONNECT_TIMEOUT = 8.0              # §4.1: connect, TLS handshake and each answer while joining
IDLE_TIMEOUT = 15.0                # §8: no byte for 15 s = peer gone
PING_EVERY = IDLE_TIMEOUT / 3      # §8: client pings every idle/3
SCRAM_MECHANISM = "SCRAM-SHA-256-PLUS"   # §4.2: the only password mechanism
GS2_HEADER = "p=tls-server-end-point,,"  # §4.2: channel binding required, no authzid
SCRAM_USER = "room"                      # §4.2: fixed user name


class ProtocolError(Exception):
    pass


class JoinRefused(Exception):
    """The host refused (reject, fatal error, failed password exchange): exit status 3."""


class KeyRefused(Exception):
    """The room's key was not accepted (§1.2): exit status 4. Nothing of ours was sent."""


# ---------------------------------------------------------------------------- room keys (§1.2)

def parse_fingerprint(text: str) -> bytes:
    """64 hex digits (colons and spaces allowed) or 43 base64url characters -> 32 bytes."""
    t = text.strip()
    h = t.replace(":", "").replace(" ", "")
    if len(h) == 64:
        try:
            return bytes.fromhex(h)
        except ValueError:
            pass
    try:
        raw = base64.urlsafe_b64decode(t + "=" * (-len(t) % 4))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ValueError(f'"{text}" is not a room fingerprint (64 hex digits or 43 base64url characters)')
    return raw


def fingerprint_text(fp: bytes) -> str:
    return base64.urlsafe_b64encode(fp).rstrip(b"=").decode("ascii")


def safety_code(fp: bytes) -> str:
    """Six groups: bytes 5g..5g+4 of the hash as a big-endian number mod 100000, 5 digits each."""
    return " ".join(f"{int.from_bytes(fp[5 * g:5 * g + 5], 'big') % 100000:05d}" for g in range(6))


# ---------------------------------------------------------------------------- framing (§2, §3)

def encode(msg: dict) -> bytes:
    """One JSON frame: u32 BE payload length, u8 kind 1, UTF-8 JSON object (§2, §3)."""
    payload = json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not 0 < len(payload) <= MAX_PAYLOAD:
        raise ValueError("frame too large")
    return struct.pack(">IB", len(payload), KIND_JSON) + payload


class Channel:
    """The connection, TLS or plain. An ssl.SSLSocket must not be read and written by two
    threads at the same time (OpenSSL forbids it and Python 3.11 does not serialise it), so the
    socket is non-blocking, every recv/send runs under one lock, and waiting happens outside it."""

    def __init__(self, sock: socket.socket, timeout: float):
        self.sock = sock
        self.lock = threading.Lock()
        self.timeout = timeout     # no byte for this long while reading = TimeoutError
        sock.setblocking(False)

    def _wait(self, readable: bool, seconds: float) -> bool:
        r, w, _ = select.select([self.sock] if readable else [], [] if readable else [self.sock], [], seconds)
        return bool(r or w)

    def recv(self, n: int) -> bytes:
        deadline = time.monotonic() + self.timeout
        while True:
            with self.lock:
                try:
                    return self.sock.recv(n)   # b"" = end of stream
                except (ssl.SSLWantReadError, BlockingIOError):
                    readable = True
                except ssl.SSLWantWriteError:
                    readable = False
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no data")
            self._wait(readable, left if readable else min(left, 0.05))

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        deadline = time.monotonic() + IDLE_TIMEOUT
        while view:
            with self.lock:
                try:
                    view = view[self.sock.send(view):]
                    continue
                except (ssl.SSLWantWriteError, BlockingIOError):
                    readable = False
                except ssl.SSLWantReadError:
                    readable = True
            if time.monotonic() >= deadline:
                raise TimeoutError("cannot send")
            self._wait(readable, 0.05 if readable else 1.0)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class FrameReader:
    """Reads whole frames, checking the header before allocating (§2)."""

    def __init__(self, channel: Channel):
        self.channel = channel

    def _exact(self, n: int, mid_frame: bool) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            chunk = self.channel.recv(n - len(buf))
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


# ---------------------------------------------------------------------------- SCRAM (§4.2)

def _scram_fields(message: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in message.split(","):
        if len(part) < 2 or part[1] != "=":
            raise JoinRefused("the host's password challenge is malformed")
        out.setdefault(part[0], part[2:])
    return out


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


class ScramClient:
    """SCRAM-SHA-256-PLUS (RFC 5802/7677) with tls-server-end-point channel binding (RFC 5929)."""

    def __init__(self, password: str, cert_hash: bytes):
        self.password = password
        self.cert_hash = cert_hash
        self.nonce = base64.b64encode(secrets.token_bytes(18)).decode("ascii")
        self.first_bare = f"n={SCRAM_USER},r={self.nonce}"
        self.auth_message = ""
        self.salted = b""

    def first(self) -> str:
        return GS2_HEADER + self.first_bare

    def final(self, server_first: str) -> str:
        f = _scram_fields(server_first)
        nonce, salt, iters = f.get("r"), f.get("s"), f.get("i")
        if not nonce or not salt or not iters or not nonce.startswith(self.nonce) or nonce == self.nonce:
            raise JoinRefused("the host's password challenge is malformed")
        if not iters.isdigit() or not 4096 <= int(iters) <= 10_000_000:
            raise JoinRefused(f"the host asked for an unsafe iteration count ({iters})")
        self.salted = hashlib.pbkdf2_hmac("sha256", self.password.encode("utf-8"),
                                          base64.b64decode(salt, validate=True), int(iters), 32)
        cbind = base64.b64encode(GS2_HEADER.encode("ascii") + self.cert_hash).decode("ascii")
        without_proof = f"c={cbind},r={nonce}"
        self.auth_message = f"{self.first_bare},{server_first},{without_proof}"
        client_key = _hmac(self.salted, "Client Key")
        signature = _hmac(hashlib.sha256(client_key).digest(), self.auth_message)
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        return f"{without_proof},p={base64.b64encode(proof).decode('ascii')}"

    def verify(self, server_final: str) -> None:
        f = _scram_fields(server_final)
        expected = _hmac(_hmac(self.salted, "Server Key"), self.auth_message)
        try:
            ok = "v" in f and hmac.compare_digest(base64.b64decode(f["v"], validate=True), expected)
        except ValueError:
            ok = False
        if not ok:
            raise JoinRefused("the host could not prove it knows the room password")


# ---------------------------------------------------------------------------- addresses

def parse_address(text: str) -> tuple[str, int, str | None]:
    """HOST:PORT, [IPv6]:PORT, HOST alone, a bare IPv6 address, or confab://HOST:PORT/?fp=..."""
    fp = None
    if text.lower().startswith("confab://"):
        text, _, query = text[9:].partition("?")
        fp = urllib.parse.parse_qs(query).get("fp", [None])[0]
        text = text.rstrip("/")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else DEFAULT_PORT, fp
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port), fp
    return text, DEFAULT_PORT, fp


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


# ---------------------------------------------------------------------------- the client

def open_channel(host: str, port: int, insecure: bool) -> tuple[Channel, bytes | None]:
    """TCP connect, then (unless insecure) the TLS 1.3 handshake (§1). Returns the channel and the
    SHA-256 of the host's certificate; nothing has been sent on the channel yet."""
    raw = socket.create_connection((host, port), timeout=CONNECT_TIMEOUT)
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if insecure:
        return Channel(raw, CONNECT_TIMEOUT), None
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False          # §1.2: no names, no CAs: the room is its fingerprint
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    try:
        tls = ctx.wrap_socket(raw, server_hostname=None)   # handshake happens here
    except ssl.SSLError as e:
        raw.close()
        raise ConnectionError(f"no TLS answer from {host}:{port} ({e.reason or e}); "
                              "if the host runs with --insecure, so must you") from e
    except OSError:
        raw.close()
        raise
    der = tls.getpeercert(binary_form=True)
    return Channel(tls, CONNECT_TIMEOUT), hashlib.sha256(der).digest()


class Client:
    def __init__(self, channel: Channel, cert_hash: bytes | None, nick: str, password: str | None):
        self.channel = channel
        self.reader = FrameReader(channel)
        self.leaving = False
        self.ended = threading.Event()
        self.exit_code = 1
        self.last_seq = 0
        # §4.2: the password exchange first, only over TLS; then §4.1: hello
        if password is not None:
            self.authenticate(password, cert_hash)
        self.send_msg({"type": "hello", "version": 1, "nick": nick, "client": "confab_client.py"})
        first = self.expect()
        if first["type"] != "welcome" or first.get("version") != 1:
            raise ProtocolError("not a Confab v1 host")
        self.welcome = first
        self.channel.timeout = IDLE_TIMEOUT  # §8: silence for 15 s = host gone

    def expect(self) -> dict:
        """The next frame while joining; a reject or an error ends the join."""
        msg = self.reader.read()
        if msg is None:
            raise ConnectionError("the host closed the connection during joining")
        if msg["type"] == "reject":
            raise JoinRefused(f"refused ({msg['code']}): {msg['reason']}")
        if msg["type"] == "error":
            raise JoinRefused(f"host error ({msg['code']}): {msg['text']}")
        return msg

    def authenticate(self, password: str, cert_hash: bytes | None) -> None:
        if cert_hash is None:
            raise JoinRefused("a room password is only sent over TLS; drop --insecure")
        scram = ScramClient(password, cert_hash)
        self.send_msg({"type": "auth-start", "mechanism": SCRAM_MECHANISM, "clientFirst": scram.first()})
        challenge = self.expect()
        if challenge["type"] != "challenge":
            raise ProtocolError(f"expected a challenge, got {challenge['type']}")
        self.send_msg({"type": "auth-finish", "clientFinal": scram.final(challenge["serverFirst"])})
        ok = self.expect()
        if ok["type"] != "auth-ok":
            raise ProtocolError(f"expected auth-ok, got {ok['type']}")
        scram.verify(ok["serverFinal"])   # the host proves it knows the password too

    def send_msg(self, msg: dict) -> None:
        self.channel.sendall(encode(msg))

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
            self.channel.close()

    def ping_loop(self) -> None:
        nonce = 0
        while not self.ended.wait(PING_EVERY):
            nonce += 1
            try:
                self.send_msg({"type": "ping", "nonce": nonce})
            except OSError:
                return

    def leave(self) -> None:
        # §4.4: send leave, then read until the host closes (we still see our last events)
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
            try:
                if line.startswith("/nick "):
                    self.send_msg({"type": "rename", "nick": line[6:].strip()})
                    continue
                self.send_msg({"type": "send", "text": line})
            except OSError:
                return
        if not self.ended.is_set():
            self.leave()


def connect(host: str, port: int, nick: str, pinned: bytes | None, trust_new: bool, insecure: bool,
            password: str | None) -> Client:
    """§1.2: check the room's key before sending anything, then join."""
    channel, presented = open_channel(host, port, insecure)
    try:
        if presented is not None:
            if pinned is not None and not hmac.compare_digest(presented, pinned):
                raise KeyRefused(f"the room at {host}:{port} did not show the key you gave "
                                 f"(it shows {fingerprint_text(presented)}, safety code {safety_code(presented)}); "
                                 "someone may be intercepting the connection. Not joined.")
            if pinned is None and not trust_new:
                print(f"The room at {host}:{port} is new to you. Its safety code is:\n    {safety_code(presented)}\n"
                      f"(fingerprint {fingerprint_text(presented)}). Compare it with the code the host sees.",
                      file=sys.stderr, flush=True)
                if not sys.stdin.isatty():
                    raise KeyRefused("unknown room key; join with --fp FINGERPRINT or --trust-new")
                # The host allows 10 s of silence before the hello (§4.1): do not keep it waiting
                # while the person compares codes. Close, ask, and reconnect with the key pinned.
                channel.close()
                answer = input("Trust this room? [y/N] ").strip().lower()
                if answer not in ("y", "yes"):
                    raise KeyRefused("room key not trusted")
                return connect(host, port, nick, presented, False, False, password)
            print(f"* Encrypted (TLS 1.3). Room safety code: {safety_code(presented)}", flush=True)
        else:
            print("* WARNING: not encrypted (--insecure): anyone on the network can read and change this chat.",
                  file=sys.stderr, flush=True)
        try:
            return Client(channel, presented, nick, password)
        except ProtocolError as e:
            if presented is None:   # §1.3: a TLS host answers a plain client with a TLS alert record
                raise ProtocolError(f"{e}; if the room is encrypted, join without --insecure") from e
            raise
    except BaseException:
        channel.close()
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="confab_client.py", usage=__doc__.split("\n\n")[1].strip(),
                                     add_help=True)
    parser.add_argument("address")
    parser.add_argument("nick")
    parser.add_argument("--fp")
    parser.add_argument("--trust-new", action="store_true")
    parser.add_argument("--insecure", action="store_true")
    parser.add_argument("--password")
    parser.add_argument("--password-file")
    try:
        args = parser.parse_args(argv[1:])
        host, port, link_fp = parse_address(args.address)
        fp_text = args.fp or link_fp
        pinned = parse_fingerprint(fp_text) if fp_text else None
        if pinned is not None and args.insecure:
            raise ValueError("--fp needs TLS; drop --insecure")
        password = os.environ.get("CONFAB_PASSWORD")
        if args.password is not None:
            password = args.password
        if args.password_file:
            with open(args.password_file, encoding="utf-8") as f:
                password = f.readline().rstrip("\r\n")
        password = password or None
        if password is not None and args.insecure:
            raise ValueError("a room password needs TLS; drop --insecure")
    except SystemExit as e:
        return 2 if e.code else 0
    except (ValueError, OSError) as e:
        print(f"confab_client: {e}", file=sys.stderr)
        return 2
    try:
        client = connect(host, port, args.nick, pinned, args.trust_new, args.insecure, password)
    except KeyRefused as e:
        print(f"confab_client: {e}", file=sys.stderr)
        return 4
    except (OSError, ProtocolError, JoinRefused, EOFError) as e:
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
