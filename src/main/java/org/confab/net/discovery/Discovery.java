package org.confab.net.discovery;

import java.util.Locale;

/**
 * The one switch for LAN discovery (announcing and browsing): on unless the system property
 * {@value #PROPERTY} or the environment variable {@value #ENV} says {@code false}/{@code off}/
 * {@code 0}. The property wins; the variable is what child processes inherit, so a test that
 * starts {@code confab host} as a process cannot multicast by accident. The build turns both off
 * for every test (pom.xml); only the network-namespace tests turn them on again.
 */
public final class Discovery {
    /** The DNS-SD service type every Confab room is announced under. */
    public static final String SERVICE_TYPE = "_confab._tcp.local.";

    public static final String PROPERTY = "confab.discovery";
    public static final String ENV = "CONFAB_DISCOVERY";

    private Discovery() {}

    /** True if this process may send and answer multicast DNS. */
    public static boolean allowed() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return !off(p);
        }
        String e = System.getenv(ENV);
        return e == null || e.isBlank() || !off(e);
    }

    /** Why discovery is off, in words, or null if it is on. */
    public static String whyOff() {
        if (allowed()) {
            return null;
        }
        String p = System.getProperty(PROPERTY);
        return p != null && !p.isBlank()
                ? "LAN discovery is turned off (-D" + PROPERTY + "=" + p + ")."
                : "LAN discovery is turned off (" + ENV + "=" + System.getenv(ENV) + ").";
    }

    private static boolean off(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "false", "off", "0", "no" -> true;
            default -> false;
        };
    }
}
