package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.confab.core.FileRef;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.core.RoomEvent;
import org.confab.net.ChaosProxy;
import org.confab.net.Disconnect;
import org.confab.net.FileTransfers;
import org.confab.net.HostConfig;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.net.RoomHost;
import org.confab.store.FavouriteRooms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** JoinCommand in this JVM against a real RoomHost on port 0, with a real RoomConnection as the other member. */
class JoinCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private RoomHost host;
    private int port;
    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private PipedOutputStream stdin;

    @BeforeEach
    void startHost() throws Exception {
        host = new RoomHost(HostConfig.defaults("Test room", 0), null);
        port = host.start().getPort();
    }

    @AfterEach
    void stopHost() throws IOException {
        if (stdin != null) {
            stdin.close();
        }
        host.close();
    }

    /** Runs `join` on its own thread with a pipe as stdin; the future holds the exit code. */
    private CompletableFuture<Integer> join(String... args) throws IOException {
        var in = new PipedInputStream(64 * 1024);
        stdin = new PipedOutputStream(in);
        var cmd = new JoinCommand();
        cmd.in = in;
        cmd.zone = ZoneId.of("UTC");
        var cl = new CommandLine(cmd).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        var result = new CompletableFuture<Integer>();
        Thread.ofPlatform().name("join-under-test").start(() -> result.complete(cl.execute(args)));
        return result;
    }

    private void type(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        return json(line).path("type").asText().equals(type);
    }

    /** A member driven by the test. */
    static final class Member implements RoomConnectionListener {
        final List<RoomEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch gone = new CountDownLatch(1);
        private final Object lock = new Object();

        @Override
        public void event(RoomEvent e, String cid) {
            synchronized (lock) {
                events.add(e);
                lock.notifyAll();
            }
        }

        @Override
        public void ended(Disconnect why) {
            gone.countDown();
        }

        RoomEvent await(Predicate<RoomEvent> p) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            synchronized (lock) {
                while (true) {
                    for (RoomEvent e : events) {
                        if (p.test(e)) {
                            return e;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }
    }

    /** Another member of the room, on the same client path as everyone's. */
    private RoomConnection member(String nick, Member listener) throws JoinException {
        var c = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, nick)
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                listener);
        c.connect();
        return c;
    }

    @Test
    void chatsBothWaysInJsonAndLeavesOnEndOfInput() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice", "--json");

            JsonNode welcome = json(out.await(l -> is(l, "welcome"), 20));
            assertThat(welcome.get("room").asText()).isEqualTo("Test room");
            assertThat(welcome.get("you").asText()).isEqualTo("alice");
            assertThat(welcome.get("members")).extracting(JsonNode::asText).containsExactly("bob", "alice");
            JsonNode ownJoin = json(out.await(
                    l -> is(l, "joined") && json(l).get("nick").asText().equals("alice"), 20));
            assertThat(ownJoin.get("history").asBoolean()).isTrue();
            assertThat(ownJoin.get("seq").asLong())
                    .isEqualTo(welcome.get("lastSeq").asLong());

            type("héllo from alice ✓");
            var got = (RoomEvent.Posted) bob.await(e -> e instanceof RoomEvent.Posted);
            assertThat(got).isNotNull();
            assertThat(got.message().sender()).isEqualTo("alice");
            assertThat(got.message().text()).isEqualTo("héllo from alice ✓");

            bobClient.send("hi alice");
            JsonNode fromBob = json(out.await(
                    l -> is(l, "message") && json(l).get("from").asText().equals("bob"), 20));
            assertThat(fromBob.get("text").asText()).isEqualTo("hi alice");
            assertThat(fromBob.get("seq").asLong()).isEqualTo(got.seq() + 1);
            assertThat(fromBob.get("id").asText()).isNotBlank();
            assertThat(Instant.parse(fromBob.get("time").asText())).isNotNull();

            stdin.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            var left = (RoomEvent.Left) bob.await(e -> e instanceof RoomEvent.Left);
            assertThat(left).isNotNull();
            assertThat(left.nick()).isEqualTo("alice");
            assertThat(left.reason()).isEqualTo("left");
            JsonNode bye = json(out.await(l -> is(l, "disconnected"), 20));
            assertThat(bye.get("reason").asText()).isEqualTo("left");
            assertThat(err.all()).isEmpty();
        }
    }

    @Test
    void aBigRoomsMemberListLoadsWithWhoAndFollowsJoinsFromThen() throws Exception {
        host.close();
        host = new RoomHost(HostConfig.defaults("Big room", 0).withLazyMembersAbove(1), null); // lazy from 2 members
        port = host.start().getPort();
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice");
            assertThat(out.await(
                            l -> l.startsWith("* Joined \"Big room\"") && l.contains("Members: 2 (/who lists them)"),
                            20))
                    .isNotNull();
            type("/who");
            assertThat(out.await(l -> l.endsWith("* Loading the list of 2 members…"), 20))
                    .isNotNull();
            assertThat(out.await(l -> l.endsWith("* 2 members: bob, alice."), 20))
                    .isNotNull();
            bobClient.leave();
            assertThat(out.await(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* bob left"), 20))
                    .as("watching since /who: the leave is shown")
                    .isNotNull();
            type("/who");
            assertThat(out.await(l -> l.endsWith("* 1 member: alice."), 20)).isNotNull();
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void humanOutputRenameAndQuit() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice");
            assertThat(out.await(l -> l.startsWith("* Joined \"Test room\"") && l.contains("as alice"), 20))
                    .isNotNull();
            assertThat(out.await(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* alice joined"), 20))
                    .isNotNull();

            type("/nick alicia");
            assertThat(out.await(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* alice is now alicia"), 20))
                    .isNotNull();
            type("//not a command");
            assertThat(out.await(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] <alicia> /not a command"), 20))
                    .isNotNull();
            type("/bogus");
            assertThat(err.await(l -> l.contains("Unknown command /bogus"), 20)).isNotNull();
            type("/nick bob");
            assertThat(out.await(
                            l -> l.contains("! ") && l.contains("already taken") && l.endsWith("(nick-taken)"), 20))
                    .isNotNull();

            bobClient.leave();
            assertThat(out.await(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] \\* bob left"), 20))
                    .isNotNull();
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(out.await(l -> l.endsWith("* You left the room."), 20)).isNotNull();
            assertThat(host.awaitMembers(0, 20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void repliesEditsReactionsAndDeletionsFromTheTerminal() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit =
                    join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice", "--show-seq");
            out.await(l -> l.startsWith("* Joined"), 20);
            bobClient.send("lunch at noon?");
            String line = out.await(l -> l.contains("<bob> lunch at noon?"), 20);
            assertThat(line)
                    .as("the human line starts with the message's number")
                    .matches("#\\d+ \\[.*");
            long seq = Long.parseLong(line.substring(1, line.indexOf(' ')));

            type("/reply " + seq + " yes, the usual place");
            var reply = (RoomEvent.Posted) bob.await(
                    e -> e instanceof RoomEvent.Posted p && p.message().sender().equals("alice"));
            assertThat(reply.message().replyTo()).isEqualTo(seq);
            assertThat(out.await(l -> l.contains("<alice> (reply to #" + seq + ") yes, the usual place"), 20))
                    .isNotNull();
            long mine = reply.seq();

            type("/edit " + mine + " yes, the usual place at 12:30");
            var edited = (RoomEvent.Edited) bob.await(e -> e instanceof RoomEvent.Edited);
            assertThat(edited.target()).isEqualTo(mine);
            assertThat(edited.text()).isEqualTo("yes, the usual place at 12:30");
            assertThat(out.await(l -> l.contains("* alice edited #" + mine + ": yes, the usual place at 12:30"), 20))
                    .isNotNull();

            type("/react #" + seq + " 👍");
            var reacted = (RoomEvent.Reacted) bob.await(e -> e instanceof RoomEvent.Reacted);
            assertThat(reacted.emoji()).isEqualTo("👍");
            assertThat(reacted.added()).isTrue();
            assertThat(out.await(l -> l.contains("* alice reacted 👍 on #" + seq), 20))
                    .isNotNull();

            type("/edit " + seq + " not mine to edit");
            assertThat(out.await(
                            l -> l.contains("You can only edit your own messages") && l.endsWith("(not-allowed)"), 20))
                    .isNotNull();
            type("/delete " + mine);
            assertThat(bob.await(e -> e instanceof RoomEvent.Deleted d && d.target() == mine))
                    .isNotNull();
            type("/react nope 👍");
            assertThat(err.await(l -> l.contains("Usage: /react SEQ EMOJI"), 20))
                    .isNotNull();
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void directMessagesStatusesAndCommandsFromTheTerminal() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice");
            out.await(l -> l.startsWith("* Joined"), 20);
            type("/msg bob only for you");
            var dm = (RoomEvent.Posted) bob.await(
                    e -> e instanceof RoomEvent.Posted p && p.message().direct());
            assertThat(dm.message().to()).isEqualTo("bob");
            assertThat(dm.message().text()).isEqualTo("only for you");
            assertThat(out.await(l -> l.contains("<alice → bob (direct)> only for you"), 20))
                    .isNotNull();
            bobClient.sendDirect("alice", "got it");
            assertThat(out.await(l -> l.contains("<bob → alice (direct)> got it"), 20))
                    .isNotNull();
            bobClient.presence("away", "lunch");
            assertThat(out.await(l -> l.endsWith("* bob is away: lunch"), 20)).isNotNull();
            type("/me waves");
            assertThat(out.await(l -> l.endsWith("* alice waves"), 20)).isNotNull();
            type("/topic Ours now");
            assertThat(out.await(
                            l -> l.contains("Only the host and moderators can change the topic.")
                                    && l.endsWith("(not-allowed)"),
                            20))
                    .isNotNull();
            type("/help kick");
            assertThat(err.await(l -> l.contains("/kick NICK [REASON] — Removes NICK from the room"), 20))
                    .isNotNull();
            type("/kik bob");
            assertThat(err.await(l -> l.contains("Unknown command /kik. Did you mean /kick?"), 20))
                    .isNotNull();
            type("/msg bob");
            assertThat(err.await(l -> l.contains("Usage: /msg NICK TEXT"), 20)).isNotNull();
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void othersTypingIsShownWithTypingOnly() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice", "--typing");
            out.await(l -> l.startsWith("* Joined"), 20);
            bobClient.typing();
            assertThat(out.await(l -> l.endsWith("* bob is typing…"), 20)).isNotNull();
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void othersTypingIsAJsonLineWithTypingAndNothingWithout() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            var exit = join(
                    "127.0.0.1:" + port,
                    "--fp",
                    host.fingerprint().base64url(),
                    "--nick",
                    "alice",
                    "--json",
                    "--typing");
            out.await(l -> is(l, "welcome"), 20);
            bobClient.typing();
            String line = out.await(l -> is(l, "typing"), 20);
            assertThat(line).isNotNull();
            assertThat(JSON.readTree(line).get("nick").asText()).isEqualTo("bob");
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
        // without --typing: bob's typing comes before his message and prints nothing
        var bob2 = new Member();
        try (var bobClient = member("bob", bob2)) {
            int before = out.all().size();
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "carol");
            out.await(l -> l.startsWith("* Joined"), 20);
            bobClient.typing();
            bobClient.send("typed this");
            assertThat(out.await(l -> l.contains("<bob> typed this"), 20)).isNotNull();
            assertThat(out.all().subList(before, out.all().size())).noneMatch(l -> l.contains("typing"));
            type("/quit");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void roomClosedByTheHostExitsZero() throws Exception {
        var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice", "--json");
        out.await(l -> is(l, "welcome"), 20);
        host.close();
        JsonNode bye = json(out.await(l -> is(l, "disconnected"), 20));
        assertThat(bye.get("reason").asText()).isEqualTo("room-closed");
        assertThat(bye.get("text").asText()).isEqualTo("The host closed the room.");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void nickTakenIsOneLineOnStderrAndExit20() throws Exception {
        try (var bob = member("Bob", new Member())) {
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "bob");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(20);
            assertThat(err.all())
                    .singleElement()
                    .asString()
                    .startsWith("confab join: ")
                    .contains("already taken");
            assertThat(out.all()).isEmpty();
        }
    }

    @Test
    void aBannedMemberIsRefusedWithTheReasonAndExit24() throws Exception {
        var henry = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "henry")
                        .withSecurity(JoinOptions.pinned(host.fingerprint()).withOwnerToken(host.ownerToken())),
                null,
                new Member());
        henry.connect();
        try (henry) {
            var hears = new Member();
            try (var watcher = member("watcher", hears)) {
                assertThat(henry.moderate(Moderation.Action.BAN, "alice", "trolling", 0))
                        .isTrue();
                assertThat(hears.await(e -> e instanceof RoomEvent.Moderated m
                                && m.action().equals("ban")
                                && m.nick().equals("alice")))
                        .as("the ban is in force before alice comes")
                        .isNotNull();
            }
            var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "alice");
            assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(24);
            assertThat(err.all())
                    .singleElement()
                    .asString()
                    .isEqualTo("confab join: You are banned from this room by henry: trolling.");
            assertThat(out.all()).isEmpty();
        }
    }

    @Test
    void nobodyListeningIsExit10() throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var exit = join("127.0.0.1:" + closedPort, "--nick", "alice", "--timeout", "5");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(10);
        assertThat(err.all()).singleElement().asString().contains("connection refused");
    }

    @Test
    void aMultiAddressLinkJoinsTheAddressThatAnswersWithTheRoomsKey(@TempDir Path state) throws Exception {
        int closedPort;
        try (var s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var other = new RoomHost(HostConfig.defaults("Another room", 0), null); // another key
        int otherPort = other.start().getPort();
        try {
            String link = "confab://127.0.0.1:" + closedPort + "/?fp="
                    + host.fingerprint().base64url() + "&alt=127.0.0.1:" + otherPort + ",127.0.0.1:" + port;
            var exit = join(link, "--nick", "alice", "--json", "--state-dir", state.toString());
            JsonNode welcome = json(out.await(l -> is(l, "welcome"), 20));
            assertThat(welcome.get("room").asText()).isEqualTo("Test room");
            assertThat(err.await(l -> l.contains("reached the room"), 20))
                    .isEqualTo("confab join: reached the room at 127.0.0.1:" + port + " (of the link's 3 addresses)");
            assertThat(other.members()).isEmpty();
            // remembered for the start screen, with the key and every address of the link
            assertThat(FavouriteRooms.standard().list()).anySatisfy(f -> {
                assertThat(f.roomId()).isEqualTo(host.roomId());
                assertThat(f.link()).isEqualTo(InviteLink.parse(link));
            });
            stdin.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        } finally {
            other.close();
        }
    }

    @Test
    void aMultiAddressLinkWhoseAddressesAllFailSaysWhatEachDid() throws Exception {
        int a;
        int b;
        try (var s = new ServerSocket(0);
                var t = new ServerSocket(0)) {
            a = s.getLocalPort();
            b = t.getLocalPort();
        }
        var exit = join(
                "confab://127.0.0.1:" + a + "/?fp=" + host.fingerprint().base64url() + "&alt=127.0.0.1:" + b,
                "--nick",
                "alice",
                "--no-save",
                "--retry-for",
                "0");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(10);
        String all = String.join("\n", err.all());
        assertThat(all)
                .startsWith("confab join: None of the room's 2 addresses let this Confab in:")
                .contains("127.0.0.1:" + a + ": Nobody is hosting at 127.0.0.1:" + a)
                .contains("127.0.0.1:" + b + ": Nobody is hosting at 127.0.0.1:" + b);
    }

    @Test
    void aDamagedAddressListIsAUsageError() throws Exception {
        var exit = join("confab://127.0.0.1:" + port + "/?alt=127.0.0.1:99999", "--nick", "alice");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(String.join("\n", err.all())).contains("address list (alt=)");
    }

    @Test
    void invalidNickIsAUsageError() throws Exception {
        var exit = join("127.0.0.1:" + port, "--fp", host.fingerprint().base64url(), "--nick", "   ");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(String.join("\n", err.all())).contains("Invalid --nick");
    }

    @Test
    void reconnectsByItselfResumesAndDeliversWhatWasTypedMeanwhile(@TempDir Path state) throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob);
                var proxy = new ChaosProxy(port)) {
            var exit = join(
                    "127.0.0.1:" + proxy.port(),
                    "--fp",
                    host.fingerprint().base64url(),
                    "--nick",
                    "alice",
                    "--json",
                    "--state-dir",
                    state.toString());
            json(out.await(l -> is(l, "welcome"), 20));
            assertThat(proxy.cutRandom(new Random(1))).isTrue();
            JsonNode reconnecting = json(out.await(l -> is(l, "reconnecting"), 20));
            assertThat(reconnecting.get("attempt").asInt()).isEqualTo(1);
            assertThat(reconnecting.get("delayMs").asLong()).isBetween(400L, 600L);
            type("typed while away");
            bobClient.send("said while alice was away");
            JsonNode resumed = json(out.await(l -> is(l, "resumed"), 30));
            assertThat(resumed.get("gap").asBoolean()).isFalse();
            assertThat(out.await(
                            l -> is(l, "message")
                                    && json(l).get("text").asText().equals("said while alice was away"),
                            20))
                    .isNotNull();
            JsonNode delivered = json(out.await(
                    l -> is(l, "state") && json(l).get("state").asText().equals("delivered"), 20));
            assertThat(delivered.get("cid").asText()).isNotBlank();
            var got = (RoomEvent.Posted) bob.await(
                    e -> e instanceof RoomEvent.Posted p && p.message().text().equals("typed while away"));
            assertThat(got).isNotNull();
            stdin.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
            assertThat(bob.events.stream()
                            .filter(e -> e instanceof RoomEvent.Posted p
                                    && p.message().text().equals("typed while away")))
                    .as("delivered exactly once")
                    .hasSize(1);
            assertThat(Files.list(state.resolve("joined")).toList())
                    .as("cache and outbox on disk")
                    .isNotEmpty();
            assertThat(err.all()).isEmpty();
        }
    }

    @Test
    void linesTypedLastAreDeliveredBeforeItLeavesAtTheEndOfInput() throws Exception {
        var bob = new Member();
        try (var bobClient = member("bob", bob)) {
            // 80 lines at once against the host's 20/s (burst 40): half of them wait in the outbox for the pace
            var exit = join(
                    "127.0.0.1:" + port,
                    "--fp",
                    host.fingerprint().base64url(),
                    "--nick",
                    "alice",
                    "--json",
                    "--no-save");
            out.await(l -> is(l, "welcome"), 20);
            for (int i = 0; i < 80; i++) {
                type("line " + i);
            }
            stdin.close();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(bob.await(e -> e instanceof RoomEvent.Posted p
                            && p.message().text().equals("line 79")))
                    .isNotNull();
            assertThat(bob.events.stream()
                            .filter(e -> e instanceof RoomEvent.Posted)
                            .map(e -> ((RoomEvent.Posted) e).message().text()))
                    .as("every line delivered once, in order, before alice left")
                    .containsExactlyElementsOf(
                            IntStream.range(0, 80).mapToObj(i -> "line " + i).toList());
            var left = (RoomEvent.Left) bob.await(e -> e instanceof RoomEvent.Left);
            assertThat(left.reason()).isEqualTo("left");
            assertThat(err.all())
                    .anySatisfy(l -> assertThat(l).contains("Delivering").contains("unsent message"));
        }
    }

    /** Bob shares {@code file} (the real client path) and waits until its message is posted. */
    private static FileRef share(RoomConnection bob, Path file, String caption) throws Exception {
        var shared = new CompletableFuture<FileRef>();
        bob.files().upload(file, null, caption, new FileTransfers.Listener() {
            @Override
            public void finished(String key, FileRef ref, Path saved) {
                shared.complete(ref);
            }

            @Override
            public void failed(String key, String why) {
                shared.completeExceptionally(new AssertionError(why));
            }
        });
        return shared.get(30, TimeUnit.SECONDS);
    }

    @Test
    void sharesAndDownloadsFilesFromTheTerminalWithFewProgressLines(@TempDir Path dir) throws Exception {
        var bob = new Member();
        Path downloads = dir.resolve("downloads");
        byte[] report = new byte[3 * 1024 * 1024 + 17]; // 13 chunks of 256 KiB
        new Random(7).nextBytes(report);
        Path original = Files.write(dir.resolve("report.bin"), report);
        Files.writeString(dir.resolve("notes.txt"), "meeting at noon\n");
        Files.createDirectories(dir.resolve("a folder"));
        try (var bobClient = member("bob", bob)) {
            var exit = join(
                    "127.0.0.1:" + port,
                    "--fp",
                    host.fingerprint().base64url(),
                    "--nick",
                    "alice",
                    "--no-save",
                    "--download-dir",
                    downloads.toString());
            assertThat(out.await(l -> l.startsWith("* Joined \"Test room\""), 20))
                    .isNotNull();
            share(bobClient, original, "the numbers");
            assertThat(out.await(l -> l.endsWith("<bob> shared report.bin (3.1 MB) · /get 1: the numbers"), 20))
                    .as("out: %s", out.all())
                    .isNotNull();

            type("/get 1");
            String saved = out.await(l -> l.contains("* Saved report.bin (3.1 MB, SHA-256 checked) as "), 30);
            assertThat(saved).as("out: %s err: %s", out.all(), err.all()).isNotNull();
            assertThat(downloads.resolve("report.bin")).hasBinaryContent(report);
            long progress = out.all().stream()
                    .filter(l -> l.contains("* Downloading report.bin: "))
                    .count();
            assertThat(progress)
                    .as("13 chunks, at most one line per tenth (or 2 s): %s", out.all())
                    .isBetween(1L, 9L);
            type("/get 1");
            assertThat(out.await(l -> l.contains("* Saved report.bin") && l.contains("report (1).bin"), 30))
                    .as("a second download never overwrites the first")
                    .isNotNull();

            type("/send " + dir.resolve("notes.txt") + " see you there");
            var posted = (RoomEvent.Posted) bob.await(e -> e instanceof RoomEvent.Posted p
                    && p.message().file() != null
                    && p.message().file().name().equals("notes.txt"));
            assertThat(posted).as("err: %s", err.all()).isNotNull();
            assertThat(posted.message().text()).isEqualTo("see you there");
            assertThat(posted.message().sender()).isEqualTo("alice");
            assertThat(out.await(l -> l.endsWith("* Shared notes.txt (16 bytes)."), 20))
                    .isNotNull();

            // a folder goes as a whole: one message, its structure and empty folders kept
            Files.writeString(
                    Files.createDirectories(dir.resolve("a folder").resolve("sub"))
                            .resolve("x.txt"),
                    "x");
            Files.createDirectories(dir.resolve("a folder").resolve("empty"));
            type("/send \"" + dir.resolve("a folder") + "\" the lot");
            var folder = (RoomEvent.Posted) bob.await(e -> e instanceof RoomEvent.Posted p
                    && p.message().file() != null
                    && p.message().file().folder());
            assertThat(folder).as("err: %s", err.all()).isNotNull();
            assertThat(folder.message().file().name()).isEqualTo("a folder");
            assertThat(folder.message().text()).isEqualTo("the lot");
            String line = out.await(l -> l.contains("<alice> shared the folder a folder (1 byte) · /get "), 20);
            assertThat(line).as("out: %s", out.all()).isNotNull();
            assertThat(out.await(l -> l.endsWith("* Shared a folder (1 byte)."), 20))
                    .as("out: %s", out.all())
                    .isNotNull();
            // /get of a folder fetches the tree
            type("/get " + line.replaceAll(".*/get (\\d+).*", "$1"));
            assertThat(out.await(l -> l.contains("* Saved a folder"), 30))
                    .as("out: %s err: %s", out.all(), err.all())
                    .isNotNull();
            assertThat(downloads.resolve("a folder/sub/x.txt")).hasContent("x");
            assertThat(downloads.resolve("a folder/empty")).isEmptyDirectory();
            type("/send " + dir.resolve("missing.pdf"));
            assertThat(err.await(l -> l.equals("No such file: " + dir.resolve("missing.pdf")), 20))
                    .isNotNull();
            type("/get 9");
            assertThat(err.await(l -> l.startsWith("No file 9 here"), 20)).isNotNull();
            type("/get");
            assertThat(err.await(l -> l.equals("Usage: /get N"), 20)).isNotNull();
            type("/files");
            assertThat(err.await(l -> l.equals("No transfers going on."), 20)).isNotNull();
            type("/cancel 1");
            assertThat(err.await(l -> l.startsWith("No transfer 1 going on"), 20))
                    .isNotNull();
            stdin.close();
            assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void fileEventsInJsonAndDownloadsBelowASizeByThemselves(@TempDir Path dir) throws Exception {
        var bob = new Member();
        Path downloads = dir.resolve("in");
        try (var bobClient = member("bob", bob)) {
            var exit = join(
                    "127.0.0.1:" + port,
                    "--fp",
                    host.fingerprint().base64url(),
                    "--nick",
                    "alice",
                    "--no-save",
                    "--json",
                    "--download-dir",
                    downloads.toString(),
                    "--auto-download-below",
                    "1K");
            out.await(l -> is(l, "welcome"), 20);
            FileRef small = share(bobClient, Files.writeString(dir.resolve("small.txt"), "tiny"), "");
            JsonNode offer = json(out.await(l -> is(l, "message") && json(l).has("file"), 20));
            assertThat(offer.get("from").asText()).isEqualTo("bob");
            assertThat(offer.get("text").asText()).isEqualTo("small.txt");
            JsonNode f = offer.get("file");
            assertThat(f.get("id").asText()).isEqualTo(small.id());
            assertThat(f.get("name").asText()).isEqualTo("small.txt");
            assertThat(f.get("size").asLong()).isEqualTo(4);
            assertThat(f.get("sha256").asText()).isEqualTo(small.sha256());
            assertThat(f.get("handle").asInt()).isEqualTo(1);
            JsonNode done = json(out.await(l -> is(l, "file-done"), 20));
            assertThat(done.get("handle").asInt()).isEqualTo(1);
            assertThat(done.get("direction").asText()).isEqualTo("download");
            assertThat(Path.of(done.get("path").asText())).hasContent("tiny");

            byte[] big = new byte[600 * 1024];
            new Random(3).nextBytes(big);
            share(bobClient, Files.write(dir.resolve("big.bin"), big), "");
            JsonNode bigOffer = json(out.await(l -> is(l, "message") && json(l).has("file"), 20));
            assertThat(bigOffer.get("file").get("handle").asInt()).isEqualTo(2);
            type("/get 2");
            JsonNode started = json(out.await(l -> is(l, "file-started"), 20));
            assertThat(started.get("handle").asInt()).isEqualTo(2);
            assertThat(started.get("size").asLong()).isEqualTo(big.length);
            JsonNode bigDone = json(out.await(l -> is(l, "file-done"), 20));
            assertThat(bigDone.get("name").asText()).isEqualTo("big.bin");
            assertThat(Path.of(bigDone.get("path").asText())).hasBinaryContent(big);
            assertThat(Files.exists(downloads.resolve("big.bin"))).isTrue();
            assertThat(out.all().stream().filter(l -> is(l, "file-started")).count())
                    .as("the big one only when asked for: %s", out.all())
                    .isEqualTo(2);

            // the end of input right after /send: it leaves once the file is shared, not before
            type("/send " + dir.resolve("big.bin") + " again");
            stdin.close();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
            JsonNode up = json(out.await(
                    l -> is(l, "file-started")
                            && json(l).get("direction").asText().equals("upload"),
                    20));
            assertThat(up.get("handle").asInt()).isEqualTo(3);
            JsonNode upDone = json(out.await(
                    l -> is(l, "file-done") && json(l).get("direction").asText().equals("upload"), 20));
            assertThat(upDone.get("size").asLong()).isEqualTo(big.length);
            assertThat(bob.await(e -> e instanceof RoomEvent.Posted p
                            && p.message().sender().equals("alice")
                            && p.message().file() != null
                            && p.message().text().equals("again")))
                    .isNotNull();
            assertThat(err.all()).singleElement().asString().startsWith("Finishing 1 transfer before leaving");
        }
    }
}
