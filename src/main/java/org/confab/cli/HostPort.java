package org.confab.cli;

import java.util.Objects;
import picocli.CommandLine;

/**
 * Where to join: {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code HOST} alone (default port), a bare
 * IPv6 address (default port), optionally written as a {@code confab://} link.
 */
public record HostPort(String host, int port, String fingerprint) {
    public HostPort(String host, int port) {
        this(host, port, null);
    }

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("The host is empty.");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 1 and 65535.");
        }
    }

    /** Parses what a person typed; the exception message says what is wrong with it. */
    public static HostPort parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("No address given; type HOST:PORT, for example 192.168.1.20:4747.");
        }
        String s = text.strip();
        String fp = null;
        if (s.regionMatches(true, 0, "confab://", 0, 9)) {
            s = s.substring(9);
            int q = s.indexOf('?');
            if (q >= 0) {
                for (String kv : s.substring(q + 1).split("&")) {
                    if (kv.startsWith("fp=")) {
                        fp = kv.substring(3);
                    }
                }
                s = s.substring(0, q);
            }
            if (s.endsWith("/")) {
                s = s.substring(0, s.length() - 1);
            }
            if (fp != null) {
                var hp = parse(s, defaultPort);
                return new HostPort(hp.host(), hp.port(), fp);
            }
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\": missing ']' after the IPv6 address.");
            }
            String host = s.substring(1, close);
            if (host.isEmpty() || !host.contains(":")) {
                throw new IllegalArgumentException("\"" + text + "\": brackets are only for IPv6 addresses, like [fd00::5]:4747.");
            }
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostPort(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("\"" + text + "\": expected ':PORT' after ']'.");
            }
            return new HostPort(host, port(rest.substring(1), text));
        }
        int colons = (int) s.chars().filter(c -> c == ':').count();
        if (colons == 0) {
            return new HostPort(s, defaultPort);
        }
        if (colons > 1) {
            // a bare IPv6 address: it cannot carry a port without brackets
            return new HostPort(s, defaultPort);
        }
        int colon = s.indexOf(':');
        String host = s.substring(0, colon);
        if (host.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\": the host is missing before ':'.");
        }
        return new HostPort(host, port(s.substring(colon + 1), text));
    }

    private static int port(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + text + "\": the port must be a number between 1 and 65535.");
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": the port must be a number between 1 and 65535.");
        }
        return p;
    }

    /** As a person would type it back: IPv6 in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** picocli converter, default port {@link org.confab.net.HostConfig#DEFAULT_PORT}. */
    static final class Converter implements CommandLine.ITypeConverter<HostPort> {
        @Override
        public HostPort convert(String value) {
            try {
                return parse(value, org.confab.net.HostConfig.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
