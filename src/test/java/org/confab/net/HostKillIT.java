package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.confab.core.Fingerprint;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a headless host process, killed with SIGKILL in the middle of a run and
 * started again on the same port and data folder. Ten members (in this JVM) keep sending; each
 * must end with every message exactly once, in one order, with sequence numbers that go on
 * across the restart without a gap.
 */
@Timeout(240)
class HostKillIT {
    static final int CLIENTS = 10;
    static final int PER_CLIENT = 300;

    record HostProcess(Process process, BlockingQueue<String> lines) {}

    /** The room's key as the host printed it (the same after the restart: same key file). */
    private static volatile Fingerprint fingerprint;

    private static HostProcess startHost(int port, Path dataDir) throws Exception {
        String jar = System.getProperty("confab.jar");
        assertThat(jar).as("system property confab.jar").isNotNull();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var pb = new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar,
                "host",
                "--no-announce",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--name",
                "Kill room",
                "--data-dir",
                dataDir.toString(),
                "--rate",
                "50",
                "--burst",
                "50",
                "--identity",
                dataDir.resolveSibling("host-identity.p12").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // process gone
            }
        });
        String first = lines.poll(60, TimeUnit.SECONDS);
        assertThat(first).as("host's first line").isNotNull().contains("on port " + port);
        String invite;
        do {
            invite = lines.poll(60, TimeUnit.SECONDS);
        } while (invite != null && !invite.startsWith("Invite link: "));
        assertThat(invite).as("host's invite link").isNotNull().contains("?fp=");
        fingerprint = Fingerprint.parse(
                        invite.substring(invite.indexOf("?fp=") + 4).split("[\\s&]")[0])
                .orElseThrow();
        return new HostProcess(p, lines);
    }

    @Test
    void killDashNineMidRunLosesAndDuplicatesNothing(@TempDir Path dir) throws Exception {
        int port;
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dataDir = dir.resolve("host-data");
        var host = startHost(port, dataDir);
        var backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.2);
        var listeners = new ArrayList<RecordingConnectionListener>();
        var connections = new ArrayList<RoomConnection>();
        var stores = new ArrayList<ClientStore>();
        HostProcess second = null;
        try {
            for (int i = 0; i < CLIENTS; i++) {
                var store = ClientStore.open(dir.resolve("client-" + i + ".db"));
                stores.add(store);
                var l = new RecordingConnectionListener();
                listeners.add(l);
                var rc = new RoomConnection(
                        RoomConnection.Options.defaults("127.0.0.1", port, "user" + i)
                                .withBackoff(backoff)
                                .withSecurity(JoinOptions.pinned(fingerprint)),
                        store,
                        l);
                connections.add(rc);
                rc.connect();
            }
            String roomId = connections.getFirst().welcome().roomId();
            for (int m = 0; m < PER_CLIENT; m++) {
                for (int i = 0; i < CLIENTS; i++) {
                    connections.get(i).send("user" + i + " m" + m);
                }
            }
            int total = CLIENTS * PER_CLIENT;
            var watcher = listeners.getFirst();
            assertThat(watcher.await(() -> watcher.messages().size() >= total / 3, 120))
                    .isTrue();
            assertThat(host.process().toHandle().destroyForcibly()).isTrue();
            assertThat(host.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(host.process().exitValue()).as("killed by SIGKILL").isEqualTo(137);
            long seenBeforeKill = watcher.messages().size();
            assertThat(seenBeforeKill)
                    .as("killed mid-run (members pace themselves at the host's 50/s)")
                    .isLessThan(total);
            second = startHost(port, dataDir);
            for (int i = 0; i < CLIENTS; i++) {
                var l = listeners.get(i);
                var rc = connections.get(i);
                assertThat(l.await(
                                () -> l.messages().size() >= total
                                        && rc.pending().isEmpty()
                                        && l.welcomes.size() >= 2,
                                150))
                        .as(
                                "client %d has %d of %d, %d pending",
                                i, l.messages().size(), total, rc.pending().size())
                        .isTrue();
            }
            List<String> reference =
                    listeners.getFirst().messages().stream().map(RoomEvent::id).toList();
            assertThat(new HashSet<>(reference)).hasSize(total);
            for (int i = 0; i < CLIENTS; i++) {
                var l = listeners.get(i);
                assertThat(l.messages().stream().map(RoomEvent::id).toList())
                        .as("client %d", i)
                        .isEqualTo(reference);
                var seqs = l.seqs();
                for (int k = 1; k < seqs.size(); k++) {
                    assertThat(seqs.get(k)).as("client %d contiguous", i).isEqualTo(seqs.get(k - 1) + 1);
                }
                String prefix = "user" + i + " ";
                var own = l.texts().stream().filter(t -> t.startsWith(prefix)).toList();
                for (int m = 0; m < PER_CLIENT; m++) {
                    assertThat(own.get(m)).isEqualTo(prefix + "m" + m);
                }
                assertThat(l.welcomes.getLast().roomId())
                        .as("same room after the restart")
                        .isEqualTo(roomId);
                assertThat(l.welcomes.getLast().resume())
                        .as(
                                "client %d welcomes %s, reconnects %s",
                                i,
                                l.welcomes.stream()
                                        .map(w -> w.resume() + "@" + w.lastSeq())
                                        .toList(),
                                l.reconnects + " resumes=" + l.resumes.size() + " state="
                                        + connections.get(i).state() + " events=" + l.events.size())
                        .isEqualTo(Joined.Resume.COMPLETE);
            }
            assertThat(Files.list(dataDir.resolve("rooms")).toList()).isNotEmpty();
        } finally {
            for (var rc : connections) {
                rc.close();
            }
            for (var s : stores) {
                s.close();
            }
            host.process().destroyForcibly();
            if (second != null) {
                second.process().toHandle().destroy();
                second.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
