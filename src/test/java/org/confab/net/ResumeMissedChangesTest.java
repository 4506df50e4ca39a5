package org.confab.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.confab.core.ChatMessage;
import org.confab.core.RoomEvent;
import org.confab.store.ClientStore;
import org.confab.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member cut off while another edits, deletes and reacts: on resume it gets exactly those
 * changes, once each, and its cache ends in the room's final state (the edited text, the deleted
 * message gone from search, the reaction there).
 */
@Timeout(120)
class ResumeMissedChangesTest {
    private static final int T = 30;
    private static final String THUMBS_UP = "\uD83D\uDC4D";
    private final List<AutoCloseable> open = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private <C extends AutoCloseable> C opened(C c) {
        open.add(c);
        return c;
    }

    private static long seqOf(RecordingConnectionListener l, String text) {
        return l.messages().stream()
                .filter(p -> p.message().text().equals(text))
                .findFirst()
                .orElseThrow()
                .seq();
    }

    @Test
    void aMemberCutOffGetsTheEditsDeletionsAndReactionsItMissedAndItsCacheShowsTheFinalState() throws Exception {
        var host = opened(new RoomHost(
                HostConfig.defaults("Resume", 0).withBindAddress(InetAddress.getLoopbackAddress()),
                HostSecurity.ephemeral(),
                null));
        host.start();
        var proxy = opened(new ChaosProxy(host.port()));
        var a = new RecordingConnectionListener();
        var alice = opened(new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", host.port(), "alice")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                a));
        alice.connect();
        var store = opened(ClientStore.open(dir.resolve("carol.db")));
        var c = new RecordingConnectionListener();
        var carol = opened(new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", proxy.port(), "carol")
                        .withSecurity(JoinOptions.pinned(host.fingerprint()))
                        .withBackoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 0)),
                store,
                c));
        carol.connect();

        alice.send("first draft");
        alice.send("regrettable remark");
        alice.send("lunch at noon?");
        assertThat(c.await(() -> c.texts().contains("lunch at noon?"), T)).isTrue();
        long drafted = seqOf(c, "first draft");
        long regretted = seqOf(c, "regrettable remark");
        long lunch = seqOf(c, "lunch at noon?");
        int before = c.events.size();

        proxy.down();
        assertThat(c.await(() -> !c.reconnects.isEmpty(), T))
                .as("carol notices")
                .isTrue();
        assertThat(a.await(
                        () -> a.events.stream()
                                .anyMatch(e -> e instanceof RoomEvent.Left l
                                        && l.nick().equals("carol")),
                        T))
                .as("the host lets carol go")
                .isTrue();
        assertThat(alice.edit(drafted, "final text")).isTrue();
        assertThat(alice.delete(regretted)).isTrue();
        assertThat(alice.react(lunch, THUMBS_UP, true)).isTrue();
        assertThat(a.await(() -> a.events.stream().anyMatch(e -> e instanceof RoomEvent.Reacted), T))
                .isTrue();
        assertThat(c.events).as("nothing reaches carol while cut off").hasSize(before);

        proxy.up();
        assertThat(c.await(() -> c.events.stream().anyMatch(e -> e instanceof RoomEvent.Reacted), T))
                .as("carol resumes and catches up")
                .isTrue();
        assertThat(c.resumes).singleElement().satisfies(r -> {
            assertThat(r[0]).as("missed: her leave, the three changes").isGreaterThanOrEqualTo(4);
            assertThat(r[1]).as("no gap").isZero();
        });
        List<RoomEvent> all = List.copyOf(c.events); // a snapshot: an event arriving later must not break the view
        List<RoomEvent> caught = all.subList(before, all.size());
        assertThat(caught)
                .filteredOn(e -> e instanceof RoomEvent.Edited)
                .singleElement()
                .satisfies(e -> {
                    var x = (RoomEvent.Edited) e;
                    assertThat(x.target()).isEqualTo(drafted);
                    assertThat(x.by()).isEqualTo("alice");
                    assertThat(x.text()).isEqualTo("final text");
                });
        assertThat(caught)
                .filteredOn(e -> e instanceof RoomEvent.Deleted)
                .singleElement()
                .satisfies(e -> assertThat(((RoomEvent.Deleted) e).target()).isEqualTo(regretted));
        assertThat(caught)
                .filteredOn(e -> e instanceof RoomEvent.Reacted)
                .singleElement()
                .satisfies(e -> {
                    var r = (RoomEvent.Reacted) e;
                    assertThat(r.target()).isEqualTo(lunch);
                    assertThat(r.emoji()).isEqualTo(THUMBS_UP);
                    assertThat(r.added()).isTrue();
                });
        assertThat(caught).as("no message again").noneMatch(e -> e instanceof RoomEvent.Posted);
        assertThat(c.seqs()).as("each event once, in order").isSorted().doesNotHaveDuplicates();

        // the cache: the edit's text (the old one not found), the deletion forgotten, the reaction kept
        assertThat(store.search("final text", 10))
                .singleElement()
                .satisfies(m -> assertThat(m.seq()).isEqualTo(drafted));
        assertThat(store.search("draft", 10)).isEmpty();
        assertThat(store.search("regrettable", 10)).isEmpty();
        assertThat(store.search("lunch", 10)).extracting(ChatMessage::seq).containsExactly(lunch);
        List<StoredEvent> cached = store.recent(100);
        assertThat(cached)
                .filteredOn(e -> e.seq() == drafted)
                .singleElement()
                .satisfies(
                        e -> assertThat(((RoomEvent.Posted) e.event()).message().text())
                                .isEqualTo("final text"));
        assertThat(cached)
                .filteredOn(e -> e.seq() == regretted)
                .singleElement()
                .satisfies(
                        e -> assertThat(((RoomEvent.Posted) e.event()).message().text())
                                .doesNotContain("regrettable"));
        assertThat(cached)
                .anyMatch(e -> e.event() instanceof RoomEvent.Deleted d && d.target() == regretted)
                .anyMatch(e -> e.event() instanceof RoomEvent.Reacted r
                        && r.target() == lunch
                        && r.emoji().equals(THUMBS_UP)
                        && r.added());
        assertThat(store.lastSeq()).isEqualTo(host.lastSeq());
    }
}
