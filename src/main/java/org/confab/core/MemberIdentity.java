package org.confab.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who this app is to the rooms it joins, beyond a nickname anyone can take: a secret kept in the
 * profile, from which each room gets its own member key (HMAC-SHA256 of the room's key or
 * address), so a host can recognise a moderator or a banned member across visits, and no host can
 * learn the key another room knows this member by.
 */
public final class MemberIdentity {
    /** Length of a member key on the wire (base64url, no padding). */
    public static final int KEY_LENGTH = 32;

    private final byte[] secret;

    public MemberIdentity(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret too short");
        }
        this.secret = secret.clone();
    }

    /**
     * The member key for a room known as {@code scope} (its key's fingerprint when encrypted,
     * else its address).
     */
    public String keyFor(String scope) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] out = mac.doFinal(("confab member key\0" + scope).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(out, 24));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Whether {@code s} has the form of a member key (what a host accepts in a hello). */
    public static boolean looksLikeKey(String s) {
        if (s == null || s.length() != KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
