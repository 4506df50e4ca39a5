package org.confab.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The diagnostics' reachability check against a real host over loopback, a closed port, and a port that never speaks TLS. */
class ReachabilityTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aRealRoomIsReachableAndShowsItsKeyWithoutJoining() throws Exception {
        var host = new RoomHost(
                HostConfig.defaults("Doctor room", 0).withBindAddress(InetAddress.getLoopbackAddress()), null);
        open.add(host);
        int port = host.start().getPort();

        var r = Reachability.check("127.0.0.1", port, Duration.ofSeconds(10));

        assertEquals(Reachability.Outcome.REACHABLE, r.outcome(), r.message());
        assertEquals(host.fingerprint(), r.key());
        assertEquals("127.0.0.1:" + port, r.address());
        assertTrue(host.members().isEmpty(), "the check joins nobody: " + host.members());
    }

    @Test
    void aPlainTcpRoomIsReachableButNotEncrypted() throws Exception {
        var host = new RoomHost(
                HostConfig.defaults("Plain", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.insecure(),
                null);
        open.add(host);
        int port = host.start().getPort();

        var r = Reachability.check("127.0.0.1", port, Duration.ofSeconds(10));

        assertEquals(Reachability.Outcome.NOT_ENCRYPTED, r.outcome(), r.message());
        assertTrue(r.message().contains("did not answer with encryption"), r.message());
    }

    @Test
    void aClosedPortSaysNothingListens() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free, then closed: nothing listens there now
        }
        var r = Reachability.check("127.0.0.1", port, Duration.ofSeconds(10));

        assertEquals(Reachability.Outcome.NOTHING_LISTENS, r.outcome());
        assertTrue(r.message().startsWith("Nothing listens at 127.0.0.1:" + port), r.message());
        assertNull(r.key());
    }

    @Test
    void aPortThatNeverAnswersTlsTimesOutWithinItsBound() throws Exception {
        var silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(silent);
        List<Socket> accepted = new ArrayList<>();
        var acceptor = CompletableFuture.runAsync(() -> {
            try {
                accepted.add(silent.accept()); // accepts and then says nothing, ever
            } catch (Exception e) {
                // closed at the end of the test
            }
        });
        long start = System.nanoTime();

        var r = Reachability.check("127.0.0.1", silent.getLocalPort(), Duration.ofSeconds(1));

        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(Reachability.Outcome.TIMEOUT, r.outcome(), r.message());
        assertTrue(r.message().contains("stopped answering during the secure handshake"), r.message());
        assertTrue(took >= 900 && took < 20_000, "bounded by the timeout, took " + took + " ms");
        acceptor.get(10, TimeUnit.SECONDS);
        for (Socket s : accepted) {
            s.close();
        }
    }
}
