package org.confab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.confab.net.HostConfig;
import org.confab.net.RoomHost;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.FakeProbes;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code confab doctor}: text and JSON, discovery off (it says so and sends nothing), a real room over loopback. */
class DoctorCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(DoctorCommand cmd, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = new CommandLine(cmd)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static DoctorCommand with(FakeProbes p) {
        var c = new DoctorCommand();
        c.probes = p;
        return c;
    }

    @Test
    void discoveryOffIsSaidAndNothingIsSentOnTheRealMachine() {
        assertFalse(Discovery.allowed(), "the build turns discovery off for tests");
        Run r = run(new DoctorCommand()); // the real probes
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains("[unknown] Multicast (mDNS) answers: Not checked: LAN discovery is turned off ("),
                r.out());
        assertTrue(r.out().contains("Nothing was sent."), r.out());
        assertTrue(r.out().contains("] Network interfaces: "), r.out());
        assertTrue(r.out().contains("] Firewall"), r.out());
    }

    @Test
    void withFakeDiscoveryOffTheQueryIsNeverCalled() {
        var p = FakeProbes.homeWifi();
        p.off = "LAN discovery is turned off (CONFAB_DISCOVERY=off).";
        Run r = run(with(p), "--json");
        assertEquals(0, r.code());
        assertEquals(0, p.queries());
        assertTrue(r.out().contains("\"status\":\"unknown\""), r.out());
    }

    @Test
    void textReportWithFindingsStillExitsZero() {
        var p = FakeProbes.homeWifi();
        Run r = run(with(p), "--host", "192.168.1.20");
        assertEquals(0, r.code());
        assertTrue(
                r.out().startsWith("[ok] Network interfaces: Looks for and announces rooms on wlp2s0 (192.168.1.42)"),
                r.out());
        assertTrue(r.out().contains("[problem] Room at 192.168.1.20:4747: No answer from 192.168.1.20:4747"), r.out());
        assertTrue(r.out().contains("What to do:\n  - "), r.out());
        assertTrue(r.out().contains("sudo ufw allow 4747/tcp"), r.out());
        assertEquals(1, p.reaches());
    }

    @Test
    void jsonReportForScripts() throws Exception {
        Run r = run(with(FakeProbes.homeWifi()), "--json", "--host", "confab://192.168.1.20:4747");
        assertEquals(0, r.code());
        JsonNode o = new ObjectMapper().readTree(r.out());
        JsonNode checks = o.get("checks");
        assertEquals("interfaces", checks.get(0).get("id").asText());
        assertEquals("ok", checks.get(0).get("status").asText());
        assertEquals(
                "Skipped lo: loopback (this machine only).",
                checks.get(0).get("details").get(0).asText());
        boolean room = false;
        for (JsonNode c : checks) {
            if (c.get("id").asText().equals("room")) {
                room = true;
                assertEquals("problem", c.get("status").asText());
            }
        }
        assertTrue(room, r.out());
        assertTrue(o.get("advice").size() > 0);
        assertEquals(1, r.out().strip().lines().count(), "one JSON object");
    }

    @Test
    void aRealRoomOverLoopbackShowsItsSafetyCode() throws Exception {
        try (var host = new RoomHost(
                HostConfig.defaults("Doctor", 0).withBindAddress(InetAddress.getLoopbackAddress()), null)) {
            int port = host.start().getPort();
            Run r = run(new DoctorCommand(), "--host", "127.0.0.1:" + port);
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    r.out()
                            .contains("[ok] Room at 127.0.0.1:" + port
                                    + ": A Confab room answers (encrypted). Its safety code: "
                                    + host.fingerprint().safetyCode()),
                    r.out());
            assertTrue(r.out().contains("Key: " + host.fingerprint().base64url()), r.out());
        }
    }

    @Test
    void aClosedPortSaysNothingListens() throws Exception {
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run(new DoctorCommand(), "--json", "--host", "127.0.0.1:" + port);
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Nothing listens at 127.0.0.1:" + port), r.out());
    }

    @Test
    void anUnreadableAddressIsACommandLineError() {
        Run r = run(with(FakeProbes.homeWifi()), "--host", "192.168.1.20:99999");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--host"), r.err());
    }
}
