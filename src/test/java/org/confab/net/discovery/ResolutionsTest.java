package org.confab.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The resolver queue without multicast: requests that block stand in for JmDNS's waiting. */
class ResolutionsTest {
    private final List<String> asked = new CopyOnWriteArrayList<>();

    private Runnable request(String name, CountDownLatch started, CountDownLatch release, CountDownLatch done) {
        return () -> {
            asked.add(name);
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        };
    }

    @Test
    void askingNeverBlocksAndAFloodKeepsTheNewestNames() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch none = new CountDownLatch(0);
        CountDownLatch done = new CountDownLatch(4); // a, then the three kept
        try (Resolutions r = new Resolutions(1, 3)) {
            r.ask("a", request("a", firstStarted, release, done));
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue(); // the one thread is held by "a"
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                for (int i = 0; i < 500; i++) { // a flood of names that never resolve
                    r.ask("flood-" + i, request("flood-" + i, none, release, done));
                }
                r.ask("room", request("room", none, release, done));
                r.ask("room", request("room-again", none, release, done)); // waits already: not twice
            });
            assertThat(r.waiting()).isEqualTo(3);
            release.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(asked).containsExactly("a", "flood-498", "flood-499", "room");
        }
    }

    @Test
    void aDroppedOrFinishedNameIsAskedAboutAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch none = new CountDownLatch(0);
        CountDownLatch done = new CountDownLatch(2);
        try (Resolutions r = new Resolutions(1, 1)) {
            r.ask("a", request("a", firstStarted, release, done));
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();
            r.ask("b", request("b", none, release, done));
            r.ask("c", request("c", none, release, done)); // drops "b"
            r.ask("b", request("b2", none, release, done)); // dropped before, so asked again: drops "c"
            r.ask("a", request("a2", none, release, done)); // "a" runs already: a new ask counts, drops "b2"
            release.countDown();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(asked).containsExactly("a", "a2");
        }
    }
}
