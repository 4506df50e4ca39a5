package org.confab.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.confab.core.Room;
import org.confab.core.RoomEvent;

/**
 * A host's history when no history file is configured: the newest {@code capacity} events in a
 * ring in the heap, with a map from client id to seq for the messages still in it (a retried send
 * is answered, not posted twice, as long as its first copy is kept). Nothing survives the host
 * process: a new host gets a new {@link #roomId()}, so a resuming client is told "new".
 *
 * <p>Pure Java, no I/O: appending costs a few hundred nanoseconds, against 17 to 32 us for an
 * in-memory SQLite database through JNI (measured; see docs/benchmarks.md). The ring array grows
 * by doubling as events come, up to {@code capacity}; the oldest event is dropped when it is full.
 * Thread-safe (every method is synchronized on the history).
 */
public final class MemoryHistory implements HostHistory {
    /** Events a memory host keeps at most, whatever {@code keepEvents} says (about 40 MiB of heap for 128 B texts). */
    public static final int MAX_CAPACITY = 100_000;

    private final String roomId = UUID.randomUUID().toString();
    private final int capacity;
    private final Map<String, Long> seqByCid = new HashMap<>();
    private final Map<String, String> settings = new HashMap<>();
    private StoredEvent[] ring;
    /** Index in {@link #ring} of the oldest kept event. */
    private int head;

    private int size;
    private long lastSeq;

    /** A ring of at most {@code capacity} events (1 to {@link #MAX_CAPACITY}). */
    public MemoryHistory(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be 1 to " + MAX_CAPACITY);
        }
        this.capacity = capacity;
        this.ring = new StoredEvent[Math.min(capacity, 256)];
    }

    /** The ring bound for a host configured to keep {@code keepEvents}: at most {@link #MAX_CAPACITY}. */
    public static int capacityFor(long keepEvents) {
        return (int) Math.max(1, Math.min(keepEvents, MAX_CAPACITY));
    }

    @Override
    public synchronized String setting(String key) {
        return settings.get(key);
    }

    @Override
    public synchronized void setting(String key, String value) {
        settings.put(key, value);
    }

    @Override
    public String roomId() {
        return roomId;
    }

    @Override
    public Path file() {
        return null;
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized long firstSeq() {
        return size == 0 ? 0 : at(0).seq();
    }

    /** Events kept now. */
    public synchronized int size() {
        return size;
    }

    @Override
    public synchronized void append(RoomEvent event, String cid) {
        if (event.seq() <= lastSeq) {
            throw new IllegalArgumentException("seq " + event.seq() + " not after " + lastSeq);
        }
        if (cid != null && seqByCid.containsKey(cid)) {
            throw new StoreException("client id " + cid + " was already used", null);
        }
        if (size == capacity) {
            dropOldest();
        } else if (size == ring.length) {
            grow();
        }
        ring[(head + size) % ring.length] = new StoredEvent(event, cid);
        size++;
        lastSeq = event.seq();
        if (cid != null) {
            seqByCid.put(cid, event.seq());
        }
    }

    @Override
    public synchronized OptionalLong seqOf(String cid) {
        Long seq = seqByCid.get(cid);
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    @Override
    public List<StoredEvent> range(long from, long to, int limit) {
        return range(from, to, limit, 0, null); // every seq is at or above floor 0: nothing left out
    }

    @Override
    public synchronized List<StoredEvent> range(long from, long to, int limit, long presenceFrom, String nick) {
        var out = new ArrayList<StoredEvent>(Math.max(0, Math.min(limit, size)));
        for (int i = firstAtOrAfter(from); i < size && out.size() < limit; i++) {
            StoredEvent e = at(i);
            if (e.seq() > to) {
                break;
            }
            if (e.seq() >= presenceFrom || !othersPresence(e.event(), nick)) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized int presenceCount(long from, long to, String nick, int most) {
        int n = 0;
        for (int i = firstAtOrAfter(from); i < size && n < most; i++) {
            StoredEvent e = at(i);
            if (e.seq() > to) {
                break;
            }
            if (othersPresence(e.event(), nick)) {
                n++;
            }
        }
        return n;
    }

    private static boolean othersPresence(RoomEvent e, String nick) {
        return switch (e) {
            case RoomEvent.Joined j -> !j.nick().equals(nick);
            case RoomEvent.Left l -> !l.nick().equals(nick);
            default -> false;
        };
    }

    @Override
    public synchronized List<StoredEvent> recent(int n) {
        int count = Math.max(0, Math.min(n, size));
        var out = new ArrayList<StoredEvent>(count);
        for (int i = size - count; i < size; i++) {
            out.add(at(i));
        }
        return out;
    }

    @Override
    public synchronized List<StoredEvent> about(long target) {
        var out = new ArrayList<StoredEvent>();
        for (int i = firstAtOrAfter(target); i < size; i++) {
            StoredEvent e = at(i);
            if (!(e.event() instanceof RoomEvent.Posted) && RoomEvent.targetOf(e.event()) == target) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public synchronized void redact(long target) {
        for (int i = firstAtOrAfter(target); i < size; i++) {
            StoredEvent e = at(i);
            RoomEvent r = Room.redacted(e.event(), target);
            if (r != e.event()) {
                ring[(head + i) % ring.length] = new StoredEvent(r, e.cid());
            }
        }
    }

    @Override
    public synchronized int trim(long keep) {
        int dropped = 0;
        while (size > Math.max(0, keep)) {
            dropOldest();
            dropped++;
        }
        return dropped;
    }

    @Override
    public synchronized void close() {
        // nothing to release: the ring goes with the host
    }

    private StoredEvent at(int i) {
        return ring[(head + i) % ring.length];
    }

    /** The index of the oldest kept event with seq >= {@code seq} ({@link #size} if none): seqs only grow. */
    private int firstAtOrAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at(mid).seq() < seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void dropOldest() {
        StoredEvent old = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
        if (old.cid() != null) {
            seqByCid.remove(old.cid(), old.seq());
        }
    }

    private void grow() {
        var bigger = new StoredEvent[(int) Math.min(capacity, 2L * ring.length)];
        for (int i = 0; i < size; i++) {
            bigger[i] = at(i);
        }
        ring = bigger;
        head = 0;
    }
}
