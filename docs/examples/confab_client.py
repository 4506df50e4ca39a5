#!/usr/bin/env python3
"""A Confab protocol v1 client in Python 3.11, standard library only, written from docs/protocol.md.

    python3 confab_client.py [options] ADDRESS NICK

ADDRESS is HOST[:PORT], [IPv6]:PORT, or an invite link confab://HOST:PORT/?fp=FINGERPRINT.

Options:
    --fp=FINGERPRINT       the room's key (base64url, 43 chars, or hex, 64 digits): join only if it
                           matches (a link's ?fp= does the same); write it with "=", a base64url
                           key may start with "-"
    --trust-new            without --fp: accept the room's key without asking
    --insecure             plain TCP without TLS (only against a host run with --insecure)
    --password PW          the room password (or set CONFAB_PASSWORD, or --password-file FILE)
    --password-file FILE   read the room password from the first line of FILE
    --download-dir DIR     where /get saves files (default: the current directory)

Each stdin line is sent as a message (read as UTF-8, else in the terminal's encoding with
undecodable bytes replaced; a line too long for one frame is refused here, not sent); /nick NEW
renames; /quit (or end of input) leaves. A message that shares a file shows
"shared NAME (SIZE) · /get SEQ"; /get SEQ downloads it (§18.2: file-get, binary chunks, file-ack,
each chunk's SHA-256 and the whole file's checked) under a safe name that never overwrites.
Room events are printed one per line, and so are others' statuses, typing ("* bob is typing…")
and read receipts ("* bob has read the room up to #41"). Whatever members send, printing cannot fail and cannot drive
the terminal: line breaks inside a message become indented continuation lines, other control
characters show as ^X (C0, DEL as ^?) or \\u0085 (C1), lone surrogates as \\udXXX, and characters
the output encoding cannot show (LANG=C, PYTHONIOENCODING=ascii) as backslash escapes. Exit status: 0 left or room closed, 1 connection lost or
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
import re
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


# ---------------------------------------------------------------------------- safe output

CONTINUATION = "\n           "      # a line break in a message: the next line, under the text
_UNSAFE = re.compile("\r\n|[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_output_lock = threading.Lock()


def _visible(m: re.Match) -> str:
    c = m.group()
    if c in ("\r\n", "\n", "\r", "\x85", "\u2028", "\u2029"):
        return CONTINUATION
    o = ord(c)
    if o < 0x20:
        return "^" + chr(o + 64)
    if o == 0x7F:
        return "^?"
    return f"\\u{o:04x}"            # C1 controls and lone surrogates (json.loads makes them from "\udc00")


def safe(text) -> str:
    """Text from the room made safe for a terminal: one entry stays one entry (line breaks become
    indented continuation lines), control characters become visible (^X, \\u0085), tabs stay, and
    lone surrogates (which no encoding can write) become \\udXXX."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    return _UNSAFE.sub(_visible, text)


def emit(line: str, stream=None) -> None:
    """Writes one line and flushes; never raises (a closed or unencodable stdout loses the line)."""
    stream = stream or sys.stdout
    if stream is None:                   # started with stdout closed
        return
    with _output_lock:
        try:
            try:
                stream.write(line + "\n")
            except UnicodeEncodeError:   # a stream that could not be reconfigured: escape it ourselves
                enc = getattr(stream, "encoding", None) or "ascii"
                stream.write((line + "\n").encode(enc, "backslashreplace").decode(enc, "replace"))
            stream.flush()
        except (OSError, ValueError, UnicodeError, LookupError):
            pass


def configure_stdio() -> None:
    """Unencodable characters on stdout/stderr become backslash escapes instead of exceptions."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError, LookupError):
            pass


def read_lines(stream, limit: int):
    """stdin lines as text, without the line end: UTF-8 if they are, else in the stream's own
    encoding with undecodable bytes replaced. A line longer than limit bytes is yielded as None."""
    buf = getattr(stream, "buffer", None)
    fallback = getattr(stream, "encoding", None) or "utf-8"
    while True:
        if buf is None:                  # not a byte stream underneath (tests, IDEs): take text as is
            try:
                line = stream.readline()
            except UnicodeError:
                continue
            except ValueError:           # closed
                return
            if not line:
                return
            yield line.rstrip("\r\n")
            continue
        raw = buf.readline(limit + 1)
        if not raw:
            return
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):   # skip the rest of the over-long line
                raw = buf.readline(limit)
            yield None
            continue
        raw = raw.rstrip(b"\r\n")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                yield raw.decode(fallback, "replace")
            except LookupError:
                yield raw.decode("utf-8", "replace")


# ---------------------------------------------------------------------------- framing (§2, §3)

def encode(msg: dict) -> bytes:
    """One JSON frame: u32 BE payload length, u8 kind 1, UTF-8 JSON object (§2, §3). Lone
    surrogates (from command-line bytes that are not UTF-8) cannot be UTF-8: sent as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", json.dumps(msg, ensure_ascii=False, separators=(",", ":")))
    payload = text.encode("utf-8")
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
        self.binary = False   # True once joined: binary frames (§18.3 chunks) are returned as bytes

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

    def read(self) -> dict | bytes | None:
        """The next JSON message (or, with self.binary, a binary frame's payload as bytes), or None at
        a clean end of stream. Other binary frames are skipped."""
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
                if self.binary:
                    return payload
                continue  # not asked for: skip
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


# ---------------------------------------------------------------------------- files (§18)

CHUNK_OP_DOWNLOAD = 2
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def human_size(n) -> str:
    """512 bytes, 1.2 KB, 3.4 MB (powers of 1000, as file managers show)."""
    if not isinstance(n, int) or n < 1000:
        return f"{n} byte" + ("" if n == 1 else "s")
    v, units = float(n), ["KB", "MB", "GB", "TB", "PB"]
    u = -1
    while v >= 999.95 and u < len(units) - 1:
        v /= 1000
        u += 1
    return f"{v:.1f} {units[u]}" if v < 10 else f"{v:.0f} {units[u]}"


def safe_file_name(name) -> str:
    """The last element of a shared file's name, made safe to create: no folders, no control, bidi or
    reserved characters, not "." or "..", not a Windows device name, at most 200 characters."""
    base = str(name).replace("\\", "/").split("/")[-1]
    base = _UNSAFE_NAME.sub("_", base).strip().rstrip(".")
    if base in ("", ".", "..") or base.split(".")[0].upper() in (
            "CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))):
        base = "_" + base if base not in ("", ".", "..") else "file"
    return base[:200]


def free_path(folder: str, name: str) -> str:
    """folder/name, or folder/"name (1).ext" and so on: never an existing file."""
    stem, dot, ext = name.rpartition(".")
    if not stem:
        stem, dot, ext = name, "", ""
    candidate, n = name, 0
    while os.path.exists(os.path.join(folder, candidate)) or os.path.exists(os.path.join(folder, candidate + ".part")):
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    return os.path.join(folder, candidate)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class Download:
    """One file on its way here (§18.2): chunks in order into NAME.part, then renamed."""

    def __init__(self, file: dict, folder: str):
        self.id = file["id"]
        self.name = safe_file_name(file.get("name"))
        self.size = int(file["size"])
        self.chunk = int(file["chunk"])
        self.sha256 = file["sha256"]
        self.chunks = (self.size + self.chunk - 1) // self.chunk
        os.makedirs(folder, exist_ok=True)
        self.target = free_path(folder, self.name)
        self.part = self.target + ".part"
        self.out = open(self.part, "wb")
        self.whole = hashlib.sha256()
        self.have = 0

    def length(self, index: int) -> int:
        return min(self.chunk, self.size - index * self.chunk)

    def finish(self) -> str:
        """Renames the .part once the whole file's SHA-256 is the sender's; raises ValueError if not."""
        self.out.close()
        if b64url(self.whole.digest()) != self.sha256:
            os.remove(self.part)
            raise ValueError("its SHA-256 is not the sender's: it was not kept")
        os.replace(self.part, self.target)
        return self.target

    def abandon(self) -> None:
        self.out.close()
        try:
            os.remove(self.part)
        except OSError:
            pass


def parse_chunk(payload: bytes) -> tuple[int, str, int, bytes, bytes]:
    """§18.3: op, file id, chunk index, SHA-256, data."""
    if len(payload) < 2:
        raise ProtocolError("binary frame too short for a chunk")
    op, n = payload[0], payload[1]
    if not 1 <= n <= 64 or len(payload) < 2 + n + 4 + 32 + 1:
        raise ProtocolError("binary frame is not a chunk")
    file_id = payload[2:2 + n].decode("ascii", errors="replace")
    (index,) = struct.unpack(">I", payload[2 + n:6 + n])
    return op, file_id, index, payload[6 + n:38 + n], payload[38 + n:]


def clock(ms) -> str:
    try:
        return datetime.datetime.fromtimestamp(ms / 1000).strftime("%H:%M:%S")
    except (TypeError, ValueError, OverflowError, OSError):
        return "--:--:--"


def describe(ev) -> str:
    """One event as a line; every text from the room goes through safe()."""
    if not isinstance(ev, dict):
        return f"? {safe(repr(ev))}"
    t = ev.get("type")
    stamp = f"[{clock(ev.get('time'))}]"
    seq = ev.get("seq")
    text = safe(ev.get("text"))
    f = ev.get("file")
    if t == "message" and isinstance(f, dict):   # §18: what it shares, and how to fetch it
        name = f.get("name")
        caption = "" if ev.get("text") in (name, str(name).split("/")[-1]) else f": {text}"
        text = f"shared {safe(name)} ({human_size(f.get('size'))}) · /get {seq}{caption}"
    if t == "message" and isinstance(ev.get("to"), str):   # §16: a direct message
        return f"{stamp} #{seq} <{safe(ev.get('from'))} → {safe(ev.get('to'))} (direct)> {text}"
    if t == "message":
        reply = ev.get("replyTo")
        about = f"(reply to #{reply}) " if isinstance(reply, int) and reply > 0 else ""
        return f"{stamp} #{seq} <{safe(ev.get('from'))}> {about}{text}"
    if t == "edited":   # §14
        return f"{stamp} * {safe(ev.get('from'))} edited #{ev.get('target')}: {safe(ev.get('text'))}"
    if t == "deleted":
        return f"{stamp} * {safe(ev.get('by'))} deleted message #{ev.get('target')}"
    if t == "reaction":
        verb = "reacted" if ev.get("on") else "took back"
        return f"{stamp} * {safe(ev.get('from'))} {verb} {safe(ev.get('emoji'))} on #{ev.get('target')}"
    if t == "topic":   # §15
        text = ev.get("text")
        return f"{stamp} * {safe(ev.get('from'))} " + (f"set the topic: {safe(text)}" if text else "cleared the topic")
    if t == "moderation":
        reason = ev.get("reason")
        verb = {"kick": "removed", "ban": "banned", "unban": "lifted the ban on", "mute": "muted",
                "unmute": "unmuted", "mod": "made a moderator:", "unmod": "took moderation back from"}
        action = ev.get("action")
        return (f"{stamp} * {safe(ev.get('by'))} {verb.get(action, safe(action))} {safe(ev.get('nick'))}"
                + (f": {safe(reason)}" if reason else ""))
    if t == "joined":
        return f"{stamp} * {safe(ev.get('nick'))} joined"
    if t == "left":
        reason = ev.get("reason")
        return f"{stamp} * {safe(ev.get('nick'))} left" + ("" if reason in (None, "left") else f" ({safe(reason)})")
    if t == "renamed":
        return f"{stamp} * {safe(ev.get('from'))} is now {safe(ev.get('to'))}"
    return f"{stamp} ? {safe(repr(ev))}"


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
    def __init__(self, channel: Channel, cert_hash: bytes | None, nick: str, password: str | None,
                 download_dir: str = "."):
        self.channel = channel
        self.download_dir = download_dir
        self.shared: dict[int, dict] = {}          # seq of a file message -> its file (§18)
        self.downloads: dict[str, Download] = {}   # file id -> the download on its way
        self.files_lock = threading.Lock()
        self.reader = FrameReader(channel)
        self.leaving = False
        self.ended = threading.Event()
        self.exit_code = 1
        self.last_seq = 0
        # §4.2: the password exchange first, only over TLS; then §4.1: hello
        if password is not None:
            self.authenticate(password, cert_hash)
        # §14, §15: with "caps" the host sends edits, deletions, reactions, topic and moderation
        # as events of their own (this client sends no member key: it cannot be a moderator);
        # §14.3, §17.2: others' typing and read receipts (this client sends neither)
        self.send_msg({"type": "hello", "version": 1, "nick": nick, "client": "confab_client.py",
                       "caps": ["edit", "reaction", "reply", "moderation", "dm", "presence", "typing",
                                "receipts", "files"]})
        first = self.expect()
        if first["type"] != "welcome" or first.get("version") != 1:
            raise ProtocolError("not a Confab v1 host")
        self.welcome = first
        self.reader.binary = True            # §18.3: file chunks from now on
        self.channel.timeout = IDLE_TIMEOUT  # §8: silence for 15 s = host gone

    def expect(self) -> dict:
        """The next frame while joining; a reject or an error ends the join."""
        msg = self.reader.read()
        if msg is None:
            raise ConnectionError("the host closed the connection during joining")
        if msg["type"] == "reject":
            raise JoinRefused(f"refused ({safe(msg.get('code'))}): {safe(msg.get('reason'))}")
        if msg["type"] == "error":
            raise JoinRefused(f"host error ({safe(msg.get('code'))}): {safe(msg.get('text'))}")
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
        members = w.get("members") if isinstance(w.get("members"), list) else []
        roles = w.get("roles") if isinstance(w.get("roles"), dict) else {}
        named = [safe(m) + (f" ({safe(roles[m])})" if m in roles else "") for m in members]
        emit(f"* Joined \"{safe(w.get('room'))}\" as {safe(w.get('you'))}. Members: {', '.join(named)}"
             + (f". Topic: {safe(w.get('topic'))}" if w.get("topic") else ""))
        for ev in w.get("history") if isinstance(w.get("history"), list) else []:
            self.remember_file(ev)
            emit(describe(ev))
        self.last_seq = w.get("lastSeq") if isinstance(w.get("lastSeq"), int) else 0

    def read_loop(self) -> None:
        try:
            while True:
                msg = self.reader.read()
                if isinstance(msg, bytes):
                    self.on_chunk(msg)
                    continue
                if msg is None:
                    if self.leaving:
                        emit("* You left the room.")
                        self.exit_code = 0
                    else:
                        emit("* Connection closed by the host.")
                    return
                t = msg["type"]
                if t in ("message", "joined", "left", "renamed", "edited", "deleted", "reaction", "topic", "moderation"):
                    seq = msg.get("seq")
                    if isinstance(seq, int):
                        if seq <= self.last_seq:  # §6: never a repeat (a jump is others' direct messages, §16)
                            emit(f"! sequence went back: {self.last_seq} -> {seq}", sys.stderr)
                        self.last_seq = seq
                    self.remember_file(msg)
                    emit(describe(msg))
                elif t == "presence":   # §17.1
                    state = {"away": "is away", "dnd": "does not want to be disturbed"}.get(msg.get("state"), "is back")
                    text = msg.get("text")
                    emit(f"* {safe(msg.get('nick'))} {state}" + (f": {safe(text)}" if text else ""))
                elif t == "typing":   # §14.3: not an event, no seq
                    emit(f"* {safe(msg.get('nick'))} is typing…")
                elif t == "read":   # §17.2: how far a member has read (with "with": our direct conversation)
                    what = "your direct messages" if msg.get("with") is not None else "the room"
                    emit(f"* {safe(msg.get('nick'))} has read {what} up to #{safe(msg.get('seq'))}")
                elif t == "ping":
                    self.send_msg({"type": "pong", "nonce": msg.get("nonce", 0)})
                elif t == "pong":
                    pass
                elif t == "closing":
                    emit(f"* {safe(msg.get('reason'))}")
                    self.exit_code = 0
                    return
                elif t == "error" and msg.get("code") == "file-refused" and self.refused(msg):
                    pass
                elif t == "error":
                    if msg.get("fatal", False):
                        emit(f"* The host disconnected you: {safe(msg.get('text'))} ({safe(msg.get('code'))})")
                        return
                    emit(f"! {safe(msg.get('text'))} ({safe(msg.get('code'))})")
                # unknown types: a newer host; ignore
        except (socket.timeout, TimeoutError):
            emit("* No sign of the host for 15 s; connection lost.")
        except (OSError, ProtocolError) as e:
            if self.leaving:
                self.exit_code = 0
                emit("* You left the room.")
            else:
                emit(f"* Connection lost: {safe(e)}")
        except Exception as e:  # a frame this client cannot make sense of: report it, do not die silently
            emit(f"* Connection lost: unexpected data from the host ({safe(type(e).__name__)}: {safe(e)})")
        finally:
            self.ended.set()
            self.channel.close()

    # ------------------------------------------------------------------------ files (§18)

    def remember_file(self, ev: dict) -> None:
        f = ev.get("file")
        if ev.get("type") == "message" and isinstance(f, dict) and isinstance(ev.get("seq"), int):
            self.shared[ev["seq"]] = f

    def get(self, seq: int) -> None:
        """/get SEQ: asks for the file of message SEQ from its first chunk (§18.2)."""
        f = self.shared.get(seq)
        if f is None:
            emit(f"! No file in message #{seq}.", sys.stderr)
            return
        try:
            d = Download(f, self.download_dir)
        except (KeyError, TypeError, ValueError) as e:
            emit(f"! The file of #{seq} is not described well enough to fetch ({safe(e)}).", sys.stderr)
            return
        except OSError as e:
            emit(f"! Cannot write to {safe(self.download_dir)}: {safe(e)}", sys.stderr)
            return
        with self.files_lock:
            if d.id in self.downloads:
                d.abandon()
                emit(f"! {safe(d.name)} is on its way already.", sys.stderr)
                return
            self.downloads[d.id] = d
        emit(f"* Downloading {safe(d.name)} ({human_size(d.size)})")
        if d.chunks == 0:
            self.finish(d)
        else:
            self.send_msg({"type": "file-get", "file": d.id, "from": 0})

    def on_chunk(self, payload: bytes) -> None:
        """A download chunk: checked against its SHA-256, written, acknowledged; a damaged one is
        never kept: cancel, and ask again from it (§18.2)."""
        op, file_id, index, digest, data = parse_chunk(payload)
        with self.files_lock:
            d = self.downloads.get(file_id)
        if op != CHUNK_OP_DOWNLOAD or d is None or index != d.have:
            return   # cancelled, or sent before we asked again from elsewhere
        if index >= d.chunks or len(data) != d.length(index) or hashlib.sha256(data).digest() != digest:
            self.send_msg({"type": "file-cancel", "file": d.id, "reason": "damaged chunk"})
            self.send_msg({"type": "file-get", "file": d.id, "from": d.have})
            return
        d.out.write(data)
        d.whole.update(data)
        d.have += 1
        self.send_msg({"type": "file-ack", "file": d.id, "upto": d.have})
        if d.have == d.chunks:
            self.finish(d)

    def finish(self, d: Download) -> None:
        with self.files_lock:
            self.downloads.pop(d.id, None)
        try:
            path = d.finish()
        except (ValueError, OSError) as e:
            emit(f"! Could not download {safe(d.name)}: {safe(e)}")
            return
        emit(f"* Saved {safe(d.name)} ({human_size(d.size)}, SHA-256 checked) as {safe(path)}")

    def refused(self, msg: dict) -> bool:
        """A file-refused error about one of our downloads (its cid is the file's id)."""
        with self.files_lock:
            d = self.downloads.pop(msg.get("cid"), None)
        if d is None:
            return False
        d.abandon()
        emit(f"! Could not download {safe(d.name)}: {safe(msg.get('text'))}")
        return True

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

    @staticmethod
    def change(line: str):
        """§14: /reply SEQ TEXT, /edit SEQ TEXT, /delete SEQ, /react SEQ EMOJI, /unreact SEQ EMOJI.
        The message to send, {} for a malformed command (a hint is printed), None for a plain line."""
        parts = line.split(None, 2)
        if not parts or parts[0] not in ("/reply", "/edit", "/delete", "/react", "/unreact"):
            return None
        need = 2 if parts[0] == "/delete" else 3
        if len(parts) < need or not parts[1].lstrip("#").isdigit():
            emit(f"! Usage: {parts[0]} SEQ" + ("" if need == 2 else " TEXT"), sys.stderr)
            return {}
        seq = int(parts[1].lstrip("#"))
        if parts[0] == "/reply":
            return {"type": "send", "text": parts[2], "replyTo": seq}
        if parts[0] == "/edit":
            return {"type": "edit", "seq": seq, "text": parts[2]}
        if parts[0] == "/delete":
            return {"type": "delete", "seq": seq}
        return {"type": "react", "seq": seq, "emoji": parts[2].strip(), "on": parts[0] == "/react"}

    def input_loop(self) -> None:
        try:
            lines = read_lines(sys.stdin, MAX_PAYLOAD)
            for line in lines:
                if self.ended.is_set():
                    return
                if line is None:
                    emit(f"! Not sent: the line is longer than {MAX_PAYLOAD} bytes.")
                    continue
                if not line.strip():
                    continue
                if line.strip() == "/quit":
                    break
                try:
                    if line.startswith("/nick "):
                        self.send_msg({"type": "rename", "nick": line[6:].strip()})
                        continue
                    if line.startswith("/msg "):   # §16: /msg NICK TEXT (a nickname without spaces)
                        parts = line.split(None, 2)
                        if len(parts) < 3:
                            emit("! Usage: /msg NICK TEXT", sys.stderr)
                        else:
                            self.send_msg({"type": "send", "text": parts[2], "to": parts[1]})
                        continue
                    if line.startswith("/away") or line.startswith("/back"):   # §17.1
                        away = line.startswith("/away")
                        self.send_msg({"type": "presence", "state": "away" if away else "online",
                                       "text": line[5:].strip() if away else ""})
                        continue
                    if line.startswith("/get"):   # §18.2: /get SEQ
                        parts = line.split()
                        if len(parts) != 2 or not parts[1].lstrip("#").isdigit():
                            emit("! Usage: /get SEQ", sys.stderr)
                        else:
                            self.get(int(parts[1].lstrip("#")))
                        continue
                    if line.startswith("/topic"):   # §15
                        self.send_msg({"type": "set-topic", "text": line[6:].strip()})
                        continue
                    command = self.change(line)
                    if command is not None:
                        if command:
                            self.send_msg(command)
                        continue
                    self.send_msg({"type": "send", "text": line})
                except ValueError as e:   # too large for one frame (the host refuses long texts itself)
                    emit(f"! Not sent: {safe(e)}.")
        except OSError:
            return   # the connection (or stdin) is gone; the reader reports it
        if not self.ended.is_set():
            self.leave()


def connect(host: str, port: int, nick: str, pinned: bytes | None, trust_new: bool, insecure: bool,
            password: str | None, download_dir: str = ".") -> Client:
    """§1.2: check the room's key before sending anything, then join."""
    channel, presented = open_channel(host, port, insecure)
    try:
        if presented is not None:
            if pinned is not None and not hmac.compare_digest(presented, pinned):
                raise KeyRefused(f"the room at {host}:{port} did not show the key you gave "
                                 f"(it shows {fingerprint_text(presented)}, safety code {safety_code(presented)}); "
                                 "someone may be intercepting the connection. Not joined.")
            if pinned is None and not trust_new:
                emit(f"The room at {host}:{port} is new to you. Its safety code is:\n    {safety_code(presented)}\n"
                     f"(fingerprint {fingerprint_text(presented)}). Compare it with the code the host sees.",
                     sys.stderr)
                if not sys.stdin.isatty():
                    raise KeyRefused("unknown room key; join with --fp FINGERPRINT or --trust-new")
                # The host allows 10 s of silence before the hello (§4.1): do not keep it waiting
                # while the person compares codes. Close, ask, and reconnect with the key pinned.
                channel.close()
                answer = input("Trust this room? [y/N] ").strip().lower()
                if answer not in ("y", "yes"):
                    raise KeyRefused("room key not trusted")
                return connect(host, port, nick, presented, False, False, password, download_dir)
            emit(f"* Encrypted (TLS 1.3). Room safety code: {safety_code(presented)}")
        else:
            emit("* WARNING: not encrypted (--insecure): anyone on the network can read and change this chat.",
                 sys.stderr)
        try:
            return Client(channel, presented, nick, password, download_dir)
        except ProtocolError as e:
            if presented is None:   # §1.3: a TLS host answers a plain client with a TLS alert record
                raise ProtocolError(f"{e}; if the room is encrypted, join without --insecure") from e
            raise
    except BaseException:
        channel.close()
        raise


def main(argv: list[str]) -> int:
    configure_stdio()
    parser = argparse.ArgumentParser(prog="confab_client.py", usage=__doc__.split("\n\n")[1].strip(),
                                     add_help=True)
    parser.add_argument("address")
    parser.add_argument("nick")
    parser.add_argument("--fp")
    parser.add_argument("--trust-new", action="store_true")
    parser.add_argument("--insecure", action="store_true")
    parser.add_argument("--password")
    parser.add_argument("--password-file")
    parser.add_argument("--download-dir", default=".")
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
        emit(f"confab_client: {safe(e)}", sys.stderr)
        return 2
    try:
        client = connect(host, port, args.nick, pinned, args.trust_new, args.insecure, password,
                         os.path.expanduser(args.download_dir))
    except KeyRefused as e:
        emit(f"confab_client: {safe(e)}", sys.stderr)
        return 4
    except (OSError, ProtocolError, JoinRefused, EOFError) as e:
        emit(f"confab_client: {safe(e)}", sys.stderr)
        return 3
    client.print_welcome()
    threading.Thread(target=client.read_loop, name="reader").start()
    threading.Thread(target=client.ping_loop, name="pinger", daemon=True).start()
    threading.Thread(target=client.input_loop, name="stdin", daemon=True).start()
    client.ended.wait()
    return client.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
