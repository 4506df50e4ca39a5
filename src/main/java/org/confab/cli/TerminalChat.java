package org.confab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.confab.core.RoomEvent;
import org.confab.core.SlashCommands;
import org.confab.net.Disconnect;
import org.confab.net.Joined;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;

/**
 * The terminal side of one membership, shared by {@code join} and {@code host --nick}: prints the
 * welcome, its history and every later event (human or JSON lines), and turns input lines into
 * messages and commands (core.SlashCommands: {@code /nick NEW}, {@code /quit}, moderation…;
 * {@code //text} sends "/text").
 *
 * <p>Events can arrive on the client's reader thread before the welcome is printed; they wait on
 * a latch so the output is always welcome, history, then live events, in sequence order.
 */
final class TerminalChat implements RoomConnectionListener {
    private volatile boolean showTyping;
    /** Who is in the room now (for commands that name a member with spaces in the name). */
    private final Set<String> members = new CopyOnWriteArraySet<>();
    /** The seq the welcome's member list is as of: later joins and departures change it. */
    private volatile long membersAsOf;
    /** False in a big room whose list is not loaded (docs/protocol.md §20): {@link #members} holds only you. */
    private volatile boolean membersComplete = true;
    /** How many members the room has (the host's count while the list is not loaded). */
    private volatile int memberTotal;
    /** A {@code /who} waits for the list. */
    private volatile boolean whoWanted;

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final EventFormat format;
    private final TerminalFiles files;
    private final Clock clock;
    private final CountDownLatch welcomed = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RoomConnection connection;
    private volatile Disconnect why;
    private volatile long historyUpTo;
    private volatile boolean everWelcomed;
    private volatile String address = "";

    TerminalChat(PrintWriter out, PrintWriter err, boolean json, ZoneId zone, Clock clock) {
        this(out, err, json, false, zone, clock);
    }

    /** @param showSeq human lines start with each event's number (for /reply, /edit, /delete, /react) */
    TerminalChat(PrintWriter out, PrintWriter err, boolean json, boolean showSeq, ZoneId zone, Clock clock) {
        this(out, err, json, showSeq, zone, clock, TerminalFiles.defaultDownloadDir(), -1);
    }

    /**
     * @param downloadDir where {@code /get} saves files
     * @param autoBelow   files up to this many bytes are downloaded as they are shared; -1: none
     */
    TerminalChat(
            PrintWriter out,
            PrintWriter err,
            boolean json,
            boolean showSeq,
            ZoneId zone,
            Clock clock,
            Path downloadDir,
            long autoBelow) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.clock = clock;
        // the format numbers file messages through the files, which print through the format: built in that order
        TerminalFiles[] f = new TerminalFiles[1];
        this.format = new EventFormat(zone, showSeq, ref -> f[0].number(ref));
        this.files = new TerminalFiles(format, json, clock, downloadDir, autoBelow, this::print, this::complain);
        f[0] = files;
    }

    /** Input goes to this reconnecting connection; its listener is this chat. */
    void attach(RoomConnection c) {
        this.connection = c;
        this.address = c.options().address();
    }

    @Override
    public void event(RoomEvent e, String cid) {
        awaitWelcome();
        switch (e.seq() > membersAsOf ? e : null) {
            case null -> {} // before the welcome's member list: already counted in it
            case RoomEvent.Joined j -> members.add(j.nick());
            case RoomEvent.Left l -> members.remove(l.nick());
            case RoomEvent.Renamed r -> {
                members.remove(r.oldNick());
                members.add(r.newNick());
            }
            default -> {}
        }
        print(json ? format.json(e, e.seq() <= historyUpTo) : format.human(e));
        RoomConnection c = connection;
        if (e instanceof RoomEvent.Posted p && p.message().file() != null && c != null) {
            files.shared(c, p.message(), e.seq() > historyUpTo);
        }
    }

    // ---------------------------------------------------------------- RoomConnection (join)

    @Override
    public void connected(Joined w) {
        members.clear();
        members.addAll(w.members());
        membersAsOf = w.lastSeq();
        membersComplete = w.complete();
        memberTotal = w.memberCount();
        historyUpTo = w.fresh() ? w.lastSeq() : 0;
        if (json) {
            print(format.jsonWelcome(w, address, clock.instant()));
        } else if (!everWelcomed) {
            print(format.humanWelcome(w, address));
        } else {
            print(format.humanNote("Reconnected to " + address + ".", clock.instant()));
        }
        everWelcomed = true;
        welcomed.countDown();
    }

    @Override
    public void resumed(long missed, boolean gap) {
        print(
                json
                        ? format.jsonLine("resumed", clock.instant(), "missed", missed, "gap", gap)
                        : format.humanNote(
                                missed == 0
                                        ? "Nothing was missed."
                                        : missed + " missed event" + (missed == 1 ? "" : "s") + " follow"
                                                + (missed == 1 ? "s" : "") + "."
                                                + (gap ? " Older ones are no longer kept by the host." : ""),
                                clock.instant()));
    }

    @Override
    public void historyReset() {
        print(
                json
                        ? format.jsonLine("history-reset", clock.instant())
                        : format.humanNote(
                                "This room's history was reset on the host; starting afresh.", clock.instant()));
    }

    @Override
    public void reconnecting(long delayMillis, int attempt, String reason) {
        print(
                json
                        ? format.jsonLine(
                                "reconnecting",
                                clock.instant(),
                                "delayMs",
                                delayMillis,
                                "attempt",
                                attempt,
                                "reason",
                                reason)
                        : format.humanNote(
                                reason + " Reconnecting in " + String.format(Locale.ROOT, "%.1f", delayMillis / 1000.0)
                                        + " s (attempt " + attempt + "). Lines you type are kept and sent then.",
                                clock.instant()));
    }

    @Override
    public void messageState(String cid, RoomConnection.MessageState state) {
        if (json) {
            print(format.jsonLine(
                    "state", clock.instant(), "cid", cid, "state", state.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** A member's status: a line ("* bob is away: lunch"), or a JSON {@code presence} line. */
    @Override
    public void presence(String nick, String state, String text) {
        if (json) {
            print(format.jsonLine("presence", clock.instant(), "nick", nick, "state", state, "text", text));
        } else {
            String what = switch (state) {
                case "away" -> " is away";
                case "dnd" -> " does not want to be disturbed";
                default -> " is back";
            };
            print(format.humanNote(nick + what + (text.isEmpty() ? "" : ": " + text), clock.instant()));
        }
    }

    /** With {@code --typing}: others' typing is printed (off by default: a line every few seconds per typist). */
    void showTyping(boolean on) {
        showTyping = on;
    }

    /** Someone types (at most one signal per member every few seconds, relayed by the host): with {@code --typing} only. */
    @Override
    public void typing(String nick) {
        if (!showTyping) {
            return;
        }
        if (json) {
            print(format.jsonLine("typing", clock.instant(), "nick", nick));
        } else {
            print(format.humanNote(nick + " is typing…", clock.instant()));
        }
    }

    /** A big room's member list, loaded (after {@code /who}, or at once in a room of up to 1,000). */
    @Override
    public void memberList(List<String> list, long asOf) {
        members.clear();
        members.addAll(list);
        membersAsOf = asOf;
        membersComplete = true;
        memberTotal = list.size();
        if (json) {
            print(format.jsonMembers(list, asOf, clock.instant()));
        } else if (whoWanted) {
            who();
        }
        whoWanted = false;
    }

    /** How many members a big room has now (while its list is not loaded). */
    @Override
    public void memberCount(int n) {
        memberTotal = n;
        if (json) {
            print(format.jsonLine("count", clock.instant(), "members", n));
        }
    }

    /** {@code /who}: the members, or (a big room) the list asked for first. */
    private void who(RoomConnection c) {
        if (membersComplete) {
            who();
        } else {
            whoWanted = true;
            print(format.humanNote(
                    "Loading the list of " + String.format("%,d", memberTotal) + " members…", clock.instant()));
            c.watchMembers(true);
        }
    }

    private void who() {
        List<String> all = List.copyOf(members);
        int shown = Math.min(all.size(), WHO_SHOWN);
        String more = all.size() > shown ? ", and " + String.format("%,d", all.size() - shown) + " more" : "";
        print(format.humanNote(
                String.format("%,d", all.size()) + (all.size() == 1 ? " member: " : " members: ")
                        + format.names(all.subList(0, shown)) + more + ".",
                clock.instant()));
    }

    /** {@code /who} names at most this many members (a big room's list would fill the terminal). */
    private static final int WHO_SHOWN = 200;

    /** A read receipt: a JSON {@code read} line (the human form stays quiet: it would be noise). */
    @Override
    public void read(String nick, long seq, boolean direct) {
        if (json) {
            print(format.jsonLine("read", clock.instant(), "nick", nick, "seq", seq, "direct", direct));
        }
    }

    @Override
    public void ended(Disconnect d) {
        welcomed.countDown(); // a connection that never got in still ends
        disconnected(d);
    }

    @Override
    public void error(String code, String text) {
        print(json ? format.jsonError(code, text, clock.instant()) : format.humanError(code, text, clock.instant()));
    }

    private void disconnected(Disconnect d) {
        awaitWelcome();
        why = d;
        print(json ? format.jsonDisconnected(d, clock.instant()) : format.humanDisconnected(d, clock.instant()));
        ended.countDown();
    }

    /**
     * Reads lines until end of input or /quit. With {@code leaveOnEof}, the end of input leaves
     * the room; without it (the host's own membership) the member just stops typing.
     */
    void readInput(InputStream in, boolean leaveOnEof) {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean leave = leaveOnEof;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                RoomConnection c = connection;
                if (c == null || !isOpen(c)) {
                    return;
                }
                if (!handle(c, line)) {
                    leave = true;
                    break;
                }
            }
        } catch (IOException e) {
            // input gone: same as end of input
        }
        RoomConnection c = connection;
        if (leave && c != null && isOpen(c)) {
            leaveWhenDelivered(c);
        }
    }

    /** One input line; false means leave. */
    boolean handle(RoomConnection c, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return true;
        }
        if (trimmed.startsWith("//")) {
            send(c, line.substring(line.indexOf('/') + 1));
            return true;
        }
        var parsed = SlashCommands.parse(trimmed);
        if (parsed.isPresent()) {
            return command(c, parsed.get());
        }
        send(c, line);
        return true;
    }

    /** A command line (core.SlashCommands); false means leave. */
    private boolean command(RoomConnection c, SlashCommands.Parsed p) {
        if (p.command() == null) {
            complain(SlashCommands.unknown(p.name(), SlashCommands.all()));
            return true;
        }
        String usage = "Usage: " + p.command().usage();
        switch (p.command().name()) {
            case "quit" -> {
                return false;
            }
            case "nick" -> {
                if (p.rest().isEmpty()) {
                    complain(usage);
                } else {
                    rename(c, p.rest());
                }
            }
            case "me" -> {
                if (p.rest().isEmpty()) {
                    complain(usage);
                } else {
                    send(c, "/me " + p.rest());
                }
            }
            case "topic" -> change(() -> c.setTopic(p.rest()));
            case "away", "dnd", "back" -> {
                boolean back = p.name().equals("back");
                c.presence(back ? "online" : p.name(), back ? "" : p.rest()); // told again after reconnects
            }
            case "msg" -> {
                try {
                    String[] a = SlashCommands.direct(p, List.copyOf(members));
                    var entry = c.sendDirect(a[0], a[1]);
                    messageState(entry.cid(), RoomConnection.MessageState.PENDING);
                } catch (IllegalArgumentException e) {
                    complain(e.getMessage());
                } catch (IllegalStateException e) {
                    // ended
                }
            }
            case "help" -> help(p.rest());
            case "send" -> files.send(c, p.rest(), usage);
            case "files" -> files.list();
            case "who" -> who(c);
            case "get", "cancel" -> {
                long n = seq(p.rest());
                if (n <= 0 || n > Integer.MAX_VALUE) {
                    complain(usage);
                } else if (p.name().equals("get")) {
                    files.get(c, (int) n);
                } else {
                    files.cancel(c, (int) n);
                }
            }
            case "reply", "edit" -> {
                String[] a = p.words(2);
                long seq = a.length == 2 ? seq(a[0]) : -1;
                if (seq <= 0) {
                    complain(usage + " (SEQ: the message's number, as --show-seq or --json shows it)");
                } else if (p.name().equals("reply")) {
                    reply(c, seq, a[1]);
                } else {
                    change(() -> c.edit(seq, a[1]));
                }
            }
            case "delete" -> {
                long seq = p.rest().isEmpty() ? -1 : seq(p.rest());
                if (seq <= 0) {
                    complain(usage);
                } else {
                    change(() -> c.delete(seq));
                }
            }
            case "react", "unreact" -> {
                String[] a = p.words(2);
                long seq = a.length == 2 ? seq(a[0]) : -1;
                if (seq <= 0) {
                    complain(usage);
                } else {
                    boolean on = p.name().equals("react");
                    change(() -> c.react(seq, a[1].strip(), on));
                }
            }
            default -> {
                try {
                    var call = SlashCommands.moderation(p, List.copyOf(members));
                    change(() -> c.moderate(call.action(), call.nick(), call.reason(), call.minutes()));
                } catch (IllegalArgumentException e) {
                    complain(e.getMessage());
                }
            }
        }
        return true;
    }

    /** "/help [COMMAND]": every command, or one. */
    private void help(String about) {
        if (about.isEmpty()) {
            for (String line : SlashCommands.helpLines(SlashCommands.all())) {
                complain(line);
            }
            complain("Start a line with // to send one beginning with /.");
        } else {
            complain(SlashCommands.find(about)
                    .map(cmd -> cmd.usage() + " — " + cmd.help())
                    .orElse(SlashCommands.unknown(about.replaceFirst("^/", ""), SlashCommands.all())));
        }
    }

    /** A message's number as typed ("12" or "#12"); -1 if it is none. */
    static long seq(String s) {
        try {
            return Long.parseLong(s.startsWith("#") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A reply waits in the outbox like any message. */
    private void reply(RoomConnection c, long seq, String text) {
        try {
            var entry = c.send(text, seq);
            messageState(entry.cid(), RoomConnection.MessageState.PENDING);
        } catch (IllegalArgumentException e) {
            complain(e.getMessage());
        } catch (IllegalStateException e) {
            // ended
        }
    }

    /** An edit, deletion or reaction: asked now (not kept offline); the host's answer is an event or an error. */
    private void change(BooleanSupplier ask) {
        try {
            if (!ask.getAsBoolean()) {
                complain("Not connected right now; try again once reconnected.");
            }
        } catch (IllegalArgumentException e) {
            complain(e.getMessage());
        }
    }

    /** Lines typed while the connection is down go to the outbox and are sent after reconnecting. */
    private void send(RoomConnection c, String text) {
        try {
            var entry = c.send(text); // saved in the outbox: pending (the writer says so, not the connection)
            messageState(entry.cid(), RoomConnection.MessageState.PENDING);
        } catch (IllegalArgumentException e) {
            complain(e.getMessage());
        } catch (IllegalStateException e) {
            // the connection has ended: nothing to send to
        }
    }

    private void rename(RoomConnection c, String nick) {
        if (!c.rename(nick)) {
            complain("Not connected right now; rename again once reconnected.");
        }
    }

    /** Leaves once what was typed is delivered: lines typed last are not left behind (Ctrl-C leaves at once). */
    private void leaveWhenDelivered(RoomConnection c) {
        int t = files.active();
        if (t > 0) {
            complain("Finishing " + t + " transfer" + (t == 1 ? "" : "s")
                    + " before leaving (Ctrl-C leaves now; a download continues next time with /get).");
            try {
                files.awaitIdle(() -> isOpen(c));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int n = c.undelivered();
        if (n > 0) {
            complain("Delivering " + n + " unsent message" + (n == 1 ? "" : "s")
                    + " before leaving (Ctrl-C leaves now; they stay in the outbox unless --no-save).");
            try {
                c.awaitDelivered(Duration.ofDays(365));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.leave();
    }

    private static boolean isOpen(RoomConnection c) {
        return c.state() != RoomConnection.State.ENDED;
    }

    /** Waits for the end of the membership; true if it ended within the timeout. */
    boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    /** 0 for leaving or the room closing, 1 for a lost or dropped connection. */
    int exitCode() {
        Disconnect d = why;
        if (d == null) {
            return 0;
        }
        return switch (d.kind()) {
            case LEFT, ROOM_CLOSED -> 0;
            case DROPPED, LOST, REMOVED -> 1;
        };
    }

    void complain(String text) {
        synchronized (out) {
            out.flush();
        }
        err.println(text);
        err.flush();
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private void awaitWelcome() {
        try {
            welcomed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
