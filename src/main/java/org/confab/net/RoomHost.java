package org.confab.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.confab.core.Fingerprint;
import org.confab.core.Room;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.store.HostHistory;
import org.confab.store.HostStore;
import org.confab.store.MemoryHistory;
import org.confab.store.StoreException;
import org.confab.store.StoredEvent;

/**
 * A room host's lifecycle: binds, accepts on its own thread, wraps each socket in TLS, starts one
 * {@link Peer} per connection (virtual threads), pings the members, ends connections that do not
 * join in time, and closes everything in order. The room itself, under its lock, is
 * {@link HostedRoom}; a connection's protocol is {@link Peer} with its {@link Handshake} and then
 * {@link Member} phase (Netty's split: bootstrap, initializer, handlers).
 */
public final class RoomHost implements AutoCloseable {
    private final HostConfig config;
    private final HostListener listener;
    private final Room room;
    private final Object lock = new Object();
    private final Set<Peer> peers = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile HostedRoom hosted;
    private volatile ServerSocket server;
    private volatile boolean stopping;
    private Thread acceptThread;
    private Thread heartbeatThread;
    /** Ends each connection that has not joined by its handshake deadline (one timer thread for all). */
    private ScheduledThreadPoolExecutor deadlines;
    /** Deletes shared files past the retention (§18). */
    private FileRetention retention;

    private final HostSecurity security;
    /** Opens the room's history instead of the config (tests), or null. */
    private final Supplier<HostHistory> history;

    private final SSLContext tls;
    /** The secret the host's own member shows in its hello to be the room's host (§15.1). */
    private final String ownerToken = newToken();

    /** A host with TLS and a fresh, unsaved identity (tests, throw-away rooms). */
    public RoomHost(HostConfig config, HostListener listener) {
        this(config, HostSecurity.ephemeral(), listener);
    }

    public RoomHost(HostConfig config, HostSecurity security, HostListener listener) {
        this(config, security, listener, null);
    }

    /**
     * As above, with the room's history opened by {@code history} instead of from the config (tests:
     * a history that holds its commits); null: from the config.
     */
    RoomHost(HostConfig config, HostSecurity security, HostListener listener, Supplier<HostHistory> history) {
        this.history = history;
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
     * What this app's own member of the room puts in its hello ({@link JoinOptions#withOwnerToken})
     * to be the room's host: moderators are named by it. Never leaves this process otherwise.
     */
    public String ownerToken() {
        return ownerToken;
    }

    /** True if {@code token} (from a hello) is this host's owner token; constant time. */
    boolean isOwnerToken(String token) {
        return token != null
                && MessageDigest.isEqual(
                        token.getBytes(StandardCharsets.UTF_8), ownerToken.getBytes(StandardCharsets.UTF_8));
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
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
                st = history != null
                        ? history.get()
                        : config.historyFile() == null
                                ? new MemoryHistory(MemoryHistory.capacityFor(config.keepEvents()))
                                : HostStore.open(config.historyFile(), config.fsync());
                room.restore(
                        st.lastSeq(),
                        st.recent(config.history()).stream()
                                .map(StoredEvent::event)
                                .toList());
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
                    throw new HostStartException(
                            "Not allowed to listen on port " + config.port()
                                    + ". Ports below 1024 need administrator rights; choose a port above 1024.",
                            e);
                }
                throw new HostStartException(
                        "Port " + config.port()
                                + " is already in use. Stop the other program or choose another port (0 picks a free one).",
                        e);
            } catch (IOException e) {
                st.close();
                throw new HostStartException("Cannot listen on port " + config.port() + ": " + e.getMessage(), e);
            }
            HostFiles files;
            try {
                files = HostFiles.open(config.filesDir(), config.maxFileSize(), config.fileQuota());
            } catch (IOException e) {
                FramedSocket.closeQuietly(s);
                st.close();
                throw new HostStartException("Cannot open the folder for shared files: " + e.getMessage(), e);
            }
            retention = FileRetention.start(files, config.fileRetention(), Clock.systemUTC());
            server = s;
            var bound = (InetSocketAddress) s.getLocalSocketAddress();
            deadlines = new ScheduledThreadPoolExecutor(
                    1, daemon("confab-handshake-deadlines-", bound).factory());
            deadlines.setRemoveOnCancelPolicy(true);
            hosted = new HostedRoom(config, listener, room, st, files, deadlines);
            acceptThread = track(daemon("confab-accept-", bound).unstarted(this::acceptLoop));
            heartbeatThread = track(daemon("confab-heartbeat-", bound).unstarted(this::heartbeatLoop));
            acceptThread.start();
            heartbeatThread.start();
            listener.started(bound);
            return bound;
        }
    }

    /** A platform daemon thread of this host, named after its port. */
    private static Thread.Builder.OfPlatform daemon(String name, InetSocketAddress bound) {
        return Thread.ofPlatform().name(name + bound.getPort()).daemon(true);
    }

    /**
     * The host's one timer thread (handshake deadlines, paced upload acks, presence batches): for
     * short tasks that only queue frames.
     */
    ScheduledExecutorService timer() {
        return deadlines;
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
    public Fingerprint fingerprint() {
        return security.fingerprint();
    }

    public String roomName() {
        return room.name();
    }

    public List<String> members() {
        HostedRoom h = hosted;
        return h == null ? room.members() : h.members();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops hosting: tells every member the room closed, closes the listening socket and every
     * connection, and waits for all of the host's threads to end.
     */
    @Override
    public void close() {
        List<Peer> all;
        synchronized (lock) {
            if (stopping || server == null) {
                return;
            }
            stopping = true;
            hosted.closing(); // from now on departures make no events, and nobody is admitted
            all = new ArrayList<>(peers);
        }
        FramedSocket.closeQuietly(server);
        heartbeatThread.interrupt();
        deadlines.shutdownNow();
        retention.close();
        var closing = new Message.Closing("The host closed the room.");
        all.parallelStream().forEach(p -> {
            if (p.joined()) {
                p.socket().closeAfter(closing, 2000);
            } else {
                p.socket().closeNow(); // not yet a member (maybe mid-TLS-handshake): nothing to tell
            }
        });
        for (Thread t : threads) {
            try {
                if (!t.join(Duration.ofSeconds(5))) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        hosted.closeStore();
        listener.stopped();
        stopped.countDown();
    }

    /** The room's persistent identity (from its history file), or null before start. */
    public String roomId() {
        HostedRoom h = hosted;
        return h == null ? null : h.roomId();
    }

    /** The seq of the newest event. */
    public long lastSeq() {
        HostedRoom h = hosted;
        return h == null ? room.lastSeq() : h.lastSeq();
    }

    /** Host threads still alive (accept, heartbeat, readers, writers). For tests and diagnostics. */
    public long liveThreads() {
        return threads.stream().filter(Thread::isAlive).count();
    }

    /** Waits up to {@code timeout} for the given number of members (tests, CLI). */
    public boolean awaitMembers(int count, long timeout, TimeUnit unit) throws InterruptedException {
        return hosted.awaitMembers(count, timeout, unit);
    }

    // ------------------------------------------------------------------ for the peers

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

    /** The room, once started. */
    HostedRoom room() {
        return hosted;
    }

    /** A peer's connection ended, whatever the cause: it leaves the room (if it was in) and is forgotten. */
    void ended(Peer peer, String reason) {
        peers.remove(peer);
        if (hosted.leave(peer, reason)) {
            listener.left(peer.nick(), reason);
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
                    var peer =
                            new Peer(this, socket, wrap(socket), "confab-session-" + connectionIds.incrementAndGet());
                    synchronized (lock) {
                        if (stopping) {
                            socket.close();
                            return;
                        }
                        peers.add(peer);
                    }
                    peer.start();
                    try {
                        deadlines.schedule(
                                peer::handshakeDeadline,
                                config.handshakeTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closing) {
                        // the host is stopping: the peer is closed with the rest
                    }
                } catch (IOException e) {
                    FramedSocket.closeQuietly(socket);
                }
            }
        } finally {
            untrack(Thread.currentThread());
        }
    }

    /**
     * Layers TLS over an accepted socket (server mode, TLS 1.3 only). No I/O happens here: the
     * handshake runs on the peer's own thread, under the handshake deadline.
     */
    private Socket wrap(Socket socket) throws IOException {
        if (tls == null) {
            return socket;
        }
        var ssl = (SSLSocket) tls.getSocketFactory()
                .createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
        return ssl;
    }

    private void heartbeatLoop() {
        long nonce = 0;
        try {
            while (!stopping) {
                Thread.sleep(config.heartbeat());
                hosted.toEveryone(JsonCodec.encodeFrame(new Message.Ping(++nonce)));
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            untrack(Thread.currentThread());
        }
    }
}
