package org.confab.ui.host;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.confab.core.NicknameRules;
import org.confab.net.HostConfig;
import org.confab.ui.common.Field;
import org.confab.ui.common.Settings;

/**
 * The "Host a room" form: room name, nickname, port, an optional room password, whether to
 * announce it on the local network; validation; remembered values (never the password).
 */
public final class HostViewModel {
    /** Longest room name, in code points. */
    public static final int MAX_ROOM_NAME = 64;

    /** Settings key: announce hosted rooms on the local network (on unless the person turned it off). */
    public static final String ANNOUNCE = "host.announce";

    private final Settings settings;
    private final Field roomName;
    private final Field nick;
    private final Field port;
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final BooleanProperty announce = new SimpleBooleanProperty(this, "announce", true);
    private final BooleanBinding valid;

    public HostViewModel(Settings settings) {
        this.settings = settings;
        announce.set(settings.getBoolean(ANNOUNCE, true));
        String lastNick = settings.get("nick", "");
        nick = new Field(lastNick, NicknameRules::problem);
        roomName = new Field(
                settings.get("host.room", lastNick.isBlank() ? "" : lastNick + "'s room"), HostViewModel::roomProblem);
        port = new Field(
                settings.get("host.port", Integer.toString(HostConfig.DEFAULT_PORT)), HostViewModel::portProblem);
        valid = Bindings.createBooleanBinding(
                () -> roomName.problemProperty().get().isEmpty()
                        && nick.problemProperty().get().isEmpty()
                        && port.problemProperty().get().isEmpty(),
                roomName.problemProperty(),
                nick.problemProperty(),
                port.problemProperty());
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
        return valid.get();
    }

    /** Saves the values for next time (after a successful start). */
    public void remember() {
        settings.put("nick", nick.text());
        settings.put("host.room", roomName.text().strip());
        settings.put("host.port", port.text().strip());
        settings.put(ANNOUNCE, Boolean.toString(announce.get()));
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

    public BooleanBinding validProperty() {
        return valid;
    }
}
