package org.confab.ui.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.net.HostListener;
import org.confab.net.RoomConnectionListener;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.HostAnnouncement;
import org.junit.jupiter.api.Test;

/**
 * The window's host announces its room as {@code confab host} does, and stops with it. The build
 * runs tests with discovery off, so nothing multicasts: what would be announced is checked, and
 * that the announcement ends whichever way the room stops.
 */
class HostAnnouncingTest {
    private static final RoomConnectionListener NONE = (e, cid) -> {};

    private static HostService.Request request(String password, boolean announce) {
        return request(password, announce ? LanAnnouncement.lan() : null);
    }

    private static HostService.Request request(String password, LanAnnouncement.Factory announce) {
        return new HostService.Request(
                "Design team",
                "alice",
                0,
                InetAddress.getLoopbackAddress(),
                NONE,
                HostListener.NONE,
                password,
                false,
                announce,
                null);
    }

    @Test
    void announcesNameNicknamePasswordAndMembersAndStopsFirstWithTheRoom() throws Exception {
        assertThat(Discovery.allowed()).as("tests run with discovery off").isFalse();
        HostService.Hosted h = HostService.start(request("s3cret", true), m -> {}, () -> false);
        try {
            LanAnnouncement a = h.announcement();
            assertThat(a).isNotNull();
            assertThat(a.whyOff()).contains("turned off");
            assertThat(a.interfaces()).isEmpty();
            var ad = a.ad();
            assertThat(ad.roomName()).isEqualTo("Design team");
            assertThat(ad.hostNick()).isEqualTo("alice");
            assertThat(ad.passwordRequired()).as("pw=1").isTrue();
            assertThat(ad.txt()).containsEntry("pw", "1");
            assertThat(ad.members()).as("the host's own membership").isEqualTo(1);
            assertThat(ad.fingerprint()).isEqualTo(h.fingerprint());
            assertThat(ad.roomId()).isEqualTo(h.host().roomId());
            assertThat(HostDialogView.announceNote(h)).startsWith("Not announced: LAN discovery is turned off");
        } finally {
            h.member().close();
            h.stop();
        }
        assertThat(h.announcement().isClosed()).isTrue();
        assertThat(h.host().isRunning()).isFalse();
    }

    @Test
    void anOpenRoomAnnouncesNoPasswordAndItsAnnouncementEndsWhenTheRoomCloses() throws Exception {
        HostService.Hosted h = HostService.start(request(null, true), m -> {}, () -> false);
        assertThat(h.announcement().ad().txt()).containsEntry("pw", "0");
        h.member().close();
        h.host().close(); // not through stop(): the window's shutdown, a test
        assertThat(h.announcement().isClosed()).isTrue();
    }

    @Test
    void notAnnouncedWhenThePersonSaysSo() throws Exception {
        HostService.Hosted h = HostService.start(request(null, false), m -> {}, () -> false);
        try {
            assertThat(h.announcement()).isNull();
            assertThat(HostDialogView.announceNote(h)).startsWith("Not announced on the local network");
        } finally {
            h.member().close();
            h.stop();
        }
    }

    @Test
    void withDiscoveryOnTheRespondersStartOffTheCallersThreadAndAnEarlyStopStays() throws Exception {
        HostService.Hosted h = HostService.start(request(null, false), m -> {}, () -> false);
        try {
            var release = new CountDownLatch(1);
            var started = new CountDownLatch(1);
            var calls = new AtomicInteger();
            String caller = Thread.currentThread().getName();
            var thread = new String[1];
            // discovery "on" for this one, with an announcement that multicasts nothing (the JVM's switch is off)
            LanAnnouncement a = LanAnnouncement.start(h.host(), "alice", null, () -> {
                calls.incrementAndGet();
                thread[0] = Thread.currentThread().getName();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                HostAnnouncement made = HostAnnouncement.start(h.host(), "alice");
                started.countDown();
                return made;
            });
            assertThat(a.whyOff()).isNull();
            a.close(); // before the responders are up
            release.countDown();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(thread[0]).isNotEqualTo(caller).startsWith("confab-announce-start-");
            assertThat(a.isClosed()).isTrue();
            a.close(); // idempotent
            assertThat(a.interfaces()).isEmpty();
        } finally {
            h.member().close();
            h.stop();
        }
    }
}
