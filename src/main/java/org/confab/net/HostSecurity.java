package org.confab.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.confab.core.Fingerprint;
import org.confab.net.auth.Scram;
import org.confab.net.auth.Throttle;
import org.confab.net.tls.HostIdentity;
import org.confab.store.AppDirs;

/**
 * How a host protects its room: TLS 1.3 with its identity (or plain TCP when {@code identity} is
 * null, only ever by explicit choice), and optionally a room password, kept only as SCRAM
 * credentials (salted PBKDF2), with wrong guesses throttled per address.
 */
public record HostSecurity(HostIdentity identity, Scram.Credentials password, Throttle throttle) {
    public HostSecurity {
        Objects.requireNonNull(throttle, "throttle");
    }

    /** TLS with the given identity, no password. */
    public static HostSecurity tls(HostIdentity identity) {
        return new HostSecurity(Objects.requireNonNull(identity, "identity"), null, new Throttle());
    }

    /** TLS with a fresh identity that lives as long as this object (tests, throw-away rooms). */
    public static HostSecurity ephemeral() {
        return tls(HostIdentity.generate());
    }

    /**
     * What a host runs with, from what the person chose (the one place both the terminal's
     * {@code host} and the desktop's Host dialog build it): plain TCP if {@code insecure} (a
     * password is then refused, with {@link IllegalArgumentException}), else TLS with the identity
     * kept in {@code identityFile} (null: the user's {@code host-identity.p12}, made on first use)
     * and the room password, if any (null or empty: none).
     */
    public static HostSecurity of(String password, boolean insecure, Path identityFile) throws IOException {
        boolean hasPassword = password != null && !password.isEmpty();
        if (insecure) {
            if (hasPassword) {
                throw new IllegalArgumentException(
                        "A room password needs encryption, and this room would run without it.");
            }
            return insecure();
        }
        var file = identityFile != null ? identityFile : AppDirs.config().resolve("host-identity.p12");
        return tls(HostIdentity.loadOrCreate(file)).withPassword(password);
    }

    /** Plain TCP: no encryption, no authentication of the room. Debugging only. */
    public static HostSecurity insecure() {
        return new HostSecurity(null, null, new Throttle());
    }

    /** The same, with a room password (null or empty = none). */
    public HostSecurity withPassword(String pw) {
        return new HostSecurity(
                identity, pw == null || pw.isEmpty() ? null : Scram.Credentials.fromPassword(pw), throttle);
    }

    public boolean encrypted() {
        return identity != null;
    }

    /** The room's fingerprint, or null when insecure. */
    public Fingerprint fingerprint() {
        return identity == null ? null : identity.fingerprint();
    }
}
