package org.confab.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
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
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.confab.core.ChatMessage;
import org.confab.core.InviteLink;
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.net.RoomListener;
import org.confab.protocol.Message;

/**
 * State of one room as this member sees it: the message list, the members, the connection state
 * and the draft. Fed by {@link FxBridge} batches ({@link #apply}), on the FX thread. Knows no
 * controls; tested without the toolkit.
 */
public final class RoomViewModel {
    /** Connection state shown in the title, the banner and the status bar. */
    public enum State { CONNECTED, RECONNECTING, DISCONNECTED, LEFT }

    /** Messages from one sender closer together than this are grouped under one name. */
    static final Duration GROUP_WINDOW = Duration.ofMinutes(5);

    private final ObservableList<ChatItem> messages = FXCollections.observableArrayList();
    private final ObservableList<String> members = FXCollections.observableArrayList();
    private final ObservableList<ChatItem> messagesView = FXCollections.unmodifiableObservableList(messages);
    private final ObservableList<String> membersView = FXCollections.unmodifiableObservableList(members);
    private final ReadOnlyStringWrapper roomName = new ReadOnlyStringWrapper(this, "roomName", "");
    private final ReadOnlyStringWrapper nick = new ReadOnlyStringWrapper(this, "nick", "");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.CONNECTED);
    private final ReadOnlyStringWrapper disconnectText = new ReadOnlyStringWrapper(this, "disconnectText", "");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Confab");
    private final ReadOnlyBooleanWrapper hosting = new ReadOnlyBooleanWrapper(this, "hosting", false);
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper(this, "lastError", "");
    private final StringProperty draft = new SimpleStringProperty(this, "draft", "");
    private final BooleanBinding canSend;
    private final Set<String> seenIds = new HashSet<>();
    private final Executor background;
    private final ReadOnlyObjectWrapper<InviteLink> address = new ReadOnlyObjectWrapper<>(this, "address");
    private final List<FxBridge.Update> early = new ArrayList<>();
    private boolean awaitingWelcome = true;
    private final java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    private java.time.LocalDate lastDay;
    private RoomSession session;
    private final ReadOnlyObjectWrapper<org.confab.core.Fingerprint> fingerprint = new ReadOnlyObjectWrapper<>(this, "fingerprint");
    private final ReadOnlyBooleanWrapper passwordProtected = new ReadOnlyBooleanWrapper(this, "passwordProtected", false);
    private final ReadOnlyStringWrapper securityText = new ReadOnlyStringWrapper(this, "securityText", "Not encrypted");

    /**
     * @param hosting    true if this app hosts the room
     * @param background runs the blocking {@link RoomSession#leave()}
     */
    public RoomViewModel(boolean hosting, Executor background) {
        this.background = Objects.requireNonNull(background, "background");
        this.hosting.set(hosting);
        title.bind(Bindings.createStringBinding(() -> {
            String name = roomName.get().isBlank() ? "Room" : roomName.get();
            String suffix = switch (state.get()) {
                case CONNECTED, LEFT -> "";
                case RECONNECTING -> " (reconnecting…)";
                case DISCONNECTED -> " (disconnected)";
            };
            return name + suffix + " — Confab";
        }, roomName, state));
        canSend = Bindings.createBooleanBinding(
                () -> state.get() == State.CONNECTED && !draft.get().isBlank(), state, draft);
    }

    /**
     * Starts (or resumes after a reconnect) with a fresh connection and its welcome. Updates that
     * arrived before (the bridge may beat the join's completion to the FX thread) are applied after
     * the welcome's history, in order.
     */
    public void attach(RoomSession session, Message.Welcome welcome, InviteLink where) {
        boolean resumed = this.session != null;
        this.session = Objects.requireNonNull(session, "session");
        address.set(Objects.requireNonNull(where, "where"));
        roomName.set(welcome.room());
        nick.set(welcome.you());
        members.setAll(welcome.members());
        disconnectText.set("");
        List<ChatItem> batch = new ArrayList<>();
        if (resumed) {
            batch.add(new ChatItem.Notice(0, ChatItem.Notice.Kind.INFO, "Reconnected as " + welcome.you() + ".", Instant.now()));
        }
        for (RoomEvent e : welcome.history()) {
            toItem(e, batch);
        }
        append(batch);
        state.set(State.CONNECTED);
        awaitingWelcome = false;
        if (!early.isEmpty()) {
            List<FxBridge.Update> replay = List.copyOf(early);
            early.clear();
            apply(replay);
        }
    }

    /**
     * How the connection is protected: the room's key (null = plain TCP, not encrypted) and
     * whether the room has a password.
     */
    public void security(org.confab.core.Fingerprint key, boolean password) {
        fingerprint.set(key);
        passwordProtected.set(password);
        securityText.set(key == null ? "Not encrypted" : "Encrypted · safety code " + key.safetyCode());
    }

    /** Applies one bridge batch: one {@code addAll} on the message list. */
    public void apply(List<FxBridge.Update> updates) {
        if (awaitingWelcome) {
            early.addAll(updates);
            return;
        }
        List<ChatItem> batch = new ArrayList<>(updates.size());
        for (FxBridge.Update u : updates) {
            switch (u) {
                case FxBridge.Update.Event e -> {
                    updateMembers(e.event());
                    toItem(e.event(), batch);
                }
                case FxBridge.Update.Error e -> {
                    lastError.set(e.text());
                    batch.add(new ChatItem.Notice(0, ChatItem.Notice.Kind.WARNING, e.text(), Instant.now()));
                }
                case FxBridge.Update.Disconnected d -> disconnected(d.why(), batch);
            }
        }
        append(batch);
    }

    /** Sends the draft; true if it was queued (then the draft is cleared). */
    public boolean send() {
        String text = draft.get();
        if (!canSend.get() || session == null) {
            return false;
        }
        String trimmed = text.strip();
        if (trimmed.length() > Room.MAX_MESSAGE_LENGTH) {
            lastError.set("Message too long: at most " + Room.MAX_MESSAGE_LENGTH + " characters.");
            return false;
        }
        if (!session.send(trimmed)) {
            lastError.set("Could not send: not connected.");
            return false;
        }
        lastError.set("");
        draft.set("");
        return true;
    }

    /** Leaves the room (orderly, off the FX thread). */
    public void leave() {
        RoomSession s = session;
        state.set(State.LEFT);
        if (s != null) {
            background.execute(s::leave);
        }
    }

    /** Marks a reconnect attempt as under way. */
    public void reconnecting() {
        awaitingWelcome = true;
        early.clear();
        state.set(State.RECONNECTING);
    }

    /** A reconnect attempt failed with this reason. */
    public void reconnectFailed(String why) {
        disconnectText.set(why);
        state.set(State.DISCONNECTED);
    }

    private void disconnected(RoomListener.Disconnect why, List<ChatItem> batch) {
        if (state.get() == State.LEFT) {
            return;
        }
        String text = switch (why.kind()) {
            case LEFT -> "You left the room.";
            case ROOM_CLOSED -> why.text() == null || why.text().isBlank() ? "The host closed the room." : why.text();
            default -> why.text();
        };
        disconnectText.set(text);
        members.clear();
        batch.add(new ChatItem.Notice(0, ChatItem.Notice.Kind.WARNING, text, Instant.now()));
        state.set(State.DISCONNECTED);
    }

    private void updateMembers(RoomEvent e) {
        switch (e) {
            case RoomEvent.Joined j -> {
                if (members.stream().noneMatch(m -> sameNick(m, j.nick()))) {
                    members.add(j.nick());
                }
            }
            case RoomEvent.Left l -> members.removeIf(m -> sameNick(m, l.nick()));
            case RoomEvent.Renamed r -> {
                for (int i = 0; i < members.size(); i++) {
                    if (sameNick(members.get(i), r.oldNick())) {
                        members.set(i, r.newNick());
                    }
                }
                if (sameNick(nick.get(), r.oldNick())) {
                    nick.set(r.newNick());
                }
            }
            case RoomEvent.Posted p -> { }
        }
    }

    private void toItem(RoomEvent e, List<ChatItem> batch) {
        if (!seenIds.add(e.id())) {
            return; // already shown (history resent after a reconnect)
        }
        java.time.LocalDate day = java.time.LocalDate.ofInstant(e.time(), zone);
        if (!day.equals(lastDay)) {
            lastDay = day;
            batch.add(new ChatItem.Day(day, zone));
        }
        switch (e) {
            case RoomEvent.Posted p -> {
                ChatMessage m = p.message();
                ChatItem previous = batch.isEmpty() ? (messages.isEmpty() ? null : messages.getLast()) : batch.getLast();
                boolean continued = previous instanceof ChatItem.Message pm && sameNick(pm.sender(), m.sender())
                        && Duration.between(pm.time(), m.time()).compareTo(GROUP_WINDOW) < 0;
                batch.add(new ChatItem.Message(m.seq(), m.id(), m.sender(), m.text(), m.time(),
                        sameNick(m.sender(), nick.get()), continued));
            }
            case RoomEvent.Joined j -> batch.add(new ChatItem.Notice(j.seq(), ChatItem.Notice.Kind.JOINED,
                    (sameNick(j.nick(), nick.get()) ? "You joined" : j.nick() + " joined") + " the room", j.time()));
            case RoomEvent.Left l -> batch.add(new ChatItem.Notice(l.seq(), ChatItem.Notice.Kind.LEFT,
                    l.nick() + " left" + (l.reason() == null || l.reason().isBlank() || l.reason().equals("left")
                            ? "" : " (" + l.reason() + ")"), l.time()));
            case RoomEvent.Renamed r -> batch.add(new ChatItem.Notice(r.seq(), ChatItem.Notice.Kind.RENAMED,
                    r.oldNick() + " is now " + r.newNick(), r.time()));
        }
    }

    private void append(List<ChatItem> batch) {
        if (!batch.isEmpty()) {
            messages.addAll(batch);
        }
    }

    private static boolean sameNick(String a, String b) {
        return a != null && b != null && NicknameRules.key(a).equals(NicknameRules.key(b));
    }

    /** True if {@code sender} is this member (case- and form-folded). */
    public boolean isMe(String sender) {
        return sameNick(sender, nick.get());
    }

    public ObservableList<ChatItem> messages() { return messagesView; }

    public ObservableList<String> members() { return membersView; }

    public ReadOnlyObjectProperty<InviteLink> addressProperty() { return address.getReadOnlyProperty(); }

    public InviteLink address() { return address.get(); }

    public ReadOnlyStringProperty roomNameProperty() { return roomName.getReadOnlyProperty(); }

    public ReadOnlyStringProperty nickProperty() { return nick.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }

    public ReadOnlyStringProperty disconnectTextProperty() { return disconnectText.getReadOnlyProperty(); }

    public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty hostingProperty() { return hosting.getReadOnlyProperty(); }

    public ReadOnlyStringProperty lastErrorProperty() { return lastError.getReadOnlyProperty(); }

    public StringProperty draftProperty() { return draft; }

    /** The room's key; null when the connection is not encrypted. */
    public ReadOnlyObjectProperty<org.confab.core.Fingerprint> fingerprintProperty() { return fingerprint.getReadOnlyProperty(); }

    public ReadOnlyBooleanProperty passwordProtectedProperty() { return passwordProtected.getReadOnlyProperty(); }

    /** "Encrypted · safety code 03941 …" or "Not encrypted". */
    public ReadOnlyStringProperty securityTextProperty() { return securityText.getReadOnlyProperty(); }

    public BooleanBinding canSendProperty() { return canSend; }
}
