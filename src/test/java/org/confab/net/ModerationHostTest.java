package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.confab.core.MemberIdentity;
import org.confab.core.Moderation;
import org.confab.core.RoomEvent;
import org.confab.protocol.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic and moderation through a real host: only the host names moderators; the host and
 * moderators set the topic, remove, ban, mute and delete; nobody acts on the host, a moderator
 * not on another moderator; a ban holds by nickname and by member key and survives a restart;
 * a muted member cannot write; a forged owner token is nobody; an older client reads what
 * happened as messages and sees the removed member leave.
 */
@Timeout(120)
class ModerationHostTest {
    private static final int T = 20;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostSecurity security = HostSecurity.ephemeral();
    private RoomHost host;
    private int port;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private void startHost(HostConfig config) throws Exception {
        host = new RoomHost(config.withBindAddress(InetAddress.getLoopbackAddress()), security, null);
        port = host.start().getPort();
        open.add(host);
    }

    private static MemberIdentity identity(int seed) {
        byte[] secret = new byte[32];
        Arrays.fill(secret, (byte) seed);
        return new MemberIdentity(secret);
    }

    private RoomLink join(String nick, JoinOptions options, LinkListener listener) throws JoinException {
        var c = RoomLink.connect("127.0.0.1", port, nick, options, listener);
        open.add(c);
        return c;
    }

    private JoinOptions as(int seed) {
        return JoinOptions.pinned(host.fingerprint()).withIdentity(identity(seed));
    }

    private static boolean has(RecordingLinkListener l, String action, String nick) {
        return l.events.stream()
                .anyMatch(e -> e instanceof RoomEvent.Moderated m
                        && m.action().equals(action)
                        && m.nick().equals(nick));
    }

    private static boolean errorSays(RecordingLinkListener l, String text) {
        return l.errors.stream().anyMatch(e -> e.contains(text));
    }

    @Test
    void theHostNamesModeratorsWhoSetTheTopicRemoveAndDelete() throws Exception {
        startHost(HostConfig.defaults("Mods", 0));
        var h = new RecordingLinkListener();
        var b = new RecordingLinkListener();
        var c = new RecordingLinkListener();
        RoomLink owner = join("henry", as(1).withOwnerToken(host.ownerToken()), h);
        RoomLink bob = join("bob", as(2), b);
        RoomLink carol = join("carol", as(3), c);
        assertThat(owner.welcome().roles()).containsEntry("henry", "host");

        // a member cannot set the topic or name moderators: an error for her alone
        carol.change(new Message.SetTopic("carol's room"));
        carol.change(new Message.Moderate("mod", "carol", "", 0));
        assertThat(c.awaitErrors(2, T)).isTrue();
        assertThat(c.errors).anySatisfy(e -> assertThat(e).contains("Only the host and moderators"));
        assertThat(c.errors).anySatisfy(e -> assertThat(e).contains("can name moderators"));

        // the host names bob; bob may not name others (only the host does)
        owner.change(new Message.Moderate("mod", "bob", "", 0));
        assertThat(c.await(ev -> has(c, "mod", "bob"), T)).isTrue();
        bob.change(new Message.Moderate("mod", "carol", "", 0));
        assertThat(b.awaitErrors(1, T)).isTrue();
        assertThat(errorSays(b, "Only the host can name")).isTrue();

        // bob sets the topic; a late joiner sees it and the roles in the welcome
        bob.change(new Message.SetTopic("  Release \u202Eplanning\n"));
        assertThat(c.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.TopicSet), T))
                .isTrue();
        RoomEvent.TopicSet topic = (RoomEvent.TopicSet) c.events.stream()
                .filter(e -> e instanceof RoomEvent.TopicSet)
                .findFirst()
                .orElseThrow();
        assertThat(topic.text()).as("cleaned: no bidi override, one line").isEqualTo("Release planning");
        var d = new RecordingLinkListener();
        RoomLink dave = join("dave", as(4), d);
        assertThat(dave.welcome().topic()).isEqualTo("Release planning");
        assertThat(dave.welcome().roles()).containsEntry("bob", "moderator").containsEntry("henry", "host");

        // nobody acts on the host; a moderator not on another moderator
        bob.change(new Message.Moderate("kick", "henry", "", 0));
        assertThat(b.awaitErrors(2, T)).isTrue();
        assertThat(errorSays(b, "Nobody can remove the host.")).isTrue();

        // a moderator deletes carol's message; dave may not
        carol.send("buy cheap watches");
        assertThat(d.awaitMessages(1, T)).isTrue();
        long spam = d.messages().getFirst().seq();
        dave.change(new Message.Delete(spam));
        assertThat(d.awaitErrors(1, T)).isTrue();
        assertThat(errorSays(d, "only delete your own")).isTrue();
        bob.change(new Message.Delete(spam));
        assertThat(d.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.Deleted x && x.target() == spam), T))
                .isTrue();

        // bob removes carol: she is told why and not reconnected by herself; the room sees her leave
        bob.change(new Message.Moderate("kick", "carol", "spam", 0));
        assertThat(c.disconnected.await(T, TimeUnit.SECONDS)).isTrue();
        assertThat(c.why.kind()).isEqualTo(Disconnect.Kind.REMOVED);
        assertThat(c.why.text()).isEqualTo("You were removed from this room by bob: spam");
        assertThat(d.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("carol")),
                        T))
                .isTrue();
        assertThat(has(d, "kick", "carol")).isTrue();
        assertThat(host.members()).doesNotContain("carol");
        // a kick is not a ban: she may come back
        join("carol", as(3), new RecordingLinkListener());
        assertThat(host.awaitMembers(4, T, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBanHoldsByNicknameAndKeyAndSurvivesARestart() throws Exception {
        Path file = dir.resolve("room.db");
        startHost(HostConfig.defaults("Bans", 0).withHistoryFile(file));
        var h = new RecordingLinkListener();
        var m = new RecordingLinkListener();
        RoomLink owner = join("henry", as(1).withOwnerToken(host.ownerToken()), h);
        join("mallory", as(6), m);
        owner.change(new Message.Moderate("ban", "mallory", "trolling", 0));
        assertThat(m.disconnected.await(T, TimeUnit.SECONDS)).isTrue();
        assertThat(m.why.kind()).isEqualTo(Disconnect.Kind.REMOVED);
        assertThat(m.why.text()).contains("banned").contains("trolling");

        // the same nickname from another app, and the same app under another nickname: refused
        assertThatThrownBy(() -> join("mallory", as(7), new RecordingLinkListener()))
                .isInstanceOfSatisfying(JoinException.class, e -> {
                    assertThat(e.reason()).isEqualTo(JoinException.Reason.BANNED);
                    assertThat(e.getMessage()).isEqualTo("You are banned from this room by henry: trolling.");
                });
        assertThatThrownBy(() -> join("m4llory", as(6), new RecordingLinkListener()))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.BANNED));
        assertThat(JoinException.Reason.BANNED.retryable()).isFalse();

        // a host restart on the same file keeps the ban, and the topic
        owner.change(new Message.SetTopic("No trolls"));
        assertThat(h.await(ev -> ev.stream().anyMatch(e -> e instanceof RoomEvent.TopicSet), T))
                .isTrue();
        host.close();
        startHost(HostConfig.defaults("Bans", 0).withHistoryFile(file));
        assertThatThrownBy(() -> join("m4llory", as(6), new RecordingLinkListener()))
                .isInstanceOfSatisfying(
                        JoinException.class, e -> assertThat(e.reason()).isEqualTo(JoinException.Reason.BANNED));
        var h2 = new RecordingLinkListener();
        RoomLink again = join("henry", as(1).withOwnerToken(host.ownerToken()), h2);
        assertThat(again.welcome().topic()).isEqualTo("No trolls");

        // lifting the ban lets her in
        again.change(new Message.Moderate("unban", "mallory", "", 0));
        assertThat(h2.await(ev -> has(h2, "unban", "mallory"), T)).isTrue();
        join("mallory", as(6), new RecordingLinkListener());
        assertThat(host.awaitMembers(2, T, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMutedMemberReadsButCannotWriteAndAForgedOwnerTokenIsNobody() throws Exception {
        startHost(HostConfig.defaults("Mute", 0));
        var h = new RecordingLinkListener();
        var d = new RecordingLinkListener();
        var f = new RecordingLinkListener();
        RoomLink owner = join("henry", as(1).withOwnerToken(host.ownerToken()), h);
        RoomLink dave = join("dave", as(4), d);
        RoomLink faker = join("faker", as(5).withOwnerToken("not-the-token"), f);
        assertThat(faker.welcome().roles()).doesNotContainKey("faker");
        faker.change(new Message.Moderate("kick", "dave", "", 0));
        assertThat(f.awaitErrors(1, T)).isTrue();
        assertThat(host.members()).contains("dave");

        owner.change(new Message.Moderate("mute", "dave", "cool down", 10));
        assertThat(d.await(ev -> has(d, "mute", "dave"), T)).isTrue();
        RoomEvent.Moderated mute = (RoomEvent.Moderated) d.events.stream()
                .filter(e -> e instanceof RoomEvent.Moderated)
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(Moderation.describe(mute, true)).isEqualTo("henry muted dave for 10 minutes: cool down");
        long before = host.lastSeq();
        dave.send("can you hear me?");
        assertThat(d.awaitErrors(1, T)).isTrue();
        assertThat(d.errors.getLast()).contains("You are muted for 10 more minutes by henry: cool down.");
        assertThat(host.lastSeq()).as("nothing posted").isEqualTo(before);
        // the others still reach him
        owner.send("you can still read this");
        assertThat(d.awaitMessages(1, T)).isTrue();

        owner.change(new Message.Moderate("unmute", "dave", "", 0));
        assertThat(d.await(ev -> has(d, "unmute", "dave"), T)).isTrue();
        dave.send("back");
        assertThat(h.await(
                        ev -> ev.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Posted p
                                        && p.message().text().equals("back")),
                        T))
                .isTrue();
    }

    @Test
    void anOlderClientReadsTopicAndModerationAsMessagesAndSeesTheRemovedLeave() throws Exception {
        startHost(HostConfig.defaults("Legacy", 0));
        var h = new RecordingLinkListener();
        RoomLink owner = join("henry", as(1).withOwnerToken(host.ownerToken()), h);
        var raw = new RawPeer(port);
        open.add(raw);
        raw.send(new Message.Hello(1, "olga", "an older client"));
        assertThat(raw.read()).isInstanceOf(Message.Welcome.class);
        join("troll", as(9), new RecordingLinkListener());

        owner.change(new Message.SetTopic("Lunch at noon"));
        owner.change(new Message.Moderate("kick", "troll", "", 0));
        List<RoomEvent> seen = new ArrayList<>();
        while (seen.stream().noneMatch(e -> e instanceof RoomEvent.Left)) {
            if (raw.read() instanceof Message.Event e && !(e.event() instanceof RoomEvent.Joined)) {
                seen.add(e.event());
            }
        }
        assertThat(seen).hasSize(3);
        assertThat(((RoomEvent.Posted) seen.get(0)).message().text()).isEqualTo("(set the topic: Lunch at noon)");
        assertThat(((RoomEvent.Posted) seen.get(1)).message().text()).isEqualTo("(removed troll from the room)");
        assertThat(((RoomEvent.Left) seen.get(2)).nick()).isEqualTo("troll");
    }
}
