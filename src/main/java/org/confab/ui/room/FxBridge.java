package org.confab.ui.room;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.FileTransfers;
import org.confab.net.Joined;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;

/**
 * The one hop from network threads to the FX thread. Every {@link RoomConnectionListener} call
 * becomes an {@link Update} in a lock-free queue; at most ONE drain is pending on the FX thread at a time,
 * and each drain hands everything queued so far (up to {@link #MAX_BATCH}) to the sink as one
 * list, so the view model applies it with one {@code addAll}. A burst of 50,000 messages costs a
 * few dozen {@code runLater}s, not 50,000 (the JavaFX {@code Task.updateMessage} idea).
 * If more than {@code MAX_BATCH} are queued the drain posts its successor and returns, so other
 * FX work (input, layout, a pulse) gets its turn between batches.
 */
public final class FxBridge implements RoomConnectionListener {
    /**
     * Largest batch handed to the sink in one FX-thread turn: a backlog (the FX thread was busy or
     * paused) is applied in slices with other FX work and layout pulses in between.
     */
    public static final int MAX_BATCH = 1024;

    /** What the network said, in arrival order. */
    public sealed interface Update {
        /** A room event; {@code cid}: its sender's client id (null if none). */
        record Event(RoomEvent event, String cid) implements Update {
            public Event(RoomEvent event) {
                this(event, null);
            }
        }

        record Error(String code, String text) implements Update {}

        /** The connection ended for good (left, room closed, a refusal retrying cannot fix). */
        record Disconnected(Disconnect why) implements Update {}

        /** Joined, first time or again. */
        record Connected(Joined joined) implements Update {}

        /** The join resumed; {@code gap}: some older events could not be recovered. */
        record Resumed(long missed, boolean gap) implements Update {}

        /** The cached history belonged to another room: clear the list. */
        record HistoryReset() implements Update {}

        /** Dropped (or an attempt failed); the next attempt is in {@code delayMillis}. */
        record Reconnecting(long delayMillis, int attempt, String reason) implements Update {}

        /** One of our messages changed state. */
        record State(String cid, RoomConnection.MessageState state) implements Update {}

        /** Someone is typing (not a room event). */
        record Typing(String nick) implements Update {}

        /** Every member as of event {@code asOf} (a big room's list, loaded lazily). */
        record Members(List<String> members, long asOf) implements Update {}

        /** The room has {@code members} members (while its list is not loaded). */
        record Count(int members) implements Update {}

        /** A member's availability changed. */
        record Presence(String nick, String state, String text) implements Update {}

        /**
         * A file transfer moved ({@link FileTransfers.Listener}): {@code done} of {@code total} bytes;
         * when it ended, {@code file} (an upload shared) or {@code saved} (a download), or {@code failed} why.
         */
        record Transfer(String key, long done, long total, boolean ended, FileRef file, Path saved, String failed)
                implements Update {}

        /** A member has read up to {@code seq}: the room, or ({@code direct}) our direct conversation with it. */
        record Read(String nick, long seq, boolean direct) implements Update {
            public Read(String nick, long seq) {
                this(nick, seq, false);
            }
        }
    }

    private final ConcurrentLinkedQueue<Update> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong drains = new AtomicLong();
    private final Executor fxThread;
    private volatile Consumer<List<Update>> sink;

    /** A bridge onto the FX thread ({@link Platform#runLater}). */
    public FxBridge(Consumer<List<Update>> sink) {
        this(sink, Platform::runLater);
    }

    /** A bridge onto any executor (tests use a manual one, without the FX toolkit). */
    public FxBridge(Consumer<List<Update>> sink, Executor fxThread) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
    }

    @Override
    public void event(RoomEvent event, String cid) {
        offer(new Update.Event(event, cid));
    }

    @Override
    public void error(String code, String text) {
        offer(new Update.Error(code, text));
    }

    @Override
    public void connected(Joined joined) {
        offer(new Update.Connected(joined));
    }

    @Override
    public void resumed(long missed, boolean gap) {
        offer(new Update.Resumed(missed, gap));
    }

    @Override
    public void historyReset() {
        offer(new Update.HistoryReset());
    }

    @Override
    public void reconnecting(long delayMillis, int attempt, String reason) {
        offer(new Update.Reconnecting(delayMillis, attempt, reason));
    }

    @Override
    public void messageState(String cid, RoomConnection.MessageState state) {
        offer(new Update.State(cid, state));
    }

    @Override
    public void typing(String nick) {
        offer(new Update.Typing(nick));
    }

    @Override
    public void presence(String nick, String state, String text) {
        offer(new Update.Presence(nick, state, text));
    }

    @Override
    public void read(String nick, long seq, boolean direct) {
        offer(new Update.Read(nick, seq, direct));
    }

    @Override
    public void memberList(List<String> members, long asOf) {
        offer(new Update.Members(members, asOf));
    }

    @Override
    public void memberCount(int members) {
        offer(new Update.Count(members));
    }

    @Override
    public void ended(Disconnect why) {
        offer(new Update.Disconnected(why));
    }

    /** What file transfers tell, through this same bridge (progress of many chunks lands in one batch). */
    public FileTransfers.Listener transfers() {
        return transfers;
    }

    private final FileTransfers.Listener transfers = new FileTransfers.Listener() {
        @Override
        public void progress(String key, long done, long total) {
            offer(new Update.Transfer(key, done, total, false, null, null, null));
        }

        @Override
        public void finished(String key, FileRef file, Path saved) {
            offer(new Update.Transfer(key, -1, -1, true, file, saved, null));
        }

        @Override
        public void failed(String key, String why) {
            offer(new Update.Transfer(key, -1, -1, true, null, null, why));
        }
    };

    /** Stops delivering: later updates are dropped (the room view is gone). */
    public void detach() {
        sink = batch -> {};
        queue.clear();
    }

    /** How many drains ran so far (diagnostics and tests). */
    public long drains() {
        return drains.get();
    }

    private void offer(Update update) {
        queue.add(update);
        if (pending.compareAndSet(false, true)) {
            fxThread.execute(this::drain);
        }
    }

    private void drain() {
        drains.incrementAndGet();
        // clear the flag first: anything queued after this point schedules a new drain
        pending.set(false);
        List<Update> batch = new ArrayList<>();
        Update u;
        while (batch.size() < MAX_BATCH && (u = queue.poll()) != null) {
            batch.add(u);
        }
        if (!queue.isEmpty() && pending.compareAndSet(false, true)) {
            fxThread.execute(this::drain);
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }
}
