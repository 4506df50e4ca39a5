package org.confab.ui.room;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import org.confab.core.ChatMessage;
import org.confab.core.Fingerprint;
import org.confab.core.InviteLink;
import org.confab.core.Moderation;
import org.confab.core.NicknameRules;
import org.confab.core.Room;
import org.confab.core.RoomEvent;
import org.confab.core.SlashCommands;
import org.confab.net.Disconnect;
import org.confab.net.FileTransfers;
import org.confab.net.Joined;
import org.confab.net.RoomConnection.MessageState;
import org.confab.store.AppDirs;
import org.confab.store.OutboxEntry;
import org.confab.store.StoredEvent;

/**
 * State of one room as this member sees it: the message list, the members, the connection state
 * and the draft. Fed by {@link FxBridge} batches ({@link #apply}), on the FX thread. Knows no
 * controls; tested without the toolkit.
 */
public final class RoomViewModel {
    /** What a message in this room may do while the person is not looking: notify, or only count. */
    public enum Alerts {
        /** Every message notifies. */
        ALL,
        /** Only messages that name this member notify. */
        MENTIONS,
        /** Nothing notifies; unread messages are still counted (quietly). */
        MUTED
    }

    /** A message from someone else that came while the room was not in front of the person. */
    public record Arrival(String sender, String text, boolean mention) {}

    /** Connection state shown in the title, the banner and the status bar. */
    public enum State {
        CONNECTED,
        RECONNECTING,
        DISCONNECTED,
        LEFT
    }

    /**
     * Rows the list keeps while the person follows the newest messages: older rows leave the list
     * (memory stays bounded however long the room runs) and come back on demand from the history
     * cache ({@link #loadEarlier}).
     */
    public static final int WINDOW = 5_000;
    /** Rows fetched by one {@link #loadEarlier}. */
    public static final int PAGE = 200;

    /** Messages from one sender closer together than this are grouped under one name. */
    static final Duration GROUP_WINDOW = Duration.ofMinutes(5);

    private final ObservableList<ChatItem> messages = FXCollections.observableArrayList();
    private final ObservableList<String> members = FXCollections.observableArrayList();
    private final ObservableList<ChatItem> messagesView = FXCollections.unmodifiableObservableList(messages);
    private final ObservableList<String> membersView = FXCollections.unmodifiableObservableList(members);
    private final ReadOnlyStringWrapper roomName = new ReadOnlyStringWrapper(this, "roomName", "");
    private final ReadOnlyStringWrapper nick = new ReadOnlyStringWrapper(this, "nick", "");
    private final ReadOnlyStringWrapper topic = new ReadOnlyStringWrapper(this, "topic", "");
    /** The member this conversation is with (a direct conversation), or null: the room itself. */
    private final ReadOnlyStringWrapper directWith = new ReadOnlyStringWrapper(this, "directWith", null);
    /** The room's name, for a direct conversation's header ("in Lunch"). */
    private final ReadOnlyStringWrapper inRoom = new ReadOnlyStringWrapper(this, "inRoom", "");
    /** Members not online (away, dnd), by folded nickname. */
    private final ObservableMap<String, Joined.Status> statuses = FXCollections.observableHashMap();

    private final ObservableMap<String, Joined.Status> statusesView = FXCollections.unmodifiableObservableMap(statuses);
    /** How far each member has read (read receipts), by folded nickname. */
    private final Map<String, Long> reads = new HashMap<>();
    /** Changes whenever a read mark does: the view redraws the marks of our messages. */
    private final ReadOnlyIntegerWrapper readsVersion = new ReadOnlyIntegerWrapper(this, "readsVersion", 0);
    /** Whether this member sends read receipts (Settings › Privacy). */
    private final BooleanProperty sendReceipts = new SimpleBooleanProperty(this, "sendReceipts", true);
    /** What /away, /dnd and /back do (the window applies them to every room); by default this room's connection. */
    private BiConsumer<String, String> presenceRequest = null;
    /** Direct conversations of this room: they get every update after this view model. */
    private final List<RoomViewModel> followers = new ArrayList<>();
    /** The connection's file transfers: a direct conversation shares its room's ({@link #follow}). */
    private RoomFiles files;
    /** Told (room view models only) of the other member of each direct message that arrives. */
    private BiConsumer<String, Long> onDirect = (who, seq) -> {};
    /** Members with a role (host, moderator), by folded nickname; the rest are members. */
    private final ObservableMap<String, Moderation.Role> roles = FXCollections.observableHashMap();
    /** One read-only view (its listeners live as long as it does). */
    private final ObservableMap<String, Moderation.Role> rolesView = FXCollections.unmodifiableObservableMap(roles);

    private final ReadOnlyObjectWrapper<Moderation.Role> myRole =
            new ReadOnlyObjectWrapper<>(this, "myRole", Moderation.Role.MEMBER);
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.CONNECTED);
    private final ReadOnlyStringWrapper disconnectText = new ReadOnlyStringWrapper(this, "disconnectText", "");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Confab");
    private final ReadOnlyBooleanWrapper hosting = new ReadOnlyBooleanWrapper(this, "hosting", false);
    private final ReadOnlyStringWrapper lastError = new ReadOnlyStringWrapper(this, "lastError", "");
    private final StringProperty draft = new SimpleStringProperty(this, "draft", "");
    private final ReadOnlyIntegerWrapper unread = new ReadOnlyIntegerWrapper(this, "unread", 0);
    /** How many members the room has: the list's size, or (a big room whose list is not loaded) what the host said. */
    private final ReadOnlyIntegerWrapper memberTotal = new ReadOnlyIntegerWrapper(this, "memberTotal", 0);
    /** False in a big room whose member list is not loaded (docs/protocol.md §20): {@link #members()} names only you. */
    private final ReadOnlyBooleanWrapper membersComplete = new ReadOnlyBooleanWrapper(this, "membersComplete", true);
    /** A {@link #showAllMembers} is on its way; guards a second click. */
    private boolean membersAsked;

    private final ReadOnlyIntegerWrapper mentions = new ReadOnlyIntegerWrapper(this, "mentions", 0);
    /** The person has this room in front of them (shown, and the window focused): nothing is unread. */
    private boolean seen = true;

    private final ObjectProperty<Alerts> alerts = new SimpleObjectProperty<>(this, "alerts", Alerts.ALL);
    private Consumer<Arrival> onArrival = a -> {};
    /** A renamed member's colour: its first name here (keyed by the folded nickname). */
    private final Map<String, String> colourSeeds = new HashMap<>();
    /** When the room last left the person's view. */
    private Instant awayAt;
    /** The "New since" row for this time away is in the list (the first unread message got it). */
    private boolean markerPlaced;

    private final BooleanBinding canSend;
    /** Rows kept while following the bottom; twice that while the person reads further up. */
    private int window = WINDOW;

    private boolean following = true;
    private boolean loadingEarlier;
    /** Older room rows exist than the list shows (trimmed, or a cache longer than what was shown). */
    private final ReadOnlyBooleanWrapper earlierAvailable = new ReadOnlyBooleanWrapper(this, "earlierAvailable", false);
    /** At most this many changes wait for rows not in the list ({@link #applyChange}). */
    private static final int MAX_ORPHANS = 2048;
    /** Edits, deletions and reactions of messages older than the list, by message seq, in order. */
    private final Map<Long, List<RoomEvent>> orphanChanges = new HashMap<>();
    /** The message the composer answers (a reply), or null. */
    private final ObjectProperty<ChatItem.Message> replyingTo = new SimpleObjectProperty<>(this, "replyingTo");
    /** The message the composer changes (an edit of our own), or null. */
    private final ObjectProperty<ChatItem.Message> editing = new SimpleObjectProperty<>(this, "editing");

    /** The newest seq shown: events come in seq order, anything not newer is already in the list. */
    private long lastSeq;
    /**
     * How many rows at the end of the list are our own messages not yet in the room's sequence
     * (pending, sent, failed). Room events are inserted above them, so they stay at the bottom
     * until their echo replaces them.
     */
    private int tail;

    private final ReadOnlyObjectWrapper<Instant> reconnectAt = new ReadOnlyObjectWrapper<>(this, "reconnectAt");
    private final ReadOnlyStringWrapper bannerTitle = new ReadOnlyStringWrapper(this, "bannerTitle", "");
    private final Executor background;
    private final ReadOnlyObjectWrapper<InviteLink> address = new ReadOnlyObjectWrapper<>(this, "address");
    private final List<FxBridge.Update> early = new ArrayList<>();
    private boolean awaitingWelcome = true;
    private final ZoneId zone = ZoneId.systemDefault();
    private LocalDate lastDay;
    private RoomActions session;
    private final ReadOnlyObjectWrapper<Fingerprint> fingerprint = new ReadOnlyObjectWrapper<>(this, "fingerprint");
    private final ReadOnlyBooleanWrapper passwordProtected =
            new ReadOnlyBooleanWrapper(this, "passwordProtected", false);
    private final ReadOnlyStringWrapper securityText = new ReadOnlyStringWrapper(this, "securityText", "Not encrypted");

    /**
     * @param hosting    true if this app hosts the room
     * @param background runs the blocking {@link RoomActions#leave()}
     */
    public RoomViewModel(boolean hosting, Executor background) {
        this.background = Objects.requireNonNull(background, "background");
        this.files = new RoomFiles(background, Platform::runLater, AppDirs::downloads, () -> 0);
        files.onProblem(this::note);
        this.hosting.set(hosting);
        members.addListener((ListChangeListener<String>) c -> {
            if (membersComplete.get()) {
                memberTotal.set(members.size());
            }
        });
        title.bind(Bindings.createStringBinding(
                () -> {
                    String name = roomName.get().isBlank() ? "Room" : roomName.get();
                    String suffix = switch (state.get()) {
                        case CONNECTED, LEFT -> "";
                        case RECONNECTING -> " (reconnecting…)";
                        case DISCONNECTED -> " (disconnected)";
                    };
                    return name + suffix + " — Confab";
                },
                roomName,
                state));
        // offline writing: while reconnecting, messages wait in the outbox
        canSend = Bindings.createBooleanBinding(() -> canWrite() && !draft.get().isBlank(), state, draft);
        state.addListener((o, was, now) -> tick(Instant.now()));
    }

    /** The composer takes messages: connected, or reconnecting (they wait in the outbox). */
    public boolean canWrite() {
        return state.get() == State.CONNECTED || state.get() == State.RECONNECTING;
    }

    /** The reconnecting banner's title for an attempt due at {@code at} (null: one is under way). */
    static String countdownTitle(Instant at, Instant now) {
        if (at == null) {
            return "Connecting…";
        }
        long ms = Duration.between(now, at).toMillis();
        if (ms <= 0) {
            return "Connection lost — reconnecting…";
        }
        long s = (ms + 999) / 1000;
        return "Connection lost — reconnecting in " + s + " s";
    }

    /** Updates the banner title for {@code now} (the view calls this a few times a second while reconnecting). */
    public void tick(Instant now) {
        bannerTitle.set(
                switch (state.get()) {
                    case RECONNECTING -> countdownTitle(reconnectAt.get(), now);
                    case DISCONNECTED, LEFT -> "You are disconnected";
                    case CONNECTED -> "";
                });
    }

    /**
     * Opens the room on a lasting connection ({@link RoomConnection}), before or after it joined:
     * shows what this member saw last time ({@code cached}, oldest first) and what it wrote that is
     * not delivered yet ({@code pending}) at once. The network's updates (the bridge) follow and
     * continue the list without duplicates (by {@code seq}); updates that arrived before are
     * applied now.
     *
     * @param connected true if the connection has joined already (else: "connecting…")
     */
    public void open(
            RoomActions session,
            InviteLink where,
            String name,
            List<StoredEvent> cached,
            List<OutboxEntry> pending,
            boolean connected) {
        this.session = Objects.requireNonNull(session, "session");
        address.set(Objects.requireNonNull(where, "where"));
        if (directWith.get() != null) {
            name = directWith.get();
        }
        if (name != null && roomName.get().isBlank()) {
            roomName.set(name);
        }
        nick.set(session.nick());
        List<ChatItem> batch = new ArrayList<>();
        for (StoredEvent e : cached) {
            toItem(e.event(), e.cid(), batch);
        }
        insert(batch);
        updateEarlier();
        for (OutboxEntry e : pending) {
            if (directWith.get() == null ? e.to() != null : !sameNick(e.to(), directWith.get())) {
                continue; // another conversation's
            }
            addPending(
                    e.cid(),
                    e.text(),
                    e.created(),
                    e.replyTo() > 0
                            ? new ChatItem.Extras(e.replyTo(), null, null, false, false, List.of())
                            : ChatItem.Extras.NONE);
        }
        awaitingWelcome = false;
        reconnectAt.set(null);
        state.set(connected ? State.CONNECTED : State.RECONNECTING);
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
    public void security(Fingerprint key, boolean password) {
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
                    int before = batch.size();
                    toItem(e.event(), e.cid(), batch);
                    if (batch.size() > before && batch.getLast() instanceof ChatItem.Message m && !m.own()) {
                        arrived(m, batch);
                    }
                }
                case FxBridge.Update.Error e -> {
                    lastError.set(e.text());
                    batch.add(new ChatItem.Notice(0, ChatItem.Notice.Kind.WARNING, e.text(), Instant.now()));
                }
                case FxBridge.Update.Disconnected d -> disconnected(d.why(), batch);
                case FxBridge.Update.Connected c -> {
                    Joined w = c.joined();
                    roomName.set(w.room());
                    nick.set(w.you());
                    membersComplete.set(w.complete());
                    members.setAll(w.members());
                    memberTotal.set(w.memberCount());
                    topic.set(w.topic());
                    statuses.clear();
                    w.presence().forEach((who, st) -> statuses.put(NicknameRules.key(who), st));
                    reads.clear();
                    w.reads().forEach((who, seq) -> reads.put(NicknameRules.key(who), seq));
                    readsVersion.set(readsVersion.get() + 1);
                    roles.clear();
                    w.roles().forEach((who, role) -> roles.put(NicknameRules.key(who), Moderation.Role.fromWire(role)));
                    updateMyRole();
                    disconnectText.set("");
                    reconnectAt.set(null);
                    state.set(State.CONNECTED);
                }
                case FxBridge.Update.Resumed r -> {
                    if (r.gap()) {
                        batch.add(new ChatItem.Notice(
                                0,
                                ChatItem.Notice.Kind.WARNING,
                                "Some older messages could not be recovered.",
                                Instant.now()));
                    }
                }
                case FxBridge.Update.HistoryReset _ -> {
                    insert(batch);
                    batch.clear();
                    clearConfirmed();
                }
                case FxBridge.Update.Reconnecting r -> {
                    if (state.get() == State.LEFT || state.get() == State.DISCONNECTED) {
                        break;
                    }
                    disconnectText.set(r.reason() == null ? "" : r.reason());
                    reconnectAt.set(Instant.now().plusMillis(r.delayMillis()));
                    members.clear();
                    state.set(State.RECONNECTING);
                    tick(Instant.now());
                }
                case FxBridge.Update.State st -> setDelivery(st.cid(), st.state());
                case FxBridge.Update.Presence p -> {
                    if (p.state().equals("online")) {
                        statuses.remove(NicknameRules.key(p.nick()));
                    } else {
                        statuses.put(NicknameRules.key(p.nick()), new Joined.Status(p.state(), p.text()));
                    }
                }
                case FxBridge.Update.Members m -> {
                    membersComplete.set(true);
                    membersAsked = false;
                    members.setAll(m.members());
                }
                case FxBridge.Update.Count c -> {
                    if (!membersComplete.get()) {
                        memberTotal.set(c.members());
                    }
                }
                case FxBridge.Update.Read r -> {
                    // the room's marks in a room, the conversation's own in a direct conversation
                    if (r.direct() == (directWith.get() != null)) {
                        reads.merge(NicknameRules.key(r.nick()), r.seq(), Math::max);
                        readsVersion.set(readsVersion.get() + 1);
                    }
                }
                case FxBridge.Update.Transfer t -> {
                    if (directWith.get() == null) { // one model per connection: its room's (direct ones share it)
                        files.apply(t, System.nanoTime());
                    }
                }
                case FxBridge.Update.Typing t -> {
                    if (directWith.get() == null) { // the room's typing line, not a direct conversation's
                        typing(t.nick(), Instant.now());
                    }
                }
            }
        }
        insert(batch);
        markRead();
        for (RoomViewModel f : List.copyOf(followers)) {
            f.apply(updates);
        }
    }

    /**
     * Makes this view model a direct conversation with member {@code peer} in room {@code room}
     * (before {@link #open}): it shows only the direct messages between us and that member, and
     * that member's joins, departures and renames.
     */
    public void direct(String peer, String room) {
        directWith.set(Objects.requireNonNull(peer, "peer"));
        roomName.set(peer);
        inRoom.set(room == null ? "" : room);
    }

    /**
     * A direct conversation opened while connected starts with what its room knows now (members,
     * their roles and statuses); later updates follow.
     */
    public void seedFrom(RoomViewModel room) {
        if (members.isEmpty()) {
            members.setAll(room.members);
            roles.putAll(room.roles);
            statuses.putAll(room.statuses);
            updateMyRole();
        }
    }

    /** Where slow work runs (disk, hashing, decoding): never the FX thread. */
    public Executor background() {
        return background;
    }

    /** This connection's file transfers (what is sent, what is fetched). */
    public RoomFiles files() {
        return files;
    }

    /** The file transfers of the connection this room is on (null before {@link #open}, or where files cannot travel). */
    public FileTransfers fileTransfers() {
        return session == null ? null : session.files();
    }

    /**
     * Shares {@code paths} (files and folders) here, with the composer's text as the first one's
     * caption (the draft is then cleared). False if nothing could be sent (not connected, not open).
     */
    public boolean sendFiles(List<Path> paths) {
        if (session == null || paths.isEmpty() || !canWrite()) {
            return false;
        }
        String caption = draft.get().strip();
        files.send(session, paths, caption);
        draft.set("");
        return true;
    }

    /** The member of this direct conversation, or null for a room. */
    public ReadOnlyStringProperty directWithProperty() {
        return directWith.getReadOnlyProperty();
    }

    /** The room a direct conversation is in ("" for a room). */
    public ReadOnlyStringProperty inRoomProperty() {
        return inRoom.getReadOnlyProperty();
    }

    /** {@code dm} (a direct conversation of this room) gets every update from now on, after this one. */
    public void follow(RoomViewModel dm) {
        if (!followers.contains(dm)) {
            followers.add(dm);
        }
        dm.files = files;
    }

    /** {@code dm} gets no more updates (its conversation was closed). */
    public void unfollow(RoomViewModel dm) {
        followers.remove(dm);
    }

    /**
     * Told of the other member and the seq of each direct message this room view model sees (FX
     * thread), before its direct conversations get the update.
     */
    public void setOnDirect(BiConsumer<String, Long> listener) {
        onDirect = listener == null ? (who, seq) -> {} : listener;
    }

    /**
     * Whether event {@code e} belongs in this conversation: the room's own events for a room, the
     * direct messages with its member (and that member's joins, departures, renames) for a direct
     * conversation.
     */
    private boolean inScope(RoomEvent e) {
        String to = RoomEvent.directTo(e);
        String peer = directWith.get();
        if (peer == null) {
            return to == null;
        }
        if (to == null) {
            return switch (e) {
                case RoomEvent.Joined j -> sameNick(j.nick(), peer);
                case RoomEvent.Left l -> sameNick(l.nick(), peer);
                case RoomEvent.Renamed r -> sameNick(r.oldNick(), peer);
                default -> false;
            };
        }
        return sameNick(otherOf(e), peer);
    }

    /** The other member of a direct event, as this member sees it. */
    private String otherOf(RoomEvent e) {
        String actor = RoomEvent.actorOf(e);
        return sameNick(actor, nick.get()) ? RoomEvent.directTo(e) : actor;
    }

    /** Forgets the room's rows (the cache belonged to another room); our unconfirmed rows stay. */
    private void clearConfirmed() {
        messages.remove(0, messages.size() - tail);
        lastSeq = 0;
        lastDay = null;
        earlierAvailable.set(false);
    }

    /**
     * A row for a message we wrote that is not in the room's sequence yet (at the bottom). Its row
     * is where its delivery state lives on this side: the connection's outbox has the rest.
     */
    private void addPending(String cid, String text, Instant created, ChatItem.Extras extras) {
        messages.add(new ChatItem.Message(
                0, "pending:" + cid, nick.get(), text, created, true, false, cid, MessageState.PENDING, extras));
        tail++;
    }

    private int pendingIndex(String cid) {
        for (int i = messages.size() - 1; i >= messages.size() - tail; i--) {
            if (messages.get(i) instanceof ChatItem.Message m && cid.equals(m.cid())) {
                return i;
            }
        }
        return -1;
    }

    private void setDelivery(String cid, MessageState d) {
        if (cid == null) {
            return;
        }
        int i = pendingIndex(cid); // only unconfirmed rows change: DELIVERED and FAILED are final
        if (i >= 0) {
            ChatItem.Message m = (ChatItem.Message) messages.get(i);
            if (d == MessageState.FAILED) {
                // refused for good: it leaves the bottom group and stays where it is, marked
                messages.remove(i);
                tail--;
                messages.add(messages.size() - tail, m.withDelivery(d));
            } else {
                messages.set(i, m.withDelivery(d));
            }
            return;
        }
        if (d == MessageState.DELIVERED) {
            // the echo is in the list already: mark it
            for (int k = messages.size() - tail - 1; k >= 0 && k >= messages.size() - tail - 500; k--) {
                if (messages.get(k) instanceof ChatItem.Message m && cid.equals(m.cid())) {
                    if (m.delivery() != d) {
                        messages.set(k, m.withDelivery(d));
                    }
                    return;
                }
            }
        }
    }

    /**
     * Sends the draft; true if it was queued (then the draft is cleared and a pending row shows it
     * at the bottom until the room's echo replaces it).
     */
    public boolean send() {
        String text = draft.get();
        if (!canSend.get() || session == null) {
            return false;
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("/") && !trimmed.startsWith("//")) {
            return command(trimmed);
        }
        if (trimmed.startsWith("//")) {
            trimmed = trimmed.substring(1); // "//text" sends "/text"
        }
        if (trimmed.length() > Room.MAX_MESSAGE_LENGTH) {
            lastError.set("Message too long: at most " + Room.MAX_MESSAGE_LENGTH + " characters.");
            return false;
        }
        ChatItem.Message changing = editing.get();
        if (changing != null) {
            return sendEdit(changing, trimmed);
        }
        ChatItem.Message answering = replyingTo.get();
        String cid;
        try {
            cid = answering == null ? session.send(trimmed) : session.send(trimmed, answering.seq());
        } catch (IllegalArgumentException e) {
            lastError.set(e.getMessage());
            return false;
        }
        if (cid == null) {
            lastError.set("Could not send: not connected.");
            return false;
        }
        lastError.set("");
        draft.set("");
        replyingTo.set(null);
        addPending(
                cid,
                trimmed,
                Instant.now(),
                answering == null
                        ? ChatItem.Extras.NONE
                        : new ChatItem.Extras(
                                answering.seq(), answering.sender(), answering.text(), false, false, List.of()));
        return true;
    }

    private boolean sendEdit(ChatItem.Message m, String text) {
        if (text.equals(m.text())) {
            cancelEdit(); // nothing changed
            return true;
        }
        boolean asked;
        try {
            asked = session.edit(m.seq(), text);
        } catch (IllegalArgumentException e) {
            lastError.set(e.getMessage());
            return false;
        }
        if (!asked) {
            lastError.set("Not connected: edit when the connection is back.");
            return false;
        }
        lastError.set("");
        editing.set(null);
        draft.set(savedDraft);
        savedDraft = "";
        return true;
    }

    // ------------------------------------------------------------------ typing

    /** How long "alice is typing…" stays after her last signal (she sends one every 3 s while typing). */
    static final Duration TYPING_SHOWN = Duration.ofSeconds(6);

    /** Who is typing, until when (by folded nickname, in the order they started). */
    private final Map<String, Typist> typists = new LinkedHashMap<>();

    private record Typist(String nick, Instant until) {}

    private final ReadOnlyStringWrapper typingText = new ReadOnlyStringWrapper(this, "typingText", "");
    /** Tell the others when we type (Settings: off for privacy). */
    private final BooleanProperty sendTyping = new SimpleBooleanProperty(this, "sendTyping", true);

    /** "alice is typing…", "alice and bob are typing…", "Several people are typing…", or "". */
    public ReadOnlyStringProperty typingTextProperty() {
        return typingText.getReadOnlyProperty();
    }

    public BooleanProperty sendTypingProperty() {
        return sendTyping;
    }

    /** {@code nick} is typing (a signal from the room) at {@code now}. */
    void typing(String nick, Instant now) {
        if (nick == null || sameNick(nick, this.nick.get())) {
            return;
        }
        typists.put(NicknameRules.key(nick), new Typist(nick, now.plus(TYPING_SHOWN)));
        updateTyping();
    }

    /** Forgets typists whose last signal is older than {@link #TYPING_SHOWN} (the view calls it every second). */
    public void expireTyping(Instant now) {
        if (typists.values().removeIf(t -> !t.until().isAfter(now))) {
            updateTyping();
        }
    }

    private void updateTyping() {
        List<String> who = typists.values().stream().map(Typist::nick).toList();
        typingText.set(
                switch (who.size()) {
                    case 0 -> "";
                    case 1 -> who.getFirst() + " is typing…";
                    case 2 -> who.get(0) + " and " + who.get(1) + " are typing…";
                    default -> "Several people are typing…";
                });
    }

    /** The draft changed (the person types): tell the others, throttled by the connection. */
    public void draftEdited() {
        String d = draft.get();
        if (sendTyping.get()
                && session != null
                && state.get() == State.CONNECTED
                && editing.get() == null
                && d != null
                && !d.isBlank()
                && !d.startsWith("/")) {
            session.typing();
        }
    }

    // ------------------------------------------------------------------ message actions

    /** A sentence for the person under the composer (not an error: a hint). */
    public void note(String text) {
        lastError.set(text == null ? "" : text);
    }

    /** The message the composer answers (shown above it, with a way to cancel), or null. */
    public ReadOnlyObjectProperty<ChatItem.Message> replyingToProperty() {
        return replyingTo;
    }

    /** The own message the composer is changing, or null. */
    public ReadOnlyObjectProperty<ChatItem.Message> editingProperty() {
        return editing;
    }

    /** "Reply": the next message sent answers {@code m}. */
    public void replyTo(ChatItem.Message m) {
        if (m != null && !m.unconfirmed() && !m.extras().deleted()) {
            cancelEdit();
            replyingTo.set(m);
        }
    }

    public void cancelReply() {
        replyingTo.set(null);
    }

    /** What the draft was before an edit took the composer (given back when the edit ends). */
    private String savedDraft = "";

    /** "Edit" on an own message (or Up in an empty composer): its text in the composer, Enter saves it. */
    public boolean startEdit(ChatItem.Message m) {
        if (m == null || !m.own() || m.unconfirmed() || m.extras().deleted()) {
            return false;
        }
        replyingTo.set(null);
        if (editing.get() == null) {
            savedDraft = draft.get();
        }
        editing.set(m);
        draft.set(m.text());
        return true;
    }

    /** Esc while editing: the composer gets its draft back. */
    public void cancelEdit() {
        if (editing.get() != null) {
            editing.set(null);
            draft.set(savedDraft);
            savedDraft = "";
        }
    }

    /** The newest message of ours that can still be edited (Up in an empty composer), or null. */
    public ChatItem.Message lastOwnMessage() {
        for (int i = messages.size() - tail - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatItem.Message m
                    && m.own()
                    && !m.extras().deleted()) {
                return m;
            }
        }
        return null;
    }

    /** Deletes our message {@code m}; false (with a sentence in {@link #lastErrorProperty}) if it cannot be asked now. */
    public boolean delete(ChatItem.Message m) {
        boolean mayDelete = m != null
                && (m.own() || directWith.get() == null && myRole.get().moderates()); // moderators: anyone's
        if (!mayDelete || m.unconfirmed() || session == null) {
            return false;
        }
        if (!session.delete(m.seq())) {
            lastError.set("Not connected: delete when the connection is back.");
            return false;
        }
        if (editing.get() == m) {
            cancelEdit();
        }
        return true;
    }

    /** Adds {@code emoji} to {@code m}, or takes ours back if we reacted with it already. */
    public boolean toggleReaction(ChatItem.Message m, String emoji) {
        if (m == null || m.unconfirmed() || m.extras().deleted() || session == null) {
            return false;
        }
        boolean on = !m.extras().reactedBy(emoji, nick.get());
        if (!session.react(m.seq(), emoji, on)) {
            lastError.set("Not connected: react when the connection is back.");
            return false;
        }
        return true;
    }

    /**
     * A composer command (core.SlashCommands: /me, /nick, /topic, moderation, /help); true if it
     * was done (the draft is cleared). Unknown commands get a hint, never sent as text.
     */
    private boolean command(String line) {
        SlashCommands.Parsed p = SlashCommands.parse(line).orElseThrow();
        if (p.command() == null || !p.command().onDesktop()) {
            lastError.set(SlashCommands.unknown(p.name(), SlashCommands.desktop()));
            return false;
        }
        String usage = "Usage: " + p.command().usage();
        boolean asked;
        switch (p.name()) {
            case "me" -> {
                if (p.rest().isEmpty()) {
                    lastError.set(usage);
                    return false;
                }
                String cid = session.send("/me " + p.rest());
                if (cid == null) {
                    lastError.set("Could not send: not connected.");
                    return false;
                }
                addPending(cid, "/me " + p.rest(), Instant.now(), ChatItem.Extras.NONE);
                asked = true;
            }
            case "nick" -> {
                if (p.rest().isEmpty()) {
                    lastError.set(usage);
                    return false;
                }
                asked = session.rename(p.rest());
            }
            case "topic" -> asked = session.setTopic(p.rest());
            case "away", "dnd", "back" -> {
                String state = p.name().equals("back") ? "online" : p.name();
                String text = p.name().equals("back") ? "" : p.rest();
                if (presenceRequest != null) {
                    presenceRequest.accept(state, text);
                    asked = true;
                } else {
                    asked = session.presence(state, text) || state.equals("online");
                }
            }
            case "msg" -> {
                String[] a;
                String cid;
                try {
                    a = SlashCommands.direct(p, members);
                    cid = session.sendDirect(a[0], a[1]);
                } catch (IllegalArgumentException e) {
                    lastError.set(e.getMessage());
                    return false;
                }
                if (cid != null && directWith.get() != null && sameNick(a[0], directWith.get())) {
                    addPending(cid, a[1], Instant.now(), ChatItem.Extras.NONE); // this conversation's own
                }
                asked = cid != null;
            }
            case "help" -> {
                help(p.rest());
                asked = true;
            }
            default -> {
                SlashCommands.ModerationCall call;
                try {
                    call = SlashCommands.moderation(p, members);
                } catch (IllegalArgumentException e) {
                    lastError.set(e.getMessage());
                    return false;
                }
                asked = session.moderate(call.action(), call.nick(), call.reason(), call.minutes());
            }
        }
        if (!asked) {
            lastError.set("Not connected: try again when the connection is back.");
            return false;
        }
        lastError.set("");
        draft.set("");
        return true;
    }

    /** "/help": the commands (or one), as a note in the room for this member only. */
    private void help(String about) {
        List<SlashCommands.Command> among = SlashCommands.desktop();
        String text;
        if (about.isEmpty()) {
            text = "Commands: " + String.join("\n", SlashCommands.helpLines(among))
                    + "\nStart a line with // to send one beginning with /.";
        } else {
            text = SlashCommands.find(about)
                    .filter(SlashCommands.Command::onDesktop)
                    .map(c -> c.usage() + " — " + c.help())
                    .orElse(SlashCommands.unknown(about.replaceFirst("^/", ""), among));
        }
        insert(new ArrayList<>(List.of(new ChatItem.Notice(0, ChatItem.Notice.Kind.INFO, text, Instant.now()))));
    }

    /** "Retry now" in the reconnecting banner. */
    public void retryNow() {
        RoomActions s = session;
        if (s != null && state.get() == State.RECONNECTING) {
            reconnectAt.set(null);
            tick(Instant.now());
            background.execute(s::retryNow);
        }
    }

    /**
     * Searches what this member has seen of the room (off the FX thread); newest first. Blank
     * queries find nothing.
     */
    public CompletableFuture<List<ChatMessage>> search(String query) {
        RoomActions s = session;
        if (s == null || query == null || query.isBlank()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return CompletableFuture.supplyAsync(() -> s.search(query.strip()), background);
    }

    /** The row index of the message with this seq, or -1 if it is not in the list. */
    public int indexOfSeq(long seq) {
        int lo = 0;
        int hi = messages.size() - tail - 1;
        // rows are in seq order, with seq-0 rows (days, local notices) in between: scan from the end
        for (int i = hi; i >= lo; i--) {
            ChatItem item = messages.get(i);
            if (item.seq() == seq && item instanceof ChatItem.Message) {
                return i;
            }
            if (item.seq() != 0 && item.seq() < seq) {
                return -1;
            }
        }
        return -1;
    }

    /** Leaves the room (orderly, off the FX thread). */
    public void leave() {
        RoomActions s = session;
        state.set(State.LEFT);
        if (s != null) {
            background.execute(s::leave);
        }
    }

    /** A new lasting connection is starting for this room (after the old one ended): connecting… */
    public void restarting(RoomActions fresh) {
        this.session = Objects.requireNonNull(fresh, "fresh");
        disconnectText.set("");
        reconnectAt.set(null);
        state.set(State.RECONNECTING);
        tick(Instant.now());
    }

    private void disconnected(Disconnect why, List<ChatItem> batch) {
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
        // a member whose message arrived, or who left, no longer types
        String done = e instanceof RoomEvent.Posted p
                ? p.message().sender()
                : e instanceof RoomEvent.Left l ? l.nick() : null;
        if (done != null && typists.remove(NicknameRules.key(done)) != null) {
            updateTyping();
        }
        switch (e) {
            case RoomEvent.Joined j -> {
                if (members.stream().noneMatch(m -> sameNick(m, j.nick()))) {
                    members.add(j.nick());
                }
            }
            case RoomEvent.Left l -> members.removeIf(m -> sameNick(m, l.nick()));
            case RoomEvent.Renamed r -> {
                // the colour stays with the person: the new name takes the old one's
                colourSeeds.put(NicknameRules.key(r.newNick()), colourSeed(r.oldNick()));
                for (int i = 0; i < members.size(); i++) {
                    if (sameNick(members.get(i), r.oldNick())) {
                        members.set(i, r.newNick());
                    }
                }
                if (sameNick(nick.get(), r.oldNick())) {
                    nick.set(r.newNick());
                }
            }
            case RoomEvent.TopicSet x -> topic.set(x.text());
            case RoomEvent.Moderated x -> {
                Moderation.Action a = Moderation.Action.fromWire(x.action());
                if (a == Moderation.Action.MOD) {
                    roles.put(NicknameRules.key(x.nick()), Moderation.Role.MODERATOR);
                } else if (a == Moderation.Action.UNMOD || a == Moderation.Action.BAN) {
                    roles.remove(NicknameRules.key(x.nick()));
                }
                updateMyRole();
            }
            case RoomEvent.Posted _, RoomEvent.Edited _, RoomEvent.Deleted _, RoomEvent.Reacted _ -> {}
        }
        if (e instanceof RoomEvent.Left l) {
            statuses.remove(NicknameRules.key(l.nick()));
            reads.remove(NicknameRules.key(l.nick()));
        }
        if (e instanceof RoomEvent.Renamed r) {
            Joined.Status st = statuses.remove(NicknameRules.key(r.oldNick()));
            if (st != null) {
                statuses.put(NicknameRules.key(r.newNick()), st);
            }
            Long read = reads.remove(NicknameRules.key(r.oldNick()));
            if (read != null) {
                reads.put(NicknameRules.key(r.newNick()), read);
            }
            Moderation.Role role = roles.remove(NicknameRules.key(r.oldNick()));
            if (role != null) {
                roles.put(NicknameRules.key(r.newNick()), role);
            }
            updateMyRole();
        }
    }

    private void updateMyRole() {
        myRole.set(roleOf(nick.get()));
    }

    /** The role member {@code who} has in the room now. */
    public Moderation.Role roleOf(String who) {
        return who == null
                ? Moderation.Role.MEMBER
                : roles.getOrDefault(NicknameRules.key(who), Moderation.Role.MEMBER);
    }

    /** Who has a role, by folded nickname (the member list shows it). */
    public ObservableMap<String, Moderation.Role> roles() {
        return rolesView;
    }

    /** My role here: the host and moderators see the moderation actions. */
    public ReadOnlyObjectProperty<Moderation.Role> myRoleProperty() {
        return myRole.getReadOnlyProperty();
    }

    /** Members' availability (away, dnd) by folded nickname; online members are not in it. */
    public ObservableMap<String, Joined.Status> statuses() {
        return statusesView;
    }

    /** Member {@code who}'s availability: null when online. */
    public Joined.Status statusOf(String who) {
        return who == null ? null : statuses.get(NicknameRules.key(who));
    }

    /** Who has seen our message {@code m} (read receipts), in member-list order; empty for others' messages. */
    public List<String> seenBy(ChatItem.Message m) {
        if (!m.own() || m.seq() <= 0) {
            return List.of();
        }
        if (directWith.get() != null) {
            return reads.getOrDefault(NicknameRules.key(directWith.get()), 0L) >= m.seq()
                    ? List.of(directWith.get())
                    : List.of();
        }
        List<String> out = new ArrayList<>();
        for (String member : members) {
            if (!sameNick(member, nick.get()) && reads.getOrDefault(NicknameRules.key(member), 0L) >= m.seq()) {
                out.add(member);
            }
        }
        return out;
    }

    /** Changes with every read mark (the view redraws our messages' marks). */
    public ReadOnlyIntegerProperty readsVersionProperty() {
        return readsVersion.getReadOnlyProperty();
    }

    /** Whether this member tells the room how far it has read. */
    public BooleanProperty sendReceiptsProperty() {
        return sendReceipts;
    }

    /** What /away, /dnd and /back do instead of telling this room only (the window: every room). */
    public void setPresenceRequest(BiConsumer<String, String> request) {
        presenceRequest = request;
    }

    /** While this room is in front of the person: tell it how far they have read (throttled by the connection). */
    private void markRead() {
        if (seen && sendReceipts.get() && session != null && lastSeq > 0) {
            session.read(lastSeq);
        }
    }

    /** The room's topic ("" for none). */
    public ReadOnlyStringProperty topicProperty() {
        return topic.getReadOnlyProperty();
    }

    private void toItem(RoomEvent e, String cid, List<ChatItem> batch) {
        if (!inScope(e)) {
            if (directWith.get() == null
                    && RoomEvent.directTo(e) != null
                    && e instanceof RoomEvent.Posted
                    && RoomEvent.visibleTo(e, nick.get())) {
                onDirect.accept(otherOf(e), e.seq()); // its own conversation shows it
            }
            return;
        }
        if (directWith.get() != null && e instanceof RoomEvent.Renamed r) {
            directWith.set(r.newNick()); // the conversation follows the member
            roomName.set(r.newNick());
        }
        if (e.seq() > 0 && e.seq() <= lastSeq) {
            return; // already shown (from the cache before the connection's first events)
        }
        lastSeq = Math.max(lastSeq, e.seq());
        if (RoomEvent.targetOf(e) > 0) {
            applyChange(e, batch); // an edit, a deletion, a reaction: its message's row changes
            return;
        }
        LocalDate day = LocalDate.ofInstant(e.time(), zone);
        if (!day.equals(lastDay)) {
            lastDay = day;
            batch.add(new ChatItem.Day(day, zone));
        }
        boolean mine = false;
        if (cid != null && e instanceof RoomEvent.Posted) {
            int i = pendingIndex(cid);
            if (i >= 0) {
                messages.remove(i); // the pending row becomes the real message
                tail--;
                mine = true;
            }
        }
        int confirmed = messages.size() - tail;
        ChatItem previous = batch.isEmpty() ? (confirmed == 0 ? null : messages.get(confirmed - 1)) : batch.getLast();
        batch.add(row(e, cid, previous, mine, batch));
    }

    /**
     * Changes the row of the message an edit, deletion or reaction is about: in {@code batch} (not
     * in the list yet) or in the list. A message not shown (older than the list) keeps the change
     * until its row is made ({@link #loadEarlier}).
     */
    private void applyChange(RoomEvent change, List<ChatItem> batch) {
        long target = RoomEvent.targetOf(change);
        if (!(change instanceof RoomEvent.Reacted)) {
            requote(target, change, batch);
        }
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (batch.get(i) instanceof ChatItem.Message m && m.seq() == target) {
                batch.set(i, changed(m, change));
                return;
            }
        }
        int i = indexOfSeq(target);
        if (i >= 0 && messages.get(i) instanceof ChatItem.Message m) {
            messages.set(i, changed(m, change));
            return;
        }
        if (orphanChanges.size() < MAX_ORPHANS) {
            orphanChanges.computeIfAbsent(target, t -> new ArrayList<>()).add(change);
        }
    }

    /** Replies quoting message {@code target} show its new text, or that it was deleted (never the old text). */
    private void requote(long target, RoomEvent change, List<ChatItem> batch) {
        String now = change instanceof RoomEvent.Edited x ? x.text() : Room.DELETED_TEXT;
        List<List<ChatItem>> lists = List.of(batch, messages);
        for (List<ChatItem> rows : lists) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i) instanceof ChatItem.Message m
                        && m.extras().replyTo() == target
                        && m.extras().quoteSender() != null) {
                    ChatItem.Extras x = m.extras();
                    rows.set(
                            i,
                            m.withExtras(new ChatItem.Extras(
                                    x.replyTo(), x.quoteSender(), now, x.edited(), x.deleted(), x.reactions())));
                }
            }
        }
    }

    /** How message {@code m} reads after {@code change}. */
    private static ChatItem.Message changed(ChatItem.Message m, RoomEvent change) {
        if (m.extras().deleted()) {
            return m; // nothing changes a deleted message any more
        }
        return switch (change) {
            case RoomEvent.Edited x -> m.edited(x.text());
            case RoomEvent.Deleted _ -> m.deleted();
            case RoomEvent.Reacted x -> m.withExtras(m.extras().reacted(x.by(), x.emoji(), x.added()));
            default -> m;
        };
    }

    /** The message with {@code seq}, in {@code batch} (newest first) or in the list; null if neither has it. */
    private ChatItem.Message lookup(long seq, List<ChatItem> batch) {
        if (batch != null) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                if (batch.get(i) instanceof ChatItem.Message m && m.seq() == seq) {
                    return m;
                }
            }
        }
        int i = indexOfSeq(seq);
        return i >= 0 && messages.get(i) instanceof ChatItem.Message m ? m : null;
    }

    /**
     * The row for a room event, below {@code previous} (which decides whether a message continues
     * its sender's group). The one place rows are made: live, cached and loaded earlier alike.
     */
    private ChatItem row(RoomEvent e, String cid, ChatItem previous, boolean mine, List<ChatItem> batch) {
        return switch (e) {
            case RoomEvent.Posted p -> {
                ChatMessage m = p.message();
                boolean continued = previous instanceof ChatItem.Message pm
                        && sameNick(pm.sender(), m.sender())
                        && Duration.between(pm.time(), m.time()).compareTo(GROUP_WINDOW) < 0
                        && m.replyTo() == 0; // a reply shows whose it is
                boolean own = mine || sameNick(m.sender(), nick.get());
                ChatItem.Extras extras = ChatItem.Extras.NONE;
                if (m.replyTo() > 0) {
                    ChatItem.Message original = lookup(m.replyTo(), batch);
                    extras = original == null
                            ? new ChatItem.Extras(m.replyTo(), null, null, false, false, List.of())
                            : new ChatItem.Extras(
                                    m.replyTo(),
                                    original.sender(),
                                    original.extras().deleted() ? Room.DELETED_TEXT : original.text(),
                                    false,
                                    false,
                                    List.of());
                }
                if (m.file() != null) {
                    extras = extras.withFile(m.file());
                }
                ChatItem.Message row = new ChatItem.Message(
                        m.seq(),
                        m.id(),
                        m.sender(),
                        m.text(),
                        m.time(),
                        own,
                        continued,
                        cid,
                        own ? MessageState.DELIVERED : null,
                        extras);
                // changes that came before its row (an older message loaded now)
                List<RoomEvent> waiting = orphanChanges.remove(m.seq());
                if (waiting != null) {
                    for (RoomEvent change : waiting) {
                        row = changed(row, change);
                    }
                }
                yield row;
            }
            case RoomEvent.Edited _, RoomEvent.Deleted _, RoomEvent.Reacted _ ->
                throw new IllegalStateException("a change is no row: " + e.kind());
            case RoomEvent.Joined j ->
                new ChatItem.Notice(
                        j.seq(),
                        ChatItem.Notice.Kind.JOINED,
                        (sameNick(j.nick(), nick.get()) ? "You joined" : j.nick() + " joined") + " the room",
                        j.time());
            case RoomEvent.Left l ->
                new ChatItem.Notice(
                        l.seq(),
                        ChatItem.Notice.Kind.LEFT,
                        (sameNick(l.nick(), nick.get()) ? "You left" : l.nick() + " left")
                                + (l.reason() == null
                                                || l.reason().isBlank()
                                                || l.reason().equals("left")
                                        ? ""
                                        : " (" + l.reason() + ")"),
                        l.time());
            case RoomEvent.Renamed r ->
                new ChatItem.Notice(
                        r.seq(),
                        ChatItem.Notice.Kind.RENAMED,
                        sameNick(r.newNick(), nick.get()) && !sameNick(r.oldNick(), nick.get())
                                ? "You are now " + r.newNick()
                                : r.oldNick() + " is now " + r.newNick(),
                        r.time());
            case RoomEvent.TopicSet x ->
                new ChatItem.Notice(
                        x.seq(),
                        ChatItem.Notice.Kind.TOPIC,
                        (sameNick(x.by(), nick.get()) ? "You" : x.by())
                                + (x.text().isEmpty() ? " cleared the topic" : " set the topic: " + x.text()),
                        x.time());
            case RoomEvent.Moderated x ->
                new ChatItem.Notice(
                        x.seq(),
                        ChatItem.Notice.Kind.MODERATION,
                        Moderation.describe(
                                sameNick(x.by(), nick.get())
                                        ? new RoomEvent.Moderated(
                                                x.seq(),
                                                x.id(),
                                                x.time(),
                                                "You",
                                                x.action(),
                                                x.nick(),
                                                x.reason(),
                                                x.until())
                                        : x,
                                true),
                        x.time());
        };
    }

    /** Adds room rows in one change, above our unconfirmed rows; then keeps the list to its bound. */
    private void insert(List<ChatItem> batch) {
        if (!batch.isEmpty()) {
            messages.addAll(messages.size() - tail, batch);
            trim();
        }
    }

    /**
     * Keeps the newest rows: {@link #window} (once it is a tenth over) while the person follows the bottom, twice that while
     * they read further up (so what they read does not vanish under them at once). The oldest rows
     * leave in one change; the top row is then a day divider for the first kept row. They stay in
     * the history cache ({@link #loadEarlier}).
     */
    private void trim() {
        int confirmed = messages.size() - tail;
        int limit = following ? window : 2 * window;
        // a tenth over before trimming: every trim re-binds the visible cells, so trim in chunks
        if (confirmed <= limit + (following ? window / 10 : 0)) {
            return;
        }
        int cut = confirmed - limit;
        if (!(messages.get(cut) instanceof ChatItem.Day)) {
            // the kept rows start with their day: one more row goes, and the row before the first
            // kept one becomes that divider (unless the first kept one is a divider already)
            ChatItem next = messages.get(cut + 1);
            if (next instanceof ChatItem.Day) {
                cut++;
            } else {
                messages.set(cut, new ChatItem.Day(LocalDate.ofInstant(next.time(), zone), zone));
            }
        }
        if (messages.get(cut + 1) instanceof ChatItem.Message m && m.continued()) {
            // its sender's name and avatar were on a row that goes: the first kept message shows them
            messages.set(cut + 1, m.uncontinued());
        }
        messages.remove(0, cut);
        updateEarlier();
    }

    /**
     * The view says whether the person is at the bottom (following the newest). Returning there
     * trims the list back to the window (when it is a tenth over).
     */
    public void following(boolean atBottom) {
        if (following != atBottom) {
            following = atBottom;
            if (atBottom) {
                trim();
            }
        }
    }

    /** Overrides {@link #WINDOW} (tests). */
    void window(int rows) {
        if (rows < 2) {
            throw new IllegalArgumentException("window < 2");
        }
        window = rows;
        trim();
    }

    /** The seq of the oldest room row in the list (0: none). */
    private long oldestSeq() {
        int confirmed = messages.size() - tail;
        for (int i = 0; i < confirmed; i++) {
            long seq = messages.get(i).seq();
            if (seq > 0) {
                return seq;
            }
        }
        return 0;
    }

    private void updateEarlier() {
        RoomActions s = session;
        earlierAvailable.set(s != null && s.hasHistory() && oldestSeq() > 1);
    }

    /**
     * Loads up to {@link #PAGE} older rows from the history cache (off the FX thread, on the
     * background executor) and puts them above the oldest row shown, with their day dividers, on
     * {@code fxThread}. Completes with the number of rows added (0: nothing older, already loading,
     * the list is full, or the list changed meanwhile: ask again). The list holds at most twice
     * {@link #WINDOW} rows; beyond that older messages are found with search.
     */
    public CompletableFuture<Integer> loadEarlier(Executor fxThread) {
        RoomActions s = session;
        long before = oldestSeq();
        int room = 2 * window - (messages.size() - tail);
        if (s == null || !s.hasHistory() || loadingEarlier || before <= 1 || room <= 0) {
            return CompletableFuture.completedFuture(0);
        }
        loadingEarlier = true;
        int max = Math.min(PAGE, room);
        return CompletableFuture.supplyAsync(() -> s.earlier(before, max), background)
                .thenApplyAsync(events -> prepend(before, events, max), fxThread)
                .whenCompleteAsync((n, error) -> loadingEarlier = false, fxThread);
    }

    private int prepend(long before, List<StoredEvent> events, int max) {
        if (oldestSeq() != before) {
            return 0; // trimmed or reset meanwhile: these rows would not join up with the list
        }
        List<ChatItem> rows = new ArrayList<>();
        LocalDate day = null;
        for (StoredEvent stored : events) {
            RoomEvent e = stored.event();
            if (e.seq() >= before && RoomEvent.targetOf(e) > 0 && RoomEvent.targetOf(e) < before && inScope(e)) {
                applyChange(e, rows); // made since to a message of this page: the row reads as it did
                continue;
            }
            if (e.seq() <= 0 || e.seq() >= before) {
                continue;
            }
            LocalDate d = LocalDate.ofInstant(e.time(), zone);
            if (!d.equals(day)) {
                day = d;
                rows.add(new ChatItem.Day(d, zone));
            }
            if (!inScope(e)) {
                continue;
            }
            if (RoomEvent.targetOf(e) > 0) {
                applyChange(e, rows); // its message is in this page, or older still
                continue;
            }
            rows.add(row(e, stored.cid(), rows.getLast(), false, rows));
        }
        if (rows.isEmpty()) {
            earlierAvailable.set(false); // the cache has nothing older
            return 0;
        }
        if (!messages.isEmpty()
                && messages.getFirst() instanceof ChatItem.Day top
                && top.date().equals(day)) {
            messages.remove(0); // the loaded rows end on the day the list starts with: one divider
        }
        messages.addAll(0, rows);
        long page = events.stream().filter(e -> e.seq() < before).count(); // not the later changes
        earlierAvailable.set(page >= max && oldestSeq() > 1);
        return rows.size();
    }

    /**
     * Whether the person has this room in front of them (the window shows it and has the focus).
     * Messages from others that arrive while not seen count as unread (and as mentions when they
     * name this member); seeing the room again clears both.
     */
    public int seen(boolean inFront) {
        if (inFront == seen) {
            return -1;
        }
        seen = inFront;
        if (!inFront) {
            awayAt = Instant.now();
            markerPlaced = false;
            return -1;
        }
        boolean hadUnread = unread.get() > 0;
        unread.set(0);
        mentions.set(0);
        markRead();
        return hadUnread ? newSinceIndex() : -1;
    }

    /** The row of the "New since" marker, or -1. */
    public int newSinceIndex() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof ChatItem.NewSince) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A message from someone else: unread unless the room is in front of the person. The first one
     * since the room left their view gets the "New since" row above it (the previous marker goes)
     * and shows its sender's name again.
     */
    private void arrived(ChatItem.Message m, List<ChatItem> batch) {
        if (m.extras().file() != null && session != null) {
            files.arrived(session.files(), m.extras().file()); // small files are fetched at once (never opened)
        }
        if (seen) {
            return;
        }
        if (!markerPlaced) {
            markerPlaced = true;
            int old = newSinceIndex();
            if (old >= 0) {
                messages.remove(old);
            }
            batch.removeIf(i -> i instanceof ChatItem.NewSince);
            batch.set(batch.size() - 1, m.uncontinued());
            batch.add(batch.size() - 1, new ChatItem.NewSince(awayAt));
        }
        unread.set(unread.get() + 1);
        // a direct message is for this member alone: it counts (and notifies) like a mention
        boolean mention = directWith.get() != null || mentions(m.text(), nick.get());
        if (mention) {
            mentions.set(mentions.get() + 1);
        }
        onArrival.accept(new Arrival(m.sender(), m.text(), mention));
    }

    /** Told of each message that arrives while the room is not in front of the person (FX thread). */
    public void setOnArrival(Consumer<Arrival> listener) {
        onArrival = listener == null ? a -> {} : listener;
    }

    /** Whether such a message should notify, by this room's {@link Alerts} setting. */
    public boolean alerts(Arrival a) {
        return switch (alerts.get()) {
            case ALL -> true;
            case MENTIONS -> a.mention();
            case MUTED -> false;
        };
    }

    /** This room's notification setting (the window remembers it per room). */
    public ObjectProperty<Alerts> alertsProperty() {
        return alerts;
    }

    /** True if {@code text} names {@code nick} as a word ("bob", "@bob", "Bob:"), ignoring case. */
    static boolean mentions(String text, String nick) {
        if (nick == null || nick.isBlank() || text == null) {
            return false;
        }
        String t = text.toLowerCase(Locale.ROOT);
        String n = nick.toLowerCase(Locale.ROOT);
        for (int i = t.indexOf(n); i >= 0; i = t.indexOf(n, i + 1)) {
            int end = i + n.length();
            boolean startOk = i == 0 || !Character.isLetterOrDigit(t.codePointBefore(i));
            boolean endOk = end == t.length() || !Character.isLetterOrDigit(t.codePointAt(end));
            if (startOk && endOk) {
                return true;
            }
        }
        return false;
    }

    /** Messages from others that arrived while the room was not in front of the person. */
    public ReadOnlyIntegerProperty unreadProperty() {
        return unread.getReadOnlyProperty();
    }

    /** How many of the unread messages name this member. */
    public ReadOnlyIntegerProperty mentionsProperty() {
        return mentions.getReadOnlyProperty();
    }

    private static boolean sameNick(String a, String b) {
        return a != null && b != null && NicknameRules.key(a).equals(NicknameRules.key(b));
    }

    /**
     * What a member's colour is made from ({@link NickColors}): their nickname, or after a rename
     * the name they had before, so the avatar and the name keep their colour.
     */
    public String colourSeed(String nick) {
        return nick == null ? "" : colourSeeds.getOrDefault(NicknameRules.key(nick), nick);
    }

    /** True if {@code sender} is this member (case- and form-folded). */
    public boolean isMe(String sender) {
        return sameNick(sender, nick.get());
    }

    public ObservableList<ChatItem> messages() {
        return messagesView;
    }

    /** True if older rows than the list shows can be loaded ({@link #loadEarlier}). */
    public ReadOnlyBooleanProperty earlierAvailableProperty() {
        return earlierAvailable.getReadOnlyProperty();
    }

    public ObservableList<String> members() {
        return membersView;
    }

    /** How many members the room has (also while {@link #membersCompleteProperty()} is false). */
    public ReadOnlyIntegerProperty memberTotalProperty() {
        return memberTotal.getReadOnlyProperty();
    }

    /** False in a big room whose member list is not loaded yet: {@link #members()} names only you. */
    public ReadOnlyBooleanProperty membersCompleteProperty() {
        return membersComplete.getReadOnlyProperty();
    }

    /** Loads a big room's whole member list ({@link #members()}) and keeps it current from then on. */
    public void showAllMembers() {
        RoomActions s = session;
        if (s != null && !membersComplete.get() && !membersAsked) {
            membersAsked = true;
            s.watchMembers();
        }
    }

    public ReadOnlyObjectProperty<InviteLink> addressProperty() {
        return address.getReadOnlyProperty();
    }

    public InviteLink address() {
        return address.get();
    }

    public ReadOnlyStringProperty roomNameProperty() {
        return roomName.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty nickProperty() {
        return nick.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty disconnectTextProperty() {
        return disconnectText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty hostingProperty() {
        return hosting.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    public StringProperty draftProperty() {
        return draft;
    }

    /** The room's key; null when the connection is not encrypted. */
    public ReadOnlyObjectProperty<Fingerprint> fingerprintProperty() {
        return fingerprint.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty passwordProtectedProperty() {
        return passwordProtected.getReadOnlyProperty();
    }

    /** "Encrypted · safety code 03941 …" or "Not encrypted". */
    public ReadOnlyStringProperty securityTextProperty() {
        return securityText.getReadOnlyProperty();
    }

    public BooleanBinding canSendProperty() {
        return canSend;
    }

    /** When the next reconnect attempt is due (null: none scheduled / attempt under way). */
    public ReadOnlyObjectProperty<Instant> reconnectAtProperty() {
        return reconnectAt.getReadOnlyProperty();
    }

    /** "Connection lost — reconnecting in 4 s", "You are disconnected", … (see {@link #tick}). */
    public ReadOnlyStringProperty bannerTitleProperty() {
        return bannerTitle.getReadOnlyProperty();
    }
}
