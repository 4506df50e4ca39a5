package org.confab.net.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.net.Reachability;
import org.confab.net.discovery.Diagnostics.Check;
import org.confab.net.discovery.Diagnostics.Status;
import org.junit.jupiter.api.Test;

/** The diagnostics' findings and advice from made-up probes (nothing is sent), and the mDNS packet handling. */
class DiagnosticsTest {
    private static Diagnostics.Report run(FakeProbes p, InviteLink room) {
        return Diagnostics.run(p, Diagnostics.Request.of(room), c -> {});
    }

    private static Check check(Diagnostics.Report r, String id) {
        return r.checks().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aHomeWifiWithARoomIsAllRightAndSaysWhatIsSkippedAndWhy() {
        var p = FakeProbes.homeWifi();
        var r = run(p, null);

        Check ifs = check(r, "interfaces");
        assertEquals(Status.OK, ifs.status());
        assertEquals("Looks for and announces rooms on wlp2s0 (192.168.1.42), docker0 (172.17.0.1).", ifs.summary());
        assertTrue(
                ifs.details().contains("Skipped lo: loopback (this machine only)."),
                ifs.details().toString());
        assertTrue(
                ifs.details().contains("Skipped enp3s0: down."), ifs.details().toString());
        assertTrue(ifs.details().stream().anyMatch(d -> d.startsWith("docker0 looks like a virtual interface")));
        Check mc = check(r, "multicast");
        assertEquals(Status.OK, mc.status());
        assertEquals("2 other devices answered within 2 s, 1 Confab room among them.", mc.summary());
        assertEquals(1, p.queries());
        assertEquals(0, p.reaches(), "no room asked for: no connection");
        assertEquals(
                List.of("interfaces", "addresses", "multicast", "firewall"),
                r.checks().stream().map(Check::id).toList());
        assertTrue(check(r, "addresses").summary().contains("192.168.1.42:4747"));
    }

    @Test
    void discoveryOffSaysSoAndWhyAndSendsNothing() {
        var p = FakeProbes.homeWifi();
        p.off = "LAN discovery is turned off (CONFAB_DISCOVERY=off).";
        var r = run(p, null);

        Check mc = check(r, "multicast");
        assertEquals(Status.UNKNOWN, mc.status());
        assertEquals(
                "Not checked: LAN discovery is turned off (CONFAB_DISCOVERY=off). Nothing was sent.", mc.summary());
        assertEquals(0, p.queries());
        assertTrue(r.advice().contains("Ask the host for the invite link."));
    }

    @Test
    void noMulticastInterfaceIsAProblemWithWhatToDo() {
        var p = new FakeProbes();
        p.skipped.add(new MdnsInterfaces.Skipped("lo", "loopback (this machine only)"));
        p.skipped.add(new MdnsInterfaces.Skipped("tun0", "does not carry multicast"));
        var r = run(p, null);

        Check ifs = check(r, "interfaces");
        assertEquals(Status.PROBLEM, ifs.status());
        assertTrue(ifs.summary().startsWith("Your machine has no network interface that carries multicast"));
        assertTrue(ifs.details().contains("Skipped tun0: does not carry multicast."));
        assertEquals(Status.UNKNOWN, check(r, "multicast").status());
        assertEquals(0, p.queries(), "no interface: nothing to ask on");
        assertEquals(Status.PROBLEM, check(r, "addresses").status());
        assertTrue(
                r.advice().contains("Ask the host for the invite link: joining by address works without multicast."));
    }

    @Test
    void onlyVirtualInterfacesIsAWarning() {
        var p = new FakeProbes();
        p.interfaces.add(FakeProbes.choice("tailscale0", "100.101.102.103"));
        assertEquals(Status.WARNING, check(run(p, null), "interfaces").status());
        assertTrue(Diagnostics.looksVirtual("veth1a2b"));
        assertFalse(Diagnostics.looksVirtual("wlp2s0"));
        assertFalse(Diagnostics.looksVirtual("eth0"));
    }

    @Test
    void multicastFindingsEachWithItsAdvice() {
        var p = FakeProbes.homeWifi();
        p.answers = new Diagnostics.MdnsAnswers(Set.of("192.168.1.1"), Set.of(), Set.of(), List.of());
        Check devicesNoRoom = check(run(p, null), "multicast");
        assertEquals(Status.WARNING, devicesNoRoom.status());
        assertEquals(
                "Multicast works here: 1 other device answered within 2 s, but no Confab room did.",
                devicesNoRoom.summary());
        assertTrue(devicesNoRoom.advice().getFirst().contains("Announce on the local network"));

        p.answers = new Diagnostics.MdnsAnswers(Set.of(), Set.of("192.168.1.42"), Set.of(), List.of());
        Check onlySelf = check(run(p, null), "multicast");
        assertEquals(Status.WARNING, onlySelf.status());
        assertEquals("No other device answered within 2 s; only this machine did.", onlySelf.summary());
        assertTrue(onlySelf.advice().getFirst().contains("client isolation"));

        p.answers = new Diagnostics.MdnsAnswers(Set.of(), Set.of(), Set.of(), List.of());
        Check silence = check(run(p, null), "multicast");
        assertEquals(Status.WARNING, silence.status());
        assertEquals("Nothing answered within 2 s on wlp2s0, docker0.", silence.summary());

        p.answers = new Diagnostics.MdnsAnswers(
                Set.of(), Set.of(), Set.of(), List.of("wlp2s0: Network is unreachable", "docker0: No such device"));
        Check cannotSend = check(run(p, null), "multicast");
        assertEquals(Status.PROBLEM, cannotSend.status());
        assertTrue(cannotSend.details().contains("Could not ask on wlp2s0: Network is unreachable"));
    }

    @Test
    void aRoomsReachabilityEachOutcome() {
        var p = FakeProbes.homeWifi();
        var room = new InviteLink("192.168.1.20", 4747);
        var key = FakeProbes.key("room");

        p.reach =
                result(Reachability.Outcome.REACHABLE, key, "A Confab room answers at 192.168.1.20:4747 (encrypted).");
        Check ok = check(run(p, room), "room");
        assertEquals(Status.OK, ok.status());
        assertEquals("Room at 192.168.1.20:4747", ok.title());
        assertTrue(ok.summary().contains(key.safetyCode()), ok.summary());
        assertEquals("Key: " + key.base64url(), ok.details().getFirst());
        assertEquals(1, p.reaches());

        Check linked = check(run(p, room.withFingerprint(key)), "room");
        assertEquals(Status.OK, linked.status());
        assertTrue(linked.summary().endsWith("(the key your link names)."));

        Check other = check(run(p, room.withFingerprint(FakeProbes.key("impostor"))), "room");
        assertEquals(Status.PROBLEM, other.status());
        assertTrue(other.summary().contains("another key than your link names"));

        p.reach = result(Reachability.Outcome.NOTHING_LISTENS, null, "Nothing listens at 192.168.1.20:4747: …");
        Check closed = check(run(p, room), "room");
        assertEquals(Status.PROBLEM, closed.status());
        assertEquals(List.of("Ask the host for the room's current address or invite link."), closed.advice());

        p.reach = result(Reachability.Outcome.TIMEOUT, null, "No answer from 192.168.1.20:4747 within 5 s.");
        Check timeout = check(run(p, room), "room");
        assertEquals(Status.PROBLEM, timeout.status());
        assertTrue(
                timeout.advice().getFirst().contains("sudo ufw allow 4747/tcp"),
                timeout.advice().toString());
        assertTrue(timeout.advice().getFirst().contains("set the network to Private"));
    }

    private static Reachability.Result result(Reachability.Outcome o, Fingerprint key, String message) {
        return new Reachability.Result("192.168.1.20:4747", o, key, message, Duration.ofMillis(12));
    }

    @Test
    void theReportTextHasEveryCheckAndTheAdviceOnce() {
        var p = FakeProbes.homeWifi();
        p.off = "LAN discovery is turned off (CONFAB_DISCOVERY=off).";
        p.interfaces.clear();
        var r = run(p, new InviteLink("192.168.1.20", 4747));
        String text = r.text();

        assertTrue(text.startsWith("[problem] Network interfaces: Your machine has no network interface"), text);
        assertTrue(text.contains("[unknown] Multicast (mDNS) answers: Not checked: LAN discovery is turned off"), text);
        assertTrue(text.contains("[problem] Room at 192.168.1.20:4747: No answer from"), text);
        assertTrue(text.contains("[warning] Firewall (ufw): ufw is active"), text);
        assertTrue(text.contains("\nWhat to do:\n  - "), text);
        List<String> advice = r.advice();
        assertEquals(advice.size(), Set.copyOf(advice).size(), "each piece of advice once: " + advice);
        assertTrue(advice.contains("To host rooms here, allow the room's port: sudo ufw allow 4747/tcp"));
    }

    @Test
    void eachCheckIsToldAsItIsKnown() {
        var heard = Collections.synchronizedList(new ArrayList<String>());
        var r = Diagnostics.run(
                FakeProbes.homeWifi(),
                Diagnostics.Request.of(new InviteLink("192.168.1.20", 4747)),
                c -> heard.add(c.id()));
        assertEquals(Set.copyOf(r.checks().stream().map(Check::id).toList()), Set.copyOf(heard));
        assertEquals(r.checks().size(), heard.size());
    }

    @Test
    void aProbeThatFailsIsUnknownNotACrash() {
        var p = new FakeProbes() {
            @Override
            public DiagnosticsFirewall.Reading firewall(int roomPort) {
                throw new IllegalStateException("boom");
            }
        };
        Check c = run(p, null).checks().getLast();
        assertEquals(Status.UNKNOWN, c.status());
        assertEquals("The check could not run: boom", c.summary());
    }

    @Test
    void theSystemProbesSendNothingWithDiscoveryOff() {
        assertFalse(Discovery.allowed(), "the build turns discovery off for tests");
        var r = Diagnostics.run(Diagnostics.system(), Diagnostics.Request.of(null), c -> {});
        Check mc = check(r, "multicast");
        assertEquals(Status.UNKNOWN, mc.status());
        assertTrue(mc.summary().startsWith("Not checked: LAN discovery is turned off"), mc.summary());
    }

    // --- the packets (JmDNS's own message classes; no socket)

    @Test
    void theQueryAsksForEveryServiceTypeAndForConfabRooms() throws Exception {
        byte[] q = DiagnosticsMdns.query();
        var in = new DNSIncoming(packet(q));
        assertTrue(in.isQuery());
        assertEquals(
                List.of(DiagnosticsMdns.SERVICES, Discovery.SERVICE_TYPE),
                in.getQuestions().stream().map(x -> x.getName()).toList());
        assertNull(DiagnosticsMdns.parse(packet(q)), "a query is not an answer (our own comes back by loopback)");
    }

    @Test
    void aResponseIsCountedWithTheConfabRoomsItNames() throws Exception {
        var out = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA);
        out.addAnswer(
                new DNSRecord.Pointer(
                        Discovery.SERVICE_TYPE,
                        DNSRecordClass.CLASS_IN,
                        false,
                        120,
                        "Design team (d1a2b3)._confab._tcp.local."),
                0);
        out.addAnswer(
                new DNSRecord.Pointer(
                        DiagnosticsMdns.SERVICES, DNSRecordClass.CLASS_IN, false, 120, "_ipp._tcp.local."),
                0);
        var heard = DiagnosticsMdns.parse(packet(out.data()));
        assertEquals(Set.of("Design team (d1a2b3)"), heard.rooms());

        var printerOnly = new DNSOutgoing(DNSConstants.FLAGS_QR_RESPONSE | DNSConstants.FLAGS_AA);
        printerOnly.addAnswer(
                new DNSRecord.Pointer(
                        DiagnosticsMdns.SERVICES, DNSRecordClass.CLASS_IN, false, 120, "_ipp._tcp.local."),
                0);
        assertEquals(Set.of(), DiagnosticsMdns.parse(packet(printerOnly.data())).rooms());
    }

    @Test
    void garbageIsNotAnAnswer() throws Exception {
        assertNull(DiagnosticsMdns.parse(packet(new byte[] {1, 2, 3})));
        assertNull(DiagnosticsMdns.parse(packet(new byte[0])));
        byte[] junk = new byte[512];
        new Random(7).nextBytes(junk);
        junk[2] = (byte) 0x84; // says "response", the rest is noise
        DiagnosticsMdns.parse(packet(junk)); // must not throw
    }

    private static DatagramPacket packet(byte[] data) throws Exception {
        var p = new DatagramPacket(data, data.length);
        p.setAddress(InetAddress.getByName("192.168.1.20"));
        p.setPort(DiagnosticsMdns.PORT);
        return p;
    }
}
