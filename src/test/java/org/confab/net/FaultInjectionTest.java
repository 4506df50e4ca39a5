package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten members send 1,000 messages each through a proxy that keeps cutting their connections at
 * random moments (mid-frame included). Every member must end with the same complete sequence:
 * all 10,000 messages, each once, in one order, with contiguous sequence numbers, and every
 * sender's own messages in the order written.
 */
@Timeout(180)
class FaultInjectionTest {
    static final int CLIENTS = 10;
    static final int PER_CLIENT = 1000;

    @Test
    void randomCutsLoseAndDuplicateNothing(@TempDir Path dir) throws Exception {
        var config = HostConfig.defaults("Chaos", 0)
                .withBindAddress(InetAddress.getLoopbackAddress())
                .withHistoryFile(dir.resolve("host.db"))
                .withFsync(false)
                .withRateLimit(100_000, 100_000);
        var backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 0.2);
        var stores = new ArrayList<ClientStore>();
        var listeners = new ArrayList<RecordingConnectionListener>();
        var connections = new ArrayList<RoomConnection>();
        try (var host = new RoomHost(config, null)) {
            host.start();
            try (var proxy = new ChaosProxy(host.port())) {
                for (int i = 0; i < CLIENTS; i++) {
                    var store = ClientStore.open(dir.resolve("client-" + i + ".db"));
                    stores.add(store);
                    var l = new RecordingConnectionListener();
                    listeners.add(l);
                    var rc = new RoomConnection(
                            RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "user" + i)
                                    .withSecurity(JoinOptions.pinned(host.fingerprint()))
                                    .withBackoff(backoff),
                            store,
                            l);
                    connections.add(rc);
                    rc.connect();
                }
                var chaosOn = new AtomicBoolean(true);
                Thread chaos = Thread.ofPlatform().name("chaos").start(() -> {
                    var r = new Random(7);
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                    try {
                        while (chaosOn.get() && System.nanoTime() < end) {
                            Thread.sleep(50 + r.nextInt(250)); // the fault schedule itself, not synchronisation
                            proxy.cutRandom(r);
                        }
                    } catch (InterruptedException e) {
                        // stop
                    }
                });
                var writers = new ArrayList<Thread>();
                for (int i = 0; i < CLIENTS; i++) {
                    var rc = connections.get(i);
                    int who = i;
                    writers.add(Thread.ofVirtual().start(() -> {
                        for (int m = 0; m < PER_CLIENT; m++) {
                            rc.send("user" + who + " m" + m);
                        }
                    }));
                }
                for (Thread t : writers) {
                    t.join();
                }
                int total = CLIENTS * PER_CLIENT;
                for (int i = 0; i < CLIENTS; i++) {
                    var l = listeners.get(i);
                    var rc = connections.get(i);
                    assertThat(l.await(
                                    () -> l.messages().size() >= total
                                            && rc.pending().isEmpty(),
                                    150))
                            .as(
                                    "client %d has %d of %d messages, %d pending, after %d cuts",
                                    i, l.messages().size(), total, rc.pending().size(), proxy.cuts())
                            .isTrue();
                }
                chaosOn.set(false);
                chaos.interrupt();
                chaos.join();
                assertThat(proxy.cuts()).as("the proxy did cut connections").isGreaterThan(10);
                List<String> reference = ids(listeners.getFirst());
                assertThat(reference).hasSize(total);
                assertThat(new HashSet<>(reference)).as("no duplicates").hasSize(total);
                for (int i = 0; i < CLIENTS; i++) {
                    var l = listeners.get(i);
                    assertThat(ids(l))
                            .as("client %d: same messages, same order", i)
                            .isEqualTo(reference);
                    List<Long> seqs = l.seqs();
                    for (int k = 1; k < seqs.size(); k++) {
                        assertThat(seqs.get(k))
                                .as("client %d: contiguous seq", i)
                                .isEqualTo(seqs.get(k - 1) + 1);
                    }
                    String prefix = "user" + i + " ";
                    List<String> own =
                            l.texts().stream().filter(t -> t.startsWith(prefix)).toList();
                    assertThat(own).hasSize(PER_CLIENT);
                    for (int m = 0; m < PER_CLIENT; m++) {
                        assertThat(own.get(m)).isEqualTo("user" + i + " m" + m);
                    }
                    assertThat(l.reconnects)
                            .as("client %d reconnected at least once", i)
                            .isNotEmpty();
                }
                System.out.printf(
                        "FaultInjectionTest: %d cuts, %d reconnects in total%n",
                        proxy.cuts(),
                        listeners.stream().mapToInt(l -> l.reconnects.size()).sum());
            } finally {
                for (var rc : connections) {
                    rc.close();
                }
                for (var s : stores) {
                    s.close();
                }
            }
        }
    }

    private static List<String> ids(RecordingConnectionListener l) {
        return l.messages().stream().map(RoomEvent::id).toList();
    }
}
