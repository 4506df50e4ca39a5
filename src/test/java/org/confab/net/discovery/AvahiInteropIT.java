package org.confab.net.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.confab.net.discovery.NetnsFixture.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with the system's mDNS responder, Avahi: a Confab room is seen by {@code avahi-browse}
 * with its TXT fields, a room published with {@code avahi-publish} is listed (and joined) by
 * {@code confab rooms}, and Confab's own responder (JmDNS) works beside a running avahi-daemon on
 * the same host (both on UDP 5353).
 *
 * <p>Everything runs in two network namespaces joined by a veth pair ({@link NetnsFixture}), so no
 * multicast touches this machine's real interfaces: {@code A 10.79.N.1 ──veth── 10.79.N.2 B}. B
 * runs its own avahi-daemon, isolated from the machine: a private D-Bus system bus
 * ({@code dbus-daemon} on a socket in the test's directory, {@code DBUS_SYSTEM_BUS_ADDRESS} for the
 * daemon and the tools), a private configuration (only B's veth, IPv4, no workstation or HINFO
 * records, no wide-area, no reflector), and a private {@code /run} (a tmpfs in a mount namespace of
 * its own) for its pid file and socket. Needs root, iproute2, avahi-daemon, avahi-utils and dbus;
 * skipped without them unless {@code CONFAB_REQUIRE_AVAHI=1} (.ci/run sets it). Processes and
 * namespaces are removed after each test, also when it fails.
 */
class AvahiInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "_confab._tcp";

    @TempDir
    Path tmp;

    private NetnsFixture fx;
    private String a;
    private String b;
    private String ifB;
    private String net;
    private Map<String, String> bus;

    @BeforeEach
    void namespaces() throws Exception {
        List<String> tools = List.of(
                "/usr/sbin/avahi-daemon",
                "/usr/bin/avahi-browse",
                "/usr/bin/avahi-publish",
                "/usr/bin/dbus-daemon",
                "/usr/bin/unshare");
        boolean ready = NetnsFixture.isRoot()
                && NetnsFixture.hasIp()
                && tools.stream().allMatch(t -> Files.isExecutable(Path.of(t)));
        if (!"1".equals(System.getenv("CONFAB_REQUIRE_AVAHI"))) {
            Assumptions.assumeTrue(ready, "Avahi interop needs root, iproute2, avahi-daemon, avahi-utils and dbus");
        }
        assertThat(ready)
                .as("root, iproute2 and %s (CONFAB_REQUIRE_AVAHI=1)", tools)
                .isTrue();
        fx = new NetnsFixture(tmp);
        net = "10.79." + ((ProcessHandle.current().pid() % 200) + 20);
        String id = ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
        a = fx.ns("cfv-a-" + id);
        b = fx.ns("cfv-b-" + id);
        String tag = Long.toString(System.nanoTime() % 100_000);
        ifB = "vb" + tag;
        NetnsFixture.veth("va" + tag, a, net + ".1/24", ifB, b, net + ".2/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void avahiBrowseSeesAConfabRoomWithItsTxtFields() throws Exception {
        startAvahi();
        Proc browse = avahi("browse-b", "avahi-browse", "-rp", TYPE);
        Path password = Files.writeString(tmp.resolve("password"), "s3cret\n");
        long started = System.nanoTime();
        Proc host = fx.confab(
                a,
                "host-a",
                "host",
                "--port",
                "0",
                "--no-save",
                "--name",
                "Room A",
                "--nick",
                "ann",
                "--password-file",
                password.toString());
        String port = host.await(l -> l.contains(" on port ")).replaceAll(".* on port (\\d+) .*", "$1");
        String link = host.await(l -> l.startsWith("Invite link: "));
        host.await(l -> l.startsWith("Announced on the local network"));
        long announced = host.matchedAt();

        Resolved live = Resolved.parse(browse.await(l -> Resolved.parse(l)
                        .filter(r -> r.name().startsWith("Room A ("))
                        .isPresent()))
                .orElseThrow();
        long seen = browse.matchedAt();
        System.out.printf(
                "AvahiInteropIT: avahi-browse resolved the Confab room %.2f s after its host process started"
                        + " (%+.2f s from when it said \"Announced\")%n",
                (seen - started) / 1e9, (seen - announced) / 1e9);

        // a one-shot listing, as a person would type it
        Proc once = avahi("browse-once-b", "avahi-browse", "-rpt", TYPE);
        assertThat(once.waitFor()).isZero();
        List<String> listed = once.lines();
        Resolved r = listed.stream()
                .flatMap(l -> Resolved.parse(l).stream())
                .filter(x -> x.name().startsWith("Room A ("))
                .findFirst()
                .orElseThrow(() -> new AssertionError("avahi-browse -rpt did not list Room A: " + listed));
        assertThat(r).isEqualTo(live);
        assertThat(r.iface()).isEqualTo(ifB);
        assertThat(r.host()).startsWith("confab-").endsWith(".local");
        assertThat(r.address()).isEqualTo(net + ".1");
        assertThat(r.port()).isEqualTo(port);
        Map<String, String> txt = r.txt();
        assertThat(txt)
                .containsEntry("txtvers", "1")
                .containsEntry("pv", "1")
                .containsEntry("name", "Room A")
                .containsEntry("pw", "1")
                .containsEntry("n", "1")
                .containsEntry("nick", "ann");
        assertThat(link).contains("?fp=" + txt.get("fp") + " ");
        assertThat(txt.get("id")).matches("[0-9a-f-]{36}");
        assertThat(r.name()).isEqualTo("Room A (" + txt.get("id").substring(0, 6) + ")");
    }

    @Test
    void confabListsAndJoinsARoomPublishedWithAvahiPublish() throws Exception {
        startAvahi();
        // a real host in B, not announcing itself: Avahi announces it for it
        Proc host = fx.confab(b, "host-b", "host", "--port", "0", "--no-save", "--name", "Room B", "--no-announce");
        String port = host.await(l -> l.contains(" on port ")).replaceAll(".* on port (\\d+) .*", "$1");
        String fp = host.await(l -> l.startsWith("Invite link: ")).replaceAll(".*fp=", "");
        Proc publish = avahi(
                "publish-b",
                "avahi-publish",
                "-s",
                "Avahi room",
                TYPE,
                port,
                "txtvers=1",
                "pv=1",
                "name=Avahi room",
                "id=avahi-room-1",
                "fp=" + fp,
                "pw=0",
                "n=1",
                "nick=ava");
        publish.await(l -> l.startsWith("Established under name"));

        Proc rooms = fx.confab(a, "rooms-a", "rooms", "--json", "--timeout", "4");
        assertThat(rooms.waitFor()).isZero();
        JsonNode room = null;
        for (String l : rooms.lines()) {
            if (l.startsWith("{") && JSON.readTree(l).path("name").asText().equals("Avahi room")) {
                room = JSON.readTree(l);
            }
        }
        assertThat(room).as("confab rooms in A: %s", rooms.lines()).isNotNull();
        assertThat(room.get("roomId").asText()).isEqualTo("avahi-room-1");
        assertThat(room.get("fingerprint").asText()).isEqualTo(fp);
        assertThat(room.get("key").asText()).isEqualTo("new");
        assertThat(room.get("members").asInt()).isEqualTo(1);
        assertThat(room.get("host").asText()).isEqualTo("ava");
        assertThat(room.get("password").asBoolean()).isFalse();
        assertThat(room.get("addresses").toString()).contains("\"" + net + ".2:" + port + "\"");

        // the listed address is the real host's: joining it (checking the key) works
        Proc join = fx.confab(
                a,
                "join-a",
                "join",
                room.get("link").asText(),
                "--fp",
                room.get("fingerprint").asText(),
                "--nick",
                "carl",
                "--json");
        assertThat(JSON.readTree(join.await(l -> l.contains("\"welcome\"")))
                        .get("room")
                        .asText())
                .isEqualTo("Room B");
    }

    /**
     * "Never fight a running responder": Confab's browser and host run on the same host (namespace
     * B) as avahi-daemon; both bind UDP 5353 (SO_REUSEADDR), each answers for its own records (and
     * only for those: neither answers from what it heard of the other's).
     */
    @Test
    void confabBrowsesAndAnnouncesBesideARunningAvahiDaemon() throws Exception {
        Proc daemon = startAvahi();
        Proc publish = avahi(
                "publish-b", "avahi-publish", "-s", "Avahi room", TYPE, "4747", "name=Avahi room", "id=avahi-room-1");
        publish.await(l -> l.startsWith("Established under name"));
        Proc watchB = fx.confab(b, "watch-b", "rooms", "--watch", "--json");
        Proc watchA = fx.confab(a, "watch-a", "rooms", "--watch", "--json");
        Proc browse = avahi("browse-b", "avahi-browse", "-rp", TYPE);

        // Confab's browser beside avahi-daemon hears Avahi's answers
        assertThat(JSON.readTree(watchB.await(l -> isEvent(l, "added", "Avahi room")))
                        .get("addresses")
                        .toString())
                .contains(net + ".2:4747");

        Proc host = fx.confab(b, "host-b", "host", "--port", "0", "--no-save", "--name", "Room B", "--nick", "bea");
        String port = host.await(l -> l.contains(" on port ")).replaceAll(".* on port (\\d+) .*", "$1");
        host.await(l -> l.startsWith("Announced on the local network"));
        // the other host (A) sees the room Confab announces from beside avahi-daemon ...
        assertThat(JSON.readTree(watchA.await(l -> isEvent(l, "added", "Room B")))
                        .get("addresses")
                        .toString())
                .contains(net + ".2:" + port);
        // ... and so do avahi-daemon on the same host and Confab's own browser there
        Resolved r = Resolved.parse(browse.await(l -> Resolved.parse(l)
                        .filter(x -> x.name().startsWith("Room B ("))
                        .isPresent()))
                .orElseThrow();
        assertThat(r.port()).isEqualTo(port);
        assertThat(r.txt()).containsEntry("nick", "bea");
        watchB.await(l -> isEvent(l, "added", "Room B"));
        // and the Avahi room is still listed in A (avahi-daemon still answers beside JmDNS)
        Proc rooms = fx.confab(a, "rooms-a", "rooms", "--json", "--timeout", "4");
        assertThat(rooms.waitFor()).isZero();
        assertThat(rooms.lines()).anyMatch(l -> isEvent(l, "room", "Avahi room"));
        assertThat(rooms.lines()).anyMatch(l -> isEvent(l, "room", "Room B"));

        // which side answers: each for its own records only. Killed without a goodbye, Confab's room
        // is no longer heard by a fresh browser in A although avahi-daemon in B has it in its cache ...
        host.kill();
        Proc afterHost = fx.confab(a, "rooms-a2", "rooms", "--json", "--timeout", "4");
        assertThat(afterHost.waitFor()).isZero();
        assertThat(afterHost.lines()).anyMatch(l -> isEvent(l, "room", "Avahi room"));
        assertThat(afterHost.lines()).noneMatch(l -> l.contains("\"name\":\"Room B\""));
        // ... and with avahi-daemon killed, Avahi's room is gone too, though Confab's browser in B has it
        daemon.kill();
        Proc afterAvahi = fx.confab(a, "rooms-a3", "rooms", "--json", "--timeout", "4");
        assertThat(afterAvahi.waitFor()).isZero();
        assertThat(afterAvahi.lines()).noneMatch(l -> l.contains("\"name\":\"Avahi room\""));

        System.out.println("AvahiInteropIT: beside Confab, avahi-daemon said: "
                + daemon.linesSoFar().stream()
                        .filter(l -> l.contains("WARNING") || l.contains("another"))
                        .toList());
    }

    // ------------------------------------------------------------------ plumbing

    private static boolean isEvent(String line, String event, String name) {
        return line.startsWith("{")
                && line.contains("\"event\":\"" + event + "\"")
                && line.contains("\"name\":\"" + name + "\"");
    }

    /**
     * Starts a private D-Bus system bus and avahi-daemon in namespace B; returns once the daemon
     * says its startup is complete.
     */
    private Proc startAvahi() throws Exception {
        Path socket = tmp.resolve("system_bus");
        Path busConf = Files.writeString(tmp.resolve("bus.conf"), """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/>
                    <allow own="*"/>
                    <allow send_destination="*"/>
                    <allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket));
        Proc dbus = fx.start(
                b,
                "dbus-b",
                List.of("dbus-daemon", "--config-file=" + busConf, "--nofork", "--print-address"),
                Map.of());
        dbus.await(l -> l.startsWith("unix:path=" + socket));
        bus = Map.of("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + socket);

        Path conf = Files.writeString(tmp.resolve("avahi-daemon.conf"), """
                [server]
                host-name=avahi-b
                domain-name=local
                use-ipv4=yes
                use-ipv6=no
                allow-interfaces=%s
                enable-dbus=yes
                [wide-area]
                enable-wide-area=no
                [publish]
                publish-workstation=no
                publish-hinfo=no
                publish-addresses=yes
                [reflector]
                enable-reflector=no
                """.formatted(ifB));
        // a private /run (pid file, socket) in a mount namespace of its own: nothing clashes with the machine's
        String daemon = "mount -t tmpfs -o mode=755 confab-avahi-run /run && mkdir /run/avahi-daemon"
                + " && exec avahi-daemon --file=" + conf + " --no-drop-root --no-chroot --no-rlimits";
        Proc p = fx.start(
                b, "avahi-b", List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", daemon), bus);
        p.await(l -> l.startsWith("Server startup complete."));
        return p;
    }

    /** An Avahi tool in namespace B, on B's private system bus. */
    private Proc avahi(String label, String... cmd) throws Exception {
        assertThat(bus).as("avahi-daemon started").isNotNull();
        return fx.start(b, label, List.of(cmd), bus);
    }

    /**
     * One resolved service as {@code avahi-browse -p} prints it:
     * {@code =;IFACE;PROTO;NAME;TYPE;DOMAIN;HOST;ADDRESS;PORT;"k=v" "k=v"}.
     */
    record Resolved(String iface, String name, String host, String address, String port, Map<String, String> txt) {
        static Optional<Resolved> parse(String line) {
            String[] f = line.split(";", 10);
            if (f.length < 10 || !f[0].equals("=") || !f[4].equals(TYPE)) {
                return Optional.empty();
            }
            return Optional.of(new Resolved(f[1], unescapeLabel(f[3]), f[6], f[7], f[8], txt(f[9])));
        }

        /** avahi_escape_label: {@code \DDD} (decimal) for a byte, {@code \X} for '.' and '\'. */
        private static String unescapeLabel(String s) {
            var out = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("\\d{3}")) {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 4)));
                    i += 3;
                } else if (c == '\\' && i + 1 < s.length()) {
                    out.append(s.charAt(++i));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        /** The quoted strings, in order (Avahi prints them last to first); {@code \"} and {@code \\} unescaped. */
        private static Map<String, String> txt(String s) {
            List<String> items = new ArrayList<>();
            StringBuilder cur = null;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (cur == null) {
                    if (c == '"') {
                        cur = new StringBuilder();
                    }
                } else if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (c == '"') {
                    items.add(cur.toString());
                    cur = null;
                } else {
                    cur.append(c);
                }
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String item : items) {
                int eq = item.indexOf('=');
                m.putIfAbsent(eq < 0 ? item : item.substring(0, eq), eq < 0 ? "" : item.substring(eq + 1));
            }
            return m;
        }
    }
}
