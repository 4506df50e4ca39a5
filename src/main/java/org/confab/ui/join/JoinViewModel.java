package org.confab.ui.join;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.confab.core.Addresses;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.NicknameRules;
import org.confab.net.HostConfig;
import org.confab.net.JoinException;
import org.confab.ui.common.Field;
import org.confab.ui.common.Nicknames;
import org.confab.ui.common.Settings;

/**
 * The "Join a room" form. The host field also takes {@code host:port}, {@code [v6]:port} or a
 * whole {@code confab://} link (then the port field is ignored and updated on {@link #normalize()}).
 * A link's room key ({@code ?fp=}) is kept as the pin for that address, so the join needs no
 * question; it is dropped if the person types another address. The password field appears when
 * the room asks for one. The nickname starts as the one last used, or on a fresh install as one
 * made from the operating-system user name ({@link Nicknames#initial}), so a join needs no typing.
 * Remembers the last values (never the password); turns a
 * {@link JoinException} into a message and the field to fix.
 */
public final class JoinViewModel {
    /** Which input the person should look at after a failure. */
    public enum Focus {
        NONE,
        HOST,
        PORT,
        NICK,
        PASSWORD
    }

    private final Settings settings;
    private final Field host;
    private final Field port;
    private final Field nick;
    private final BooleanBinding valid;
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyObjectWrapper<Focus> focus = new ReadOnlyObjectWrapper<>(this, "focus", Focus.NONE);
    private final ReadOnlyObjectWrapper<InviteLink> pinned = new ReadOnlyObjectWrapper<>(this, "pinned");
    private final StringProperty password = new SimpleStringProperty(this, "password", "");
    private final ReadOnlyBooleanWrapper passwordShown = new ReadOnlyBooleanWrapper(this, "passwordShown", false);
    private final ReadOnlyStringWrapper passwordError = new ReadOnlyStringWrapper(this, "passwordError", "");

    public JoinViewModel(Settings settings) {
        this(settings, System.getProperty("user.name"));
    }

    /** As {@link #JoinViewModel(Settings)}, with {@code userName} as the operating-system user name. */
    JoinViewModel(Settings settings, String userName) {
        this.settings = settings;
        host = new Field(settings.get("join.host", ""), JoinViewModel::hostProblem);
        port = new Field(
                settings.get("join.port", Integer.toString(HostConfig.DEFAULT_PORT)),
                t -> portProblem(host.text(), t),
                host.textProperty()); // a port typed in the host field wins over the port field
        nick = new Field(Nicknames.initial(settings, userName), NicknameRules::problem);
        valid = Bindings.createBooleanBinding(
                () -> host.problemProperty().get().isEmpty()
                        && port.problemProperty().get().isEmpty()
                        && nick.problemProperty().get().isEmpty(),
                host.problemProperty(),
                port.problemProperty(),
                nick.problemProperty());
        host.textProperty().addListener((o, a, b) -> error.set(""));
        port.textProperty().addListener((o, a, b) -> error.set(""));
        nick.textProperty().addListener((o, a, b) -> error.set(""));
        password.addListener((o, a, b) -> {
            error.set("");
            passwordError.set("");
        });
    }

    /** Prefills from an invitation link (and pins its key and further addresses, if it names them). */
    public void prefill(InviteLink link) {
        pinned.set(link.fingerprint() == null && link.alternates().isEmpty() ? null : link);
        host.textProperty().set(Addresses.bracketed(link.host()));
        port.textProperty().set(Integer.toString(link.port()));
    }

    /** The person checked the room's safety code: join this address with that key from now on. */
    public void pin(Fingerprint fp) {
        pinned.set(target().withFingerprint(fp));
    }

    static Optional<String> hostProblem(String text) {
        try {
            InviteLink.parseAddress(text, HostConfig.DEFAULT_PORT);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    static Optional<String> portProblem(String hostText, String portText) {
        if (hostNamesPort(hostText)) {
            return Optional.empty();
        }
        try {
            InviteLink.parsePort(portText);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** True if the host text already carries a port ("host:port", "[v6]:port", a link). */
    static boolean hostNamesPort(String hostText) {
        try {
            return InviteLink.parseAddress(hostText, -1) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Where to connect: the host text parsed with the port field as default port.
     *
     * @throws IllegalArgumentException with a sentence, if the inputs are not valid
     */
    public InviteLink target() {
        InviteLink t = hostNamesPort(host.text())
                ? InviteLink.parseAddress(host.text(), -1)
                : InviteLink.parseAddress(host.text(), InviteLink.parsePort(port.text()));
        if (t.fingerprint() != null || !t.alternates().isEmpty()) {
            return t;
        }
        InviteLink pin = pinned.get(); // the link the fields came from: its key and its other addresses
        return pin != null && pin.sameAddress(t)
                ? t.withFingerprint(pin.fingerprint()).withAlternates(pin.alternates())
                : t;
    }

    /** The password to send, or null (none typed, or the room has not asked for one). */
    public String passwordValue() {
        String p = password.get();
        return !passwordShown.get() || p == null || p.isEmpty() ? null : p;
    }

    /** Splits a pasted "host:port" (or link) into the two fields. */
    public void normalize() {
        if (hostNamesPort(host.text())) {
            InviteLink t = InviteLink.parseAddress(host.text(), -1);
            if (t.fingerprint() != null || !t.alternates().isEmpty()) {
                pinned.set(t);
            }
            port.textProperty().set(Integer.toString(t.port()));
            host.textProperty().set(Addresses.bracketed(t.host()));
        }
    }

    /** Marks every field touched; true if the form may be submitted. */
    public boolean submit() {
        host.touch();
        port.touch();
        nick.touch();
        error.set("");
        focus.set(Focus.NONE);
        if (!valid.get()) {
            focus.set(
                    !host.problemProperty().get().isEmpty()
                            ? Focus.HOST
                            : !port.problemProperty().get().isEmpty() ? Focus.PORT : Focus.NICK);
            return false;
        }
        return true;
    }

    /** Saves host, port and nickname for next time. */
    public void remember() {
        InviteLink t = target();
        settings.put("join.host", Addresses.bracketed(t.host()));
        settings.put("join.port", Integer.toString(t.port()));
        settings.put(Nicknames.LAST, nick.text());
    }

    /** Shows why joining failed, and where to fix it. */
    public void failed(JoinException.Reason reason, String message) {
        error.set(message == null || message.isBlank() ? "Could not join." : message);
        switch (reason) {
            case NICK_TAKEN -> {
                String taken = nick.text();
                nick.textProperty().set(suggestNick(taken));
                nick.complain("\"" + taken + "\" is taken in this room. How about \"" + nick.text() + "\"?");
                error.set(message);
                focus.set(Focus.NICK);
            }
            case NICK_INVALID -> {
                nick.complain(message);
                focus.set(Focus.NICK);
            }
            case PASSWORD_REQUIRED -> {
                error.set("");
                passwordShown.set(true);
                focus.set(Focus.PASSWORD);
            }
            case BAD_PASSWORD -> {
                error.set("");
                passwordShown.set(true);
                passwordError.set("Wrong password. Check it with the host and try again.");
                focus.set(Focus.PASSWORD);
            }
            case THROTTLED -> {
                error.set("");
                passwordShown.set(true);
                passwordError.set(
                        message == null || message.isBlank()
                                ? "Too many wrong passwords. Wait a little before trying again."
                                : message);
                focus.set(Focus.PASSWORD);
            }
            case NOT_ENCRYPTED -> {
                error.set("The host did not answer with encryption, so Confab did not join. It may run without"
                        + " encryption (--insecure), or it is not a Confab room. Ask the host.");
                focus.set(Focus.NONE);
            }
            case UNKNOWN_HOST, UNREACHABLE -> focus.set(Focus.HOST);
            case REFUSED -> focus.set(Focus.PORT);
            default -> focus.set(Focus.NONE);
        }
    }

    /** The person did not trust the room's key (first visit, or a changed key): nothing was sent. */
    public void keyNotTrusted(boolean changed) {
        error.set(
                changed
                        ? "Not joined: the room's key has changed. Ask the host to read you its safety code."
                        : "Not joined: you did not trust the room's safety code.");
        focus.set(Focus.NONE);
    }

    /** "alice" -> "alice2", "alice2" -> "alice3", kept within the length limit. */
    public static String suggestNick(String taken) {
        String base = taken == null ? "" : taken.strip();
        int end = base.length();
        while (end > 0 && Character.isDigit(base.charAt(end - 1))) {
            end--;
        }
        long n = 2;
        if (end < base.length()) {
            try {
                n = Long.parseLong(base.substring(end)) + 1;
            } catch (NumberFormatException e) {
                n = 2;
            }
        }
        String stem = base.substring(0, end);
        if (stem.isEmpty()) {
            stem = base.isEmpty() ? "guest" : base + "_";
            n = 2;
        }
        String suffix = Long.toString(n);
        int room = NicknameRules.MAX_LENGTH - suffix.length();
        if (stem.codePointCount(0, stem.length()) > room) {
            stem = stem.substring(0, stem.offsetByCodePoints(0, room));
        }
        return stem.strip() + suffix;
    }

    public Field host() {
        return host;
    }

    public Field port() {
        return port;
    }

    public Field nick() {
        return nick;
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Focus> focusProperty() {
        return focus.getReadOnlyProperty();
    }

    /** The link (address + key, and further addresses) pinned by an invite link or a confirmed safety code, or null. */
    public ReadOnlyObjectProperty<InviteLink> pinnedProperty() {
        return pinned.getReadOnlyProperty();
    }

    public StringProperty passwordProperty() {
        return password;
    }

    /** True once the room said it needs a password. */
    public ReadOnlyBooleanProperty passwordShownProperty() {
        return passwordShown.getReadOnlyProperty();
    }

    /** "Wrong password", or how long to wait; "" when fine. */
    public ReadOnlyStringProperty passwordErrorProperty() {
        return passwordError.getReadOnlyProperty();
    }
}
