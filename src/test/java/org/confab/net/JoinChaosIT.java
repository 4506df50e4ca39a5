package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChaosEveryPhaseIT} with the jar's terminal client: five {@code confab join --json}
 * processes (room password from a file, key pinned with --fp, state on disk with --state-dir),
 * each fed 500 lines on stdin, through the same seeded, phase-aware {@link ChaosProxy}, with a
 * host SIGKILL and restart halfway. Each process's JSON output must show the identical complete
 * sequence of {@code message} events (same seq, id, sender, text; each once; every event seq
 * contiguous from 1), every sender's lines in the order typed; no process may exit before its
 * input ends, and each then leaves in order (exit 0).
 *
 * <p>The first joins go through the chaos too ({@code --retry-for 120}: a first join that is cut is
 * tried again, a refusal is not), with {@code --reconnect-max 1} (join's backoff: 0.5 s, at most 1 s here).
 */
@Timeout(600)
class JoinChaosIT {
    static final int CLIENTS = 5;
    static final int PER_CLIENT = 500;
    /** As in the in-JVM test. (Before join had --reconnect-max its 30 s backoff allowed only ~250-400 cuts in 4 minutes.) */
    static final int MIN_CUTS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One {@code join} process: stdin to type into, stdout lines as they come (parsed JSON kept). */
    static final class Join {
        final int who;
        final Process process;
        final Writer in;
        final List<String> out = new ArrayList<>();
        final List<String> err = new ArrayList<>();
        final List<JsonNode> messages = new ArrayList<>();
        final List<Long> seqs = new ArrayList<>();
        int welcomes;
        int reconnecting;
        long backoffMillis;
        String badLine;

        Join(int who, Process process) {
            this.who = who;
            this.process = process;
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            process.onExit().thenRun(this::poke);
        }

        synchronized void poke() {
            notifyAll();
        }

        synchronized void line(String l) {
            out.add(l);
            JsonNode j;
            try {
                j = JSON.readTree(l);
            } catch (IOException e) {
                badLine = l;
                notifyAll();
                return;
            }
            switch (j.path("type").asText()) {
                case "message" -> messages.add(j);
                case "welcome" -> welcomes++;
                case "reconnecting" -> {
                    reconnecting++;
                    backoffMillis += j.path("delayMs").asLong();
                }
                default -> {}
            }
            if (j.has("seq")) {
                seqs.add(j.get("seq").asLong());
            }
            notifyAll();
        }

        synchronized void errLine(String l) {
            err.add(l);
        }

        synchronized boolean await(Predicate<Join> p, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (!p.test(this)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left); // woken by every output line and by the process's exit
            }
            return true;
        }

        synchronized String describe() {
            int n = out.size();
            return "join " + who + ": alive=" + process.isAlive() + " messages=" + messages.size() + " welcomes="
                    + welcomes
                    + " reconnecting=" + reconnecting + " last lines=" + out.subList(Math.max(0, n - 4), n)
                    + " stderr=" + err.subList(Math.max(0, err.size() - 5), err.size());
        }
    }

    @Test
    void joinProcessesThroughCutsInEveryPhaseAndAHostKillLoseAndDoubleNothing(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        var room = ChaosRoom.start("JoinChaosIT", dir);
        long seed = room.seed;
        JarHost host = room.host;
        Path pw = room.passwordFile;
        var joins = new ArrayList<Join>();
        // the same schedule as ChaosEveryPhaseIT; --reconnect-max 1 keeps a chain of cut joins from waiting up to 30 s
        // each
        var schedule = ChaosProxy.Schedule.everyPhase(seed, true);
        try (var proxy = new ChaosProxy(room.port, schedule)) {
            for (int i = 0; i < CLIENTS; i++) {
                var pb = new ProcessBuilder(
                        JarHost.java(),
                        "-XX:+UseSerialGC",
                        "-Djava.awt.headless=true",
                        "-Dconfab.home=" + dir.resolve("home-" + i),
                        "-jar",
                        JarHost.jar(),
                        "join",
                        "127.0.0.1:" + proxy.port(),
                        "--nick",
                        "user" + i,
                        "--json",
                        "--fp",
                        host.fingerprint.base64url(),
                        "--password-file",
                        pw.toString(),
                        "--state-dir",
                        dir.resolve("state-" + i).toString(),
                        "--retry-for",
                        "120", // the first join goes through the chaos too
                        "--reconnect-max",
                        "1");
                var j = new Join(i, pb.start());
                joins.add(j);
                pump(j.process.getInputStream(), j::line, "join-out-" + i);
                pump(j.process.getErrorStream(), j::errLine, "join-err-" + i);
                // one after the other: eight JVMs starting at once on two busy cores took more than the host's 10 s
                // handshake deadline for TLS plus the PBKDF2 of the password proof, and a first join the host gave up
                // on (a timeout) is not retried by --retry-for
                assertThat(j.await(x -> x.welcomes >= 1 || !x.process.isAlive(), 150))
                        .as(j.describe())
                        .isTrue();
                assertThat(j.process.isAlive())
                        .as("first join: %s", j.describe())
                        .isTrue();
            }
            for (var j : joins) {
                var b = new StringBuilder();
                for (int m = 0; m < PER_CLIENT; m++) {
                    b.append("user").append(j.who).append(" m").append(m).append('\n');
                }
                j.in.write(b.toString()); // ~6 KB: fits the pipe; join keeps the lines in its outbox on disk
                j.in.flush();
            }
            int total = CLIENTS * PER_CLIENT;
            var progress = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Thread.sleep(20_000); // a progress report for the log, not synchronisation
                        System.out.println("JoinChaosIT progress: " + describe(joins, proxy));
                    }
                } catch (InterruptedException e) {
                    // done
                }
            });
            var watcher = joins.getFirst();
            assertThat(watcher.await(x -> x.messages.size() >= total / 2 || !x.process.isAlive(), 300))
                    .as("halfway before the kill: %s", describe(joins, proxy))
                    .isTrue();
            host.kill();
            int seenAtKill = watcher.messages.size();
            assertThat(seenAtKill).as("killed mid-run").isLessThan(total);
            int cutsAtKill = proxy.cuts();
            room.restart();
            for (var j : joins) {
                assertThat(j.await(x -> x.messages.size() >= total || !x.process.isAlive() || x.badLine != null, 300))
                        .as("join %d complete: %s", j.who, describe(joins, proxy))
                        .isTrue();
                assertThat(j.process.isAlive())
                        .as("join %d still running before its input ended: %s", j.who, j.describe())
                        .isTrue();
                assertThat(j.badLine)
                        .as("join %d printed only JSON lines", j.who)
                        .isNull();
            }
            proxy.arm(false);
            progress.interrupt();
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            System.out.printf(
                    "JoinChaosIT: seed %d, %d cuts over %d connections (%s), %d at the kill (message %d of %d),"
                            + " %d reconnecting lines, %d s waited in backoff (all processes), %d s%n",
                    seed,
                    proxy.cuts(),
                    proxy.connections(),
                    proxy.cutsByPhase(),
                    cutsAtKill,
                    seenAtKill,
                    total,
                    joins.stream().mapToInt(j -> j.reconnecting).sum(),
                    joins.stream().mapToLong(j -> j.backoffMillis).sum() / 1000,
                    seconds);
            var byPhase = proxy.cutsByPhase();

            // end of input: each leaves in order (join waits for its outbox first: JoinCommandTest covers that on its
            // own)
            for (var j : joins) {
                j.in.close();
            }
            for (var j : joins) {
                assertThat(j.process.waitFor(60, TimeUnit.SECONDS))
                        .as(j.describe())
                        .isTrue();
                assertThat(j.process.exitValue())
                        .as("join %d exit code: %s", j.who, j.describe())
                        .isZero();
            }

            List<String> reference = key(joins.getFirst().messages);
            assertThat(reference).hasSize(total);
            Set<String> ids = new HashSet<>();
            for (JsonNode m : joins.getFirst().messages) {
                ids.add(m.get("id").asText());
            }
            assertThat(ids).as("no duplicates").hasSize(total);
            for (var j : joins) {
                synchronized (j) {
                    assertThat(key(j.messages))
                            .as("join %d: the same messages, seqs, ids, in the same order", j.who)
                            .isEqualTo(reference);
                    assertThat(j.seqs.getFirst())
                            .as("join %d starts at the room's first event", j.who)
                            .isEqualTo(1L);
                    for (int k = 1; k < j.seqs.size(); k++) {
                        assertThat(j.seqs.get(k))
                                .as("join %d: contiguous seq at line %d", j.who, k)
                                .isEqualTo(j.seqs.get(k - 1) + 1);
                    }
                    String prefix = "user" + j.who + " ";
                    List<String> own = j.messages.stream()
                            .map(m -> m.get("text").asText())
                            .filter(t -> t.startsWith(prefix))
                            .toList();
                    assertThat(own)
                            .as("join %d's own lines, in order", j.who)
                            .isEqualTo(IntStream.range(0, PER_CLIENT)
                                    .mapToObj(m -> prefix + "m" + m)
                                    .toList());
                    assertThat(j.messages)
                            .allSatisfy(m -> assertThat(m.get("from").asText())
                                    .isEqualTo(m.get("text").asText().split(" ")[0]));
                    JsonNode last = JSON.readTree(j.out.getLast());
                    assertThat(last.path("type").asText())
                            .as("join %d ends with its leaving", j.who)
                            .isEqualTo("disconnected");
                    assertThat(last.path("reason").asText()).isEqualTo("left");
                }
            }
            ChaosRoom.assertCutsInEveryPhase(proxy.cuts(), byPhase, MIN_CUTS);
        } finally {
            for (var j : joins) {
                j.process.destroyForcibly();
            }
            room.stop();
        }
    }

    /** seq, id, sender and text of each message: what must be identical everywhere. */
    private static List<String> key(List<JsonNode> messages) {
        return messages.stream()
                .map(m -> m.get("seq").asLong() + " " + m.get("id").asText() + " "
                        + m.get("from").asText() + " " + m.get("text").asText())
                .toList();
    }

    private static String describe(List<Join> joins, ChaosProxy proxy) {
        var b = new StringBuilder("cuts=" + proxy.cuts() + " " + proxy.cutsByPhase());
        for (var j : joins) {
            b.append("\n  ").append(j.describe());
        }
        return b.toString();
    }

    private static void pump(InputStream s, Consumer<String> sink, String name) {
        Thread.ofPlatform().daemon(true).name("pump-" + name).start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    sink.accept(l);
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }
}
