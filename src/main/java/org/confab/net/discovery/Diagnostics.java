package org.confab.net.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.confab.core.Addresses;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.LocalAddresses;
import org.confab.net.Reachability;

/**
 * "Why can't I see a room?": the checks behind {@code confab doctor} and the desktop app's
 * diagnostics panel, in plain words, each with what to do. The interfaces discovery uses and skips
 * ({@link MdnsInterfaces}), the addresses a room hosted here is reached at ({@link LocalAddresses}),
 * whether a multicast DNS-SD query gets answers (only when discovery is allowed: with it off
 * nothing is sent), whether a given room's port answers ({@link Reachability}), and the firewall
 * ({@link DiagnosticsFirewall}). What it looks at comes through {@link Probes}, so tests and the
 * screenshot tour feed it a network of their own.
 */
public final class Diagnostics {
    /** How a check came out. */
    public enum Status {
        OK,
        WARNING,
        PROBLEM,
        UNKNOWN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One check: an id for scripts, a title, its status, one sentence, details and what to do. */
    public record Check(
            String id, String title, Status status, String summary, List<String> details, List<String> advice) {
        public Check {
            details = List.copyOf(details);
            advice = List.copyOf(advice);
        }
    }

    /** Every check, in order. */
    public record Report(List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        /** Everything to do, each once, in the order of the checks. */
        public List<String> advice() {
            Set<String> all = new LinkedHashSet<>();
            checks.forEach(c -> all.addAll(c.advice()));
            return List.copyOf(all);
        }

        /** The report as plain text (the CLI prints it, the panel copies it). */
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Check c : checks) {
                b.append('[')
                        .append(c.status().word())
                        .append("] ")
                        .append(c.title())
                        .append(": ")
                        .append(c.summary())
                        .append('\n');
                c.details().forEach(d -> b.append("    ").append(d).append('\n'));
            }
            List<String> todo = advice();
            if (!todo.isEmpty()) {
                b.append("\nWhat to do:\n");
                todo.forEach(a -> b.append("  - ").append(a).append('\n'));
            }
            return b.toString();
        }
    }

    /** What the multicast query heard ({@link DiagnosticsMdns}). */
    public record MdnsAnswers(Set<String> others, Set<String> self, Set<String> rooms, List<String> errors) {
        public MdnsAnswers {
            others = Set.copyOf(others);
            self = Set.copyOf(self);
            rooms = Set.copyOf(rooms);
            errors = List.copyOf(errors);
        }
    }

    /** Where the checks look. {@link #system()} is the real machine. */
    public interface Probes {
        /** Why discovery is off, or null if it is allowed ({@link Discovery#whyOff()}). */
        String discoveryOff();

        List<MdnsInterfaces.Choice> interfaces();

        List<MdnsInterfaces.Skipped> skipped();

        List<LocalAddresses.Local> addresses();

        /** Sends the query on these interfaces and listens; called only when discovery is allowed. */
        MdnsAnswers query(List<MdnsInterfaces.Choice> on, Duration listen);

        Reachability.Result reach(String host, int port, Duration timeout);

        DiagnosticsFirewall.Reading firewall(int roomPort);
    }

    /** What to check: optionally a room (address or link), how long to listen, the connect timeout. */
    public record Request(InviteLink room, Duration listen, Duration timeout) {
        public static final Duration LISTEN = Duration.ofSeconds(2);
        public static final Duration TIMEOUT = Duration.ofSeconds(5);

        public static Request of(InviteLink room) {
            return new Request(room, LISTEN, TIMEOUT);
        }
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    private Diagnostics() {}

    /** This machine: its interfaces, a real query, a real connect, its firewall tools. */
    public static Probes system() {
        return new Probes() {
            @Override
            public String discoveryOff() {
                return Discovery.whyOff();
            }

            @Override
            public List<MdnsInterfaces.Choice> interfaces() {
                return MdnsInterfaces.choose(null);
            }

            @Override
            public List<MdnsInterfaces.Skipped> skipped() {
                return MdnsInterfaces.skipped();
            }

            @Override
            public List<LocalAddresses.Local> addresses() {
                return LocalAddresses.reachable();
            }

            @Override
            public MdnsAnswers query(List<MdnsInterfaces.Choice> on, Duration listen) {
                if (!Discovery.allowed()) { // the one switch, checked again where packets would go out
                    throw new IllegalStateException("discovery is off");
                }
                var a = DiagnosticsMdns.query(on, listen);
                return new MdnsAnswers(a.others(), a.self(), a.rooms(), a.errors());
            }

            @Override
            public Reachability.Result reach(String host, int port, Duration timeout) {
                return Reachability.check(host, port, timeout);
            }

            @Override
            public DiagnosticsFirewall.Reading firewall(int roomPort) {
                return DiagnosticsFirewall.read(
                        DiagnosticsFirewall.system(COMMAND_TIMEOUT), System.getProperty("os.name", ""), roomPort);
            }
        };
    }

    /**
     * Runs every check (the slow ones side by side: the query, the connect, the firewall tools) and
     * returns the report; {@code done} hears each check as soon as it is known, on the thread that
     * found it, in no particular order.
     */
    public static Report run(Probes probes, Request request, Consumer<Check> done) {
        Objects.requireNonNull(probes, "probes");
        Objects.requireNonNull(done, "done");
        int roomPort = HostConfig.DEFAULT_PORT; // a room hosted here, for the firewall and the addresses
        List<MdnsInterfaces.Choice> chosen = probes.interfaces();
        Check interfaces = interfaces(chosen, probes.skipped());
        done.accept(interfaces);
        Check addresses = addresses(probes.addresses(), roomPort);
        done.accept(addresses);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var multicast = task(pool, done, () -> multicast(probes, chosen, request.listen()));
            var room = request.room() == null
                    ? null
                    : task(
                            pool,
                            done,
                            () -> room(
                                    probes.reach(
                                            request.room().host(),
                                            request.room().port(),
                                            request.timeout()),
                                    request.room()));
            var firewall = task(pool, done, () -> firewall(probes.firewall(roomPort)));
            List<Check> all = new ArrayList<>(List.of(interfaces, addresses, multicast.join()));
            if (room != null) {
                all.add(room.join());
            }
            all.add(firewall.join());
            return new Report(all);
        }
    }

    private static CompletableFuture<Check> task(ExecutorService pool, Consumer<Check> done, Supplier<Check> check) {
        return CompletableFuture.supplyAsync(
                () -> {
                    Check c;
                    try {
                        c = check.get();
                    } catch (RuntimeException e) {
                        c = new Check(
                                "error",
                                "Check",
                                Status.UNKNOWN,
                                "The check could not run: " + e.getMessage(),
                                List.of(),
                                List.of());
                    }
                    done.accept(c);
                    return c;
                },
                pool);
    }

    static Check interfaces(List<MdnsInterfaces.Choice> chosen, List<MdnsInterfaces.Skipped> skipped) {
        List<String> details = new ArrayList<>();
        skipped.forEach(s -> details.add("Skipped " + s.interfaceName() + ": " + s.why() + "."));
        if (chosen.isEmpty()) {
            return new Check(
                    "interfaces",
                    "Network interfaces",
                    Status.PROBLEM,
                    "Your machine has no network interface that carries multicast, so it cannot see or announce rooms.",
                    details,
                    List.of(
                            "Connect to the network (Wi-Fi or cable) the room is on.",
                            "Ask the host for the invite link: joining by address works without multicast."));
        }
        List<String> virtual = chosen.stream()
                .map(MdnsInterfaces.Choice::interfaceName)
                .filter(Diagnostics::looksVirtual)
                .toList();
        virtual.forEach(v -> details.add(v + " looks like a virtual interface (VPN, container or VM):"
                + " rooms there are seen only by what sits behind it."));
        String on = chosen.stream()
                .map(c -> c.interfaceName() + " (" + Addresses.text(c.address()) + ")")
                .collect(Collectors.joining(", "));
        if (virtual.size() == chosen.size()) {
            return new Check(
                    "interfaces",
                    "Network interfaces",
                    Status.WARNING,
                    "Looks for and announces rooms only on virtual interfaces: " + on + ".",
                    details,
                    List.of("Connect to the network (Wi-Fi or cable) the room is on."));
        }
        return new Check(
                "interfaces",
                "Network interfaces",
                Status.OK,
                "Looks for and announces rooms on " + on + ".",
                details,
                List.of());
    }

    /** Names of tunnels, bridges and virtual adapters (VPNs, containers, VMs) as the common tools make them. */
    static boolean looksVirtual(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String p : new String[] {
            "docker",
            "br-",
            "veth",
            "virbr",
            "vmnet",
            "vboxnet",
            "tun",
            "tap",
            "wg",
            "tailscale",
            "zt",
            "utun",
            "lxc",
            "lxd",
            "podman",
            "cni"
        }) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static Check addresses(List<LocalAddresses.Local> addresses, int roomPort) {
        if (addresses.isEmpty()) {
            return new Check(
                    "addresses",
                    "Rooms hosted here",
                    Status.PROBLEM,
                    "This machine has no address other machines can reach: only this machine can join a room hosted here.",
                    List.of(),
                    List.of("Connect to the network (Wi-Fi or cable) the others are on."));
        }
        List<String> details = addresses.stream()
                .map(a -> Addresses.hostPort(a.host(), roomPort) + " on " + a.interfaceName())
                .toList();
        return new Check(
                "addresses",
                "Rooms hosted here",
                Status.OK,
                "A room hosted here listens on every interface (port " + roomPort + " unless you choose another);"
                        + " others can join it at "
                        + Addresses.hostPort(addresses.getFirst().host(), roomPort)
                        + (addresses.size() > 1 ? " or another address below." : "."),
                details,
                List.of());
    }

    static Check multicast(Probes probes, List<MdnsInterfaces.Choice> chosen, Duration listen) {
        String title = "Multicast (mDNS) answers";
        String off = probes.discoveryOff();
        if (off != null) {
            return new Check(
                    "multicast",
                    title,
                    Status.UNKNOWN,
                    "Not checked: " + off + " Nothing was sent.",
                    List.of(),
                    List.of(
                            "To list rooms on the network, start Confab without CONFAB_DISCOVERY=off or"
                                    + " -Dconfab.discovery=false.",
                            "Ask the host for the invite link."));
        }
        if (chosen.isEmpty()) {
            return new Check(
                    "multicast",
                    title,
                    Status.UNKNOWN,
                    "Not checked: there is no interface to ask on.",
                    List.of(),
                    List.of("Ask the host for the invite link."));
        }
        MdnsAnswers a = probes.query(chosen, listen);
        List<String> details = new ArrayList<>();
        a.errors().forEach(e -> details.add("Could not ask on " + e));
        String secs = seconds(listen);
        if (!a.others().isEmpty()) {
            details.add("Answered: " + String.join(", ", a.others()) + (a.self().isEmpty() ? "" : " and this machine")
                    + ".");
            if (!a.rooms().isEmpty()) {
                details.add("Rooms: " + String.join(", ", a.rooms()) + ".");
                return new Check(
                        "multicast",
                        title,
                        Status.OK,
                        count(a.others().size(), "other device") + " answered within " + secs + ", "
                                + count(a.rooms().size(), "Confab room") + " among them.",
                        details,
                        List.of());
            }
            return new Check(
                    "multicast",
                    title,
                    Status.WARNING,
                    "Multicast works here: " + count(a.others().size(), "other device") + " answered within " + secs
                            + ", but no Confab room did.",
                    details,
                    List.of(
                            "Check that the room is open and announced (the host's \"Announce on the local network\","
                                    + " or confab host without --no-announce).",
                            "A room on another subnet, over a VPN or on a guest Wi-Fi is not announced here: ask the"
                                    + " host for the invite link."));
        }
        List<String> advice = List.of(
                "Multicast may be blocked by the firewall (see below), by the Wi-Fi (guest networks and \"client"
                        + " isolation\"), or not carried at all (VPNs, other subnets).",
                "Ask the host for the invite link: joining by address works without multicast.");
        if (!a.self().isEmpty()) {
            details.add("Only this machine answered (" + String.join(", ", a.self()) + ": a responder running here).");
            return new Check(
                    "multicast",
                    title,
                    Status.WARNING,
                    "No other device answered within " + secs + "; only this machine did.",
                    details,
                    advice);
        }
        return new Check(
                "multicast",
                title,
                a.errors().size() == chosen.size() ? Status.PROBLEM : Status.WARNING,
                a.errors().size() == chosen.size()
                        ? "The query could not be sent."
                        : "Nothing answered within " + secs + " on "
                                + chosen.stream()
                                        .map(MdnsInterfaces.Choice::interfaceName)
                                        .collect(Collectors.joining(", "))
                                + ".",
                details,
                advice);
    }

    static Check room(Reachability.Result r, InviteLink asked) {
        String title = "Room at " + r.address();
        List<String> details = new ArrayList<>();
        details.add("Took " + r.took().toMillis() + " ms.");
        return switch (r.outcome()) {
            case REACHABLE -> {
                details.addFirst("Key: " + r.key().base64url());
                if (asked.fingerprint() != null && !asked.fingerprint().equals(r.key())) {
                    yield new Check(
                            "room",
                            title,
                            Status.PROBLEM,
                            "A Confab room answers, but it shows another key than your link names (safety code "
                                    + r.key().safetyCode() + ").",
                            details,
                            List.of("Do not join: ask the host for a new invite link and compare the safety code."));
                }
                yield new Check(
                        "room",
                        title,
                        Status.OK,
                        "A Confab room answers (encrypted). Its safety code: "
                                + r.key().safetyCode()
                                + (asked.fingerprint() != null ? " (the key your link names)." : "."),
                        details,
                        asked.fingerprint() != null
                                ? List.of()
                                : List.of("Compare the safety code with the host when you join."));
            }
            case NOT_ENCRYPTED -> new Check("room", title, Status.WARNING, r.message(), details, List.of());
            case NOTHING_LISTENS ->
                new Check(
                        "room",
                        title,
                        Status.PROBLEM,
                        r.message(),
                        details,
                        List.of("Ask the host for the room's current address or invite link."));
            case TIMEOUT ->
                new Check(
                        "room",
                        title,
                        Status.PROBLEM,
                        r.message(),
                        details,
                        List.of(
                                "On the host's machine, allow TCP " + asked.port() + " in the firewall (ufw: sudo ufw"
                                        + " allow " + asked.port() + "/tcp; Windows: set the network to Private).",
                                "Check that both machines are on the same network, or ask the host for an address"
                                        + " you can reach (a VPN address, for example)."));
            case UNREACHABLE, FAILED ->
                new Check(
                        "room",
                        title,
                        Status.PROBLEM,
                        r.message(),
                        details,
                        List.of("Ask the host for the invite link."));
        };
    }

    static Check firewall(DiagnosticsFirewall.Reading r) {
        return new Check(
                "firewall",
                r.status() == Status.UNKNOWN && r.tool().equals("firewall")
                        ? "Firewall"
                        : "Firewall (" + r.tool() + ")",
                r.status(),
                r.summary(),
                List.of(),
                r.advice());
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
