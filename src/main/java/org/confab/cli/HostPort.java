package org.confab.cli;

import java.util.List;
import java.util.Objects;
import org.confab.core.Addresses;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import picocli.CommandLine;

/**
 * Where to join: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code HOST} alone (default port), a bare
 * IPv6 address (default port), optionally written as a {@code confab://} link (whose {@code fp},
 * the room key, is kept in {@link #fingerprint()}, and whose further addresses, {@code alt}, in
 * {@link #alternates()}).
 */
public record HostPort(String host, int port, String fingerprint, List<InviteLink.Candidate> alternates) {
    public HostPort(String host, int port) {
        this(host, port, null);
    }

    public HostPort(String host, int port, String fingerprint) {
        this(host, port, fingerprint, List.of());
    }

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("The host is empty.");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 1 and 65535.");
        }
        alternates = alternates == null ? List.of() : List.copyOf(alternates);
    }

    /**
     * Parses what a person typed; the exception message says what is wrong with it. The parsing
     * is {@link InviteLink}'s (the one parser of addresses and links); a link's {@code fp} is kept
     * as its base64url text.
     */
    public static HostPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("No address given; type HOST:PORT, for example 192.168.1.20:4747.");
        }
        InviteLink link;
        try {
            link = InviteLink.parseAddress(text, defaultPort);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException(
                    "\"" + text.strip() + "\": "
                            + (m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1)),
                    e);
        }
        return new HostPort(
                link.host(),
                link.port(),
                link.fingerprint() == null ? null : link.fingerprint().base64url(),
                link.alternates());
    }

    /** As a person would type it back: IPv6 in brackets. */
    @Override
    public String toString() {
        return Addresses.hostPort(host, port);
    }

    /** picocli converter, default port {@link org.confab.net.HostConfig#DEFAULT_PORT}. */
    static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return parse(value, HostConfig.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
