package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.confab.core.Fingerprint;

/**
 * The built jar ({@code confab.jar}, set by failsafe) as a headless host process with a fixed
 * port, data folder, key file and room password file, so that it can be killed with SIGKILL and
 * started again as the same room (same key, same history, sequence numbers go on).
 */
final class JarHost {
    final Process process;
    /** Every line the host printed (stdout and stderr), for failure messages. */
    final List<String> output;

    final Fingerprint fingerprint;

    private JarHost(Process process, List<String> output, Fingerprint fingerprint) {
        this.process = process;
        this.output = output;
        this.fingerprint = fingerprint;
    }

    static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String jar() {
        String jar = System.getProperty("confab.jar");
        assertThat(jar)
                .as("system property confab.jar (run by failsafe after package)")
                .isNotNull();
        return jar;
    }

    /** Starts {@code confab host} and waits for its invite link (which carries the room's key). */
    static JarHost start(int port, Path dataDir, Path passwordFile, int rate, int burst) throws Exception {
        var pb = new ProcessBuilder(
                java(),
                "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                jar(),
                "host",
                "--no-announce",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--name",
                "Chaos room",
                "--data-dir",
                dataDir.toString(),
                "--rate",
                String.valueOf(rate),
                "--burst",
                String.valueOf(burst),
                "--sync",
                "normal",
                "--password-file",
                passwordFile.toString(),
                "--identity",
                dataDir.resolveSibling("host-identity.p12").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    q.add(l);
                    all.add(l);
                }
            } catch (IOException e) {
                // process gone
            }
        });
        String invite;
        do {
            invite = q.poll(60, TimeUnit.SECONDS);
        } while (invite != null && !invite.startsWith("Invite link: "));
        assertThat(invite)
                .as("host's invite link; output so far: %s", all)
                .isNotNull()
                .contains("?fp=");
        var fp = Fingerprint.parse(invite.substring(invite.indexOf("?fp=") + 4).split("[\\s&]")[0])
                .orElseThrow();
        return new JarHost(p, all, fp);
    }

    /** SIGKILL: no goodbye to anyone, nothing flushed beyond what the host already wrote. */
    void kill() throws InterruptedException {
        assertThat(process.toHandle().destroyForcibly()).isTrue();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    /** SIGTERM and wait (clean-up). */
    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
