package org.confab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.discovery.Diagnostics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code confab doctor}: "why can't I see a room?" on the command line. The same checks as the
 * desktop app's panel ({@link Diagnostics}): the interfaces discovery uses and skips, this
 * machine's addresses, whether a multicast query gets answers (not sent when discovery is off),
 * optionally whether a room's port answers ({@code --host}), the firewall, and what to do.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Why can't I see a room? Checks the network interfaces, multicast (mDNS) answers, the firewall",
            "and, with --host, whether a room's port answers from here; says what to do."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  The checks ran (whatever they found).",
            "  2  Invalid command line (e.g. an address that cannot be read)."
        })
public final class DoctorCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "HOST:PORT|LINK",
            description = "Also check this room: TCP connect and TLS handshake, its key shown (port "
                    + HostConfig.DEFAULT_PORT + " if none is given).")
    String host;

    @Option(names = "--json", description = "The report as one JSON object.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "5",
            description = "How long to wait for the room at --host (default: ${DEFAULT-VALUE}).")
    double timeout;

    /** Where the checks look; tests replace it. */
    Diagnostics.Probes probes = Diagnostics.system();

    @Override
    public Integer call() {
        if (timeout <= 0 || timeout > 600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be between 0 and 600.");
        }
        InviteLink room = null;
        if (host != null) {
            try {
                room = InviteLink.parseAddress(host, HostConfig.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--host: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        var request =
                new Diagnostics.Request(room, Diagnostics.Request.LISTEN, Duration.ofMillis((long) (timeout * 1000)));
        Diagnostics.Report report = Diagnostics.run(probes, request, c -> {});
        out.print(json ? json(report) + "\n" : report.text());
        out.flush();
        return 0;
    }

    static String json(Diagnostics.Report report) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode checks = o.putArray("checks");
        for (Diagnostics.Check c : report.checks()) {
            ObjectNode n = checks.addObject();
            n.put("id", c.id());
            n.put("title", c.title());
            n.put("status", c.status().word());
            n.put("summary", c.summary());
            strings(n.putArray("details"), c.details());
            strings(n.putArray("advice"), c.advice());
        }
        strings(o.putArray("advice"), report.advice());
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
