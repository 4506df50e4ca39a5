package org.confab.ui.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.ui.notify.AttentionUpdates.Display;
import org.confab.ui.notify.AttentionUpdates.Unread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttentionUpdatesTest {
    private static final int TIMEOUT_S = 20;

    private final List<Unread> shown = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AtomicInteger closes = new AtomicInteger();
    private final List<AttentionUpdates> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(AttentionUpdates::close);
    }

    private AttentionUpdates recording() {
        return open(new Display() {
            @Override
            public void show(Unread unread) {
                threads.add(Thread.currentThread().getName());
                shown.add(unread);
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        });
    }

    private AttentionUpdates open(Display display) {
        AttentionUpdates u = new AttentionUpdates("confab-test-badge", display, "the taskbar badge", logged::add);
        opened.add(u);
        return u;
    }

    private static void sync(AttentionUpdates u) throws Exception {
        u.sync().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Test
    void onlyChangesAreShownOnItsOwnThread() throws Exception {
        AttentionUpdates u = recording();
        u.unread(3, true);
        sync(u);
        for (int i = 0; i < 5; i++) {
            u.unread(3, true);
            sync(u);
        }
        u.unread(3, false);
        sync(u);
        u.unread(4, false);
        sync(u);
        assertThat(shown).containsExactly(new Unread(3, true), new Unread(3, false), new Unread(4, false));
        assertThat(threads).containsOnly("confab-test-badge");
        assertThat(logged).isEmpty();
    }

    @Test
    void noneUnreadIsNeverUrgent() throws Exception {
        AttentionUpdates u = recording();
        u.unread(0, true);
        sync(u);
        u.unread(-5, true);
        sync(u);
        u.unread(0, false);
        sync(u);
        assertThat(shown).containsExactly(Unread.NONE);
        assertThat(Unread.of(0, true)).isEqualTo(new Unread(0, false));
        assertThat(Unread.of(2, true)).isEqualTo(new Unread(2, true));
    }

    @Test
    void aHangingSystemNeverBlocksTheCallerAndGetsTheLatestOnly() throws Exception {
        CountDownLatch inShow = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AttentionUpdates u = open(unread -> {
            shown.add(unread);
            inShow.countDown();
            release.await();
        });
        u.unread(1, false);
        assertThat(inShow.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        // the system hangs in the first show: the calls return at once and fold into one
        assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_S), () -> {
            for (int i = 2; i <= 1000; i++) {
                u.unread(i, i % 2 == 0);
            }
        });
        release.countDown();
        sync(u);
        assertThat(shown).containsExactly(new Unread(1, false), new Unread(1000, true));
    }

    @Test
    void aFailingSystemIsLoggedOnceAndLaterCallsAreNoOps() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AttentionUpdates u = open(unread -> {
            attempts.incrementAndGet();
            throw new IOException("the bus is gone");
        });
        for (int i = 1; i <= 5; i++) {
            int n = i;
            assertThatCode(() -> u.unread(n, true)).doesNotThrowAnyException();
            sync(u);
        }
        assertThat(attempts).hasValue(1);
        assertThat(u.isOff()).isTrue();
        assertThat(logged).containsExactly("confab: the taskbar badge is off: java.io.IOException: the bus is gone");
        u.lost(new IOException("and the connection too"));
        assertThat(logged).hasSize(1);
    }

    @Test
    void lostIsLoggedOnceUnlessClosed() throws Exception {
        AttentionUpdates u = recording();
        u.lost(new IOException("the session bus closed the connection"));
        u.lost(new IOException("again"));
        u.unread(1, false);
        sync(u);
        assertThat(shown).isEmpty();
        assertThat(logged).hasSize(1).first().asString().contains("the session bus closed the connection");

        AttentionUpdates closed = recording();
        closed.close();
        closed.lost(new IOException("our own disconnect"));
        assertThat(logged).hasSize(1);
    }

    @Test
    void closeClearsWhatItShowedReleasesTheSystemAndIsIdempotent() throws Exception {
        AttentionUpdates u = recording();
        u.unread(2, true);
        sync(u);
        u.close();
        assertThat(shown).containsExactly(new Unread(2, true), Unread.NONE);
        assertThat(closes).hasValue(1);
        u.unread(5, true);
        u.close();
        assertThat(shown).hasSize(2);
        assertThat(closes).hasValue(1);

        // nothing shown: nothing to clear, but still released
        shown.clear();
        AttentionUpdates quiet = recording();
        quiet.close();
        assertThat(shown).isEmpty();
        assertThat(closes).hasValue(2);
        assertThat(logged).isEmpty();
    }

    @Test
    void closeWaitsBoundedForASystemThatHangs() {
        CountDownLatch never = new CountDownLatch(1);
        AttentionUpdates u = open(unread -> never.await());
        u.unread(1, false);
        assertTimeoutPreemptively(Duration.ofSeconds(TIMEOUT_S), u::close);
        never.countDown();
    }

    @Test
    void theTaskbarGetsTheCountAsBadgeTextAndAnAttentionRequestWhenItTurnsUrgent() throws Exception {
        List<String> badges = new ArrayList<>();
        List<Boolean> requests = new ArrayList<>();
        Display taskbar = TaskbarAttention.display(badges::add, requests::add);
        taskbar.show(new Unread(3, false));
        taskbar.show(new Unread(4, true));
        taskbar.show(new Unread(5, true));
        taskbar.show(Unread.NONE);
        assertThat(badges).containsExactly("3", "4", "5", null);
        assertThat(requests)
                .as("requested once when urgent, withdrawn when cleared")
                .containsExactly(true, false);

        // a taskbar with only one of the two
        List<String> onlyBadges = new ArrayList<>();
        Display badgeOnly = TaskbarAttention.display(onlyBadges::add, null);
        badgeOnly.show(new Unread(1, true));
        assertThat(onlyBadges).containsExactly("1");
        List<Boolean> onlyRequests = new ArrayList<>();
        Display attentionOnly = TaskbarAttention.display(null, onlyRequests::add);
        attentionOnly.show(new Unread(1, true));
        assertThat(onlyRequests).containsExactly(true);
    }
}
