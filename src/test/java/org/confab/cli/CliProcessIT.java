package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built artifact as separate processes: a headless host on port 0 and two `join --json`
 * clients, chatting over loopback; then SIGTERM to the host. Output is read by one thread per
 * stream into a queue; every wait is a blocking poll with a generous timeout, never a sleep.
 */
class CliProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PORT = Pattern.compile("on port (\\d+)");
    private static final long T = 60;
    private final List<Process> started = new ArrayList<>();

    /** A running confab process with its stdout and stderr lines queued. */
    record Proc(Process process, Lines out, Lines err, Writer in) {
        void type(String line) {
            try {
                in.write(line + "\n");
                in.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A line already read (awaited past) that matches, or null. */
        String all(Predicate<String> p) {
            return out.all().stream().filter(p).findFirst().orElse(null);
        }

        String describe() {
            return "stdout=" + out.all() + " stderr=" + err.all();
        }
    }

    private Proc confab(String... args) throws IOException {
        return confab(env -> {}, args);
    }

    private Proc confab(Consumer<Map<String, String>> env, String... args) throws IOException {
        return confab(true, env, args);
    }

    /** @param ownHome true: this test's {@code confab.home}; false: only what the arguments and environment say */
    private Proc confab(boolean ownHome, Consumer<Map<String, String>> env, String... args) throws IOException {
        String jar = System.getProperty("confab.jar");
        assertThat(jar).as("system property confab.jar").isNotNull();
        assertThat(Files.isRegularFile(Path.of(jar))).as(jar + " exists").isTrue();
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Djava.awt.headless=true"));
        if (ownHome) {
            cmd.add("-Dconfab.home=" + home);
        }
        cmd.addAll(List.of("-jar", jar));
        cmd.addAll(List.of(args));
        var pb = new ProcessBuilder(cmd);
        env.accept(pb.environment());
        Process p = pb.start();
        started.add(p);
        var out = new Lines();
        var err = new Lines();
        String tag = args.length == 0 ? "gui" : args[0];
        pump(p.getInputStream(), out, "out-" + tag);
        pump(p.getErrorStream(), err, "err-" + tag);
        return new Proc(p, out, err, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
    }

    private static void pump(InputStream s, Lines lines, String name) {
        Thread.ofPlatform().daemon(true).name("pump-" + name).start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }

    @TempDir
    Path home;

    /** The fingerprint from the host's "Invite link: confab://...?fp=..." line. */
    private static String fingerprint(Proc host) throws InterruptedException {
        String invite = host.out().await(l -> l.startsWith("Invite link: "), T);
        assertThat(invite).as(host.describe()).isNotNull().contains("?fp=");
        return invite.substring(invite.indexOf("?fp=") + 4).split("[\\s&]")[0];
    }

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(T, TimeUnit.SECONDS);
            }
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean is(String line, String type) {
        return line.startsWith("{") && json(line).path("type").asText().equals(type);
    }

    private static boolean message(String line, String text) {
        return is(line, "message") && json(line).path("text").asText().equals(text);
    }

    @Test
    void hostAndTwoJsonClientsChatThenSigtermClosesTheRoom() throws Exception {
        Proc host = confab("host", "--no-announce", "--port", "0", "--bind", "127.0.0.1", "--name", "IT room");
        String first = host.out().await(l -> true, T);
        assertThat(first).as(host.describe()).isNotNull().startsWith("Confab ").contains("hosting \"IT room\"");
        Matcher m = PORT.matcher(first);
        assertThat(m.find()).as(first).isTrue();
        int port = Integer.parseInt(m.group(1));
        assertThat(port).isPositive();
        assertThat(first).contains("127.0.0.1:" + port);

        String fp = fingerprint(host);
        assertThat(host.out().all()).anyMatch(l -> l.startsWith("Encrypted (TLS 1.3). Room safety code: "));
        Proc a = confab("join", "127.0.0.1:" + port, "--nick", "alice", "--json", "--fp", fp);
        JsonNode welcomeA = json(a.out().await(l -> is(l, "welcome"), T));
        assertThat(welcomeA.get("room").asText()).isEqualTo("IT room");
        Proc b = confab("join", "confab://127.0.0.1:" + port + "/?fp=" + fp, "--nick", "bob", "--json");
        JsonNode welcomeB = json(b.out().await(l -> is(l, "welcome"), T));
        assertThat(welcomeB.get("members")).extracting(JsonNode::asText).containsExactly("alice", "bob");
        assertThat(a.out()
                        .await(
                                l -> is(l, "joined")
                                        && json(l).get("nick").asText().equals("bob"),
                                T))
                .as(a.describe())
                .isNotNull();
        assertThat(host.out().await(l -> l.contains("joined bob from 127.0.0.1:"), T))
                .as(host.describe())
                .isNotNull();

        a.type("hello from alice ✓");
        String bGotA = b.out().await(l -> message(l, "hello from alice ✓"), T);
        assertThat(bGotA).as(b.describe()).isNotNull();
        assertThat(json(bGotA).get("from").asText()).isEqualTo("alice");
        b.type("hello from bob");
        String aGotB = a.out().await(l -> message(l, "hello from bob"), T);
        assertThat(aGotB).as(a.describe()).isNotNull();
        String aGotA = a.all(l -> message(l, "hello from alice ✓"));
        String bGotB = b.out().await(l -> message(l, "hello from bob"), T);
        assertThat(aGotA).isNotNull();
        assertThat(bGotB).as(b.describe()).isNotNull();
        // the same two events, the same seq and id on both sides, alice's first
        assertThat(json(aGotA).get("seq").asLong())
                .isEqualTo(json(bGotA).get("seq").asLong());
        assertThat(json(aGotA).get("id").asText())
                .isEqualTo(json(bGotA).get("id").asText());
        assertThat(json(aGotB).get("seq").asLong())
                .isEqualTo(json(bGotB).get("seq").asLong());
        assertThat(json(aGotA).get("seq").asLong())
                .isLessThan(json(aGotB).get("seq").asLong());

        // SIGTERM. Process.destroy() would also close our end of the host's stdout pipe (ProcessImpl
        // does), losing the lines printed while stopping; ProcessHandle.destroy() only signals.
        assertThat(host.process().toHandle().destroy()).isTrue();
        assertThat(host.process().waitFor(T, TimeUnit.SECONDS))
                .as(host.describe())
                .isTrue();
        assertThat(host.process().exitValue()).as(host.describe()).isZero();
        assertThat(host.out().await(l -> l.equals("stopped"), T))
                .as(host.describe())
                .isNotNull();
        assertThat(host.err().all()).isEmpty();

        for (Proc client : List.of(a, b)) {
            String bye = client.out().await(l -> is(l, "disconnected"), T);
            assertThat(bye).as(client.describe()).isNotNull();
            assertThat(json(bye).get("reason").asText()).isEqualTo("room-closed");
            assertThat(client.process().waitFor(T, TimeUnit.SECONDS))
                    .as(client.describe())
                    .isTrue();
            assertThat(client.process().exitValue()).as(client.describe()).isZero();
        }
    }

    /** A host process on a free loopback port with these extra switches; returns it once it printed its invite. */
    private Proc host(String... more) throws IOException {
        var args = new ArrayList<>(List.of("host", "--no-announce", "--port", "0", "--bind", "127.0.0.1"));
        args.addAll(List.of(more));
        return confab(args.toArray(String[]::new));
    }

    private static int port(Proc host) throws InterruptedException {
        String first = host.out().await(l -> l.startsWith("Confab "), T);
        assertThat(first).as(host.describe()).isNotNull();
        Matcher m = PORT.matcher(first);
        assertThat(m.find()).as(first).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void sendSharesAFileForScripts_aJsonMemberGetsIt_theHostsLimitsAndSwitchesHold() throws Exception {
        Proc host = host("--name", "Files IT", "--no-save", "--max-file-size", "1K", "--file-retention", "7");
        int port = port(host);
        String fp = fingerprint(host);
        assertThat(host.out().await(l -> l.startsWith("Files: "), T))
                .as(host.describe())
                .isEqualTo("Files: up to 1 KiB each, 20 GiB in all, kept 7 days (a temporary folder, gone at stop:"
                        + " --no-save).");
        Path downloads = home.resolve("downloads");
        Proc bob = confab(
                "join",
                "127.0.0.1:" + port,
                "--nick",
                "bob",
                "--json",
                "--fp",
                fp,
                "--no-save",
                "--download-dir",
                downloads.toString());
        assertThat(bob.out().await(l -> is(l, "welcome"), T)).as(bob.describe()).isNotNull();

        Path report = Files.writeString(home.resolve("report.txt"), "all good\n");
        Proc send = confab(
                "send",
                "127.0.0.1:" + port,
                report.toString(),
                "--nick",
                "ci",
                "--fp",
                fp,
                "--caption",
                "tonight's report");
        assertThat(send.process().waitFor(T, TimeUnit.SECONDS))
                .as(send.describe())
                .isTrue();
        assertThat(send.process().exitValue()).as(send.describe()).isZero();
        assertThat(send.out().await(l -> true, T)).isEqualTo("Shared report.txt (9 bytes) in \"Files IT\".");

        JsonNode offer = json(bob.out().await(l -> is(l, "message") && json(l).has("file"), T));
        assertThat(offer.get("text").asText()).isEqualTo("tonight's report");
        assertThat(offer.get("file").get("name").asText()).isEqualTo("report.txt");
        bob.type("/get " + offer.get("file").get("handle").asInt());
        JsonNode done = json(bob.out().await(l -> is(l, "file-done"), T));
        assertThat(Path.of(done.get("path").asText())).hasContent("all good\n");

        Path big = Files.write(home.resolve("big.bin"), new byte[2048]);
        Proc tooBig = confab("send", "127.0.0.1:" + port, big.toString(), "--nick", "ci", "--fp", fp);
        assertThat(tooBig.process().waitFor(T, TimeUnit.SECONDS)).isTrue();
        assertThat(tooBig.process().exitValue()).as(tooBig.describe()).isEqualTo(SendCommand.EXIT_REFUSED);
        assertThat(tooBig.err().await(l -> true, T))
                .isEqualTo("confab send: The file is too big: this host takes files up to 1.0 KB.");

        Proc off = host("--name", "No files IT", "--no-save", "--no-files");
        int offPort = port(off);
        String offFp = fingerprint(off);
        assertThat(off.out().await(l -> l.startsWith("Files: "), T)).isEqualTo("Files: off (--no-files).");
        Proc refused = confab("send", "127.0.0.1:" + offPort, report.toString(), "--nick", "ci", "--fp", offFp);
        assertThat(refused.process().waitFor(T, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.process().exitValue()).as(refused.describe()).isEqualTo(SendCommand.EXIT_REFUSED);
        assertThat(refused.err().await(l -> true, T)).isEqualTo("confab send: This room's host does not take files.");
    }

    @Test
    void portInUseAndNobodyListeningAreClearOneLiners() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Proc host = confab(
                    "host", "--no-announce", "--port", String.valueOf(taken.getLocalPort()), "--bind", "127.0.0.1");
            assertThat(host.process().waitFor(T, TimeUnit.SECONDS)).isTrue();
            assertThat(host.process().exitValue()).isEqualTo(2);
            assertThat(host.err().await(l -> l.contains("already in use"), T))
                    .as(host.describe())
                    .isNotNull();
            assertThat(host.err().all()).hasSize(1);
        }
        int free;
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        Proc join = confab("join", "127.0.0.1:" + free, "--nick", "alice");
        assertThat(join.process().waitFor(T, TimeUnit.SECONDS)).isTrue();
        assertThat(join.process().exitValue()).isEqualTo(10);
        assertThat(join.err().await(l -> l.startsWith("confab join: Nobody is hosting"), T))
                .as(join.describe())
                .isNotNull();
    }

    @Test
    void desktopStartWithoutADisplayIsAClearMessageNotAStackTrace() throws Exception {
        for (String[] args : new String[][] {{}, {"--smoke"}, {"confab://127.0.0.1:4747"}}) {
            Proc gui = confab(
                    env -> {
                        env.remove("DISPLAY");
                        env.remove("WAYLAND_DISPLAY");
                    },
                    args);
            assertThat(gui.process().waitFor(T, TimeUnit.SECONDS))
                    .as(gui.describe())
                    .isTrue();
            assertThat(gui.process().exitValue()).as(gui.describe()).isEqualTo(ConfabCommand.EXIT_NO_DISPLAY);
            assertThat(gui.err().await(l -> l.startsWith("confab: no display"), T))
                    .as(gui.describe())
                    .isNotNull();
            assertThat(gui.err().await(l -> l.contains("confab join HOST:PORT"), T))
                    .as(gui.describe())
                    .isNotNull();
            assertThat(gui.err().all())
                    .as(gui.describe())
                    .noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
        }
    }

    /** The host's key from a start with these arguments and environment, then SIGTERM. */
    private String hostKey(Consumer<Map<String, String>> env, String... args) throws Exception {
        Proc host = confab(false, env, args);
        String fp = fingerprint(host);
        host.process().destroy();
        assertThat(host.process().waitFor(T, TimeUnit.SECONDS))
                .as(host.describe())
                .isTrue();
        return fp;
    }

    @Test
    void aProfileFromTheSwitchOrTheEnvironmentKeepsItsOwnKeyAndHistory() throws Exception {
        Path a = home.resolve("profile-a");
        Path b = home.resolve("profile-b");
        int port;
        try (var s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String[] hostArgs = {
            "host", "--no-announce", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--name", "Ops"
        };
        List<String> withSwitch = new ArrayList<>(List.of("--profile", a.toString()));
        withSwitch.addAll(List.of(hostArgs));

        String keyA = hostKey(env -> env.remove("CONFAB_HOME"), withSwitch.toArray(String[]::new));
        assertThat(a.resolve("host-identity.p12"))
                .as("the key lives in the profile")
                .isRegularFile();
        try (var files = Files.walk(a.resolve("data"))) {
            assertThat(files.filter(Files::isRegularFile).toList())
                    .as("the room's history lives in the profile's data folder")
                    .isNotEmpty();
        }
        assertThat(hostKey(env -> env.put("CONFAB_HOME", b.toString()), hostArgs))
                .as("CONFAB_HOME: another profile, another key")
                .isNotEqualTo(keyA);
        assertThat(b.resolve("host-identity.p12")).isRegularFile();
        assertThat(hostKey(env -> env.put("CONFAB_HOME", a.toString()), hostArgs))
                .as("the same profile, by the environment this time: the same key")
                .isEqualTo(keyA);
        assertThat(hostKey(env -> env.put("CONFAB_HOME", b.toString()), withSwitch.toArray(String[]::new)))
                .as("--profile wins over CONFAB_HOME")
                .isEqualTo(keyA);
        List<String> after = new ArrayList<>(List.of(hostArgs));
        after.addAll(List.of("--profile", a.toString()));
        assertThat(hostKey(env -> env.remove("CONFAB_HOME"), after.toArray(String[]::new)))
                .as("--profile after the subcommand too")
                .isEqualTo(keyA);
    }
}
