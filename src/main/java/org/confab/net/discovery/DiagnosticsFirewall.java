package org.confab.net.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.confab.net.discovery.Diagnostics.Status;

/**
 * The diagnostics' firewall check: reads the firewall's state where a tool tells it without
 * changing anything (ufw, firewalld, iptables on Linux; the network profile on Windows; the
 * application firewall on macOS). Anything it cannot read (no root, the tool missing, a timeout)
 * is "unknown", never a failure. The parsers are plain functions of the tools' output, so tests
 * feed them samples.
 */
public final class DiagnosticsFirewall {
    /** Runs a command; empty if it could not run at all (not installed, timed out). */
    public interface Commands {
        Optional<Output> run(List<String> command);
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Output(int exit, String text) {}

    /** What was read: the tool, how it stands for Confab, one sentence, and what to do. */
    public record Reading(String tool, Status status, String summary, List<String> advice) {
        public Reading {
            advice = List.copyOf(advice);
        }
    }

    private DiagnosticsFirewall() {}

    /** Reads the firewall of the OS named {@code osName} (as {@code os.name}). */
    public static Reading read(Commands commands, String osName, int roomPort) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return windows(
                    commands.run(
                            List.of(
                                    "powershell",
                                    "-NoProfile",
                                    "-NonInteractive",
                                    "-Command",
                                    "Get-NetConnectionProfile | ForEach-Object { $_.InterfaceAlias + '|' + $_.NetworkCategory }")),
                    roomPort);
        }
        if (os.startsWith("mac")) {
            return mac(commands.run(List.of("/usr/libexec/ApplicationFirewall/socketfilterfw", "--getglobalstate")));
        }
        Reading ufw = ufw(commands.run(List.of(tool("ufw"), "status", "verbose")), roomPort);
        if (ufw.tool().equals("ufw") && !notActive(ufw)) {
            return ufw; // active, or there but unreadable without root
        }
        Optional<Output> state = commands.run(List.of(tool("firewall-cmd"), "--state"));
        String firewalld = state.map(o -> o.text().strip()).orElse("");
        if (firewalld.equals("running")) {
            return firewalld(
                    commands.run(List.of(tool("firewall-cmd"), "--list-services")),
                    commands.run(List.of(tool("firewall-cmd"), "--list-ports")),
                    roomPort);
        }
        Reading ipt = iptables(commands.run(List.of(tool("iptables"), "-S", "INPUT")), roomPort);
        if (ipt.status() != Status.UNKNOWN) {
            return ipt;
        }
        if (notActive(ufw)) {
            return ufw; // ufw is there and off; nothing else says more
        }
        if (firewalld.equals("not running")) {
            return new Reading("firewalld", Status.OK, "firewalld is installed but not running.", List.of());
        }
        return unknown(
                ipt.summary().isEmpty()
                        ? "Could not read the firewall (neither ufw nor firewalld found, iptables not readable)."
                        : ipt.summary());
    }

    private static boolean notActive(Reading r) {
        return r.tool().equals("ufw") && r.status() == Status.OK && r.summary().contains("inactive");
    }

    private static final Pattern UFW_DEFAULT = Pattern.compile("(?m)^Default:\\s*(\\w+)\\s*\\(incoming\\)");

    /** {@code ufw status [verbose]}. */
    static Reading ufw(Optional<Output> out, int roomPort) {
        if (out.isEmpty()) {
            return unknown("");
        }
        String t = out.get().text();
        if (t.contains("need to be root") || t.contains("must be root")) {
            return new Reading(
                    "ufw",
                    Status.UNKNOWN,
                    "ufw is installed, but reading it needs root (sudo ufw status verbose).",
                    List.of());
        }
        if (t.contains("Status: inactive")) {
            return new Reading("ufw", Status.OK, "ufw is installed but inactive: it blocks nothing.", List.of());
        }
        if (!t.contains("Status: active")) {
            return unknown("");
        }
        Matcher m = UFW_DEFAULT.matcher(t);
        String incoming = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "deny";
        boolean portAllowed = ufwAllows(t, roomPort + "/tcp") || ufwAllows(t, roomPort + " ");
        boolean mdnsAllowed = ufwAllows(t, "5353/udp") || ufwAllows(t, "mDNS") || ufwAllows(t, "5353 ");
        if (incoming.equals("allow")) {
            return new Reading("ufw", Status.OK, "ufw is active and allows incoming connections.", List.of());
        }
        List<String> advice = new ArrayList<>();
        List<String> said = new ArrayList<>();
        if (!portAllowed) {
            said.add(
                    "no rule lets TCP " + roomPort + " in, so a room hosted here cannot be joined from other machines");
            advice.add("To host rooms here, allow the room's port: sudo ufw allow " + roomPort + "/tcp");
        }
        if (!mdnsAllowed) {
            said.add("mDNS (UDP 5353) passes only by ufw's default rules");
            advice.add("If rooms still do not appear, allow UDP 5353 (mDNS) in the firewall: sudo ufw allow 5353/udp");
        }
        if (said.isEmpty()) {
            return new Reading(
                    "ufw", Status.OK, "ufw is active and allows TCP " + roomPort + " and UDP 5353 (mDNS).", List.of());
        }
        return new Reading(
                "ufw",
                Status.WARNING,
                "ufw is active (incoming: " + incoming + "); " + String.join("; ", said) + ".",
                advice);
    }

    private static boolean ufwAllows(String status, String what) {
        return status.lines().anyMatch(l -> l.startsWith(what) && l.contains("ALLOW"));
    }

    /** {@code firewall-cmd --list-services} and {@code --list-ports} of a running firewalld. */
    static Reading firewalld(Optional<Output> services, Optional<Output> ports, int roomPort) {
        if (services.isEmpty() || services.get().exit() != 0) {
            return new Reading(
                    "firewalld",
                    Status.UNKNOWN,
                    "firewalld is running, but its rules could not be read (sudo firewall-cmd --list-all).",
                    List.of());
        }
        List<String> svc = words(services.get().text());
        List<String> prt =
                ports.isPresent() && ports.get().exit() == 0 ? words(ports.get().text()) : List.of();
        boolean mdns = svc.contains("mdns") || prt.contains("5353/udp");
        boolean port = prt.contains(roomPort + "/tcp");
        List<String> advice = new ArrayList<>();
        List<String> said = new ArrayList<>();
        if (!mdns) {
            said.add("it does not allow mDNS (UDP 5353), so rooms on the network are not heard");
            advice.add("Allow mDNS in the firewall: sudo firewall-cmd --add-service=mdns --permanent"
                    + " && sudo firewall-cmd --reload");
        }
        if (!port) {
            said.add(
                    "no rule lets TCP " + roomPort + " in, so a room hosted here cannot be joined from other machines");
            advice.add("To host rooms here: sudo firewall-cmd --add-port=" + roomPort + "/tcp --permanent"
                    + " && sudo firewall-cmd --reload");
        }
        if (said.isEmpty()) {
            return new Reading(
                    "firewalld",
                    Status.OK,
                    "firewalld is running and allows mDNS and TCP " + roomPort + ".",
                    List.of());
        }
        return new Reading(
                "firewalld",
                mdns ? Status.WARNING : Status.PROBLEM,
                "firewalld is running; " + String.join("; ", said) + ".",
                advice);
    }

    /** {@code iptables -S INPUT}: only the chain's policy and whether a rule names the ports. */
    static Reading iptables(Optional<Output> out, int roomPort) {
        if (out.isEmpty() || out.get().exit() != 0 || !out.get().text().contains("-P INPUT")) {
            return unknown(
                    out.isPresent() && out.get().text().toLowerCase(Locale.ROOT).contains("root")
                            ? "Could not read the firewall: iptables needs root (sudo iptables -S INPUT)."
                            : "");
        }
        String t = out.get().text();
        if (t.contains("-P INPUT ACCEPT") && !t.contains("-j DROP") && !t.contains("-j REJECT")) {
            return new Reading(
                    "iptables", Status.OK, "iptables accepts incoming traffic (INPUT policy ACCEPT).", List.of());
        }
        boolean mdns = t.contains("--dport 5353");
        boolean port = t.contains("--dport " + roomPort);
        if (mdns && port) {
            return new Reading(
                    "iptables", Status.OK, "iptables has rules for UDP 5353 and TCP " + roomPort + ".", List.of());
        }
        List<String> advice = new ArrayList<>();
        if (!mdns) {
            advice.add("Allow UDP 5353 (mDNS) in: sudo iptables -I INPUT -p udp --dport 5353 -j ACCEPT");
        }
        if (!port) {
            advice.add("To host rooms here: sudo iptables -I INPUT -p tcp --dport " + roomPort + " -j ACCEPT");
        }
        return new Reading(
                "iptables",
                Status.WARNING,
                "iptables drops or rejects some incoming traffic, and no rule names "
                        + (mdns ? "TCP " + roomPort : port ? "UDP 5353 (mDNS)" : "UDP 5353 (mDNS) or TCP " + roomPort)
                        + ".",
                advice);
    }

    /** PowerShell's {@code Get-NetConnectionProfile}, one {@code alias|category} line per network. */
    static Reading windows(Optional<Output> out, int roomPort) {
        if (out.isEmpty() || out.get().exit() != 0) {
            return new Reading(
                    "Windows Firewall",
                    Status.UNKNOWN,
                    "Could not read the network profile (Get-NetConnectionProfile).",
                    List.of());
        }
        List<String> pub = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (String line : out.get().text().lines().map(String::strip).toList()) {
            int bar = line.lastIndexOf('|');
            if (bar <= 0) {
                continue;
            }
            String alias = line.substring(0, bar).strip();
            String cat = line.substring(bar + 1).strip();
            if (cat.equalsIgnoreCase("Public")) {
                pub.add(alias);
            } else {
                other.add(alias + " (" + cat + ")");
            }
        }
        if (pub.isEmpty() && other.isEmpty()) {
            return new Reading("Windows Firewall", Status.UNKNOWN, "Windows reports no network profile.", List.of());
        }
        if (pub.isEmpty()) {
            return new Reading(
                    "Windows Firewall",
                    Status.OK,
                    "Networks: " + String.join(", ", other) + " (not Public): Windows lets Confab through once"
                            + " it is allowed (the installer's rule, or \"Allow\" at the first start).",
                    List.of());
        }
        return new Reading(
                "Windows Firewall",
                Status.PROBLEM,
                "Windows treats " + String.join(", ", pub)
                        + (pub.size() == 1 ? " as a Public network" : " as Public networks")
                        + ": its firewall blocks mDNS and incoming connections there.",
                List.of("Set this network to Private in Windows (Settings > Network & internet > your network >"
                        + " Network profile type: Private), if it is your home or office network."));
    }

    /** {@code socketfilterfw --getglobalstate}. */
    static Reading mac(Optional<Output> out) {
        if (out.isEmpty()) {
            return new Reading("macOS firewall", Status.UNKNOWN, "Could not read the macOS firewall.", List.of());
        }
        String t = out.get().text();
        if (t.contains("disabled") || t.contains("State = 0")) {
            return new Reading("macOS firewall", Status.OK, "The macOS firewall is off.", List.of());
        }
        if (t.contains("enabled") || t.contains("State = 1")) {
            return new Reading(
                    "macOS firewall",
                    Status.WARNING,
                    "The macOS firewall is on: it asks once whether Confab may accept incoming connections.",
                    List.of("If you answered Deny: System Settings > Network > Firewall > Options, set Confab to"
                            + " Allow incoming connections."));
        }
        return new Reading("macOS firewall", Status.UNKNOWN, "Could not read the macOS firewall.", List.of());
    }

    private static Reading unknown(String summary) {
        return new Reading("firewall", Status.UNKNOWN, summary, List.of());
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+"))
                .filter(w -> !w.isEmpty())
                .toList();
    }

    /** Firewall tools live in sbin, which a person's PATH often lacks. */
    private static String tool(String name) {
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return name;
    }

    /** Runs commands for real, each at most {@code timeout}, in the C locale (the parsers read English). */
    public static Commands system(Duration timeout) {
        return command -> {
            Process p;
            try {
                var pb = new ProcessBuilder(command).redirectErrorStream(true);
                pb.environment().put("LC_ALL", "C");
                p = pb.start();
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // not installed
            }
            try (InputStream in = p.getInputStream()) {
                p.getOutputStream().close();
                var text = CompletableFuture.supplyAsync(() -> {
                    try {
                        return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "";
                    }
                });
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return Optional.empty();
                }
                return Optional.of(new Output(p.exitValue(), text.get(timeout.toMillis(), TimeUnit.MILLISECONDS)));
            } catch (Exception e) {
                p.destroyForcibly();
                return Optional.empty();
            }
        };
    }
}
