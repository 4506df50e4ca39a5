package org.confab.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.confab.core.Addresses;
import org.confab.core.Fingerprint;

/**
 * Rooms this user has decided to trust, as SSH's known_hosts: one line per room,
 * {@code host:port fingerprint}. Written atomically, readable by the owner only.
 */
public final class KnownRooms {
    private final Path file;
    private final Map<String, Fingerprint> rooms = new LinkedHashMap<>();

    public KnownRooms(Path file) {
        this.file = file;
        load();
    }

    /** The store in the user's config directory. */
    public static KnownRooms standard() {
        return new KnownRooms(AppDirs.config().resolve("known-rooms"));
    }

    public synchronized Optional<Fingerprint> lookup(String host, int port) {
        return Optional.ofNullable(rooms.get(key(host, port)));
    }

    public synchronized void trust(String host, int port, Fingerprint fp) throws IOException {
        rooms.put(key(host, port), fp);
        save();
    }

    private static String key(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return Addresses.hostPort(h, port);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int sp = t.lastIndexOf(' ');
                if (sp > 0) {
                    Fingerprint.parse(t.substring(sp + 1))
                            .ifPresent(fp -> rooms.put(t.substring(0, sp).strip(), fp));
                }
            }
        } catch (IOException e) {
            // unreadable: treat as empty; the next save rewrites it
        }
    }

    private void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        var sb = new StringBuilder(
                "# Confab known rooms: host:port fingerprint (SHA-256 of the room certificate, base64url)\n");
        rooms.forEach((k, v) -> sb.append(k).append(' ').append(v.base64url()).append('\n'));
        Path tmp = Files.createTempFile(dir, ".known-rooms", ".tmp");
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
