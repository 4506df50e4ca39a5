package org.confab.net;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.confab.core.Addresses;
import org.confab.core.ChatMessage;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.InviteLink.Candidate;
import org.confab.core.Moderation;
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.core.TokenBucket;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.FileChunk;
import org.confab.protocol.Message;
import org.confab.store.ClientStore;
import org.confab.store.OutboxEntry;
import org.confab.store.StoredEvent;

/**
 * A member's lasting connection to one room: a {@link RoomLink} that comes back by itself.
 * <ul>
 *   <li><b>Resume.</b> Every event is cached in the {@link ClientStore}; after a drop the client
 *       reconnects with exponential backoff and jitter ({@link Backoff}) and sends
 *       {@code resume: {room, lastSeq}}; the host sends exactly the events it missed, so the
 *       listener hears each event once, in order, across drops and host restarts.</li>
 *   <li><b>Outbox.</b> {@link #send} first saves the message with a client id ({@code cid}) in the
 *       store's outbox, then sends it when connected. It stays there until the host's echo (the
 *       event carrying that cid) or ack arrives; after a reconnect everything still in the outbox
 *       is sent again, and the host drops the duplicates. So a message is delivered exactly once
 *       even if it was written offline or the app was restarted in between.</li>
 *   <li><b>Pacing.</b> Sends respect the rate the host announces; a {@code rate-limited} refusal
 *       puts the message back and it is retried after the time the host gives.</li>
 * </ul>
 * Threads: one timer thread (virtual) runs reconnect attempts and delayed flushes; events come on
 * the current {@link RoomLink}'s reader thread.
 */
public final class RoomConnection implements AutoCloseable {
    /** Where a message written by this client is. */
    public enum MessageState {
        /** Saved in the outbox; not written to a connection yet (offline, or waiting for the rate limit). */
        PENDING,
        /** Written to the current connection; waiting for the host's echo. */
        SENT,
        /** The host has it: its echo (or ack) with the message's seq arrived. Final. */
        DELIVERED,
        /** The host refused it for good (empty or too long); removed from the outbox. Final. */
        FAILED
    }

    /** How long a first join keeps trying after a transient failure, unless told otherwise. */
    public static final Duration FIRST_JOIN_RETRY = Duration.ofSeconds(15);

    /** What the connection is doing, for a status line or banner. */
    public enum State {
        IDLE,
        CONNECTING,
        CONNECTED,
        WAITING,
        ENDED
    }

    /**
     * Where and how to connect: the room's address ({@code host}, {@code port}: the one it is known
     * and cached by) and, from a multi-address invite link, its {@code alternates}; every join and
     * reconnect tries them all (Happy Eyeballs, the one that worked last first).
     */
    public record Options(
            String host,
            int port,
            String nick,
            Duration connectTimeout,
            Duration idleTimeout,
            Backoff backoff,
            boolean reconnectAfterRoomClosed,
            JoinOptions security,
            List<Candidate> alternates) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(nick, "nick");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(security, "security");
            alternates = alternates == null ? List.of() : List.copyOf(alternates);
        }

        /** Encrypted, nothing pinned: set the key with {@link #withSecurity} (invite link, known rooms). */
        public static Options defaults(String host, int port, String nick) {
            return new Options(
                    host,
                    port,
                    nick,
                    RoomLink.DEFAULT_CONNECT_TIMEOUT,
                    HostConfig.DEFAULT_IDLE_TIMEOUT,
                    Backoff.DEFAULT,
                    false,
                    JoinOptions.secure(),
                    List.of());
        }

        /** The room an invite link names: its first address, and the others as alternates. */
        public static Options of(InviteLink link, String nick) {
            return defaults(link.host(), link.port(), nick).withAlternates(link.alternates());
        }

        public Options withTimeouts(Duration connect, Duration idle) {
            return new Options(
                    host, port, nick, connect, idle, backoff, reconnectAfterRoomClosed, security, alternates);
        }

        public Options withBackoff(Backoff b) {
            return new Options(
                    host, port, nick, connectTimeout, idleTimeout, b, reconnectAfterRoomClosed, security, alternates);
        }

        /** Keep trying after the host closed the room on purpose (default: that ends the connection). */
        public Options withReconnectAfterRoomClosed(boolean yes) {
            return new Options(host, port, nick, connectTimeout, idleTimeout, backoff, yes, security, alternates);
        }

        /** How the room's key is checked, and the room password. */
        public Options withSecurity(JoinOptions s) {
            return new Options(
                    host, port, nick, connectTimeout, idleTimeout, backoff, reconnectAfterRoomClosed, s, alternates);
        }

        /** Further addresses of the same room (a multi-address invite link's {@code alt}). */
        public Options withAlternates(List<Candidate> more) {
            return new Options(
                    host, port, nick, connectTimeout, idleTimeout, backoff, reconnectAfterRoomClosed, security, more);
        }

        /** Every address to try: the room's, then the alternates (duplicates dropped, at most {@link InviteLink#MAX_CANDIDATES}). */
        public List<Candidate> candidates() {
            return new InviteLink(host, port).withAlternates(alternates).candidates();
        }

        public String address() {
            return Addresses.hostPort(host, port);
        }
    }

    private final Options options;
    /** The key check and password for every (re)connect; pinned to the room's key after the first join. */
    private volatile JoinOptions security;

    private final ClientStore store;
    private final boolean ownsStore;
    private final RoomConnectionListener listener;
    private final ScheduledExecutorService timer;
    /** Writes {@link #sendLater} messages to the outbox, one at a time, in order. */
    private final ExecutorService outboxWriter = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("confab-outbox").factory());

    private final Object lock = new Object();
    private final Object outboxLock = new Object();
    private final FileTransfers files;

    // guarded by lock
    private State state = State.IDLE;
    private RoomLink client;
    private Link link;
    private int attempt;
    private ScheduledFuture<?> pendingAttempt;
    private boolean leaving;
    private volatile String nick;
    private volatile Message.Welcome welcome;
    private volatile Joined joined;

    // guarded by outboxLock
    /** Mirror of the store's outbox, in order (the store is the durable copy). */
    private final LinkedHashMap<String, OutboxEntry> outbox = new LinkedHashMap<>();
    /** Outbox messages not yet written to the current link, in order (all of them after each join). */
    private ArrayDeque<OutboxEntry> unsent = new ArrayDeque<>();

    private long pausedUntilNanos;
    private ScheduledFuture<?> pendingFlush;
    private TokenBucket pace = new TokenBucket(HostConfig.DEFAULT_RATE_PER_SECOND, HostConfig.DEFAULT_BURST);

    /** The address the last join reached the room at: tried first next time. */
    private volatile Candidate lastVia;

    private volatile long lastSeq;
    /** Ended for good (read without the state lock by awaitDelivered, which holds the outbox's). */
    private volatile boolean over;

    /**
     * @param store where the history cache and the outbox live (the caller owns and closes it);
     *              null = in memory only (nothing survives a restart of the program)
     */
    public RoomConnection(Options options, ClientStore store, RoomConnectionListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.security = options.security();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ownsStore = store == null;
        this.store = store == null ? ClientStore.inMemory() : store;
        this.files = new FileTransfers(this.store);
        this.nick = options.nick();
        this.lastSeq = this.store.lastSeq();
        for (OutboxEntry e : this.store.outbox()) {
            outbox.put(e.cid(), e);
        }
        var executor = new ScheduledThreadPoolExecutor(
                1, Thread.ofVirtual().name("confab-connection-timer").factory());
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
    }

    // ------------------------------------------------------------------ public API

    /** This member's file uploads and downloads (§18), which go on by themselves after a reconnect. */
    public FileTransfers files() {
        return files;
    }

    /** The newest cached events (oldest first), to show the room's past before (re)connecting. */
    public List<StoredEvent> cachedHistory(int max) {
        return store.recent(max);
    }

    /** Messages written and not yet delivered, oldest first. */
    public List<OutboxEntry> pending() {
        synchronized (outboxLock) {
            return List.copyOf(outbox.values());
        }
    }

    /**
     * Waits until every message written so far is delivered (or refused for good), the connection
     * has ended, or {@code timeout} has passed; true if nothing is left undelivered. What
     * {@link #sendLater} still has to write counts too. The terminal client calls it before it
     * leaves, so that lines typed last are not left behind.
     */
    public boolean awaitDelivered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // what sendLater handed over is written first (the outbox thread runs in order)
        var written = new CountDownLatch(1);
        try {
            outboxWriter.execute(written::countDown);
        } catch (RejectedExecutionException closed) {
            written.countDown();
        }
        if (!written.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        synchronized (outboxLock) {
            while (!outbox.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || over) {
                    return outbox.isEmpty();
                }
                outboxLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return true;
        }
    }

    /** How many messages written are not delivered yet (cheap: no copy). */
    public int undelivered() {
        synchronized (outboxLock) {
            return outbox.size();
        }
    }

    /** Full-text search of the cached messages, newest first (at most 200). */
    public List<ChatMessage> search(String query) {
        return store.search(query, 200);
    }

    /**
     * Joins now, on the caller's thread; throws if this first join fails (the UI's join dialog
     * shows why). From then on, drops are repaired in the background.
     */
    public void connect() throws JoinException {
        connect(Duration.ZERO);
    }

    /**
     * As {@link #connect()}, but a first attempt that fails for a transient reason (the
     * connection was cut in some phase: {@link JoinException.Reason#transientFailure()}) is tried
     * again under the backoff, each wait told to {@link RoomConnectionListener#reconnecting}, until
     * {@code retryFor} has passed; then the last failure is thrown. Any other failure is thrown at once.
     */
    public void connect(Duration retryFor) throws JoinException {
        synchronized (lock) {
            if (state != State.IDLE) {
                throw new IllegalStateException("already started");
            }
            state = State.CONNECTING;
        }
        long deadline = System.nanoTime() + retryFor.toNanos();
        for (int k = 1; ; k++) {
            try {
                connectOnce();
                return;
            } catch (JoinException e) {
                long delay = options.backoff().delayMillis(k, ThreadLocalRandom.current()::nextDouble);
                boolean again = e.reason().transientFailure()
                        && System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) < deadline
                        && !leavingNow();
                if (again) {
                    listener.reconnecting(delay, k, e.getMessage());
                    try {
                        Thread.sleep(delay); // the backoff itself
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        again = false;
                    }
                }
                if (!again) {
                    synchronized (lock) {
                        state = State.IDLE;
                    }
                    throw e;
                }
            }
        }
    }

    private boolean leavingNow() {
        synchronized (lock) {
            return leaving;
        }
    }

    /** Starts joining in the background, retrying with backoff until it works (e.g. after a restart, offline). */
    public void start() {
        synchronized (lock) {
            if (state != State.IDLE) {
                throw new IllegalStateException("already started");
            }
            state = State.CONNECTING;
            pendingAttempt = timer.schedule(this::attemptInBackground, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** While waiting to reconnect: try now instead of at the end of the delay. */
    public void retryNow() {
        synchronized (lock) {
            if (state != State.WAITING) {
                return;
            }
            if (pendingAttempt != null) {
                pendingAttempt.cancel(false);
            }
            state = State.CONNECTING;
            pendingAttempt = timer.schedule(this::attemptInBackground, 0, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes a message: saved in the outbox (durable on return) and sent as soon as possible.
     * Returns its outbox entry; {@code cid()} identifies it in {@link RoomConnectionListener#messageState}
     * and in the echoed event. Throws {@link IllegalArgumentException} (with a sentence) if the
     * text is empty or too long.
     */
    public OutboxEntry send(String text) {
        return send(text, 0);
    }

    /** As {@link #send(String)}, a reply to message {@code replyTo} (0: none). */
    public OutboxEntry send(String text, long replyTo) {
        OutboxEntry entry = prepare(text, replyTo);
        write(entry);
        return entry;
    }

    /** As {@link #send(String)}, a direct message to member {@code to}: kept in the outbox like any. */
    public OutboxEntry sendDirect(String to, String text) {
        OutboxEntry entry = prepare(text, 0, to);
        write(entry);
        return entry;
    }

    /**
     * Changes my message {@code seq} to read {@code text}. Not kept in the outbox: false if not
     * connected right now (the caller says so). The host answers with an {@code edited} event for
     * everyone, or an error ({@code not-allowed}: not mine, too old, deleted) to {@link
     * RoomConnectionListener#error}. Throws {@link IllegalArgumentException} for an empty or too
     * long text.
     */
    public boolean edit(long seq, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("An edit cannot be empty: delete the message instead.");
        }
        if (text.length() > maxText()) {
            throw new IllegalArgumentException(
                    "Message too long (" + text.length() + " characters; the limit is " + maxText() + ").");
        }
        return change(new Message.Edit(seq, text));
    }

    /**
     * Tells the others we are typing, at most once every {@link #TYPING_EVERY}: call it on every
     * keystroke. Never kept, never sent while disconnected.
     */
    public void typing() {
        long now = typingClock.getAsLong();
        if (now - lastTypingSent < TYPING_EVERY.toNanos()) {
            return;
        }
        RoomLink c = currentClient();
        if (c != null && c.typing()) {
            lastTypingSent = now;
        }
    }

    /**
     * My availability in this room: {@code state} online, away or dnd, with a short text. Kept,
     * and told again after every reconnect; false if it could not be told now (it will be).
     */
    public boolean presence(String state, String text) {
        status = new Message.Status(state, text);
        RoomLink c = currentClient();
        return c != null && c.presence(state, text);
    }

    private volatile Message.Status status = Message.Status.ONLINE;

    /** Someone asked for the whole member list ({@link #watchMembers}); kept across reconnects. */
    private volatile boolean watchWanted;

    /**
     * Asks for the whole member list and its changes from now on ({@code on}), or stops them, in
     * a room whose host loads it lazily (docs/protocol.md §20); kept, and asked again after every
     * reconnect. The list comes as {@link RoomConnectionListener#memberList}.
     */
    public void watchMembers(boolean on) {
        watchWanted = on;
        RoomLink c = currentClient();
        if (c != null) {
            c.watchMembers(on);
        }
    }

    /**
     * A read receipt: I have read the room up to {@code seq}. Sent only forward and only while
     * connected (never kept: the next one says more).
     */
    public void read(long seq) {
        synchronized (readLock) {
            if (seq <= readWanted) {
                return;
            }
            readWanted = seq;
            long wait = lastReadAt + READ_EVERY.toNanos() - System.nanoTime();
            if (wait > 0) { // at most one every READ_EVERY: the newest then goes out at the end of the wait
                if (pendingRead == null || pendingRead.isDone()) {
                    try {
                        pendingRead = timer.schedule(this::sendRead, wait, TimeUnit.NANOSECONDS);
                    } catch (RejectedExecutionException closed) {
                        // closing
                    }
                }
                return;
            }
        }
        sendRead();
    }

    private void sendRead() {
        RoomLink c = currentClient();
        long seq;
        synchronized (readLock) {
            seq = readWanted;
            if (c == null || seq <= lastReadSent) {
                return;
            }
            lastReadAt = System.nanoTime();
        }
        if (c.read(seq)) {
            lastReadSent = seq;
        }
    }

    /**
     * A read receipt for the direct conversation with {@code with}: told to that member alone,
     * only forward (direct conversations are slow enough to need no pacing).
     */
    public void readDirect(String with, long seq) {
        String key = NicknameRules.key(with);
        synchronized (readLock) {
            if (seq <= directReads.getOrDefault(key, 0L)) {
                return;
            }
        }
        RoomLink c = currentClient();
        if (c != null && c.read(seq, with)) {
            synchronized (readLock) {
                directReads.put(key, seq);
            }
        }
    }

    private final Map<String, Long> directReads = new HashMap<>();

    /** At most one read receipt this often. */
    public static final Duration READ_EVERY = Duration.ofSeconds(2);

    private final Object readLock = new Object();
    private long readWanted;
    private long lastReadAt = System.nanoTime() - READ_EVERY.toNanos();
    private ScheduledFuture<?> pendingRead;
    private volatile long lastReadSent;

    /** How often a typing signal goes out while the person types. */
    public static final Duration TYPING_EVERY = Duration.ofSeconds(3);

    /** The clock {@link #typing()} paces itself by, in nanoseconds (a test's own clock instead). */
    private volatile LongSupplier typingClock = System::nanoTime;

    private volatile long lastTypingSent = System.nanoTime() - TYPING_EVERY.toNanos();

    /** Paces {@link #typing()} by {@code nanos} from now on (tests: no waiting three seconds). */
    void typingClock(LongSupplier nanos) {
        typingClock = nanos;
        lastTypingSent = nanos.getAsLong() - TYPING_EVERY.toNanos();
    }

    /** Deletes message {@code seq} (mine); false if not connected right now. */
    public boolean delete(long seq) {
        return change(new Message.Delete(seq));
    }

    /** Adds ({@code on}) or takes back reaction {@code emoji} on message {@code seq}; false if not connected. */
    public boolean react(long seq, String emoji, boolean on) {
        return change(new Message.React(seq, emoji, on));
    }

    /**
     * Sets the room's topic (empty: none); host and moderators only. False if not connected; a
     * refusal arrives as a {@code not-allowed} error.
     */
    public boolean setTopic(String text) {
        return change(new Message.SetTopic(text == null ? "" : text.strip()));
    }

    /**
     * A moderator's act on member {@code nick} (docs/protocol.md §15): {@code minutes} for a mute,
     * else 0. False if not connected; a refusal arrives as a {@code not-allowed} error.
     */
    public boolean moderate(Moderation.Action action, String nick, String reason, long minutes) {
        return change(new Message.Moderate(action.wire(), nick, reason, minutes));
    }

    private boolean change(Message m) {
        RoomLink c = currentClient();
        return c != null && c.change(m);
    }

    /**
     * Checks a message and gives it its client id, without any I/O: the UI shows it as pending at
     * once and hands it to {@link #sendLater}. Throws as {@link #send} does.
     */
    public OutboxEntry prepare(String text) {
        return prepare(text, 0);
    }

    /** As {@link #prepare(String)}, a reply to message {@code replyTo} (0: none). */
    public OutboxEntry prepare(String text, long replyTo) {
        return prepare(text, replyTo, null);
    }

    /**
     * As {@link #prepare(String, long)}, a direct message to member {@code to} (null: the room):
     * only {@code to} and the room's host can read it (docs/protocol.md §16).
     */
    public OutboxEntry prepare(String text, long replyTo, String to) {
        if (to != null && to.isBlank()) {
            throw new IllegalArgumentException("Whom to? Name a member.");
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Empty message not sent.");
        }
        int max = maxText();
        if (text.length() > max) {
            throw new IllegalArgumentException(
                    "Message too long (" + text.length() + " characters; the limit is " + max + ").");
        }
        ensureNotEnded();
        return new OutboxEntry(
                UUID.randomUUID().toString(),
                text,
                Instant.now(),
                Math.max(0, replyTo),
                to == null ? null : to.strip());
    }

    /**
     * As {@link #send}, for a thread that must not wait for the disk (the FX thread): the outbox
     * write and the send happen on this connection's own outbox thread, in the order of the calls.
     * The message is PENDING from this call on (the caller shows it so; no state is reported for
     * that), then SENT and DELIVERED as for {@link #send}. {@link #close} writes what is queued first.
     */
    public void sendLater(OutboxEntry entry) {
        ensureNotEnded();
        try {
            outboxWriter.execute(() -> write(entry));
        } catch (RejectedExecutionException closed) {
            throw new IllegalStateException("This connection has ended.");
        }
    }

    private void ensureNotEnded() {
        synchronized (lock) {
            if (state == State.ENDED) {
                throw new IllegalStateException("This connection has ended.");
            }
        }
    }

    /** Saves a message in the outbox (durable on return), then sends what can be sent. */
    private void write(OutboxEntry entry) {
        synchronized (outboxLock) {
            store.enqueue(entry);
            outbox.put(entry.cid(), entry);
            unsent.add(entry);
        }
        flush();
    }

    /** Asks to be renamed; false if not connected right now. */
    public boolean rename(String newNick) {
        RoomLink c = currentClient();
        return c != null && c.rename(newNick);
    }

    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Our nickname in the room (follows renames). */
    public String nick() {
        return nick;
    }

    /** The room's key this connection checks (pinned by the link, or the one accepted at the first join); null over plain TCP or before. */
    public Fingerprint roomKey() {
        return security.insecure() ? null : security.pinned();
    }

    /** What the room said at the latest join; null before the first. */
    public Joined welcome() {
        return joined;
    }

    /** The seq of the newest event this client has. */
    public long lastSeq() {
        return lastSeq;
    }

    public Options options() {
        return options;
    }

    /** Leaves in order and stops reconnecting; the listener hears {@code ended(LEFT)}. */
    public void leave() {
        RoomLink c;
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            leaving = true;
            if (state == State.IDLE) {
                state = State.ENDED; // never started (or the first connect failed): nothing to report
                return;
            }
            if (pendingAttempt != null) {
                pendingAttempt.cancel(false);
            }
            c = client;
        }
        if (c != null && c.isConnected()) {
            c.leave(); // its disconnected(LEFT) ends us
        }
        end(new Disconnect(Disconnect.Kind.LEFT, "You left the room."));
    }

    /** Leaves (if connected) and releases the timer thread. Does not close a store given by the caller. */
    @Override
    public void close() {
        outboxWriter.shutdown(); // what was handed to sendLater is written (and sent if it can be) first
        try {
            outboxWriter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leave();
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsStore) {
            store.close();
        }
    }

    /**
     * The address the current (or last) connection reached the room at: the room's own, or one of
     * the alternates of its invite link; null before the first join.
     */
    public String connectedVia() {
        Candidate v = lastVia;
        return v == null ? null : v.address();
    }

    /** For tests: drops the current connection abruptly, as a network failure would. */
    void dropForTest() {
        RoomLink c = currentClient();
        if (c != null) {
            c.abort();
        }
    }

    // ------------------------------------------------------------------ connecting

    private RoomLink currentClient() {
        synchronized (lock) {
            return state == State.CONNECTED ? client : null;
        }
    }

    private int maxText() {
        Message.Welcome w = welcome;
        return w != null && w.limits() != null && w.limits().maxText() > 0
                ? w.limits().maxText()
                : Room.MAX_MESSAGE_LENGTH;
    }

    private void attemptInBackground() {
        synchronized (lock) {
            if (leaving || state == State.ENDED) {
                return;
            }
            state = State.CONNECTING;
        }
        try {
            connectOnce();
        } catch (JoinException e) {
            if (e.reason().retryable()
                    || e.reason() == JoinException.Reason.ROOM_CLOSED && options.reconnectAfterRoomClosed()) {
                scheduleReconnect(e.getMessage());
            } else {
                end(new Disconnect(
                        switch (e.reason()) {
                            case ROOM_CLOSED -> Disconnect.Kind.ROOM_CLOSED;
                            case BANNED -> Disconnect.Kind.REMOVED;
                            default -> Disconnect.Kind.DROPPED;
                        },
                        e.getMessage()));
            }
        } catch (RuntimeException e) {
            scheduleReconnect("Unexpected error: " + e.getMessage());
        }
    }

    private void scheduleReconnect(String reason) {
        long delay;
        int k;
        synchronized (lock) {
            if (leaving || state == State.ENDED) {
                return;
            }
            k = ++attempt;
            delay = options.backoff().delayMillis(k, ThreadLocalRandom.current()::nextDouble);
            state = State.WAITING;
            client = null;
            link = null;
            try {
                pendingAttempt = timer.schedule(this::attemptInBackground, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                return;
            }
        }
        listener.reconnecting(delay, k, reason);
    }

    private void connectOnce() throws JoinException {
        String roomId = store.roomId();
        var resume = new Message.Resume(roomId, roomId == null ? 0 : store.lastSeq());
        var l = new Link();
        RoomLink c = RoomLink.connect(
                HappyEyeballs.preferring(options.candidates(), lastVia),
                nick,
                security,
                options.connectTimeout(),
                options.idleTimeout(),
                resume,
                l);
        if (c.fingerprint() != null && security.pinned() == null) {
            security = security.withPinned(
                    c.fingerprint(),
                    JoinOptions.PinSource.SEEN); // reconnects check the very key accepted now, asking nothing
        }
        lastVia = c.via();
        Message.Welcome w = c.welcome();
        boolean stale;
        synchronized (lock) {
            stale = leaving || state == State.ENDED;
            if (!stale) {
                client = c;
                link = l;
                l.client = c;
                state = State.CONNECTED;
                attempt = 0;
            }
        }
        if (stale) {
            l.ready.countDown();
            c.leave();
            return;
        }
        welcome = w;
        joined = Joined.of(w);
        synchronized (outboxLock) {
            unsent = new ArrayDeque<>(outbox.values());
            if (w.limits() != null
                    && w.limits().ratePerSecond() > 0
                    && w.limits().burst() > 0) {
                pace = new TokenBucket(w.limits().ratePerSecond(), w.limits().burst());
            }
        }
        listener.connected(joined);
        if (w.lazy() && watchWanted) {
            c.watchMembers(true); // asked for before a reconnect: asked again
        }
        lastReadSent = 0; // a new connection: the host learns it again
        synchronized (readLock) {
            readWanted = 0;
            directReads.clear();
        }
        if (!status.equals(Message.Status.ONLINE)) {
            c.presence(status.state(), status.text()); // the room hears it again after a reconnect
        }
        var answer = w.resume();
        boolean resumed = answer != null && answer.status() != Message.ResumeResult.Status.NEW && w.roomId() != null;
        if (resumed) {
            l.flushAfterSeq = w.lastSeq();
            listener.resumed(answer.missed(), answer.status() == Message.ResumeResult.Status.GAP);
        } else {
            // a fresh start in this room (first join, or the room at this address is not the cached one)
            String rid = w.roomId() != null ? w.roomId() : "v1-" + UUID.randomUUID();
            boolean reset = !rid.equals(store.roomId()) || store.lastSeq() > w.lastSeq();
            if (reset) {
                boolean hadHistory = store.lastSeq() > 0;
                store.startRoom(rid, true);
                lastSeq = 0;
                if (hadHistory) {
                    listener.historyReset();
                }
            }
            var fresh = new ArrayList<StoredEvent>();
            for (RoomEvent e : w.history()) {
                if (e.seq() > lastSeq) {
                    fresh.add(new StoredEvent(e, null));
                }
            }
            store.append(fresh);
            for (StoredEvent s : fresh) {
                lastSeq = s.seq();
                listener.event(s.event(), null);
            }
            l.flushAfterSeq = 0;
            l.flushed = true;
        }
        l.ready.countDown();
        files.connected(c);
        if (!resumed) {
            flush();
        }
    }

    private void end(Disconnect why) {
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            client = null;
            link = null;
            if (pendingAttempt != null) {
                pendingAttempt.cancel(false);
            }
        }
        synchronized (outboxLock) {
            if (pendingFlush != null) {
                pendingFlush.cancel(false);
            }
            over = true;
            outboxLock.notifyAll(); // awaitDelivered: nothing more will be delivered
        }
        listener.ended(why);
    }

    // ------------------------------------------------------------------ outbox

    /** Sends, in order, every outbox message not yet written to the current connection. */
    private void flush() {
        RoomLink c;
        Link l;
        synchronized (lock) {
            c = state == State.CONNECTED ? client : null;
            l = link;
        }
        if (c == null || l == null || !l.flushed) {
            return;
        }
        synchronized (outboxLock) {
            long now = System.nanoTime();
            if (now < pausedUntilNanos) {
                scheduleFlush(pausedUntilNanos - now);
                return;
            }
            for (OutboxEntry e; (e = unsent.peek()) != null; ) {
                if (!outbox.containsKey(e.cid())) {
                    unsent.poll(); // delivered (an echo of an earlier link) or refused meanwhile
                    continue;
                }
                if (!pace.tryTake(System.nanoTime())) {
                    long wait = pace.millisUntilNext(System.nanoTime());
                    pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                    scheduleFlush(TimeUnit.MILLISECONDS.toNanos(wait));
                    return;
                }
                if (e.to() != null && !c.welcome().caps().contains(Message.CAP_DM)) {
                    // never as a room message: a host that does not know "to" would post it to everyone
                    unsent.poll();
                    OutboxEntry refused = e;
                    if (forget(refused.cid())) {
                        listener.messageState(refused.cid(), MessageState.FAILED);
                        listener.error(
                                ErrorCode.NOT_ALLOWED.wire(),
                                "This room's host does not support direct messages (it needs a newer Confab);"
                                        + " your message to " + refused.to() + " was not sent.");
                    }
                    continue;
                }
                if (!c.send(e.text(), e.cid(), e.replyTo(), e.to())) {
                    if (c.isConnected()) {
                        scheduleFlush(
                                TimeUnit.MILLISECONDS.toNanos(2)); // the link's queue is full: go on when it drained
                    }
                    return; // else dropped meanwhile: the next connection sends it
                }
                unsent.poll();
                // told under the lock, so SENT always comes before the DELIVERED of the same message
                listener.messageState(e.cid(), MessageState.SENT);
            }
        }
    }

    private void scheduleFlush(long nanos) {
        if (pendingFlush != null && !pendingFlush.isDone()) {
            return;
        }
        try {
            pendingFlush = timer.schedule(
                    () -> {
                        synchronized (outboxLock) {
                            pendingFlush = null;
                        }
                        flush();
                    },
                    Math.max(1, nanos),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // closing
        }
    }

    private void delivered(String cid) {
        if (cid != null && forget(cid)) {
            listener.messageState(cid, MessageState.DELIVERED);
        }
    }

    /** Takes a message out of the outbox (delivered, or refused for good); false if not ours or already gone. */
    private boolean forget(String cid) {
        synchronized (outboxLock) {
            if (outbox.remove(cid) == null) {
                return false;
            }
            store.removeFromOutbox(cid);
            outboxLock.notifyAll();
            return true;
        }
    }

    // ------------------------------------------------------------------ one connection's events

    /** Listens to one {@link RoomLink}; holds its events back until its welcome is processed. */
    private final class Link implements LinkListener {
        final CountDownLatch ready = new CountDownLatch(1);
        volatile RoomLink client;
        volatile long flushAfterSeq;
        volatile boolean flushed;

        @Override
        public void event(RoomEvent event) {
            event(event, null);
        }

        @Override
        public void event(RoomEvent event, String cid) {
            awaitReady();
            if (event.seq() > lastSeq) {
                store.append(event, cid);
                lastSeq = event.seq();
                if (event instanceof RoomEvent.Renamed r && r.oldNick().equals(nick)) {
                    nick = r.newNick();
                }
                listener.event(event, cid);
                if (cid != null && event instanceof RoomEvent.Posted p) {
                    delivered(cid);
                    if (p.message().file() != null) {
                        files.posted(cid, p.message().file());
                    }
                }
            }
            if (!flushed && event.seq() >= flushAfterSeq) {
                flushed = true; // caught up: now send what is still in the outbox
                flush();
            }
        }

        @Override
        public void ack(String cid, long seq) {
            awaitReady();
            delivered(cid);
        }

        @Override
        public void file(Message m) {
            awaitReady();
            files.message(client, m);
        }

        @Override
        public void chunk(FileChunk c) {
            awaitReady();
            files.chunk(client, c);
        }

        @Override
        public void typing(String who) {
            listener.typing(who);
        }

        @Override
        public void memberList(long seq, List<String> members) {
            awaitReady(); // after the welcome's history, which it supersedes
            listener.memberList(members, seq);
        }

        @Override
        public void memberCount(int members) {
            awaitReady();
            listener.memberCount(members);
        }

        @Override
        public void presence(String who, String state, String text) {
            listener.presence(who, state, text);
        }

        @Override
        public void read(String who, long seq, boolean direct) {
            listener.read(who, seq, direct);
        }

        @Override
        public void error(ErrorCode code, String text, String cid, long retryAfterMillis) {
            awaitReady();
            if (code == ErrorCode.FILE_REFUSED && cid != null && files.refused(cid, text)) {
                return; // the transfer's listener was told
            }
            if (cid != null && (code == ErrorCode.RATE_LIMITED || code == ErrorCode.INTERNAL)) {
                synchronized (outboxLock) {
                    // later messages may have been refused too: resend all not yet delivered, in order
                    unsent = new ArrayDeque<>(outbox.values());
                    long wait = Math.max(retryAfterMillis, 50);
                    pausedUntilNanos =
                            Math.max(pausedUntilNanos, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait));
                    scheduleFlush(TimeUnit.MILLISECONDS.toNanos(wait));
                }
                listener.messageState(cid, MessageState.PENDING);
                if (code == ErrorCode.INTERNAL) {
                    listener.error(code.wire(), text);
                }
                return;
            }
            if (cid != null && (code == ErrorCode.MESSAGE_INVALID || code == ErrorCode.NOT_ALLOWED) && forget(cid)) {
                listener.messageState(cid, MessageState.FAILED);
            }
            listener.error(code.wire(), text);
        }

        @Override
        public void disconnected(Disconnect why) {
            awaitReady();
            files.disconnected(client);
            boolean retry;
            synchronized (lock) {
                if (link != this) {
                    return; // an old connection
                }
                retry = !leaving
                        && switch (why.kind()) {
                            case LEFT -> false;
                            case ROOM_CLOSED -> options.reconnectAfterRoomClosed();
                            case DROPPED, LOST -> true;
                            case REMOVED -> false;
                        };
            }
            if (retry) {
                scheduleReconnect(why.text());
            } else {
                end(why);
            }
        }

        private void awaitReady() {
            try {
                ready.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
