package org.confab.net.discovery;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hostile mDNS responder, run only inside a test's network namespace ({@link LanDiscoveryIT}):
 * sends garbage datagrams, then unsolicited DNS-SD answers with a bidi-override room name, invalid
 * UTF-8, a TXT record far over any sane size, truncated records, and a flood of distinct rooms.
 * Arguments: the interface name, the IPv4 address announced, the number of flood rooms.
 */
public final class HostileMdns {
    private HostileMdns() {}

    public static void main(String[] args) throws Exception {
        NetworkInterface ni = NetworkInterface.getByName(args[0]);
        byte[] self = InetAddress.getByName(args[1]).getAddress();
        int flood = Integer.parseInt(args[2]);
        var group = new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353);
        try (var s = new MulticastSocket()) {
            s.setNetworkInterface(ni);
            s.setTimeToLive(255);
            var rnd = ThreadLocalRandom.current();
            for (int i = 0; i < 200; i++) { // garbage of every size
                byte[] junk = new byte[rnd.nextInt(0, 1400)];
                rnd.nextBytes(junk);
                s.send(new DatagramPacket(junk, junk.length, group));
            }
            byte[] bidi = ("name=\u202Egnp.exe\u202C Evil\u0000\u0007 room " + "x".repeat(300))
                    .getBytes(StandardCharsets.UTF_8);
            byte[] badUtf8 = {'n', 'i', 'c', 'k', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'z'};
            send(s, group, "evil", self, txt(bidi, badUtf8, b("id=evil-1"), b("pv=1"), b("pw=1"), b("n=99999999999")));
            byte[] huge = new byte[60_000];
            for (int i = 0; i < huge.length; i += 256) {
                huge[i] = (byte) 255;
            }
            send(s, group, "huge", self, txt(b("id=huge-1"), b("name=Huge"), huge));
            send(s, group, "trunc", self, new byte[] {(byte) 200, 'i', 'd', '='});
            for (int i = 0; i < flood; i++) {
                send(s, group, "flood" + i, self, txt(b("id=flood-" + i), b("name=Flood " + i), b("n=" + i)));
            }
        }
        System.out.println("sent");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] txt(byte[]... strings) {
        var out = new ByteArrayOutputStream();
        for (byte[] s : strings) {
            int n = Math.min(s.length, 255);
            out.write(n);
            out.write(s, 0, n);
        }
        return out.toByteArray();
    }

    /** One unsolicited response: PTR, SRV, TXT (as given, maybe oversized) and A. */
    private static void send(MulticastSocket s, InetSocketAddress group, String instance, byte[] ip, byte[] txt)
            throws Exception {
        var p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 4, 0, 0, 0, 0});
        byte[] type = name("_confab", "_tcp", "local");
        byte[] inst = name(instance, "_confab", "_tcp", "local");
        byte[] host = name("hostile-" + instance, "local");
        record(p, type, 12, 1, inst);
        var srv = new ByteArrayOutputStream();
        srv.writeBytes(new byte[] {0, 0, 0, 0, 0x12, (byte) 0x8B}); // priority, weight, port 4747
        srv.writeBytes(host);
        record(p, inst, 33, 0x8001, srv.toByteArray());
        int txtLen = Math.min(txt.length, 65_000);
        record(p, inst, 16, 0x8001, Arrays.copyOf(txt, txtLen));
        record(p, host, 1, 0x8001, ip);
        byte[] packet = p.toByteArray();
        if (packet.length <= 65_507) {
            s.send(new DatagramPacket(packet, packet.length, group));
        }
    }

    private static void record(ByteArrayOutputStream p, byte[] name, int type, int cls, byte[] data) {
        p.writeBytes(name);
        p.writeBytes(
                new byte[] {(byte) (type >> 8), (byte) type, (byte) (cls >> 8), (byte) cls, 0, 0, 0x11, (byte) 0x94});
        p.write(data.length >> 8);
        p.write(data.length);
        p.writeBytes(data);
    }

    private static byte[] name(String... labels) {
        var out = new ByteArrayOutputStream();
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.writeBytes(b);
        }
        out.write(0);
        return out.toByteArray();
    }
}
