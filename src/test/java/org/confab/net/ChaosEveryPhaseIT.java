package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: cuts in every phase of a reconnect, not only in chat. A host process (the jar, so it
 * can be SIGKILLed) with a room password; five members in this JVM, 500 messages each, through a
 * {@link ChaosProxy} whose seeded schedule cuts each connection once: inside the TLS handshake,
 * the password exchange (auth-start, challenge, auth-finish, auth-ok), hello/welcome, the resume
 * replay, or live chat (RST mostly, an orderly FIN sometimes). Halfway through, the host is
 * killed with SIGKILL and started again on the same port, data folder and key; meanwhile the proxy
 * accepts and closes at once (the client reads EOF in its TLS handshake).
 *
 * <p>Every member must end with the identical complete sequence (same seqs, same ids, contiguous,
 * each message once, each sender's own in order), and none may give up (state never ENDED).
 * Seed: printed; {@code -Dchaos.seed=N} replays a schedule (the n-th connection accepted gets the
 * same plan; which member it belongs to depends on timing).
 */
@Timeout(300)
class ChaosEveryPhaseIT {
    static final int CLIENTS = 5;
    static final int PER_CLIENT = 500;
    static final int MIN_CUTS = 500;

    @Test
    void cutsInEveryPhaseAndAHostKillLoseAndDoubleNothing(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        var room = ChaosRoom.start("ChaosEveryPhaseIT", dir);
        long seed = room.seed;
        JarHost host = room.host;
        var backoff = new Backoff(Duration.ofMillis(20), Duration.ofMillis(300), 0.2);
        var listeners = new ArrayList<RecordingConnectionListener>();
        var connections = new ArrayList<RoomConnection>();
        var stores = new ArrayList<ClientStore>();
        try (var proxy = new ChaosProxy(room.port, ChaosProxy.Schedule.everyPhase(seed, true))) {
            for (int i = 0; i < CLIENTS; i++) {
                var store = ClientStore.open(dir.resolve("client-" + i + ".db"));
                stores.add(store);
                var l = new RecordingConnectionListener();
                listeners.add(l);
                var rc = new RoomConnection(
                        RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "user" + i)
                                .withSecurity(
                                        JoinOptions.pinned(host.fingerprint).withPassword(ChaosRoom.PASSWORD))
                                .withBackoff(backoff),
                        store,
                        l);
                connections.add(rc);
                rc.start(); // the first join goes through the chaos too
            }
            // every member is in the room (its first welcome came through the chaos) before anyone posts: a
            // first join gets the recent history only (200 events), so a member whose first join succeeded
            // only after a few seconds of cuts would rightly never see the room's first messages
            for (int i = 0; i < CLIENTS; i++) {
                var l = listeners.get(i);
                assertThat(l.await(() -> !l.welcomes.isEmpty() || l.ended.getCount() == 0, 150))
                        .as("client %d's first join: %s", i, describe(listeners, connections, proxy))
                        .isTrue();
            }
            for (int i = 0; i < CLIENTS; i++) {
                for (int m = 0; m < PER_CLIENT; m++) {
                    connections.get(i).send("user" + i + " m" + m); // into the outbox; sent as the host's rate allows
                }
            }
            int total = CLIENTS * PER_CLIENT;
            var watcher = listeners.getFirst();
            assertThat(watcher.await(
                            () -> watcher.messages().size() >= total / 2 || watcher.ended.getCount() == 0, 150))
                    .as("halfway before the kill: %s", describe(listeners, connections, proxy))
                    .isTrue();
            assertThat(watcher.ended.getCount())
                    .as("client 0 gave up: %s", describe(listeners, connections, proxy))
                    .isOne();
            host.kill();
            int seenAtKill = watcher.messages().size();
            assertThat(seenAtKill).as("killed mid-run").isLessThan(total);
            int cutsAtKill = proxy.cuts();
            JarHost second = room.restart();
            assertThat(second.fingerprint).as("same key after the restart").isEqualTo(host.fingerprint);
            for (int i = 0; i < CLIENTS; i++) {
                var l = listeners.get(i);
                var rc = connections.get(i);
                assertThat(l.await(
                                () -> l.messages().size() >= total
                                                && rc.pending().isEmpty()
                                        || l.ended.getCount() == 0,
                                200))
                        .as("client %d complete: %s", i, describe(listeners, connections, proxy))
                        .isTrue();
                assertThat(l.ended.getCount())
                        .as("client %d gave up (%s): %s", i, l.why, describe(listeners, connections, proxy))
                        .isOne();
            }
            proxy.arm(false);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            var byPhase = proxy.cutsByPhase();
            long missedReplayed = listeners.stream()
                    .flatMap(l -> l.resumes.stream())
                    .mapToLong(r -> r[0])
                    .sum();
            System.out.printf(
                    "ChaosEveryPhaseIT: seed %d, %d cuts over %d connections (%s), %d at the kill (message %d of %d),"
                            + " %d reconnects, %d events replayed on resume, %d s%n",
                    seed,
                    proxy.cuts(),
                    proxy.connections(),
                    byPhase,
                    cutsAtKill,
                    seenAtKill,
                    total,
                    listeners.stream().mapToInt(l -> l.reconnects.size()).sum(),
                    missedReplayed,
                    seconds);

            // the sequence: identical everywhere, complete, once each, contiguous, own messages in order
            List<String> reference = ids(listeners.getFirst());
            assertThat(reference).hasSize(total);
            assertThat(new HashSet<>(reference)).as("no duplicates").hasSize(total);
            for (int i = 0; i < CLIENTS; i++) {
                var l = listeners.get(i);
                assertThat(connections.get(i).state())
                        .as("client %d never ended", i)
                        .isNotEqualTo(RoomConnection.State.ENDED);
                assertThat(ids(l)).as("client %d: same messages, same order", i).isEqualTo(reference);
                assertThat(l.messages().stream().map(RoomEvent::seq).toList())
                        .as("client %d: same seqs", i)
                        .isEqualTo(listeners.getFirst().messages().stream()
                                .map(RoomEvent::seq)
                                .toList());
                List<Long> seqs = l.seqs();
                for (int k = 1; k < seqs.size(); k++) {
                    assertThat(seqs.get(k)).as("client %d: contiguous seq", i).isEqualTo(seqs.get(k - 1) + 1);
                }
                String prefix = "user" + i + " ";
                List<String> own =
                        l.texts().stream().filter(t -> t.startsWith(prefix)).toList();
                assertThat(own)
                        .as("client %d's own messages, in order", i)
                        .isEqualTo(IntStream.range(0, PER_CLIENT)
                                .mapToObj(m -> prefix + "m" + m)
                                .toList());
                assertThat(l.resets).as("client %d: no history reset", i).isZero();
                assertThat(l.welcomes.getLast().resume())
                        .as("client %d resumed completely at the end", i)
                        .isEqualTo(Joined.Resume.COMPLETE);
            }
            // the chaos: enough cuts, in every phase
            ChaosRoom.assertCutsInEveryPhase(proxy.cuts(), byPhase, MIN_CUTS);
            assertThat(missedReplayed).as("resumes replayed missed events").isPositive();
        } finally {
            for (var rc : connections) {
                rc.close();
            }
            for (var s : stores) {
                s.close();
            }
            room.stop();
        }
    }

    private static List<String> ids(RecordingConnectionListener l) {
        return l.messages().stream().map(RoomEvent::id).toList();
    }

    /** How many of the messages some member has this one lacks, and the first few of them. */
    private static String missing(RecordingConnectionListener l, TreeMap<Long, String> heard) {
        Set<Long> has = l.messages().stream().map(RoomEvent::seq).collect(Collectors.toSet());
        List<String> lacks = heard.entrySet().stream()
                .filter(e -> !has.contains(e.getKey()))
                .map(e -> e.getKey() + ":" + e.getValue())
                .toList();
        return lacks.size() + (lacks.isEmpty() ? "" : " " + lacks.subList(0, Math.min(4, lacks.size())));
    }

    static String describe(
            List<RecordingConnectionListener> listeners, List<RoomConnection> connections, ChaosProxy proxy) {
        var b = new StringBuilder("cuts=" + proxy.cuts() + " " + proxy.cutsByPhase());
        var heard = new TreeMap<Long, String>(); // every message any member has, by seq
        for (var l : listeners) {
            l.messages().forEach(p -> heard.putIfAbsent(p.seq(), p.message().text()));
        }
        for (int i = 0; i < listeners.size(); i++) {
            var l = listeners.get(i);
            var rc = connections.get(i);
            var r = List.copyOf(l.reconnects);
            var errors = List.copyOf(l.errors);
            b.append("\n  client ")
                    .append(i)
                    .append(": state=")
                    .append(rc.state())
                    .append(" messages=")
                    .append(l.messages().size())
                    .append(" first seq=")
                    .append(
                            l.messages().isEmpty()
                                    ? "-"
                                    : l.messages().getFirst().seq())
                    .append(" welcomes=")
                    .append(l.welcomes.size())
                    .append(" missing=")
                    .append(missing(l, heard))
                    .append(" pending=")
                    .append(rc.pending().size())
                    .append(" reconnects=")
                    .append(r.size())
                    .append(" ended=")
                    .append(l.why)
                    .append(" last reasons=")
                    .append(r.subList(Math.max(0, r.size() - 3), r.size()).stream()
                            .collect(Collectors.joining(" | ")))
                    .append(" errors=")
                    .append(errors.subList(Math.max(0, errors.size() - 5), errors.size()));
        }
        return b.toString();
    }
}
