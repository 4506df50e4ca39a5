package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the chaos ITs ({@link ChaosEveryPhaseIT}, {@link JoinChaosIT}) share: the seed, a room
 * with a password hosted by the jar ({@link JarHost}) that is SIGKILLed halfway and started again
 * as the same room (same port, data folder and key), and the check that the chaos reached every
 * phase.
 */
final class ChaosRoom {
    static final String PASSWORD = "chaos horse battery";
    /** Messages per second and burst per member at the host: paces the run so that it lasts long enough for the cuts. */
    static final int RATE = 8;

    static final int BURST = 4;

    /** The seed of the proxy's schedule: {@code -Dchaos.seed=N} replays one. */
    final long seed;

    final int port;
    /** The room password, on the first line. */
    final Path passwordFile;
    /** The first host process (the one to kill). */
    final JarHost host;

    private final Path dataDir;
    private JarHost second;

    private ChaosRoom(long seed, int port, Path passwordFile, Path dataDir, JarHost host) {
        this.seed = seed;
        this.port = port;
        this.passwordFile = passwordFile;
        this.dataDir = dataDir;
        this.host = host;
    }

    /** Picks the seed (printed, for a replay) and starts the host on a free port, its files in {@code dir}. */
    static ChaosRoom start(String test, Path dir) throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        System.out.println(test + ": chaos seed " + seed + " (replay with -Dchaos.seed=" + seed + ")");
        int port = JarHost.freePort();
        Path dataDir = dir.resolve("host-data");
        Path pw = dir.resolve("room-password");
        Files.writeString(pw, PASSWORD + "\n", StandardCharsets.UTF_8);
        return new ChaosRoom(seed, port, pw, dataDir, JarHost.start(port, dataDir, pw, RATE, BURST));
    }

    /** After {@code host.kill()}: the same room again, a new process on the same port, data folder and key. */
    JarHost restart() throws Exception {
        second = JarHost.start(port, dataDir, passwordFile, RATE, BURST);
        return second;
    }

    /** Clean-up: the first host SIGKILLed if still there, the second one stopped. */
    void stop() throws InterruptedException {
        host.process.destroyForcibly();
        if (second != null) {
            second.stop();
        }
    }

    /** Enough cuts in total, and in each phase of joining and chatting, and refusals while the host was down. */
    static void assertCutsInEveryPhase(int cuts, Map<ChaosProxy.Phase, Integer> byPhase, int minCuts) {
        assertThat(cuts).as("cuts in total").isGreaterThanOrEqualTo(minCuts);
        assertThat(byPhase.get(ChaosProxy.Phase.TLS_HANDSHAKE))
                .as("cuts inside TLS handshakes")
                .isGreaterThanOrEqualTo(20);
        assertThat(byPhase.get(ChaosProxy.Phase.PASSWORD))
                .as("cuts inside the password exchange")
                .isGreaterThanOrEqualTo(20);
        assertThat(byPhase.get(ChaosProxy.Phase.HELLO_WELCOME))
                .as("cuts in hello/welcome")
                .isGreaterThanOrEqualTo(10);
        assertThat(byPhase.get(ChaosProxy.Phase.RESUME_REPLAY))
                .as("cuts in the resume replay")
                .isGreaterThanOrEqualTo(10);
        assertThat(byPhase.get(ChaosProxy.Phase.CHAT)).as("cuts in chat").isGreaterThanOrEqualTo(20);
        assertThat(byPhase.get(ChaosProxy.Phase.TCP_CONNECT))
                .as("connections refused while the host was down")
                .isGreaterThanOrEqualTo(1);
    }
}
