package org.confab.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;

/**
 * Rooms this member joined by address or link, remembered so the start screen can look for them
 * where multicast does not pass (another subnet, a VPN): one line per room,
 * {@code roomId <TAB> name <TAB> link}, the link with the room's key and every address it has
 * (docs/protocol.md §1.2), newest first, at most {@link #MAX}. Written atomically, readable by the
 * owner only. Only encrypted rooms are kept: a remembered room is shown only after a probe saw its key.
 */
public final class FavouriteRooms {
    /** One remembered room. */
    public record Favourite(String roomId, String name, InviteLink link) {
        public Favourite {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(link.fingerprint(), "a favourite needs the room's key");
            name = name == null ? "" : name;
        }

        /** Room id and key, as {@code RoomAd.identity()} writes them: the same room across addresses. */
        public String identity() {
            return roomId + "/" + link.fingerprint().base64url();
        }
    }

    /** How many rooms are remembered (the oldest go first). */
    public static final int MAX = 16;

    private final Path file;
    private final List<Favourite> rooms = new ArrayList<>();

    public FavouriteRooms(Path file) {
        this.file = file;
        load();
    }

    /** The store in the user's config directory. */
    public static FavouriteRooms standard() {
        return new FavouriteRooms(AppDirs.config().resolve("favourite-rooms"));
    }

    /** Newest first. */
    public synchronized List<Favourite> list() {
        return List.copyOf(rooms);
    }

    /**
     * Remembers a room joined now: replaces what was kept for the same room (id and key) or the same
     * address, puts it first. A room without a key or id is not kept (nothing to check a probe against).
     */
    public synchronized void remember(String roomId, String name, InviteLink link) throws IOException {
        if (roomId == null || roomId.isBlank() || link == null || link.fingerprint() == null) {
            return;
        }
        var f = new Favourite(roomId.strip(), clean(name), link);
        rooms.removeIf(o -> o.identity().equals(f.identity()) || o.link().sameAddress(link));
        rooms.addFirst(f);
        while (rooms.size() > MAX) {
            rooms.removeLast();
        }
        save();
    }

    /** The key the room with this id was last joined with, if it is remembered. */
    public synchronized Optional<Fingerprint> keyOf(String roomId) {
        return rooms.stream()
                .filter(f -> f.roomId().equals(roomId))
                .map(f -> f.link().fingerprint())
                .findFirst();
    }

    /** Forgets a room (by id and key). */
    public synchronized void forget(String identity) throws IOException {
        if (rooms.removeIf(o -> o.identity().equals(identity))) {
            save();
        }
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]", " ").strip();
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 3 || rooms.size() == MAX) {
                    continue;
                }
                try {
                    InviteLink link = InviteLink.parse(f[2]);
                    if (link.fingerprint() != null && !f[0].isBlank()) {
                        rooms.add(new Favourite(f[0], f[1], link));
                    }
                } catch (IllegalArgumentException damaged) {
                    // a damaged line is skipped; the next save drops it
                }
            }
        } catch (IOException e) {
            // unreadable: treat as empty; the next save rewrites it
        }
    }

    private void save() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        var sb = new StringBuilder("# Confab favourite rooms: room id, name, invite link (with key and addresses)\n");
        for (Favourite f : rooms) {
            sb.append(f.roomId())
                    .append('\t')
                    .append(f.name())
                    .append('\t')
                    .append(f.link().format())
                    .append('\n');
        }
        Path tmp = Files.createTempFile(dir, ".favourite-rooms", ".tmp");
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
