package org.confab.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.confab.net.discovery.NetnsFixture.Proc;
import org.confab.ui.host.DialogHostMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Host dialog's "announce" checkbox, on a multicast link: a room hosted the way the window
 * hosts it ({@link DialogHostMain}: the dialog's form, {@code HostService}, {@code LanAnnouncement})
 * inside one network namespace, and {@code confab rooms --json} in another, joined by a veth pair.
 * Ticked, the room is listed there; not ticked, it is not, while a {@code confab host} beside it on
 * the same link is (so the link did carry multicast). Needs root and iproute2; skipped without them
 * unless {@code CONFAB_REQUIRE_NETNS=1} (.ci/run sets it). No multicast leaves the namespaces.
 */
class HostDialogAnnouncingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private NetnsFixture fx;
    private String host;
    private String peer;
    private String net;

    @TempDir
    Path tmp;

    @BeforeEach
    void namespaces() throws Exception {
        boolean ok = NetnsFixture.isRoot() && NetnsFixture.hasIp();
        if (!"1".equals(System.getenv("CONFAB_REQUIRE_NETNS"))) {
            Assumptions.assumeTrue(ok, "network namespaces need root and iproute2");
        }
        assertThat(ok).as("root and iproute2 (CONFAB_REQUIRE_NETNS=1)").isTrue();
        fx = new NetnsFixture(tmp);
        String id = ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        host = fx.ns("cfh-h-" + id);
        peer = fx.ns("cfh-p-" + id);
        net = "10.81." + (ProcessHandle.current().pid() % 200 + 20);
        String tag = Long.toString(System.nanoTime() % 100_000);
        NetnsFixture.veth("ha" + tag, host, net + ".1/24", "hb" + tag, peer, net + ".2/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    /** A room hosted from the dialog's form, the checkbox ticked ({@code announce}) or not ({@code quiet}). */
    private Proc dialogHost(String checkbox, String room) throws Exception {
        Path testClasses = Path.of(DialogHostMain.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        return fx.start(
                host,
                "dialog-" + checkbox,
                List.of(
                        NetnsFixture.java(),
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "--enable-native-access=ALL-UNNAMED",
                        "-Dconfab.data.dir=" + tmp.resolve("data-" + checkbox),
                        "-cp",
                        System.getProperty("confab.jar") + File.pathSeparator + testClasses,
                        DialogHostMain.class.getName(),
                        checkbox,
                        room,
                        "dana"),
                Map.of());
    }

    /** What {@code confab rooms --json} lists in the peer namespace within 4 s. */
    private List<JsonNode> roomsSeenByPeer() throws Exception {
        Proc rooms = fx.confab(peer, "rooms", "rooms", "--json", "--timeout", "4");
        assertThat(rooms.waitFor()).isZero();
        List<JsonNode> seen = new ArrayList<>();
        for (String l : rooms.lines()) {
            if (l.startsWith("{")) {
                seen.add(JSON.readTree(l));
            }
        }
        return seen;
    }

    @Test
    void tickedTheRoomIsListedOnTheLink() throws Exception {
        Proc dialog = dialogHost("announce", "Dialog Room");
        String link = dialog.await(l -> l.startsWith("Invite link: ")).substring("Invite link: ".length());
        assertThat(dialog.await(l -> l.startsWith("Dialog says: ")))
                .contains("Announced on the local network: others see it on their start screen");
        long t0 = System.nanoTime();
        Proc watch = fx.confab(peer, "watch", "rooms", "--watch", "--json");
        JsonNode room = JSON.readTree(watch.await(
                l -> l.startsWith("{") && l.contains("\"event\":\"added\"") && l.contains("\"name\":\"Dialog Room\"")));
        System.out.printf(
                "HostDialogAnnouncingIT: the dialog's room listed in the peer namespace %.2f s after the browser started%n",
                (System.nanoTime() - t0) / 1e9);
        assertThat(room.get("host").asText()).isEqualTo("dana");
        assertThat(room.get("members").asInt()).isEqualTo(1); // the host's own member
        assertThat(link).contains("fp=" + room.get("fingerprint").asText());
        assertThat(room.get("addresses").toString()).contains(net + ".1:");
        assertThat(roomsSeenByPeer()).anyMatch(r -> r.get("name").asText().equals("Dialog Room"));
    }

    @Test
    void notTickedTheRoomIsNotListed_whileAnAnnouncedOneBesideItIs() throws Exception {
        Proc dialog = dialogHost("quiet", "Quiet Room");
        String link = dialog.await(l -> l.startsWith("Invite link: ")).substring("Invite link: ".length());
        assertThat(dialog.await(l -> l.startsWith("Dialog says: ")))
                .contains("Not announced on the local network: others join with an invite link or the address.");
        // the control: a room announced from the same namespace over the same link
        Proc control = fx.confab(host, "control", "host", "--port", "0", "--no-save", "--name", "Control Room");
        control.await(l -> l.startsWith("Announced on the local network"));
        Proc watch = fx.confab(peer, "watch", "rooms", "--watch", "--json");
        watch.await(l -> l.startsWith("{") && l.contains("\"name\":\"Control Room\""));

        List<JsonNode> seen = roomsSeenByPeer();
        assertThat(seen).anyMatch(r -> r.get("name").asText().equals("Control Room"));
        assertThat(seen).noneMatch(r -> r.get("name").asText().equals("Quiet Room"));
        assertThat(watch.linesSoFar()).noneMatch(l -> l.contains("Quiet Room"));
        assertThat(link).startsWith("confab://"); // the room runs: it is joined by its link instead
        assertThat(dialog.linesSoFar()).noneMatch(l -> l.contains("Exception"));
    }
}
