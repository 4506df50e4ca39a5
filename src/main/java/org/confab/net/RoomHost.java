package org.confab.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;

/**
 * A room host: binds, accepts on its own thread, runs one {@link Session} per connection (virtual
 * threads) and broadcasts room events through each member's bounded queue. Lifecycle only; the
 * room's rules live in {@link Room}, one peer's protocol in {@link Session}.
 *
 * <p>Ordering: every room mutation and its fan-out happen under one lock, so every member's queue
 * receives events in sequence order. Fan-out is a non-blocking offer of one shared encoded frame.
 */
public final class RoomHost implements AutoCloseable {
    private final HostConfig config;
    private final HostListener listener;
    private final Room room;
    private final Object lock = new Object();
    private final List<Session> members = new ArrayList<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile ServerSocket server;
    private volatile boolean stopping;
    private Thread acceptThread;
    private Thread heartbeatThread;

    private final HostSecurity security;
    private final javax.net.ssl.SSLContext tls;

    /** A host with TLS and a fresh, unsaved identity (tests, throw-away rooms). */
    public RoomHost(HostConfig config, HostListener listener) {
        this(config, HostSecurity.ephemeral(), listener);
    }

    public RoomHost(HostConfig config, HostSecurity security, HostListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.security = Objects.requireNonNull(security, "security");
        this.tls = security.encrypted() ? security.identity().serverContext() : null;
        this.listener = listener == null ? HostListener.NONE : listener;
        this.room = new Room(config.roomName(), Clock.systemUTC(), config.history(), config.maxMembers());
    }

    public HostConfig config() {
        return config;
    }

    /**
     * Binds and starts accepting. Throws {@link HostStartException} with a sentence a person can
     * read when the port is taken or not allowed.
     */
    public InetSocketAddress start() throws HostStartException {
        synchronized (lock) {
            if (server != null) {
                throw new IllegalStateException("already started");
            }
            ServerSocket s;
            try {
                s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(config.bindAddress(), config.port()), 128);
            } catch (BindException e) {
                String msg = String.valueOf(e.getMessage()).toLowerCase();
                if (msg.contains("permission") || msg.contains("denied")) {
                    throw new HostStartException("Not allowed to listen on port " + config.port()
                            + ". Ports below 1024 need administrator rights; choose a port above 1024.", e);
                }
                throw new HostStartException("Port " + config.port()
                        + " is already in use. Stop the other program or choose another port (0 picks a free one).", e);
            } catch (SocketException e) {
                throw new HostStartException("Cannot listen on port " + config.port() + ": " + e.getMessage(), e);
            } catch (IOException e) {
                throw new HostStartException("Cannot listen on port " + config.port() + ": " + e.getMessage(), e);
            }
            server = s;
            var bound = (InetSocketAddress) s.getLocalSocketAddress();
            acceptThread = track(Thread.ofPlatform().name("confab-accept-" + bound.getPort()).daemon(true).unstarted(this::acceptLoop));
            heartbeatThread = track(Thread.ofPlatform().name("confab-heartbeat-" + bound.getPort()).daemon(true).unstarted(this::heartbeatLoop));
            acceptThread.start();
            heartbeatThread.start();
            listener.started(bound);
            return bound;
        }
    }

    /** The bound port, or -1 before start. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    public boolean isRunning() {
        return server != null && !stopping;
    }

    public HostSecurity security() {
        return security;
    }

    /** The room's fingerprint, or null when it runs without TLS. */
    public org.confab.core.Fingerprint fingerprint() {
        return security.fingerprint();
    }

    public String roomName() {
        return room.name();
    }

    public List<String> members() {
        synchronized (lock) {
            return room.members();
        }
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops hosting: tells every member the room closed, closes the listening socket and every
     * session, and waits for all of the host's threads to end.
     */
    @Override
    public void close() {
        List<Session> all;
        synchronized (lock) {
            if (stopping || server == null) {
                return;
            }
            stopping = true;
            all = new ArrayList<>(sessions);
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        heartbeatThread.interrupt();
        var closing = new Message.Closing("The host closed the room.");
        all.parallelStream().forEach(s -> {
            if (s.joined()) {
                s.connection().closeAfter(closing, 2000);
            } else {
                s.connection().closeNow(); // not yet a member (maybe mid-TLS-handshake): nothing to tell
            }
        });
        for (Thread t : threads) {
            try {
                if (!t.join(java.time.Duration.ofSeconds(5))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener.stopped();
        stopped.countDown();
    }

    /** Host threads still alive (accept, heartbeat, readers, writers). For tests and diagnostics. */
    public long liveThreads() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    // ------------------------------------------------------------------ called by sessions

    Thread track(Thread t) {
        threads.add(t);
        return t;
    }

    void untrack(Thread t) {
        threads.remove(t);
    }

    HostListener listener() {
        return listener;
    }

    boolean stopping() {
        return stopping;
    }

    /** Tries to admit a session under {@code nick}; on success it is queued a welcome. */
    Room.JoinResult admit(Session session, String nick) {
        synchronized (lock) {
            if (stopping) {
                return new Room.JoinResult(null, null, "The room is closing.");
            }
            var result = room.join(nick);
            if (result.accepted()) {
                session.connection().offer(welcomeFrame(nick));
                fanOut(result.event(), session);
                members.add(session);
                lock.notifyAll();
            }
            return result;
        }
    }

    /**
     * The welcome for {@code nick}, encoded. If the recent history would not fit in one frame
     * (many long messages), the oldest events are left out until it does: a late joiner gets as
     * much history as one frame can carry, and joining never fails because of history.
     */
    private byte[] welcomeFrame(String nick) {
        List<RoomEvent> history = room.recentHistory();
        int keepFrom = 0;
        int lo = 0;
        int hi = history.size();
        byte[] bytes = encodeWelcome(nick, history);
        if (bytes.length - Frame.HEADER_BYTES <= config.maxFrame()) {
            return bytes;
        }
        // binary search the smallest prefix to drop; the newest event (the joiner's own join) always fits
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (encodeWelcome(nick, history.subList(mid, history.size())).length - Frame.HEADER_BYTES <= config.maxFrame()) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        keepFrom = lo;
        return encodeWelcome(nick, history.subList(keepFrom, history.size()));
    }

    private byte[] encodeWelcome(String nick, List<RoomEvent> history) {
        return JsonCodec.encode(new Message.Welcome(Message.VERSION, room.name(), nick, room.members(), history,
                room.lastSeq(), "Confab " + Version.get())).encode();
    }

    void post(Session from, String text, String cid) {
        synchronized (lock) {
            if (!members.contains(from)) {
                return;
            }
            fanOut(room.post(from.nick(), text), null);
        }
    }

    /** Renames; the result carries the event or why it was refused. */
    Room.RenameResult rename(Session from, String newNick) {
        synchronized (lock) {
            if (!members.contains(from)) {
                return new Room.RenameResult(null, Room.JoinRefusal.NICK_INVALID, "You are not in the room.");
            }
            var result = room.rename(from.nick(), newNick);
            if (result.event() != null) {
                from.nick(newNick);
                fanOut(result.event(), null);
            }
            return result;
        }
    }

    /** Called once when a session ends, whatever the cause. */
    void ended(Session session, String reason) {
        sessions.remove(session);
        RoomEvent.Left left = null;
        synchronized (lock) {
            if (members.remove(session)) {
                left = room.leave(session.nick(), reason);
                lock.notifyAll();
                if (left != null && !stopping) {
                    fanOut(left, null);
                }
            }
        }
        if (left != null) {
            listener.left(session.nick(), reason);
        }
    }

    /** Encodes once and offers the same bytes to every member; a full queue cuts that member. */
    private void fanOut(RoomEvent event, Session except) {
        byte[] bytes = JsonCodec.encodeFrame(new Message.Event(event));
        for (Session s : members) {
            if (s != except) {
                s.deliver(bytes);
            }
        }
    }

    private void acceptLoop() {
        try {
            while (!stopping) {
                Socket socket;
                try {
                    socket = server.accept();
                } catch (IOException e) {
                    if (stopping || server.isClosed()) {
                        return;
                    }
                    continue;
                }
                try {
                    var session = new Session(this, socket, wrap(socket), "confab-session-" + connectionIds.incrementAndGet());
                    synchronized (lock) {
                        if (stopping) {
                            socket.close();
                            return;
                        }
                        sessions.add(session);
                    }
                    session.start();
                } catch (IOException e) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // nothing more to do for this socket
                    }
                }
            }
        } finally {
            untrack(Thread.currentThread());
        }
    }

    /**
     * Layers TLS over an accepted socket (server mode, TLS 1.3 only). No I/O happens here: the
     * handshake runs on the session's own thread, under the handshake timeout.
     */
    private Socket wrap(Socket socket) throws IOException {
        if (tls == null) {
            return socket;
        }
        var ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        return ssl;
    }

    private void heartbeatLoop() {
        long nonce = 0;
        try {
            while (!stopping) {
                Thread.sleep(config.heartbeat());
                byte[] ping = JsonCodec.encodeFrame(new Message.Ping(++nonce));
                for (Session s : sessions) {
                    if (s.joined()) {
                        s.deliver(ping);
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            untrack(Thread.currentThread());
        }
    }

    /** Waits up to {@code timeout} for the given number of members (tests, CLI). */
    public boolean awaitMembers(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            while (room.members().size() != count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), 0);
            }
            return true;
        }
    }
}
