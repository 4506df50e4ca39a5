package org.confab.ui.host;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.confab.core.NicknameRules;
import org.confab.core.Sizes;
import org.confab.net.HostConfig;
import org.confab.ui.common.Field;
import org.confab.ui.common.Nicknames;
import org.confab.ui.common.Settings;

/**
 * The "Host a room" form: room name, nickname, port, an optional room password, whether to
 * announce it on the local network, whether members may share files and up to what size and
 * quota (what {@code confab host --no-files/--max-file-size/--file-quota} set); validation;
 * remembered values (never the password). The nickname starts as in the Join dialog
 * ({@link Nicknames#initial}).
 */
public final class HostViewModel {
    /** Longest room name, in code points. */
    public static final int MAX_ROOM_NAME = 64;

    /** Settings key: announce hosted rooms on the local network (on unless the person turned it off). */
    public static final String ANNOUNCE = "host.announce";
    /** Settings keys: file sharing on, the largest file, the quota (as typed: {@code 500 MiB}). */
    public static final String FILES = "host.files";

    public static final String MAX_FILE_SIZE = "host.maxFileSize";
    public static final String FILE_QUOTA = "host.fileQuota";

    /**
     * What a hosted room takes in files: each up to {@code maxFileSize} bytes (0: none, file sharing
     * is off), {@code quota} bytes in all ({@link HostConfig#withFiles}).
     */
    public record FileLimits(long maxFileSize, long quota) {
        /** The limits last chosen in the dialog (for a room hosted again on start), else the defaults. */
        public static FileLimits remembered(Settings settings) {
            long max = sizeOr(settings.get(MAX_FILE_SIZE, ""), HostConfig.DEFAULT_MAX_FILE_SIZE);
            long quota = sizeOr(settings.get(FILE_QUOTA, ""), HostConfig.DEFAULT_FILE_QUOTA);
            return new FileLimits(settings.getBoolean(FILES, true) ? Math.max(1, max) : 0, quota);
        }

        private static long sizeOr(String text, long fallback) {
            try {
                return text.isBlank() ? fallback : Sizes.parse(text);
            } catch (IllegalArgumentException e) {
                return fallback; // a damaged setting
            }
        }
    }

    private final Settings settings;
    private final Field roomName;
    private final Field nick;
    private final Field port;
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final BooleanProperty announce = new SimpleBooleanProperty(this, "announce", true);
    private final BooleanProperty files = new SimpleBooleanProperty(this, "files", true);
    private final Field maxFileSize;
    private final Field fileQuota;
    private final BooleanBinding valid;

    public HostViewModel(Settings settings) {
        this(settings, System.getProperty("user.name"));
    }

    /** As {@link #HostViewModel(Settings)}, with {@code userName} as the operating-system user name. */
    HostViewModel(Settings settings, String userName) {
        this.settings = settings;
        announce.set(settings.getBoolean(ANNOUNCE, true));
        files.set(settings.getBoolean(FILES, true));
        maxFileSize = new Field(
                settings.get(MAX_FILE_SIZE, Sizes.text(HostConfig.DEFAULT_MAX_FILE_SIZE)),
                t -> files.get() ? sizeProblem(t, "largest file", 1) : Optional.empty(),
                files);
        fileQuota = new Field(
                settings.get(FILE_QUOTA, Sizes.text(HostConfig.DEFAULT_FILE_QUOTA)),
                t -> files.get() ? sizeProblem(t, "space for files", 0) : Optional.empty(),
                files);
        String lastNick = settings.get(Nicknames.LAST, "");
        nick = new Field(Nicknames.initial(settings, userName), NicknameRules::problem);
        roomName = new Field(
                settings.get("host.room", lastNick.isBlank() ? "" : lastNick + "'s room"), HostViewModel::roomProblem);
        port = new Field(
                settings.get("host.port", Integer.toString(HostConfig.DEFAULT_PORT)), HostViewModel::portProblem);
        valid = Bindings.createBooleanBinding(
                () -> roomName.problemProperty().get().isEmpty()
                        && nick.problemProperty().get().isEmpty()
                        && port.problemProperty().get().isEmpty()
                        && maxFileSize.problemProperty().get().isEmpty()
                        && fileQuota.problemProperty().get().isEmpty(),
                roomName.problemProperty(),
                nick.problemProperty(),
                port.problemProperty(),
                maxFileSize.problemProperty(),
                fileQuota.problemProperty());
    }

    /** A size as typed ({@link Sizes#parse}: {@code 500M}, {@code 4 GiB}) of at least {@code min} bytes. */
    static Optional<String> sizeProblem(String text, String what, long min) {
        if (text == null || text.isBlank()) {
            return Optional.of("Enter the " + what + ", e.g. 500M or 4G.");
        }
        try {
            long bytes = Sizes.parse(text);
            return bytes < min
                    ? Optional.of("The " + what + " must be at least 1 byte (turn file sharing off instead).")
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    public static Optional<String> roomProblem(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of("Give the room a name.");
        }
        if (name.strip().codePointCount(0, name.strip().length()) > MAX_ROOM_NAME) {
            return Optional.of("Room name must be at most " + MAX_ROOM_NAME + " characters.");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("Room name contains a control character.");
        }
        return Optional.empty();
    }

    /** Port rule for hosting: 0 (any free port) to 65535. */
    public static Optional<String> portProblem(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Optional.of("Enter a port (" + HostConfig.DEFAULT_PORT + " is the default, 0 picks a free one).");
        }
        if (t.length() > 5 || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("Port must be a number from 0 to 65535.");
        }
        int p = Integer.parseInt(t);
        return p > 65535 ? Optional.of("Port must be a number from 0 to 65535.") : Optional.empty();
    }

    /** Marks every field touched; true if the form may be submitted. */
    public boolean submit() {
        roomName.touch();
        nick.touch();
        port.touch();
        maxFileSize.touch();
        fileQuota.touch();
        return valid.get();
    }

    /** Saves the values for next time (after a successful start). */
    public void remember() {
        settings.put(Nicknames.LAST, nick.text());
        settings.put("host.room", roomName.text().strip());
        settings.put("host.port", port.text().strip());
        settings.put(ANNOUNCE, Boolean.toString(announce.get()));
        settings.put(FILES, Boolean.toString(files.get()));
        settings.put(MAX_FILE_SIZE, maxFileSize.text().strip());
        settings.put(FILE_QUOTA, fileQuota.text().strip());
    }

    /** The host's failure to start belongs to the port field (in use, not allowed). */
    public void startFailed(String message) {
        port.complain(message);
    }

    public String roomNameValue() {
        return roomName.text().strip();
    }

    public int portValue() {
        return Integer.parseInt(port.text().strip());
    }

    public Field roomName() {
        return roomName;
    }

    public Field nick() {
        return nick;
    }

    public Field port() {
        return port;
    }

    /** The room password; empty = an open room. Not remembered. */
    public StringProperty passwordProperty() {
        return password;
    }

    /** The password to protect the room with, or null for an open room. */
    public String passwordValue() {
        String p = password.get();
        return p == null || p.isEmpty() ? null : p;
    }

    /** Announce the room on the local network (name, nickname, members: visible to anyone on it). */
    public BooleanProperty announceProperty() {
        return announce;
    }

    /** Members may share files in the room (off: {@code confab host --no-files}). */
    public BooleanProperty filesProperty() {
        return files;
    }

    /** The largest file a member may share, as typed ({@code --max-file-size}). */
    public Field maxFileSize() {
        return maxFileSize;
    }

    /** The space for shared files in all, as typed ({@code --file-quota}). */
    public Field fileQuota() {
        return fileQuota;
    }

    /** What the room takes in files, from a valid form. */
    public FileLimits fileLimits() {
        return files.get()
                ? new FileLimits(Sizes.parse(maxFileSize.text()), Sizes.parse(fileQuota.text()))
                : new FileLimits(0, FileLimits.sizeOr(fileQuota.text(), HostConfig.DEFAULT_FILE_QUOTA));
    }

    public BooleanBinding validProperty() {
        return valid;
    }
}
