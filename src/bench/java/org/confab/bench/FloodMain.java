package org.confab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.confab.core.Fingerprint;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.TestMember;

/**
 * The GUI flood's sender in a process of its own, so that it can run at a lower priority
 * ({@code nice}) than the GUI process, as a sender on another computer would not compete with it.
 * Args: host port, the host's key fingerprint (base64url) or {@code -} for plain TCP. Prints
 * {@code flooder ready}; then reads {@code flood N} (sends N 128-byte texts as fast as the host
 * takes them, prints {@code flooded N}) and {@code quit}.
 */
public final class FloodMain {
    private FloodMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        JoinOptions join = args[1].equals("-")
                ? JoinOptions.insecureTcp()
                : JoinOptions.pinned(Fingerprint.parse(args[1]).orElseThrow());
        RoomConnection c =
                TestMember.join(port, "flood", join, Duration.ofSeconds(30), Duration.ofSeconds(60), (e, cid) -> {});
        String text = FanOut.text(128);
        System.out.println("flooder ready");
        System.out.flush();
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.startsWith("flood ")) {
                int n = Integer.parseInt(line.substring(6).trim());
                GuiFlood.flood(c, text, n);
                System.out.println("flooded " + n);
                System.out.flush();
            }
        }
        c.close();
    }
}
