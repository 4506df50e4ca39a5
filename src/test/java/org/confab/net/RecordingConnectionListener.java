package org.confab.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.confab.core.RoomEvent;

/** Records what a {@link RoomConnection} reports; tests wait on conditions, never sleep. */
final class RecordingConnectionListener implements RoomConnectionListener {
    final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    final List<String> cids = new CopyOnWriteArrayList<>();
    final List<Joined> welcomes = new CopyOnWriteArrayList<>();
    final List<long[]> resumes = new CopyOnWriteArrayList<>();
    final List<String> reconnects = new CopyOnWriteArrayList<>();
    final List<Long> delays = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    final Map<String, List<RoomConnection.MessageState>> states = new ConcurrentHashMap<>();
    final CountDownLatch ended = new CountDownLatch(1);
    /** The last member list the connection reported (§20), and as of which seq; null: none yet. */
    volatile List<String> memberList;

    volatile long memberListAsOf;
    final List<Integer> counts = new CopyOnWriteArrayList<>();
    volatile int resets;
    volatile Disconnect why;
    private final Object lock = new Object();

    @Override
    public void connected(Joined welcome) {
        welcomes.add(welcome);
        poke();
    }

    @Override
    public void resumed(long missed, boolean gap) {
        resumes.add(new long[] {missed, gap ? 1 : 0});
        poke();
    }

    @Override
    public void historyReset() {
        resets++;
        events.clear();
        poke();
    }

    @Override
    public void reconnecting(long delayMillis, int attempt, String reason) {
        reconnects.add(attempt + ": " + reason);
        delays.add(delayMillis);
        poke();
    }

    @Override
    public void event(RoomEvent event, String cid) {
        events.add(event);
        cids.add(cid == null ? "" : cid);
        poke();
    }

    @Override
    public void messageState(String cid, RoomConnection.MessageState state) {
        states.computeIfAbsent(cid, k -> new CopyOnWriteArrayList<>()).add(state);
        poke();
    }

    @Override
    public void error(String code, String text) {
        errors.add(code + ": " + text);
        poke();
    }

    @Override
    public void memberList(List<String> members, long asOf) {
        memberListAsOf = asOf;
        memberList = members;
        poke();
    }

    @Override
    public void memberCount(int members) {
        counts.add(members);
        poke();
    }

    @Override
    public void ended(Disconnect why) {
        this.why = why;
        ended.countDown();
        poke();
    }

    List<RoomEvent.Posted> messages() {
        return events.stream()
                .filter(e -> e instanceof RoomEvent.Posted)
                .map(e -> (RoomEvent.Posted) e)
                .toList();
    }

    List<String> texts() {
        return messages().stream().map(p -> p.message().text()).toList();
    }

    List<Long> seqs() {
        return events.stream().map(RoomEvent::seq).toList();
    }

    RoomConnection.MessageState lastState(String cid) {
        var l = states.getOrDefault(cid, new ArrayList<>());
        return l.isEmpty() ? null : l.getLast();
    }

    /**
     * Waits until {@code condition} holds. The condition is evaluated without holding our lock (it
     * may call into the RoomConnection, whose threads call us); a version counter makes sure no
     * change between the check and the wait is missed.
     */
    boolean await(BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long seen;
            synchronized (lock) {
                seen = version;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            synchronized (lock) {
                while (version == seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }
    }

    private long version;

    private void poke() {
        synchronized (lock) {
            version++;
            lock.notifyAll();
        }
    }
}
