package org.confab.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.confab.core.MemberIdentity;

/**
 * The profile's member secret ({@link MemberIdentity}): {@code member-secret} in the config
 * folder, 32 random bytes made on first use, readable by the owner only. If it cannot be read or
 * written, this run gets a fresh secret (rooms then see a new member key: moderators must be
 * named again), never an error.
 */
public final class MemberSecrets {
    private static final String FILE = "member-secret";

    private MemberSecrets() {}

    /** The identity of the current profile ({@link AppDirs#config()}). */
    public static MemberIdentity standard() {
        return in(AppDirs.config());
    }

    /** Read once per folder per run. */
    private static final Map<Path, MemberIdentity> LOADED = new ConcurrentHashMap<>();

    /** The identity kept in {@code dir}. */
    public static MemberIdentity in(Path dir) {
        return LOADED.computeIfAbsent(dir.toAbsolutePath().normalize(), MemberSecrets::load);
    }

    private static MemberIdentity load(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                byte[] secret =
                        Base64.getDecoder().decode(Files.readString(file).strip());
                if (secret.length >= 16) {
                    return new MemberIdentity(secret);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // unreadable or damaged: made again below
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): the profile folder's own permissions apply
            }
            Files.writeString(tmp, Base64.getEncoder().encodeToString(secret) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // cannot keep it: this run's rooms see a member key of this run only
        }
        return new MemberIdentity(secret);
    }
}
