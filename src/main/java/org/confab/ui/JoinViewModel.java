package org.confab.ui;

import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.confab.core.InviteLink;
import org.confab.core.NicknameRules;
import org.confab.net.HostConfig;
import org.confab.net.JoinException;

/**
 * The "Join a room" form. The host field also takes {@code host:port}, {@code [v6]:port} or a
 * whole {@code confab://} link (then the port field is ignored and updated on {@link #normalize()}).
 * Remembers the last values; turns a {@link JoinException} into a message and the field to fix.
 */
public final class JoinViewModel {
    /** Which input the person should look at after a failure. */
    public enum Focus { NONE, HOST, PORT, NICK }

    private final Settings settings;
    private final Field host;
    private final Field port;
    private final Field nick;
    private final BooleanBinding valid;
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyObjectWrapper<Focus> focus = new ReadOnlyObjectWrapper<>(this, "focus", Focus.NONE);

    public JoinViewModel(Settings settings) {
        this.settings = settings;
        host = new Field(settings.get("join.host", ""), JoinViewModel::hostProblem);
        port = new Field(settings.get("join.port", Integer.toString(HostConfig.DEFAULT_PORT)), t -> portProblem(host.text(), t),
                host.textProperty()); // a port typed in the host field wins over the port field
        nick = new Field(settings.get("nick", ""), NicknameRules::problem);
        valid = Bindings.createBooleanBinding(
                () -> host.problemProperty().get().isEmpty() && port.problemProperty().get().isEmpty()
                        && nick.problemProperty().get().isEmpty(),
                host.problemProperty(), port.problemProperty(), nick.problemProperty());
        host.textProperty().addListener((o, a, b) -> error.set(""));
        port.textProperty().addListener((o, a, b) -> error.set(""));
        nick.textProperty().addListener((o, a, b) -> error.set(""));
    }

    /** Prefills from an invitation link. */
    public void prefill(InviteLink link) {
        host.textProperty().set(link.isIpv6() ? "[" + link.host() + "]" : link.host());
        port.textProperty().set(Integer.toString(link.port()));
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
        if (hostNamesPort(host.text())) {
            return InviteLink.parseAddress(host.text(), -1);
        }
        return InviteLink.parseAddress(host.text(), InviteLink.parsePort(port.text()));
    }

    /** Splits a pasted "host:port" (or link) into the two fields. */
    public void normalize() {
        if (hostNamesPort(host.text())) {
            InviteLink t = InviteLink.parseAddress(host.text(), -1);
            port.textProperty().set(Integer.toString(t.port()));
            host.textProperty().set(t.isIpv6() ? "[" + t.host() + "]" : t.host());
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
            focus.set(!host.problemProperty().get().isEmpty() ? Focus.HOST
                    : !port.problemProperty().get().isEmpty() ? Focus.PORT : Focus.NICK);
            return false;
        }
        return true;
    }

    /** Saves host, port and nickname for next time. */
    public void remember() {
        InviteLink t = target();
        settings.put("join.host", t.isIpv6() ? "[" + t.host() + "]" : t.host());
        settings.put("join.port", Integer.toString(t.port()));
        settings.put("nick", nick.text());
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
            case UNKNOWN_HOST, UNREACHABLE -> focus.set(Focus.HOST);
            case REFUSED -> focus.set(Focus.PORT);
            default -> focus.set(Focus.NONE);
        }
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

    public Field host() { return host; }

    public Field port() { return port; }

    public Field nick() { return nick; }

    public BooleanBinding validProperty() { return valid; }

    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Focus> focusProperty() { return focus.getReadOnlyProperty(); }
}
