package org.confab.net.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.confab.net.discovery.Diagnostics.Status;
import org.confab.net.discovery.DiagnosticsFirewall.Output;
import org.confab.net.discovery.DiagnosticsFirewall.Reading;
import org.junit.jupiter.api.Test;

/** Reading the firewall from the tools' output (samples as the tools print them); unknown when they cannot say. */
class DiagnosticsFirewallTest {
    private static Optional<Output> ok(String text) {
        return Optional.of(new Output(0, text));
    }

    private static final String UFW_ACTIVE_DENY = """
            Status: active
            Logging: on (low)
            Default: deny (incoming), allow (outgoing), disabled (routed)
            New profiles: skip

            To                         Action      From
            --                         ------      ----
            22/tcp                     ALLOW IN    Anywhere
            22/tcp (v6)                ALLOW IN    Anywhere (v6)
            """;

    private static final String UFW_ACTIVE_OPEN = """
            Status: active
            Logging: on (low)
            Default: deny (incoming), allow (outgoing), disabled (routed)
            New profiles: skip

            To                         Action      From
            --                         ------      ----
            4747/tcp                   ALLOW IN    Anywhere
            5353/udp                   ALLOW IN    Anywhere
            4747/tcp (v6)              ALLOW IN    Anywhere (v6)
            """;

    @Test
    void ufwActiveWithoutRulesForConfabWarnsWithTheCommands() {
        Reading r = DiagnosticsFirewall.ufw(ok(UFW_ACTIVE_DENY), 4747);
        assertEquals("ufw", r.tool());
        assertEquals(Status.WARNING, r.status());
        assertTrue(r.summary().startsWith("ufw is active (incoming: deny); no rule lets TCP 4747 in"), r.summary());
        assertEquals(
                List.of(
                        "To host rooms here, allow the room's port: sudo ufw allow 4747/tcp",
                        "If rooms still do not appear, allow UDP 5353 (mDNS) in the firewall: sudo ufw allow 5353/udp"),
                r.advice());
    }

    @Test
    void ufwWithTheRulesIsAllRight() {
        Reading r = DiagnosticsFirewall.ufw(ok(UFW_ACTIVE_OPEN), 4747);
        assertEquals(Status.OK, r.status());
        assertEquals("ufw is active and allows TCP 4747 and UDP 5353 (mDNS).", r.summary());
        assertEquals(
                Status.WARNING,
                DiagnosticsFirewall.ufw(ok(UFW_ACTIVE_OPEN), 5000).status(),
                "another room port");
    }

    @Test
    void ufwInactiveOrUnreadable() {
        assertEquals(
                Status.OK,
                DiagnosticsFirewall.ufw(ok("Status: inactive\n"), 4747).status());
        Reading root = DiagnosticsFirewall.ufw(
                Optional.of(new Output(1, "ERROR: You need to be root to run this script\n")), 4747);
        assertEquals(Status.UNKNOWN, root.status());
        assertTrue(root.summary().contains("needs root"), root.summary());
        assertEquals(
                Status.UNKNOWN, DiagnosticsFirewall.ufw(Optional.empty(), 4747).status());
    }

    @Test
    void firewalldWithAndWithoutMdns() {
        Reading none = DiagnosticsFirewall.firewalld(ok("dhcpv6-client ssh\n"), ok("\n"), 4747);
        assertEquals("firewalld", none.tool());
        assertEquals(Status.PROBLEM, none.status());
        assertTrue(none.summary().contains("does not allow mDNS (UDP 5353)"), none.summary());
        assertTrue(none.advice()
                .getFirst()
                .startsWith("Allow mDNS in the firewall: sudo firewall-cmd --add-service=mdns"));

        Reading mdns = DiagnosticsFirewall.firewalld(ok("dhcpv6-client mdns ssh\n"), ok("\n"), 4747);
        assertEquals(Status.WARNING, mdns.status());
        assertEquals(
                List.of(
                        "To host rooms here: sudo firewall-cmd --add-port=4747/tcp --permanent && sudo firewall-cmd --reload"),
                mdns.advice());

        Reading all = DiagnosticsFirewall.firewalld(ok("ssh\n"), ok("4747/tcp 5353/udp\n"), 4747);
        assertEquals(Status.OK, all.status());

        Reading denied = DiagnosticsFirewall.firewalld(
                Optional.of(new Output(126, "Authorization failed.\n")), Optional.empty(), 4747);
        assertEquals(Status.UNKNOWN, denied.status());
    }

    @Test
    void iptablesOnlyWhenSimple() {
        assertEquals(
                Status.OK,
                DiagnosticsFirewall.iptables(ok("-P INPUT ACCEPT\n"), 4747).status());
        Reading drop =
                DiagnosticsFirewall.iptables(ok("-P INPUT DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"), 4747);
        assertEquals(Status.WARNING, drop.status());
        assertEquals(2, drop.advice().size());
        Reading root = DiagnosticsFirewall.iptables(
                Optional.of(new Output(
                        4,
                        "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id:"
                                + " Permission denied (you must be root)\n")),
                4747);
        assertEquals(Status.UNKNOWN, root.status());
        assertTrue(root.summary().contains("needs root"));
    }

    @Test
    void windowsPublicProfileIsTheProblem() {
        Reading pub = DiagnosticsFirewall.windows(ok("Wi-Fi|Public\r\nEthernet 2|Private\r\n"), 4747);
        assertEquals(Status.PROBLEM, pub.status());
        assertTrue(pub.summary().contains("Wi-Fi as a Public network"), pub.summary());
        assertTrue(pub.advice().getFirst().startsWith("Set this network to Private in Windows"));
        assertEquals(
                Status.OK,
                DiagnosticsFirewall.windows(ok("Ethernet|Private\n"), 4747).status());
        assertEquals(
                Status.OK,
                DiagnosticsFirewall.windows(ok("Corp|DomainAuthenticated\n"), 4747)
                        .status());
        assertEquals(
                Status.UNKNOWN,
                DiagnosticsFirewall.windows(Optional.empty(), 4747).status());
    }

    @Test
    void macApplicationFirewall() {
        assertEquals(
                Status.OK,
                DiagnosticsFirewall.mac(ok("Firewall is disabled. (State = 0)\n"))
                        .status());
        assertEquals(
                Status.WARNING,
                DiagnosticsFirewall.mac(ok("Firewall is enabled. (State = 1)\n"))
                        .status());
        assertEquals(Status.UNKNOWN, DiagnosticsFirewall.mac(Optional.empty()).status());
    }

    /** Commands answered from a table by the command's last two words; anything else is "not installed". */
    private record Table(Map<String, Output> answers, List<String> asked) implements DiagnosticsFirewall.Commands {
        Table(Map<String, Output> answers) {
            this(answers, new ArrayList<>());
        }

        @Override
        public Optional<Output> run(List<String> command) {
            String tool = command.getFirst().substring(command.getFirst().lastIndexOf('/') + 1);
            String key = tool + " " + String.join(" ", command.subList(1, command.size()));
            asked.add(key);
            return Optional.ofNullable(answers.get(key));
        }
    }

    @Test
    void linuxWithNoToolIsUnknownNeverAFailure() {
        var t = new Table(Map.of());
        Reading r = DiagnosticsFirewall.read(t, "Linux", 4747);
        assertEquals(Status.UNKNOWN, r.status());
        assertTrue(r.summary().startsWith("Could not read the firewall"), r.summary());
        assertEquals(List.of("ufw status verbose", "firewall-cmd --state", "iptables -S INPUT"), t.asked());
    }

    @Test
    void linuxPrefersAnActiveUfwThenARunningFirewalld() {
        assertEquals(
                "ufw",
                DiagnosticsFirewall.read(
                                new Table(Map.of("ufw status verbose", new Output(0, UFW_ACTIVE_DENY))), "Linux", 4747)
                        .tool());
        var fw = new Table(Map.of(
                "ufw status verbose", new Output(0, "Status: inactive\n"),
                "firewall-cmd --state", new Output(0, "running\n"),
                "firewall-cmd --list-services", new Output(0, "ssh mdns\n"),
                "firewall-cmd --list-ports", new Output(0, "\n")));
        Reading r = DiagnosticsFirewall.read(fw, "Linux", 4747);
        assertEquals("firewalld", r.tool());
        assertEquals(Status.WARNING, r.status());
        var inactive = new Table(Map.of("ufw status verbose", new Output(0, "Status: inactive\n")));
        assertEquals("ufw", DiagnosticsFirewall.read(inactive, "Linux", 4747).tool());
        assertEquals(
                Status.OK, DiagnosticsFirewall.read(inactive, "Linux", 4747).status());
    }

    @Test
    void otherSystemsAskTheirOwnTool() {
        var win = new Table(Map.of());
        assertEquals(
                Status.UNKNOWN,
                DiagnosticsFirewall.read(win, "Windows 11", 4747).status());
        assertTrue(
                win.asked().getFirst().startsWith("powershell -NoProfile"),
                win.asked().toString());
        var mac = new Table(Map.of());
        DiagnosticsFirewall.read(mac, "Mac OS X", 4747);
        assertEquals(List.of("socketfilterfw --getglobalstate"), mac.asked());
    }
}
