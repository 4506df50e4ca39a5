package org.confab.net;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.core.MessageRules;
import org.confab.core.Moderation;
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.protocol.EncodedMembers;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.store.HostHistory;
import org.confab.store.StoreException;
import org.confab.store.StoredEvent;

/**
 * The room as the host runs it, under its one lock: admission (with the welcome and the resume
 * answer), posts, renames, departures, the fan-out of every event to the live members, and the
 * history file. Every mutation and its fan-out happen under the lock, so each member's queue
 * receives events in sequence order; the fan-out is a non-blocking offer of one shared encoded
 * frame. The room's rules themselves are {@link Room}'s (core); the network is {@link RoomHost}'s.
 *
 * <p>Group commit (a history file, {@link HostHistory#groupCommits}): a post is staged in the
 * history (not yet durable) and waits, with its fan-out, for the committer, one thread per room
 * that makes everything staged durable at once ({@link HostHistory#sync}: one fsync) and then, under
 * the lock, sends what waited in seq order. A join waits the same way (its welcome and its
 * fan-out; the joining reader waits for them, so a thousand members coming back at once share
 * fsyncs). Every other event (leaves, renames, changes, topic, moderation) is saved durably at
 * once, with everything staged before it, and what waited before it is sent first. So nothing
 * reaches anyone (fan-out, the sender's echo or ack, welcome, catch-up) before it is durable, and
 * everyone gets one order. Without a history file
 * (memory) a post is sent at once, as every other event.
 */
final class HostedRoom {
    private final HostConfig config;
    private final HostFiles files;
    private final HostListener listener;
    private final Room room;
    private final HostHistory store;
    /**
     * The room's lock. An explicit lock, not a monitor: the reader taking posts and the committer
     * sending them take it in turn thousands of times a second, and a contended monitor spins on
     * the CPU the other one needs (the ingest benchmark: 11,000 against 31,000 to 40,000 posts/s).
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled under the lock when the members change. */
    private final Condition changed = lock.newCondition();
    /** Members in the order they joined (the fan-out order); guarded by lock. */
    private final Set<Peer> members = new LinkedHashSet<>();

    private volatile boolean closing;
    /** Moderators, bans and mutes (saved beside the history after each change); guarded by lock. */
    private final Moderation moderation;
    /** The room's topic ("" for none); guarded by lock. */
    private String topic;
    /** The host's timer: sends the presence batch when its tick is over. */
    private final ScheduledExecutorService timer;
    /**
     * {@code joined} and {@code left} events not yet sent to the members that speak {@link
     * Message#CAP_BATCH}, oldest first (§19); guarded by lock. Sent as one {@code events} frame
     * when the tick is over, before any other event or signal, or when it is full.
     */
    private final List<RoomEvent> presenceBatch = new ArrayList<>();
    /** A send of {@link #presenceBatch} is scheduled on the timer; guarded by lock. */
    private boolean batchDue;
    /**
     * The members a welcome names beyond the list: not online, with a read mark, or the host
     * (kept as they change, so a welcome costs no walk over every member); guarded by lock.
     */
    private final Set<Peer> away = new LinkedHashSet<>();

    private final Set<Peer> readers = new LinkedHashSet<>();
    private final Set<Peer> owners = new LinkedHashSet<>();
    /** The members that do not speak {@link Message#CAP_BATCH}: a join or leave is a frame of its own to each of these only; guarded by lock. */
    private final Set<Peer> unbatched = new LinkedHashSet<>();
    /** The welcome's member list, encoded: a join appends to it; guarded by lock. */
    private final EncodedMembers encodedMembers = new EncodedMembers();
    /** Someone left or was renamed since {@link #encodedMembers} was made: rebuild it; guarded by lock. */
    private boolean membersStale = true;

    /**
     * Posts (and acks of retried posts) waiting for the committer, in the order they were taken
     * (their seqs rising, an ack's at most the seq before it); guarded by lock.
     */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    /** Every event up to this seq has been sent to the live members (or was never saved): what catch-up reads up to; guarded by lock. */
    private long sentSeq;
    /** The room's last seq when this host started on its history (0: a new room). */
    private final long startedAt;
    /** The committer (group commit), or null when a post is durable at once (memory). */
    private final Thread committer;
    /** Something was staged since the committer last looked. */
    private final AtomicBoolean commitDue = new AtomicBoolean();
    /** The committer ends (the host is stopping). */
    private volatile boolean committerStopped;

    /**
     * A post waiting for its commit: its fan-out ({@code event} and {@code cid}; {@code peer} is the
     * sender, told if it cannot be saved), or, with {@code event} null, the ack of a retry of it
     * (to {@code peer}).
     */
    private static final class Waiting {
        final long seq;
        final RoomEvent.Posted event;
        final String cid;
        final Peer peer;
        /** A join instead: what makes the member one once its join is durable (welcome, fan-out); else null. */
        final Runnable admit;
        /** Counted down once {@link #admit} ran. */
        final CountDownLatch admitted;
        /** The event's frame, encoded by the committer outside the room's lock; null until then. */
        volatile byte[] frame;

        Waiting(long seq, RoomEvent.Posted event, String cid, Peer peer) {
            this(seq, event, cid, peer, null);
        }

        private Waiting(long seq, RoomEvent.Posted event, String cid, Peer peer, Runnable admit) {
            this.seq = seq;
            this.event = event;
            this.cid = cid;
            this.peer = peer;
            this.admit = admit;
            this.admitted = admit == null ? null : new CountDownLatch(1);
        }

        /** A join waiting for its commit; {@code admit} runs under the lock once it is durable. */
        static Waiting join(long seq, Peer peer, Runnable admit) {
            return new Waiting(seq, null, null, peer, admit);
        }

        /** Under the lock: the join's turn (durable, or it could not be saved: membership is live state either way). */
        void admit() {
            admit.run();
            admitted.countDown();
        }
    }

    HostedRoom(
            HostConfig config,
            HostListener listener,
            Room room,
            HostHistory store,
            HostFiles files,
            ScheduledExecutorService timer) {
        this.timer = timer;
        this.files = files;
        this.config = config;
        this.listener = listener;
        this.room = room;
        this.store = store;
        this.moderation = Moderation.decode(setting(SETTING_MODERATION));
        this.topic = Objects.requireNonNullElse(setting(SETTING_TOPIC), "");
        this.sentSeq = room.lastSeq();
        this.startedAt = room.lastSeq();
        this.committer = store.groupCommits()
                ? Thread.ofPlatform()
                        .daemon(true)
                        .name("confab-commit-" + room.name())
                        .start(this::commitLoop)
                : null;
    }

    /**
     * The committer's loop: whenever something was staged, makes the history durable up to the
     * newest staged event (one fsync for all of them) and then sends what waited for it. If the
     * history cannot be saved any more, what waits is not posted and its senders are told.
     */
    private void commitLoop() {
        while (true) {
            while (!commitDue.getAndSet(false)) {
                if (committerStopped) {
                    return;
                }
                LockSupport.park(this);
            }
            long durable;
            StoreException failed = null;
            try {
                durable = store.sync();
            } catch (StoreException e) {
                failed = e;
                durable = store.durableSeq();
            }
            encodeOutsideTheLock(durable);
            boolean more = true;
            while (more) {
                lock.lock();
                try {
                    more = releaseSome(durable, RELEASE_SLICE);
                } finally {
                    lock.unlock();
                }
            }
            if (failed != null) {
                lock.lock();
                try {
                    listener.peerError(
                            "host", ErrorCode.INTERNAL.wire(), "Could not save messages: " + failed.getMessage());
                    dropWaiting(failed.getMessage());
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * The committer, before it takes the lock to send what {@code durable} released: encodes those
     * posts' frames (the dearest part of sending them), so the room's lock is held only to offer
     * the bytes and the reader taking the next posts waits less for it.
     */
    private void encodeOutsideTheLock(long durable) {
        List<Waiting> due = new ArrayList<>();
        lock.lock();
        try {
            for (Waiting w : waiting) {
                if (w.seq > durable) {
                    break;
                }
                if (w.event != null) {
                    due.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Waiting w : due) {
            w.frame = JsonCodec.encodeFrame(new Message.Event(w.event, w.cid));
        }
    }

    /**
     * Under the lock: sends at most {@code most} of the posts waiting with a seq up to {@code
     * durable}, in order; true if more such posts wait. The committer sends a released batch in
     * slices, taking the lock for each, so a reader taking new posts waits for one slice at most.
     */
    private boolean releaseSome(long durable, int most) {
        for (int i = 0; i < most; i++) {
            if (waiting.isEmpty() || waiting.peekFirst().seq > durable) {
                return false;
            }
            Waiting w = waiting.pollFirst();
            if (w.admit != null) {
                w.admit();
            } else if (w.event == null) {
                w.peer.socket().send(new Message.Ack(w.cid, w.seq));
            } else {
                send(w.event, w.cid, null, w.frame);
            }
        }
        return !waiting.isEmpty() && waiting.peekFirst().seq <= durable;
    }

    /** Under the lock: sends everything waiting with a seq up to {@code durable}, in order. */
    private void release(long durable) {
        releaseSome(durable, Integer.MAX_VALUE);
    }

    /**
     * Under the lock: what still waits could not be saved: it is not posted (nobody has seen it,
     * and a late joiner never will); each sender is told, as when a post cannot be saved at once.
     */
    private void dropWaiting(String why) {
        for (Waiting w = waiting.pollFirst(); w != null; w = waiting.pollFirst()) {
            if (w.admit != null) {
                // a join happens even if the file misses it (as persist: membership is live state);
                // its welcome, encoded when it came, may hold posts staged before it that this drop
                // takes back (their senders are told to send again): only when the disk fails
                w.admit();
                continue;
            }
            if (w.event != null) {
                room.forget(w.seq);
            }
            sentSeq = Math.max(sentSeq, w.seq);
            notSaved(w.peer, w.cid, why);
        }
    }

    /** Tells {@code sender} its post {@code cid} could not be saved and was not posted (it may send it again). */
    private static void notSaved(Peer sender, String cid, String why) {
        sender.socket()
                .send(new Message.Error(
                        ErrorCode.INTERNAL,
                        "The host could not save your message (" + why + "); it was not posted.",
                        false,
                        cid,
                        5000));
    }

    /**
     * Under the lock, before an event saved durably at once ({@code seq}) is sent: the posts
     * waiting before it go first. Its saving made them durable too; if it failed, the history is
     * synced once more, and what still is not durable is not posted.
     */
    private void releaseBefore(long seq) {
        if (waiting.isEmpty()) {
            return;
        }
        long durable = store.durableSeq();
        if (waiting.peekLast().seq > durable) {
            try {
                durable = store.sync();
            } catch (StoreException e) {
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save messages: " + e.getMessage());
            }
        }
        release(durable);
        if (!waiting.isEmpty() && waiting.peekFirst().seq < seq) {
            dropWaiting("the history file could not be saved");
        }
    }

    /** Under the lock: every post staged so far made durable and sent (the room is closing). */
    private void flushWaiting() {
        releaseBefore(Long.MAX_VALUE);
    }

    /** How many released posts the committer sends per hold of the room's lock. */
    private static final int RELEASE_SLICE = 16;

    static final String SETTING_MODERATION = "moderation";
    static final String SETTING_TOPIC = "topic";

    private String setting(String key) {
        try {
            return store.setting(key);
        } catch (StoreException e) {
            listener.peerError(
                    "host", ErrorCode.INTERNAL.wire(), "Could not read the room's " + key + ": " + e.getMessage());
            return null;
        }
    }

    /** The room's topic now ("" for none). */
    String topic() {
        lock.lock();
        try {
            return topic;
        } finally {
            lock.unlock();
        }
    }

    /** The role of a member now. */
    private Moderation.Role roleOf(Peer p) {
        return moderation.roleOf(p.memberKey(), p.owner());
    }

    String roomId() {
        return store.roomId();
    }

    long lastSeq() {
        lock.lock();
        try {
            return room.lastSeq();
        } finally {
            lock.unlock();
        }
    }

    List<String> members() {
        lock.lock();
        try {
            return room.members();
        } finally {
            lock.unlock();
        }
    }

    /** From now on nobody is admitted and departures make no events (the room's closing is the event). */
    void closing() {
        lock.lock();
        try {
            closing = true;
            flushWaiting(); // the posts taken before the room closed reach everyone
            sendPresenceBatch(); // what happened before the room closed reaches everyone
        } finally {
            lock.unlock();
        }
    }

    void closeStore() {
        if (committer != null) {
            committerStopped = true;
            LockSupport.unpark(committer);
            try {
                committer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
        files.close();
    }

    /** The files members shared and are sharing (§18). */
    HostFiles files() {
        return files;
    }

    /** Waits up to {@code timeout} for the given number of members (tests, CLI). */
    boolean awaitMembers(int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lock();
        try {
            while (room.members().size() != count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tries to admit a peer under {@code nick}; on success it is queued a welcome. With a
     * {@code resume} (extension client) the welcome answers it; when the resume applies, the peer
     * is left "catching up" and {@link #catchUp} sends it what it missed.
     */
    Room.JoinResult admit(Peer peer, String nick, Message.Resume resume) {
        Waiting pending = null;
        Room.JoinResult joined;
        lock.lock();
        try {
            if (closing) {
                return new Room.JoinResult(null, null, "The room is closing.");
            }
            long before = room.lastSeq();
            Moderation.Sanction ban = moderation.banned(nick, peer.memberKey(), peer.banAddress(), Instant.now());
            if (ban != null && !peer.owner()) {
                return new Room.JoinResult(null, Room.JoinRefusal.BANNED, Moderation.bannedSentence(ban));
            }
            var result = room.join(nick);
            joined = result;
            if (result.accepted()) {
                if (!membersStale) {
                    encodedMembers.add(nick);
                }
                // group commit: the join shares the committer's fsync with the joins and posts around
                // it, and its welcome and fan-out wait for it (the welcome says the room as of its
                // seq: what was staged before it is durable before the welcome leaves)
                boolean staged = committer != null && stage(result.event());
                if (!staged) {
                    persist(result.event());
                    releaseBefore(result.event().seq()); // the welcome and catch-up hold only what was sent
                }
                boolean resumes = resume != null
                        && store.roomId().equals(resume.room())
                        && resume.lastSeq() >= 0
                        && resume.lastSeq() <= before;
                if (peer.speaks(Message.CAP_LAZY_MEMBERS) && room.size() <= config.lazyMembersAbove()) {
                    peer.watch(true, 0); // §20: a room this small gives it the list and every join, as before
                }
                peer.joinSeq(result.event().seq());
                byte[] welcome;
                long catchUpFrom = 0;
                if (resumes) {
                    long from = resume.lastSeq() + 1;
                    long first = Math.max(1, store.firstSeq());
                    Message.ResumeResult answer = from >= first
                            ? new Message.ResumeResult(
                                    Message.ResumeResult.Status.COMPLETE, from, before - resume.lastSeq())
                            : new Message.ResumeResult(Message.ResumeResult.Status.GAP, first, before - first + 1);
                    catchUpFrom = answer.from();
                    welcome = encodeWelcome(peer, nick, List.of(), answer);
                } else {
                    Message.ResumeResult answer =
                            resume == null ? null : new Message.ResumeResult(Message.ResumeResult.Status.NEW, 0, 0);
                    welcome = welcomeFrame(peer, nick, answer);
                }
                RoomEvent event = result.event();
                int told = room.size(); // its welcome says so
                long from = catchUpFrom;
                Runnable admit = () -> {
                    if (from > 0) {
                        peer.catchUpFrom(from);
                    }
                    peer.socket().offer(welcome);
                    if (from == 0) {
                        peer.live(event.seq() + 1); // the welcome holds the room up to its own join
                    }
                    send(event, null, peer, null);
                    members.add(peer);
                    if (peer.owner()) {
                        owners.add(peer);
                    }
                    if (!peer.speaks(Message.CAP_BATCH) && peer.hearsPresence()) {
                        unbatched.add(peer);
                    }
                    peer.toldCount(told);
                    countChanged();
                    changed.signalAll();
                };
                if (!staged) {
                    admit.run();
                } else {
                    pending = Waiting.join(event.seq(), peer, admit);
                    waiting.addLast(pending);
                    commitDue.set(true);
                    LockSupport.unpark(committer);
                }
            }
        } finally {
            lock.unlock();
        }
        if (pending != null) {
            awaitAdmitted(pending);
        }
        return joined;
    }

    /**
     * Outside the lock: waits until the committer made {@code join} durable and sent its welcome
     * (the host closing sends everything that waits first, so this ends).
     */
    private static void awaitAdmitted(Waiting join) {
        boolean interrupted = false;
        while (true) {
            try {
                join.admitted.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the member is being admitted: finish that, then keep the interrupt
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends a resuming peer every event from its resume point on, from the history file, paced by
     * its queue (waits up to the idle timeout for room), then makes it live. Runs on the peer's
     * own thread, outside the lock, so the room never waits for it.
     */
    void catchUp(Peer peer, long from) {
        skipManyJoins(peer, from);
        long next = from;
        while (true) {
            long target;
            long presenceFrom;
            lock.lock();
            try {
                if (closing || !members.contains(peer)) {
                    return;
                }
                target = sentSeq; // never what still waits for its commit
                if (next > target) {
                    peer.live(next);
                    return;
                }
                presenceFrom = peer.presenceFloor();
            } finally {
                lock.unlock();
            }
            List<StoredEvent> page = store.range(next, target, 512, presenceFrom, peer.nick());
            if (page.isEmpty()) {
                next = target + 1; // trimmed while catching up: nothing more to send below target
                continue;
            }
            for (StoredEvent e : page) {
                if (!RoomEvent.visibleTo(e.event(), peer.nick()) || !hears(peer, e.event())) {
                    // another pair's direct message, or another's join or leave to a lazy list (the
                    // file leaves most of those out already): never sent here
                    next = e.seq() + 1;
                    continue;
                }
                byte[] bytes = JsonCodec.encodeFrame(new Message.Event(Fallbacks.forMember(peer, e.event()), e.cid()));
                if (!peer.socket().put(bytes, config.idleTimeout())) {
                    peer.cutSlowConsumer();
                    return;
                }
                next = e.seq() + 1;
            }
        }
    }

    /**
     * §20: a member that resumes across a host restart (from before this host started on the
     * room's history) into a room it watches whole, with more than {@link
     * #CATCH_UP_PRESENCE_MOST} other members' joins and leaves since its resume point (everyone
     * else's return), is not sent those before its own join: its welcome's list has them, so a
     * thousand members coming back at once do not each read every other one's return. Any other
     * resume gets them as they happened (contiguous seqs, as before: a client may resume from far
     * behind what it has shown, and a gap there would be one in what it shows).
     */
    private void skipManyJoins(Peer peer, long from) {
        long joined = peer.joinSeq();
        boolean acrossRestart = startedAt > 0 && from <= startedAt + 1;
        if (!acrossRestart || !peer.speaks(Message.CAP_LAZY_MEMBERS) || peer.presenceFloor() != 0 || from >= joined) {
            return;
        }
        if (store.presenceCount(from, joined - 1, peer.nick(), CATCH_UP_PRESENCE_MOST + 1) > CATCH_UP_PRESENCE_MOST) {
            lock.lock();
            try {
                peer.skipPresenceBefore(joined);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Others' joins and leaves a resuming member watching the whole list is sent at most in its catch-up (§20). */
    static final int CATCH_UP_PRESENCE_MOST = 100;

    /** What became of a {@code send}. */
    enum PostResult {
        /** Saved and sent to everyone. */
        POSTED,
        /** A retry of a message the room already has: acknowledged (extension clients), not posted again. */
        ALREADY_POSTED,
        /** The sender's rate or order rule refused it (the caller tells the sender). */
        REFUSED,
        /** It could not be saved: not posted (the sender was told). */
        NOT_SAVED,
        /** The sender is not a member (any more). */
        NOT_A_MEMBER,
        /** A room rule refused it (a mute, a direct message to nobody): the sender was told. */
        NOT_ALLOWED
    }

    /**
     * Posts a message, under one lock and with one look-up of its client id: a retried client id is
     * answered with the seq it already has (an ack, costing the sender nothing); otherwise
     * {@code mayPost} (the sender's rate limit) decides, and the message is saved and sent to
     * everyone once it is durable: at once without group commit, else by the committer (the retry
     * of a message still waiting is acked then too).
     */
    PostResult post(
            Peer from,
            String text,
            String cid,
            long replyTo,
            String to,
            FileRef file,
            boolean extended,
            BooleanSupplier mayPost) {
        lock.lock();
        try {
            if (!members.contains(from)) {
                return PostResult.NOT_A_MEMBER;
            }
            if (cid != null) {
                var prior = store.seqOf(cid);
                if (prior.isPresent()) {
                    if (extended) {
                        long seq = prior.getAsLong();
                        if (seq > sentSeq) {
                            waiting.addLast(new Waiting(seq, null, cid, from)); // acked once it is durable
                        } else {
                            from.socket().send(new Message.Ack(cid, seq));
                        }
                    }
                    return PostResult.ALREADY_POSTED;
                }
            }
            Moderation.Sanction mute = moderation.muted(from.nick(), from.memberKey(), Instant.now());
            if (mute != null) {
                from.socket()
                        .send(new Message.Error(
                                ErrorCode.NOT_ALLOWED,
                                Moderation.mutedSentence(mute, Instant.now()) + " Your message was not posted.",
                                false,
                                cid,
                                0));
                return PostResult.NOT_ALLOWED;
            }
            String recipient = null;
            if (to != null) {
                String problem = directProblem(from, to);
                if (problem != null) {
                    from.socket().send(new Message.Error(ErrorCode.NOT_ALLOWED, problem, false, cid, 0));
                    return PostResult.NOT_ALLOWED;
                }
                recipient = memberNamed(to).nick();
            }
            if (!mayPost.getAsBoolean()) {
                return PostResult.REFUSED;
            }
            // a reply names a message of this room this member may see; anything else is posted as a plain message
            long answers = replyTo > 0 && target(replyTo, from.nick()) != null ? replyTo : 0;
            RoomEvent.Posted event = room.post(from.nick(), text, answers, recipient, file);
            try {
                store.stage(event, cid);
            } catch (StoreException e) {
                room.unpost(event);
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save a message: " + e.getMessage());
                notSaved(from, cid, e.getMessage());
                return PostResult.NOT_SAVED;
            }
            trimIfDue();
            if (committer == null) {
                fanOut(event, cid, null);
            } else {
                waiting.addLast(new Waiting(event.seq(), event, cid, from)); // sent once durable
                commitDue.set(true);
                LockSupport.unpark(committer);
            }
            return PostResult.POSTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * An edit, a deletion or a reaction from {@code from}: checked against the room's rules
     * ({@link MessageRules}) with the message and its state as the history has them, then saved
     * and sent to everyone like a message. Returns null when done, else why not (a sentence).
     */
    String change(Peer from, Message m) {
        lock.lock();
        try {
            if (!members.contains(from)) {
                return "You are not in the room.";
            }
            long seq = switch (m) {
                case Message.Edit x -> x.seq();
                case Message.Delete x -> x.seq();
                case Message.React x -> x.seq();
                default -> throw new IllegalArgumentException("not a change: " + JsonCodec.wireType(m));
            };
            String by = from.nick();
            MessageRules.Target target = target(seq, by);
            Moderation.Sanction mute = moderation.muted(by, from.memberKey(), Instant.now());
            if (mute != null && !(m instanceof Message.Delete)) {
                return Moderation.mutedSentence(mute, Instant.now());
            }
            RoomEvent event;
            switch (m) {
                case Message.Edit x -> {
                    String problem = MessageRules.editProblem(target, by, x.text(), Instant.now());
                    if (problem != null) {
                        return problem;
                    }
                    event = room.edit(by, seq, x.text(), otherOf(target, by));
                }
                case Message.Delete _ -> {
                    String problem =
                            MessageRules.deleteProblem(target, by, roleOf(from).moderates());
                    if (problem != null) {
                        return problem;
                    }
                    event = room.delete(by, seq, otherOf(target, by));
                }
                case Message.React x -> {
                    String problem = MessageRules.reactionProblem(target, x.emoji(), x.on(), reactionsOf(seq, by));
                    if (problem != null) {
                        return problem;
                    }
                    event = room.react(by, seq, x.emoji(), x.on(), otherOf(target, by));
                }
                default -> throw new IllegalArgumentException("not a change: " + JsonCodec.wireType(m));
            }
            try {
                store.append(event, null);
                if (event instanceof RoomEvent.Deleted) {
                    store.redact(seq); // those who resume or join later never see what it said
                    if (target.message().file() != null) {
                        files.deleteShared(target.message().file().id()); // nor download what it shared
                    }
                }
            } catch (StoreException e) {
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save a change: " + e.getMessage());
                return "The host could not save this change (" + e.getMessage() + ").";
            }
            trimIfDue();
            fanOut(event, null, null);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Message {@code seq} as the history has it, with whether it was deleted; null if there is
     * none, it is no longer kept, or it is a direct message {@code who} is not part of (for them
     * it does not exist).
     */
    private MessageRules.Target target(long seq, String who) {
        if (seq <= 0 || seq > room.lastSeq()) {
            return null;
        }
        List<StoredEvent> found = store.range(seq, seq, 1);
        if (found.isEmpty()
                || !(found.getFirst().event() instanceof RoomEvent.Posted p)
                || !RoomEvent.visibleTo(p, who)) {
            return null;
        }
        boolean deleted = store.about(seq).stream().anyMatch(e -> e.event() instanceof RoomEvent.Deleted);
        return new MessageRules.Target(p.message(), deleted);
    }

    /** For a change by {@code by} to a direct message: the other member of it; null for a room message. */
    private static String otherOf(MessageRules.Target target, String by) {
        ChatMessage m = target == null ? null : target.message();
        if (m == null || !m.direct()) {
            return null;
        }
        return NicknameRules.key(m.sender()).equals(NicknameRules.key(by)) ? m.to() : m.sender();
    }

    /** Why {@code from} cannot send a direct message to {@code to} now, or null. */
    private String directProblem(Peer from, String to) {
        Peer target = memberNamed(to);
        if (target == null) {
            return Moderation.clean(to) + " is not in the room; direct messages reach members who are here.";
        }
        if (target == from) {
            return "You cannot send a direct message to yourself.";
        }
        if (!target.speaks(Message.CAP_DM)) {
            return target.nick() + "'s app cannot receive direct messages (it needs a newer Confab).";
        }
        return null;
    }

    /** The emoji {@code by} has on message {@code seq} now. */
    private Set<String> reactionsOf(long seq, String by) {
        Set<String> mine = new HashSet<>();
        String key = NicknameRules.key(by);
        for (StoredEvent e : store.about(seq)) {
            if (e.event() instanceof RoomEvent.Reacted r
                    && NicknameRules.key(r.by()).equals(key)) {
                if (r.added()) {
                    mine.add(r.emoji());
                } else {
                    mine.remove(r.emoji());
                }
            }
        }
        return mine;
    }

    /** Sets the topic (host or moderator); null when done, else why not. */
    String setTopic(Peer from, String text) {
        lock.lock();
        try {
            if (!members.contains(from)) {
                return "You are not in the room.";
            }
            String clean = Moderation.clean(text);
            String problem = Moderation.topicProblem(roleOf(from), text.strip());
            if (problem != null) {
                return problem;
            }
            RoomEvent event = room.topic(from.nick(), clean);
            try {
                store.setting(SETTING_TOPIC, clean);
                store.append(event, null);
            } catch (StoreException e) {
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save the topic: " + e.getMessage());
                return "The host could not save the topic (" + e.getMessage() + ").";
            }
            topic = clean;
            trimIfDue();
            fanOut(event, null, null);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A moderator's act ({@code m}) from {@code from}: checked against {@link Moderation}'s rules,
     * saved (the state beside the history, the event in it), told to everyone; a kicked or banned
     * member is then told why and removed (its {@code left} event says "removed"). Returns null
     * when done, else why not.
     */
    String moderate(Peer from, Message.Moderate m) {
        lock.lock();
        try {
            if (!members.contains(from)) {
                return "You are not in the room.";
            }
            Moderation.Action action = Moderation.Action.fromWire(m.action());
            if (action == null) {
                return "Unknown moderation action \"" + Moderation.clean(m.action()) + "\".";
            }
            String name = m.nick().strip();
            Peer target = memberNamed(name);
            String nick = target != null ? target.nick() : name;
            Moderation.Role targetRole = target != null ? roleOf(target) : Moderation.Role.MEMBER;
            if (target == null && (action == Moderation.Action.UNMOD)) {
                targetRole = moderation.moderators().containsValue(nick) ? Moderation.Role.MODERATOR : targetRole;
            }
            String problem = moderation.problem(
                    action,
                    from.nick(),
                    roleOf(from),
                    nick,
                    targetRole,
                    target != null,
                    target == null ? null : target.memberKey(),
                    m.minutes());
            if (problem == null && NicknameRules.problem(nick).isPresent()) {
                problem = "There is no member called \"" + Moderation.clean(nick) + "\".";
            }
            if (problem != null) {
                return problem;
            }
            Instant now = Instant.now();
            Instant until = action == Moderation.Action.MUTE ? now.plus(Duration.ofMinutes(m.minutes())) : null;
            String reason = Moderation.clean(m.reason());
            String key = target != null ? target.memberKey() : null;
            String address = target != null && action == Moderation.Action.BAN ? target.banAddress() : null;
            moderation.expire(now);
            moderation.apply(action, nick, key, address, reason, from.nick(), now, until);
            RoomEvent event = room.moderated(from.nick(), action, nick, reason, until);
            try {
                store.setting(SETTING_MODERATION, moderation.encode());
                store.append(event, null);
            } catch (StoreException e) {
                listener.peerError("host", ErrorCode.INTERNAL.wire(), "Could not save a moderation: " + e.getMessage());
                // the act still applies for this run; the room hears of it
            }
            trimIfDue();
            fanOut(event, null, null);
            if (action.removes() && target != null && remove(target)) {
                changed.signalAll();
                membersStale = true;
                RoomEvent.Left left = room.leave(target.nick(), Peer.Reasons.REMOVED);
                if (left != null) {
                    persist(left);
                    fanOut(left, null, null);
                }
                String by = from.owner() ? "the host (" + from.nick() + ")" : from.nick();
                target.remove(
                        action == Moderation.Action.BAN ? ErrorCode.BANNED : ErrorCode.REMOVED,
                        (action == Moderation.Action.BAN
                                        ? "You were banned from this room by "
                                        : "You were removed from this room by ")
                                + by
                                + (reason.isEmpty() ? "." : ": " + reason));
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Longest status text, in chars. */
    static final int MAX_STATUS_TEXT = 100;

    /**
     * {@code from}'s availability is now {@code status} (online, away, dnd, with a short text):
     * kept for the welcome and told to the other members that speak it; not a room event, never
     * saved. Returns null when done, else why not.
     */
    String presence(Peer from, Message.Status status) {
        String state = status.state();
        if (!state.equals("online") && !state.equals("away") && !state.equals("dnd")) {
            return "A status is online, away or dnd, not \"" + Moderation.clean(state) + "\".";
        }
        String text = Moderation.clean(status.text());
        Message.Status clean =
                new Message.Status(state, text.length() > MAX_STATUS_TEXT ? text.substring(0, MAX_STATUS_TEXT) : text);
        lock.lock();
        try {
            if (!members.contains(from) || clean.equals(from.status())) {
                return null;
            }
            from.status(clean);
            if (clean.equals(Message.Status.ONLINE)) {
                away.remove(from);
            } else {
                away.add(from);
            }
            signal(from, Message.CAP_PRESENCE, new Message.Presence(from.nick(), clean));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code from} has read the room up to {@code seq} (a read receipt): kept in memory for the
     * welcome and told to the other members that speak it; never saved. Only forward, and only
     * to an event the room has.
     */
    void read(Peer from, long seq) {
        lock.lock();
        try {
            if (!members.contains(from) || seq <= from.readSeq() || seq > sentSeq) {
                return;
            }
            from.readSeq(seq);
            readers.add(from);
            signal(from, Message.CAP_RECEIPTS, new Message.Read(from.nick(), seq));
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code from} has read its direct conversation with {@code with} up to {@code seq}: told to
     * that member alone (if here and it speaks receipts); not kept, never saved.
     */
    void readDirect(Peer from, String with, long seq) {
        lock.lock();
        try {
            Peer other = memberNamed(with);
            if (!members.contains(from)
                    || other == null
                    || other == from
                    || seq <= 0
                    || seq > sentSeq
                    || !other.isLive()
                    || !other.speaks(Message.CAP_RECEIPTS)) {
                return;
            }
            sendPresenceBatch();
            other.socket().offer(JsonCodec.encodeFrame(new Message.Read(from.nick(), seq, other.nick())));
        } finally {
            lock.unlock();
        }
    }

    /** A signal (not a room event) from {@code from} to the other live members that speak {@code cap}. */
    private void signal(Peer from, String cap, Message m) {
        sendPresenceBatch(); // after the joins and leaves before it, for those that batch them
        byte[] bytes = null;
        for (Peer p : members) {
            if (p != from && p.isLive() && p.speaks(cap)) {
                if (bytes == null) {
                    bytes = JsonCodec.encodeFrame(m);
                }
                p.socket().offer(bytes); // a full queue just misses it
            }
        }
    }

    /** The member called {@code nick} now (nickname rules' key), or null. */
    private Peer memberNamed(String nick) {
        String key = NicknameRules.key(nick);
        for (Peer p : members) {
            if (NicknameRules.key(p.nick()).equals(key)) {
                return p;
            }
        }
        return null;
    }

    /**
     * "{@code from} is typing", to the other live members that speak it: not a room event (no
     * seq, not saved); a full queue just misses it.
     */
    void typing(Peer from) {
        lock.lock();
        try {
            if (!members.contains(from) || moderation.muted(from.nick(), from.memberKey(), Instant.now()) != null) {
                return;
            }
            signal(from, Message.CAP_TYPING, new Message.Typing(from.nick()));
        } finally {
            lock.unlock();
        }
    }

    /** Renames; the result carries the event or why it was refused. */
    Room.RenameResult rename(Peer from, String newNick) {
        lock.lock();
        try {
            if (!members.contains(from)) {
                return new Room.RenameResult(null, Room.JoinRefusal.NICK_INVALID, "You are not in the room.");
            }
            Moderation.Sanction ban = moderation.banned(newNick, null, null, Instant.now());
            if (ban != null && !from.owner()) {
                return new Room.RenameResult(
                        null, Room.JoinRefusal.NICK_TAKEN, "The nickname \"" + newNick + "\" is banned in this room.");
            }
            var result = room.rename(from.nick(), newNick);
            if (result.event() != null) {
                membersStale = true;
                from.nick(newNick);
                persist(result.event());
                fanOut(result.event(), null, null);
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A member is gone (whatever the cause); true if it was one. While the room closes, members
     * leave without a {@code left} event: the room's closing is the event (every member got
     * {@code closing}), and a restarted host's history should not replay one "left … room closed"
     * per member to those who resume.
     */
    boolean leave(Peer peer, String reason) {
        lock.lock();
        try {
            if (!remove(peer)) {
                return false;
            }
            changed.signalAll();
            membersStale = true;
            if (!closing) {
                RoomEvent.Left left = room.leave(peer.nick(), reason);
                if (left != null) {
                    persist(left);
                    fanOut(left, null, null);
                    countChanged();
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: {@code peer} is no member any more; true if it was one. */
    private boolean remove(Peer peer) {
        away.remove(peer);
        readers.remove(peer);
        owners.remove(peer);
        unbatched.remove(peer);
        return members.remove(peer);
    }

    /** Queues {@code frame} to every joined peer (heartbeat pings), without waiting for any. */
    void toEveryone(byte[] frame) {
        lock.lock();
        try {
            for (Peer p : members) {
                p.deliver(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Encodes once and offers the same bytes to every live member (one still catching up reads
     * the event from the history file instead); a full queue cuts that member, a closing one just
     * misses it ({@link Peer#deliver}). The posts waiting for their commit before it go first.
     */
    private void fanOut(RoomEvent event, String cid, Peer except) {
        releaseBefore(event.seq());
        send(event, cid, except, null);
    }

    /** {@link #fanOut} of an event whose turn it is (everything before it was sent); {@code encoded}: its frame, or null. */
    private void send(RoomEvent event, String cid, Peer except, byte[] encoded) {
        sentSeq = Math.max(sentSeq, event.seq());
        boolean batched = event instanceof RoomEvent.Joined || event instanceof RoomEvent.Left;
        if (!batched) {
            sendPresenceBatch(); // the joins and leaves before this event first, in seq order
        }
        byte[] bytes = encoded;
        String cap = Fallbacks.capability(event);
        byte[] fallback = null; // for members that do not speak the event's capability: a readable message
        boolean direct = RoomEvent.directTo(event) != null; // only its two members get it
        // a join or leave goes out now only to those that do not batch (the others get it in the next batch)
        for (Peer p : batched ? unbatched : members) {
            if (p != except && p.isLive() && (!direct || RoomEvent.visibleTo(event, p.nick()))) {
                if (cap == null || p.speaks(cap)) {
                    if (bytes == null) {
                        bytes = JsonCodec.encodeFrame(new Message.Event(event, cid));
                    }
                    p.deliver(bytes);
                } else {
                    if (fallback == null) {
                        fallback = JsonCodec.encodeFrame(new Message.Event(Fallbacks.readable(event), cid));
                    }
                    p.deliver(fallback);
                }
            }
        }
        if (batched) {
            presenceBatch.add(event);
            if (presenceBatch.size() >= maxBatch()) {
                sendPresenceBatch();
            } else if (!batchDue) {
                batchDue = true;
                try {
                    timer.schedule(this::presenceTick, batchTickMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    sendPresenceBatch(); // the host is stopping: no tick, send it now
                }
            }
        }
    }

    /** How long {@code joined} and {@code left} events gather before the batch goes out: longer in a bigger room. */
    private long batchTickMillis() {
        long byRoom = BATCH_TICK_MILLIS + members.size() / BATCH_MEMBERS_PER_EXTRA_MILLI;
        // and long enough that sending the batches takes at most a fifth of the time (a loaded host backs off)
        long byCost = TimeUnit.NANOSECONDS.toMillis(lastBatchNanos * BATCH_TIME_SHARE);
        return Math.min(BATCH_MAX_TICK_MILLIS, Math.max(byRoom, byCost));
    }

    /** The longest a join or leave waits for its batch, however long the last one took (a stall of the host). */
    static final long BATCH_MAX_TICK_MILLIS = 1000;

    /** The next tick is at least this many times as long as sending the last batch took. */
    private static final int BATCH_TIME_SHARE = 5;
    /** How long sending the last batch took, in ns; guarded by lock. */
    private long lastBatchNanos;

    /** The shortest tick of a presence batch (a room of a few members). */
    static final long BATCH_TICK_MILLIS = 20;
    /** The tick grows by a millisecond per this many members (10,000 members: 120 ms). */
    static final int BATCH_MEMBERS_PER_EXTRA_MILLI = 100;
    /** The largest {@code joined} or {@code left} event, encoded, in bytes (a 32-character nick of 4-byte characters). */
    private static final int MAX_PRESENCE_EVENT_BYTES = 400;

    /** Events per batch: as many as surely fit in one frame. */
    private int maxBatch() {
        return Math.max(1, (config.maxFrame() - 64) / MAX_PRESENCE_EVENT_BYTES);
    }

    private void presenceTick() {
        lock.lock();
        try {
            batchDue = false;
            long start = System.nanoTime();
            sendPresenceBatch();
            lastBatchNanos = System.nanoTime() - start;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends the gathered {@code joined} and {@code left} events to every live member that speaks
     * {@link Message#CAP_BATCH}, as one {@code events} frame: encoded once for all that were in
     * the room before the first of them; one that came in during the tick gets the events after
     * its own join only (its welcome holds the rest). Under the lock.
     */
    private void sendPresenceBatch() {
        if (presenceBatch.isEmpty()) {
            return;
        }
        long first = presenceBatch.getFirst().seq();
        byte[] all = null;
        for (Peer p : members) {
            if (!p.isLive() || !p.speaks(Message.CAP_BATCH) || !p.hearsPresence()) {
                continue; // one that counts only (§20) gets a count instead
            }
            long from = p.presenceFrom();
            if (from <= first) {
                if (all == null) {
                    all = encodeBatch(presenceBatch);
                }
                p.deliver(all);
            } else {
                List<RoomEvent> after =
                        presenceBatch.stream().filter(e -> e.seq() >= from).toList();
                if (!after.isEmpty()) {
                    p.deliver(encodeBatch(after));
                }
            }
        }
        presenceBatch.clear();
    }

    private static boolean isPresence(RoomEvent e) {
        return e instanceof RoomEvent.Joined || e instanceof RoomEvent.Left;
    }

    private static boolean ownPresence(RoomEvent e, String nick) {
        return switch (e) {
            case RoomEvent.Joined j -> NicknameRules.key(j.nick()).equals(NicknameRules.key(nick));
            case RoomEvent.Left l -> NicknameRules.key(l.nick()).equals(NicknameRules.key(nick));
            default -> false;
        };
    }

    /** True if {@code peer} is sent {@code e}: everything but another's join or leave while it does not watch a lazy list (§20). */
    private static boolean hears(Peer peer, RoomEvent e) {
        return !isPresence(e) || ownPresence(e, peer.nick()) || peer.hearsPresence(e.seq());
    }

    /**
     * §20: {@code peer} starts ({@code on}) or stops watching the member list. A start is answered
     * with every member as of the last event sent, and from the next one on it gets every
     * {@code joined} and {@code left} (those gathered for the next batch before it are left out:
     * the list has them); a stop brings {@code count} frames again.
     */
    void watchMembers(Peer peer, boolean on) {
        lock.lock();
        try {
            if (!members.contains(peer) || !peer.speaks(Message.CAP_LAZY_MEMBERS)) {
                return;
            }
            if (on) {
                peer.watch(true, sentSeq + 1);
                if (!peer.speaks(Message.CAP_BATCH)) {
                    unbatched.add(peer);
                }
                for (Message.MemberList page : memberPages(sentSeq, room.members(), config.maxFrame())) {
                    peer.deliver(JsonCodec.encodeFrame(page));
                }
            } else {
                peer.watch(false, 0);
                unbatched.remove(peer);
                countChanged();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code members} as {@code members} frames of at most {@code maxFrame} bytes each: names are
     * counted at six times their UTF-8 length plus 3 (quotes and comma; no JSON escape of a byte
     * is longer than {@code \\u0000}), with room to spare for the frame's other fields.
     */
    static List<Message.MemberList> memberPages(long seq, List<String> members, int maxFrame) {
        int budget = maxFrame - 64;
        List<Message.MemberList> pages = new ArrayList<>();
        int from = 0;
        int used = 0;
        for (int i = 0; i < members.size(); i++) {
            int cost = 6 * members.get(i).getBytes(StandardCharsets.UTF_8).length + 3;
            if (used + cost > budget && i > from) {
                pages.add(new Message.MemberList(seq, members.subList(from, i), true));
                from = i;
                used = 0;
            }
            used += cost;
        }
        pages.add(new Message.MemberList(seq, members.subList(from, members.size()), false));
        return pages;
    }

    /** A count tick is scheduled; guarded by lock. */
    private boolean countDue;

    /** Under the lock: the number of members changed; those that count only (§20) are told at the next count tick. */
    private void countChanged() {
        if (countDue || closing) {
            return;
        }
        countDue = true;
        try {
            timer.schedule(this::countTick, countTickMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            countDue = false; // the host is stopping
        }
    }

    /** How long member counts gather: 1 s, and 1 ms more per 10 members (2 s with 10,000), so a big room is not told every join. */
    private long countTickMillis() {
        return COUNT_TICK_MILLIS + members.size() / COUNT_MEMBERS_PER_EXTRA_MILLI;
    }

    /** The shortest count tick (§20). */
    static final long COUNT_TICK_MILLIS = 1000;
    /** The count tick grows by a millisecond per this many members. */
    static final int COUNT_MEMBERS_PER_EXTRA_MILLI = 10;

    private void countTick() {
        lock.lock();
        try {
            countDue = false;
            int n = room.size();
            byte[] frame = null;
            for (Peer p : members) {
                if (p.isLive() && p.countsOnly() && p.toldCount() != n) {
                    if (frame == null) {
                        frame = JsonCodec.encodeFrame(new Message.MemberCount(n));
                    }
                    p.deliver(frame);
                    p.toldCount(n);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static byte[] encodeBatch(List<RoomEvent> events) {
        return JsonCodec.encodeFrame(new Message.Events(
                events.stream().map(e -> new Message.Event(e, null)).toList()));
    }

    /**
     * The welcome for {@code nick}, encoded. If the recent history would not fit in one frame
     * (many long messages), the oldest events are left out until it does: a late joiner gets as
     * much history as one frame can carry, and joining never fails because of history.
     */
    private byte[] welcomeFrame(Peer peer, String nick, Message.ResumeResult resume) {
        List<RoomEvent> history = room.recentHistory().stream()
                .filter(e -> RoomEvent.visibleTo(e, nick))
                .filter(e -> !peer.countsOnly() || !isPresence(e) || ownPresence(e, nick))
                .map(e -> Fallbacks.forMember(peer, e))
                .toList();
        byte[] bytes = encodeWelcome(peer, nick, history, resume);
        if (bytes.length - Frame.HEADER_BYTES <= config.maxFrame()) {
            return bytes;
        }
        // binary search the smallest prefix to drop; the newest event (the joiner's own join) always fits
        int lo = 0;
        int hi = history.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (encodeWelcome(peer, nick, history.subList(mid, history.size()), resume).length - Frame.HEADER_BYTES
                    <= config.maxFrame()) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return encodeWelcome(peer, nick, history.subList(lo, history.size()), resume);
    }

    private byte[] encodeWelcome(Peer peer, String nick, List<RoomEvent> history, Message.ResumeResult resume) {
        // §20: one that counts only gets the count and itself, no walk over the members
        boolean lazy = peer.countsOnly();
        List<String> now = lazy ? List.of(nick) : room.members();
        if (!lazy && (membersStale || encodedMembers.count() != now.size())) {
            encodedMembers.reset(now);
            membersStale = false;
        }
        var welcome = new Message.Welcome(
                Message.VERSION,
                room.name(),
                nick,
                now,
                history,
                room.lastSeq(),
                "Confab " + Version.get(),
                store.roomId(),
                resume,
                limits(),
                Message.CAPS,
                topic,
                roles(peer),
                statuses(),
                reads(),
                lazy ? room.size() : Message.Welcome.FULL_LIST);
        return lazy ? JsonCodec.encodeFrame(welcome) : JsonCodec.encodeFrame(welcome, encodedMembers);
    }

    /** The members not online now: nick → status. */
    private Map<String, Message.Status> statuses() {
        Map<String, Message.Status> out = new HashMap<>();
        for (Peer p : away) {
            out.put(p.nick(), p.status());
        }
        return out;
    }

    /** How far each member has read: nick → seq (those that said). */
    private Map<String, Long> reads() {
        Map<String, Long> out = new HashMap<>();
        for (Peer p : readers) {
            out.put(p.nick(), p.readSeq());
        }
        return out;
    }

    /** Who has a role now (the members and {@code joining}): nick → "host" or "moderator". */
    private Map<String, String> roles(Peer joining) {
        Map<String, String> out = new HashMap<>();
        // only the host's own connections have a role, unless there are moderators: then ask for everyone
        var all = new ArrayList<Peer>(moderation.moderators().isEmpty() ? owners : members);
        all.add(joining);
        for (Peer p : all) {
            Moderation.Role r = roleOf(p);
            if (r != Moderation.Role.MEMBER) {
                out.put(p.nick(), r.wire());
            }
        }
        return out;
    }

    /** The limits a welcome announces. */
    private Message.Limits limits() {
        return new Message.Limits(
                config.maxFrame(),
                Room.MAX_MESSAGE_LENGTH,
                NicknameRules.MAX_LENGTH,
                config.ratePerSecond(),
                config.burst(),
                config.maxMembers());
    }

    /** Stages a join for the committer (group commit); false if it could not be (then {@link #persist} reports it). */
    private boolean stage(RoomEvent event) {
        try {
            store.stage(event, null);
        } catch (StoreException e) {
            return false;
        }
        try {
            trimIfDue();
        } catch (StoreException e) {
            listener.peerError(
                    "host", ErrorCode.INTERNAL.wire(), "Could not trim the room's history: " + e.getMessage());
        }
        return true;
    }

    /**
     * Saves a membership event before anyone sees it. If saving fails the event still happens
     * (membership is live state); the failure is reported and the history file misses it.
     */
    private void persist(RoomEvent event) {
        try {
            store.append(event, null);
            trimIfDue();
        } catch (StoreException e) {
            listener.peerError(
                    "host", ErrorCode.INTERNAL.wire(), "Could not save the room's history: " + e.getMessage());
        }
    }

    private void trimIfDue() {
        if (store.lastSeq() - store.firstSeq() + 1 > config.keepEvents() + Math.min(1024, config.keepEvents())) {
            store.trim(config.keepEvents());
        }
    }
}
