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
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.store.HostHistory;
import org.confab.store.HostStore;
import org.confab.store.MemoryHistory;
import org.confab.store.StoreException;
import org.confab.store.StoredEvent;

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
    private volatile HostHistory store;
    private volatile ServerSocket server;
    private volatile boolean stopping;
    private Thread acceptThread;
    private Thread heartbeatThread;
    /** Ends each connection that has not joined by its handshake deadline (one timer thread for all). */
    private java.util.concurrent.ScheduledThreadPoolExecutor deadlines;

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
            HostHistory st;
            try {
                st = config.historyFile() == null ? new MemoryHistory(MemoryHistory.capacityFor(config.keepEvents()))
                        : HostStore.open(config.historyFile(), config.fsync());
                room.restore(st.lastSeq(), st.recent(config.history()).stream().map(StoredEvent::event).toList());
            } catch (StoreException e) {
                throw new HostStartException("Cannot open the room's history: " + e.getMessage(), e);
            }
            ServerSocket s;
            try {
                s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(config.bindAddress(), config.port()), 128);
            } catch (BindException e) {
                st.close();
                String msg = String.valueOf(e.getMessage()).toLowerCase();
                if (msg.contains("permission") || msg.contains("denied")) {
                    throw new HostStartException("Not allowed to listen on port " + config.port()
                            + ". Ports below 1024 need administrator rights; choose a port above 1024.", e);
                }
                throw new HostStartException("Port " + config.port()
                        + " is already in use. Stop the other program or choose another port (0 picks a free one).", e);
            } catch (SocketException e) {
                st.close();
                throw new HostStartException("Cannot listen on port " + config.port() + ": " + e.getMessage(), e);
            } catch (IOException e) {
                st.close();
                throw new HostStartException("Cannot listen on port " + config.port() + ": " + e.getMessage(), e);
            }
            store = st;
            server = s;
            var bound = (InetSocketAddress) s.getLocalSocketAddress();
            acceptThread = track(Thread.ofPlatform().name("confab-accept-" + bound.getPort()).daemon(true).unstarted(this::acceptLoop));
            heartbeatThread = track(Thread.ofPlatform().name("confab-heartbeat-" + bound.getPort()).daemon(true).unstarted(this::heartbeatLoop));
            deadlines = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().name("confab-handshake-deadlines-" + bound.getPort()).daemon(true).factory());
            deadlines.setRemoveOnCancelPolicy(true);
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
        deadlines.shutdownNow();
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
        store.close();
        listener.stopped();
        stopped.countDown();
    }

    /** The room's persistent identity (from its history file), or null before start. */
    public String roomId() {
        HostHistory st = store;
        return st == null ? null : st.roomId();
    }

    /** The seq of the newest event. */
    public long lastSeq() {
        synchronized (lock) {
            return room.lastSeq();
        }
    }

    /** Host threads still alive (accept, heartbeat, readers, writers). For tests and diagnostics. */
    public long liveThreads() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    // ------------------------------------------------------------------ called by sessions

    /** Threads the host still tracks (finished ones are forgotten). For tests. */
    int trackedThreads() {
        return threads.size();
    }

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

    /**
     * Tries to admit a session under {@code nick}; on success it is queued a welcome. With a
     * {@code resume} (extension client) the welcome answers it; when the resume applies, the
     * session is left "catching up" and {@link #catchUp} sends it what it missed.
     */
    Room.JoinResult admit(Session session, String nick, Message.Resume resume) {
        synchronized (lock) {
            if (stopping) {
                return new Room.JoinResult(null, null, "The room is closing.");
            }
            long before = room.lastSeq();
            var result = room.join(nick);
            if (result.accepted()) {
                persist(result.event(), null);
                HostHistory st = store;
                if (resume != null && st.roomId().equals(resume.room()) && resume.lastSeq() >= 0 && resume.lastSeq() <= before) {
                    long from = resume.lastSeq() + 1;
                    long first = Math.max(1, st.firstSeq());
                    Message.ResumeResult answer = from >= first
                            ? new Message.ResumeResult(Message.ResumeResult.Status.COMPLETE, from, before - resume.lastSeq())
                            : new Message.ResumeResult(Message.ResumeResult.Status.GAP, first, before - first + 1);
                    session.catchUpFrom(answer.from());
                    session.connection().offer(encodeWelcome(nick, List.of(), answer));
                } else {
                    Message.ResumeResult answer = resume == null ? null
                            : new Message.ResumeResult(Message.ResumeResult.Status.NEW, 0, 0);
                    session.connection().offer(welcomeFrame(nick, answer));
                    session.live();
                }
                fanOut(result.event(), null, session);
                members.add(session);
                lock.notifyAll();
            }
            return result;
        }
    }

    /**
     * Sends a resuming session every event from its resume point on, from the history file,
     * paced by its queue (waits up to the idle timeout for room), then makes it live. Runs on the
     * session's own thread, outside the lock, so the room never waits for it.
     */
    void catchUp(Session session, long from) {
        long next = from;
        while (true) {
            long target;
            synchronized (lock) {
                if (stopping || !members.contains(session)) {
                    return;
                }
                target = room.lastSeq();
                if (next > target) {
                    session.live();
                    return;
                }
            }
            List<StoredEvent> page = store.range(next, target, 512);
            if (page.isEmpty()) {
                next = target + 1; // trimmed while catching up: nothing more to send below target
                continue;
            }
            for (StoredEvent e : page) {
                byte[] bytes = JsonCodec.encode(new Message.Event(e.event(), e.cid())).encode();
                if (!session.connection().put(bytes, config.idleTimeout())) {
                    session.cutSlowConsumer();
                    return;
                }
                next = e.seq() + 1;
            }
        }
    }

    /**
     * The welcome for {@code nick}, encoded. If the recent history would not fit in one frame
     * (many long messages), the oldest events are left out until it does: a late joiner gets as
     * much history as one frame can carry, and joining never fails because of history.
     */
    private byte[] welcomeFrame(String nick, Message.ResumeResult resume) {
        List<RoomEvent> history = room.recentHistory();
        int keepFrom = 0;
        int lo = 0;
        int hi = history.size();
        byte[] bytes = encodeWelcome(nick, history, resume);
        if (bytes.length - Frame.HEADER_BYTES <= config.maxFrame()) {
            return bytes;
        }
        // binary search the smallest prefix to drop; the newest event (the joiner's own join) always fits
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (encodeWelcome(nick, history.subList(mid, history.size()), resume).length - Frame.HEADER_BYTES <= config.maxFrame()) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        keepFrom = lo;
        return encodeWelcome(nick, history.subList(keepFrom, history.size()), resume);
    }

    private byte[] encodeWelcome(String nick, List<RoomEvent> history, Message.ResumeResult resume) {
        return JsonCodec.encode(new Message.Welcome(Message.VERSION, room.name(), nick, room.members(), history,
                room.lastSeq(), "Confab " + Version.get(), store.roomId(), resume, limits())).encode();
    }

    /** The limits a welcome announces. */
    Message.Limits limits() {
        return new Message.Limits(config.maxFrame(), Room.MAX_MESSAGE_LENGTH, NicknameRules.MAX_LENGTH,
                config.ratePerSecond(), config.burst(), config.maxMembers());
    }

    /**
     * Saves a membership event before anyone sees it. If saving fails the event still happens
     * (membership is live state); the failure is reported and the history file misses it.
     */
    private void persist(RoomEvent event, String cid) {
        try {
            store.append(event, cid);
            trimIfDue();
        } catch (StoreException e) {
            listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save the room's history: " + e.getMessage());
        }
    }

    private void trimIfDue() {
        HostHistory st = store;
        if (st.lastSeq() - st.firstSeq() + 1 > config.keepEvents() + Math.min(1024, config.keepEvents())) {
            st.trim(config.keepEvents());
        }
    }

    /**
     * If a message with client id {@code cid} was already posted, acknowledges it (extension
     * clients) and returns true: a retry is answered, never posted twice.
     */
    boolean ackIfPosted(Session from, String cid) {
        synchronized (lock) {
            var prior = store.seqOf(cid);
            if (prior.isEmpty()) {
                return false;
            }
            if (from.extended()) {
                from.connection().send(new Message.Ack(cid, prior.getAsLong()));
            }
            return true;
        }
    }

    /**
     * Posts a message: a retried client id is answered with the seq it already has (ack) and
     * not posted again; otherwise the message is saved (durably) and only then sent to everyone.
     */
    void post(Session from, String text, String cid) {
        synchronized (lock) {
            if (!members.contains(from)) {
                return;
            }
            HostHistory st = store;
            if (cid != null) {
                var prior = st.seqOf(cid);
                if (prior.isPresent()) {
                    if (from.extended()) {
                        from.connection().send(new Message.Ack(cid, prior.getAsLong()));
                    }
                    return;
                }
            }
            RoomEvent.Posted event = room.post(from.nick(), text);
            try {
                st.append(event, cid);
            } catch (StoreException e) {
                room.unpost(event);
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save a message: " + e.getMessage());
                from.connection().send(new Message.Error(ErrorCode.INTERNAL, "The host could not save your message ("
                        + e.getMessage() + "); it was not posted.", false, cid, 5000));
                return;
            }
            trimIfDue();
            fanOut(event, cid, null);
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
                persist(result.event(), null);
                fanOut(result.event(), null, null);
            }
            return result;
        }
    }

    /**
     * Called once when a session ends, whatever the cause. While the room closes, members leave
     * without a {@code left} event: the room's closing is the event (every member got
     * {@code closing}), and a restarted host's history should not replay one "left … room closed"
     * per member to those who resume.
     */
    void ended(Session session, String reason) {
        sessions.remove(session);
        RoomEvent.Left left = null;
        boolean wasMember;
        synchronized (lock) {
            wasMember = members.remove(session);
            if (wasMember) {
                lock.notifyAll();
                if (!stopping) {
                    left = room.leave(session.nick(), reason);
                    if (left != null) {
                        persist(left, null);
                        fanOut(left, null, null);
                    }
                }
            }
        }
        if (wasMember) {
            listener.left(session.nick(), reason);
        }
    }

    /**
     * Encodes once and offers the same bytes to every live member (one still catching up reads
     * the event from the history file instead); a full queue cuts that member, a closing one just
     * misses it (Session.deliver).
     */
    private void fanOut(RoomEvent event, String cid, Session except) {
        byte[] bytes = JsonCodec.encodeFrame(new Message.Event(event, cid));
        for (Session s : members) {
            if (s != except && s.isLive()) {
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
                    try {
                        deadlines.schedule(session::handshakeDeadline, config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException closing) {
                        // the host is stopping: the session is closed with the rest
                    }
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
