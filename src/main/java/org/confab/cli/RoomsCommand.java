package org.confab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.confab.core.Addresses;
import org.confab.core.InviteLink;
import org.confab.net.discovery.Discovery;
import org.confab.net.discovery.KeyCheck;
import org.confab.net.discovery.NetworkRoom;
import org.confab.net.discovery.RoomBrowser;
import org.confab.store.FavouriteRooms;
import org.confab.store.KnownRooms;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code confab rooms}: the rooms announced on the local network (mDNS/DNS-SD). Lists what it
 * heard within {@code --timeout}, or with {@code --watch} prints each room as it appears, changes
 * and goes away until stopped. Announced text is cleaned ({@code PeerText}) and printed as one
 * line each; the announced key is not a proof, so each room says whether this member knows it.
 */
@Command(
        name = "rooms",
        mixinStandardHelpOptions = true,
        description = {
            "List the rooms announced on the local network (mDNS/DNS-SD, _confab._tcp).",
            "A room's announced key is not a proof: joining still checks it (safety code, known rooms)."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  Listed (possibly no rooms), or --watch stopped.",
            "  2  Invalid command line, or LAN discovery is turned off (CONFAB_DISCOVERY / -Dconfab.discovery)."
        })
public final class RoomsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest the responders may take to start before listening time counts anyway. */
    private static final long STARTUP_WAIT_MS = 10_000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per room (per change with --watch), one per line.")
    boolean json;

    @Option(names = "--watch", description = "Keep listening; print rooms as they appear, change and go away.")
    boolean watch;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "3",
            description = "How long to listen before listing, counted from when the queries are out"
                    + " (default: ${DEFAULT-VALUE}).")
    double timeout;

    /** Where known keys come from; tests replace it. */
    KeyCheck.Known known;

    private PrintWriter out;

    @Override
    public Integer call() throws InterruptedException {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeout <= 0 || timeout > 3600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be between 0 and 3600.");
        }
        if (!Discovery.allowed()) {
            err.println("confab rooms: " + Discovery.whyOff());
            err.flush();
            return HostCommand.EXIT_CANNOT_START;
        }
        if (known == null) {
            KnownRooms store = KnownRooms.standard();
            known = ((KeyCheck.Known) store::lookup).andRooms(FavouriteRooms.standard()::keyOf);
        }
        if (watch) {
            var printer = new Changes();
            try (RoomBrowser b = RoomBrowser.start(printer::rooms)) {
                Runtime.getRuntime().addShutdownHook(new Thread(b::close, "confab-rooms-shutdown"));
                new CountDownLatch(1).await(); // until Ctrl-C / SIGTERM
            }
            return 0;
        }
        List<NetworkRoom> rooms;
        try (RoomBrowser b = RoomBrowser.start(r -> {})) {
            b.awaitBrowsing(STARTUP_WAIT_MS);
            TimeUnit.MILLISECONDS.sleep((long) (timeout * 1000)); // listening is the command's job
            rooms = b.rooms();
            if (!json && rooms.isEmpty()) {
                line("No rooms announced on "
                        + (b.interfaces().isEmpty() ? "any interface" : String.join(", ", b.interfaces()))
                        + ". Ask the host for the address or invite link (docs/discovery.md).");
            }
        }
        for (NetworkRoom r : rooms) {
            line(json ? json("room", r) : human(r));
        }
        return 0;
    }

    /** Prints what changed between two lists (--watch): added, changed, removed. */
    private final class Changes {
        private Map<String, NetworkRoom> before = new LinkedHashMap<>();

        synchronized void rooms(List<NetworkRoom> now) {
            Map<String, NetworkRoom> next = new LinkedHashMap<>();
            for (NetworkRoom r : now) {
                next.put(r.ad().identity(), r);
                NetworkRoom was = before.get(r.ad().identity());
                if (was == null) {
                    line(json ? json("added", r) : "+ " + human(r));
                } else if (!was.equals(r)) {
                    line(json ? json("changed", r) : "~ " + human(r));
                }
            }
            for (var e : before.entrySet()) {
                if (!next.containsKey(e.getKey())) {
                    line(json ? json("removed", e.getValue()) : "- " + human(e.getValue()));
                }
            }
            before = next;
        }
    }

    String human(NetworkRoom r) {
        var ad = r.ad();
        String members = ad.members() < 0 ? "" : ", " + ad.members() + (ad.members() == 1 ? " member" : " members");
        String host = ad.hostNick() == null ? "" : ", host " + EventFormat.safe(ad.hostNick());
        String lock = ad.passwordRequired() ? ", password" : "";
        String key = switch (KeyCheck.of(r, known)) {
            case NEW -> "new key: compare the safety code when joining";
            case KNOWN -> "known key";
            case DIFFERS -> "WARNING: the announced key differs from the one you trusted";
            case UNENCRYPTED -> "not encrypted";
        };
        return "\"" + EventFormat.safe(ad.roomName()) + "\" at " + address(r) + host + members + lock + " (" + key
                + ")";
    }

    private static String address(NetworkRoom r) {
        var a = r.primary();
        return Addresses.hostPort(Addresses.text(a.getAddress()), a.getPort());
    }

    String json(String event, NetworkRoom r) {
        var ad = r.ad();
        ObjectNode o = JSON.createObjectNode();
        o.put("event", event);
        o.put("time", System.currentTimeMillis());
        o.put("name", ad.roomName());
        o.put("roomId", ad.roomId());
        if (ad.fingerprint() != null) {
            o.put("fingerprint", ad.fingerprint().base64url());
            o.put("safetyCode", ad.fingerprint().safetyCode());
        }
        o.put("key", KeyCheck.of(r, known).name().toLowerCase());
        o.put("password", ad.passwordRequired());
        if (ad.members() >= 0) {
            o.put("members", ad.members());
        }
        if (ad.hostNick() != null) {
            o.put("host", ad.hostNick());
        }
        o.put("protocol", ad.protocolVersion());
        var addrs = o.putArray("addresses");
        for (var a : r.addresses()) {
            addrs.add(Addresses.hostPort(Addresses.text(a.getAddress()), a.getPort()));
        }
        // an address link without the key: the announced key is not a proof (docs/discovery.md)
        o.put(
                "link",
                new InviteLink(
                                Addresses.text(r.primary().getAddress()),
                                r.primary().getPort())
                        .format());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void line(String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
