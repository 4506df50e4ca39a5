package org.confab.net.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.confab.core.Fingerprint;
import org.confab.net.LocalAddresses;
import org.confab.net.Reachability;

/**
 * A made-up network for the diagnostics: tests, UI tests and the screenshot tour set what each
 * probe finds; nothing is sent anywhere. {@link #queries()} counts multicast queries "sent".
 */
public class FakeProbes implements Diagnostics.Probes {
    public String off;
    public List<MdnsInterfaces.Choice> interfaces = new ArrayList<>();
    public List<MdnsInterfaces.Skipped> skipped = new ArrayList<>();
    public List<LocalAddresses.Local> addresses = new ArrayList<>();
    public Diagnostics.MdnsAnswers answers = new Diagnostics.MdnsAnswers(Set.of(), Set.of(), Set.of(), List.of());
    public Reachability.Result reach;
    public DiagnosticsFirewall.Reading firewall = new DiagnosticsFirewall.Reading(
            "firewall", Diagnostics.Status.UNKNOWN, "Could not read the firewall.", List.of());
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger reaches = new AtomicInteger();

    /** A laptop on a home Wi-Fi, a docker bridge, two devices and a Confab room answering. */
    public static FakeProbes homeWifi() {
        var p = new FakeProbes();
        p.interfaces.add(choice("wlp2s0", "192.168.1.42"));
        p.interfaces.add(choice("docker0", "172.17.0.1"));
        p.skipped.add(new MdnsInterfaces.Skipped("lo", "loopback (this machine only)"));
        p.skipped.add(new MdnsInterfaces.Skipped("enp3s0", "down"));
        p.addresses.add(new LocalAddresses.Local("192.168.1.42", "wlp2s0", false));
        p.addresses.add(new LocalAddresses.Local("172.17.0.1", "docker0", false));
        p.answers = new Diagnostics.MdnsAnswers(
                Set.of("192.168.1.1", "192.168.1.20"), Set.of(), Set.of("Design team (d1a2b3)"), List.of());
        p.reach = new Reachability.Result(
                "192.168.1.20:4747",
                Reachability.Outcome.TIMEOUT,
                null,
                "No answer from 192.168.1.20:4747 within 5 s. Is the host on this network, and is a firewall"
                        + " blocking the port?",
                Duration.ofSeconds(5));
        p.firewall = new DiagnosticsFirewall.Reading(
                "ufw",
                Diagnostics.Status.WARNING,
                "ufw is active (incoming: deny); no rule lets TCP 4747 in, so a room hosted here cannot be joined"
                        + " from other machines.",
                List.of("To host rooms here, allow the room's port: sudo ufw allow 4747/tcp"));
        return p;
    }

    public static MdnsInterfaces.Choice choice(String name, String ip) {
        try {
            return new MdnsInterfaces.Choice(name, InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Fingerprint key(String seed) {
        return Fingerprint.ofCertificate(seed.getBytes());
    }

    public int queries() {
        return queries.get();
    }

    public int reaches() {
        return reaches.get();
    }

    @Override
    public String discoveryOff() {
        return off;
    }

    @Override
    public List<MdnsInterfaces.Choice> interfaces() {
        return interfaces;
    }

    @Override
    public List<MdnsInterfaces.Skipped> skipped() {
        return skipped;
    }

    @Override
    public List<LocalAddresses.Local> addresses() {
        return addresses;
    }

    @Override
    public Diagnostics.MdnsAnswers query(List<MdnsInterfaces.Choice> on, Duration listen) {
        queries.incrementAndGet();
        return answers;
    }

    @Override
    public Reachability.Result reach(String host, int port, Duration timeout) {
        reaches.incrementAndGet();
        return reach;
    }

    @Override
    public DiagnosticsFirewall.Reading firewall(int roomPort) {
        return firewall;
    }
}
