package org.confab.net.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSOutgoing;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.DNSRecord;
import javax.jmdns.impl.constants.DNSConstants;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;
import org.confab.core.Addresses;

/**
 * The diagnostics' multicast check: one DNS-SD query ({@code _services._dns-sd._udp} and
 * {@code _confab._tcp}, PTR) out of each chosen interface, from port 5353 as any responder asks,
 * then every mDNS response heard for a while, counted by who sent it. Built and parsed with
 * JmDNS's own message classes. It shares port 5353 with a responder running here (address reuse,
 * as JmDNS and Avahi do), so it hears the same multicast discovery hears. Run only when discovery
 * is allowed ({@link Discovery#allowed()}); {@link Diagnostics} checks that before.
 */
final class DiagnosticsMdns {
    static final String SERVICES = "_services._dns-sd._udp.local.";
    static final int PORT = 5353;
    private static final InetAddress GROUP4 = literal("224.0.0.251");
    private static final InetAddress GROUP6 = literal("ff02::fb");

    /**
     * What came back.
     *
     * @param others   addresses of other machines that answered
     * @param self     this machine's addresses that answered (a responder running here)
     * @param rooms    Confab room names in the answers
     * @param errors   interfaces the query could not be sent on, with why
     */
    record Answers(Set<String> others, Set<String> self, Set<String> rooms, List<String> errors) {}

    private DiagnosticsMdns() {}

    static Answers query(List<MdnsInterfaces.Choice> on, Duration listen) {
        Set<String> others = new TreeSet<>();
        Set<String> self = new TreeSet<>();
        Set<String> rooms = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        Set<InetAddress> mine = localAddresses();
        try (MulticastSocket s = new MulticastSocket(null)) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(PORT));
            s.setTimeToLive(255);
            byte[] query = query();
            int sent = 0;
            for (MdnsInterfaces.Choice c : on) {
                try {
                    NetworkInterface ni = NetworkInterface.getByName(c.interfaceName());
                    InetAddress group = c.address() instanceof Inet6Address ? GROUP6 : GROUP4;
                    s.joinGroup(new InetSocketAddress(group, PORT), ni);
                    s.setNetworkInterface(ni);
                    s.send(new DatagramPacket(query, query.length, new InetSocketAddress(group, PORT)));
                    sent++;
                } catch (IOException | RuntimeException e) {
                    errors.add(c.interfaceName() + ": " + e.getMessage());
                }
            }
            if (sent == 0) {
                return new Answers(others, self, rooms, errors);
            }
            long end = System.nanoTime() + listen.toNanos();
            byte[] buf = new byte[9000];
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    break;
                }
                s.setSoTimeout((int) Math.max(1, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                Heard h = parse(p);
                if (h == null) {
                    continue;
                }
                (mine.contains(p.getAddress()) ? self : others).add(Addresses.text(p.getAddress()));
                rooms.addAll(h.rooms());
            }
        } catch (IOException | RuntimeException e) {
            errors.add("cannot listen on UDP " + PORT + ": " + e.getMessage());
        }
        return new Answers(others, self, rooms, errors);
    }

    /** One response as far as the diagnostics care: the Confab room names it lists. */
    record Heard(Set<String> rooms) {}

    /** The query sent: PTR questions for every service type and for Confab rooms. */
    static byte[] query() throws IOException {
        DNSOutgoing out = new DNSOutgoing(DNSConstants.FLAGS_QR_QUERY);
        out.addQuestion(DNSQuestion.newQuestion(SERVICES, DNSRecordType.TYPE_PTR, DNSRecordClass.CLASS_IN, false));
        out.addQuestion(DNSQuestion.newQuestion(
                Discovery.SERVICE_TYPE, DNSRecordType.TYPE_PTR, DNSRecordClass.CLASS_IN, false));
        return out.data();
    }

    /** A response with at least one answer, or null for queries, garbage and empty responses. */
    static Heard parse(DatagramPacket p) {
        try {
            DNSIncoming in = new DNSIncoming(p);
            if (!in.isResponse() || in.getAllAnswers().isEmpty()) {
                return null;
            }
            Set<String> rooms = new TreeSet<>();
            for (DNSRecord r : in.getAllAnswers()) {
                if (r.getRecordType() == DNSRecordType.TYPE_PTR
                        && Discovery.SERVICE_TYPE.equalsIgnoreCase(r.getName())
                        && !r.isExpired(System.currentTimeMillis())) {
                    String name = r.getServiceInfo().getName();
                    if (name != null && !name.isBlank()) {
                        rooms.add(PeerText.clean(name, 80));
                    }
                }
            }
            return new Heard(rooms);
        } catch (IOException | RuntimeException e) {
            return null; // not a DNS message we can read
        }
    }

    private static Set<InetAddress> localAddresses() {
        Set<InetAddress> out = new HashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                out.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // unknown: every answer counts as another machine's
        }
        return out;
    }

    private static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
