package org.confab.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A room's identity: the SHA-256 of its TLS certificate. Shown to people as a safety code
 * (six groups of five digits, compared aloud or side by side), carried in invite links as
 * base64url, and kept in the known-rooms store.
 */
public final class Fingerprint {
    private static final int SHA256_BYTES = 32;
    private final byte[] sha256;

    private Fingerprint(byte[] sha256) {
        this.sha256 = sha256.clone();
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static Fingerprint ofCertificate(byte[] der) {
        try {
            return new Fingerprint(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
        }
    }

    /**
     * Parses the forms Confab writes: base64url (43 chars, as in links) or hex (64 digits, colons
     * and spaces allowed). Empty if it is neither.
     */
    public static Optional<Fingerprint> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        String t = s.strip();
        String hex = t.replace(":", "").replace(" ", "");
        if (hex.length() == 2 * SHA256_BYTES && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.of(new Fingerprint(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT))));
        }
        try {
            byte[] b = Base64.getUrlDecoder().decode(t);
            if (b.length == SHA256_BYTES) {
                return Optional.of(new Fingerprint(b));
            }
        } catch (IllegalArgumentException e) {
            // not base64url either
        }
        return Optional.empty();
    }

    /** The raw SHA-256 (also the tls-server-end-point channel binding of the certificate). */
    public byte[] bytes() {
        return sha256.clone();
    }

    /** Base64url without padding: the form used in {@code confab://host:port/?fp=...}. */
    public String base64url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256);
    }

    /** Lower-case hex, 64 digits. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /**
     * Six groups of five digits ("03941 55820 ..."), about 100 bits: what people compare. Each
     * group is five bytes of the hash, taken as a big-endian number modulo 100000 (the scheme of
     * Signal's safety numbers).
     */
    public String safetyCode() {
        var sb = new StringBuilder(35);
        for (int g = 0; g < 6; g++) {
            long v = 0;
            for (int i = 0; i < 5; i++) {
                v = (v << 8) | (sha256[g * 5 + i] & 0xFF);
            }
            if (g > 0) {
                sb.append(' ');
            }
            sb.append(String.format(Locale.ROOT, "%05d", v % 100_000));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && MessageDigest.isEqual(sha256, f.sha256);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sha256);
    }

    @Override
    public String toString() {
        return "SHA256:" + base64url();
    }
}
