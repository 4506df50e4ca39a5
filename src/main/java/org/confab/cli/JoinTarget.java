package org.confab.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.confab.core.Fingerprint;
import org.confab.core.NicknameRules;
import org.confab.net.Backoff;
import org.confab.net.HostConfig;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.store.KnownRooms;
import org.confab.store.MemberSecrets;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a terminal member joins and how, for {@code join} and {@code send} alike: the address or
 * invite link, the nickname, the room's key (pinned, or trusted on first visit), the password,
 * and the timeouts. One place reads them into {@link JoinOptions} and {@link RoomConnection.Options}.
 */
final class JoinTarget {
    @Parameters(
            index = "0",
            paramLabel = "HOST:PORT",
            converter = HostPort.Converter.class,
            description =
                    "Host address: HOST:PORT, [IPv6]:PORT, or HOST alone (port " + HostConfig.DEFAULT_PORT + "), or"
                            + " an invite link (confab://...; with several addresses, all are tried and the first that shows"
                            + " the room's key is used).")
    HostPort address;

    @Option(
            names = "--nick",
            required = true,
            paramLabel = "NICK",
            description = "Your nickname in the room (at most 32 characters).")
    String nick;

    @Option(
            names = "--timeout",
            paramLabel = "S",
            defaultValue = "8",
            description = "Seconds to wait for the host to answer when joining (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--retry-for",
            paramLabel = "S",
            defaultValue = "15",
            description = "When the first join is cut (in the secure handshake, the password exchange, ...) or gets no"
                    + " answer in time, keep trying for this many seconds before giving up with exit code 14 or 12"
                    + " (default: ${DEFAULT-VALUE}; 0: no retry)."
                    + " A refusal (wrong key, password, nickname, nobody at that port) is never retried.")
    int retryForSeconds;

    @Option(
            names = "--reconnect-max",
            paramLabel = "S",
            defaultValue = "30",
            description = "After a drop, wait at most this many seconds between reconnect attempts (they start at 0.5 s"
                    + " and double; default: ${DEFAULT-VALUE}).")
    int reconnectMaxSeconds;

    @Option(
            names = "--fp",
            paramLabel = "FINGERPRINT",
            description =
                    "The room's key fingerprint (from the host or an invite link): join only if it matches, without asking.")
    String fingerprint;

    @Option(
            names = "--trust-new",
            description =
                    "On a first visit, trust the room's key without asking and remember it (like ssh accept-new).")
    boolean trustNew;

    @Option(
            names = "--password-file",
            paramLabel = "FILE",
            description = "Read the room password from the first line of FILE (or set CONFAB_PASSWORD).")
    Path passwordFile;

    /** Checks the ranges picocli cannot; a usage error (exit 2) otherwise. */
    void validate(CommandLine cl) {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CommandLine.ParameterException(cl, "--timeout must be between 1 and 3600 seconds.");
        }
        if (reconnectMaxSeconds < 1 || reconnectMaxSeconds > 3600) {
            throw new CommandLine.ParameterException(cl, "--reconnect-max must be between 1 and 3600 seconds.");
        }
        if (retryForSeconds < 0 || retryForSeconds > 86_400) {
            throw new CommandLine.ParameterException(cl, "--retry-for must be between 0 and 86400 seconds.");
        }
        var problem = NicknameRules.problem(nick);
        if (problem.isPresent()) {
            throw new CommandLine.ParameterException(cl, "Invalid --nick: " + problem.get());
        }
    }

    /** The key, password and identity to join with ({@code insecure}: plain TCP, no key). */
    JoinOptions security(boolean insecure) throws IOException {
        var o = (insecure ? JoinOptions.insecureTcp() : JoinOptions.secure().withKnownRooms(KnownRooms.standard()))
                .withIdentity(MemberSecrets.standard());
        String fp = fingerprint != null ? fingerprint : address.fingerprint();
        if (fp != null) {
            if (insecure) {
                throw new IllegalArgumentException("--fp needs encryption; drop --insecure.");
            }
            o = o.withPinned(
                    Fingerprint.parse(fp)
                            .orElseThrow(() -> new IllegalArgumentException("\"" + fp
                                    + "\" is not a room fingerprint (64 hex digits or 43 base64url characters).")),
                    fingerprint != null ? JoinOptions.PinSource.GIVEN : JoinOptions.PinSource.LINK);
        }
        String password = Passwords.read(passwordFile, "CONFAB_PASSWORD");
        return o.withTrustNew(trustNew).withPassword(password);
    }

    /** The connection's address, alternates, timeouts and reconnect pace (security is added by the caller). */
    RoomConnection.Options connection() {
        return RoomConnection.Options.defaults(address.host(), address.port(), nick)
                .withAlternates(address.alternates())
                .withTimeouts(Duration.ofSeconds(timeoutSeconds), HostConfig.DEFAULT_IDLE_TIMEOUT)
                .withBackoff(new Backoff(
                        Backoff.DEFAULT.min(), Duration.ofSeconds(reconnectMaxSeconds), Backoff.DEFAULT.jitter()));
    }
}
