package org.confab.core;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as a person types them (on the command line, in the Host dialog): {@code 1024}, {@code 500K}, {@code 500M},
 * {@code 4G}, {@code 1.5T} (K, M, G, T are powers of 1024; a trailing {@code B} or {@code iB} is
 * allowed: {@code 500MB}, {@code 4GiB}).
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?");

    private Sizes() {}

    /** Bytes for {@code text}; IllegalArgumentException with a sentence if it is no size. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not a size (write e.g. 500M or 4G: K, M, G, T are powers of 1024).");
        }
        int power = m.group(2).isEmpty() ? 0 : "kmgt".indexOf(m.group(2)) + 1;
        BigDecimal bytes =
                new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("\"" + text + "\" is too big a size.");
        }
        return bytes.longValue();
    }

    /**
     * A size in the units it is set in: {@code 4 GiB}, {@code 500 MiB}, {@code 1 KiB}, or else as
     * files are shown ({@link FileRef#humanSize}). What {@link #parse} reads back.
     */
    public static String text(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        for (int u = units.length; u >= 1; u--) {
            long unit = 1L << (10 * u);
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + " " + units[u - 1];
            }
        }
        return FileRef.humanSize(bytes);
    }
}
