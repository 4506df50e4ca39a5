package org.confab.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.confab.core.RoomEvent;
import org.confab.net.RoomClient;
import org.confab.net.RoomListener;
import org.confab.protocol.ErrorCode;

/**
 * The terminal side of one membership, shared by {@code join} and {@code host --nick}: prints the
 * welcome, its history and every later event (human or JSON lines), and turns input lines into
 * messages and commands ({@code /nick NEW}, {@code /quit}, {@code //text} sends "/text").
 *
 * <p>Events can arrive on the client's reader thread before the welcome is printed; they wait on
 * a latch so the output is always welcome, history, then live events, in sequence order.
 */
final class TerminalChat implements RoomListener {
    static final String INPUT_HELP = "Commands: /nick NEW renames you, /quit leaves; start a line with // to send a line beginning with /.";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final EventFormat format;
    private final Clock clock;
    private final CountDownLatch welcomed = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile RoomClient client;
    private volatile Disconnect why;

    TerminalChat(PrintWriter out, PrintWriter err, boolean json, ZoneId zone, Clock clock) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.format = new EventFormat(zone);
        this.clock = clock;
    }

    /** Prints the welcome and its history, then lets live events through. */
    void welcomed(RoomClient c) {
        this.client = c;
        var w = c.welcome();
        synchronized (out) {
            out.println(json ? format.jsonWelcome(w, c.address(), clock.instant()) : format.humanWelcome(w, c.address()));
            for (RoomEvent e : w.history()) {
                out.println(json ? format.json(e, true) : format.human(e));
            }
            out.flush();
        }
        welcomed.countDown();
    }

    @Override
    public void event(RoomEvent e) {
        awaitWelcome();
        print(json ? format.json(e, false) : format.human(e));
    }

    @Override
    public void error(ErrorCode code, String text) {
        awaitWelcome();
        print(json ? format.jsonError(code, text, clock.instant()) : format.humanError(code, text, clock.instant()));
    }

    @Override
    public void disconnected(Disconnect d) {
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
                RoomClient c = client;
                if (c == null || !c.isConnected()) {
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
        RoomClient c = client;
        if (leave && c != null && c.isConnected()) {
            c.leave();
        }
    }

    /** One input line; false means leave. */
    boolean handle(RoomClient c, String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return true;
        }
        if (trimmed.startsWith("//")) {
            c.send(line.substring(line.indexOf('/') + 1));
            return true;
        }
        if (trimmed.startsWith("/")) {
            String[] parts = trimmed.split("\\s+", 2);
            switch (parts[0].toLowerCase(java.util.Locale.ROOT)) {
                case "/quit", "/leave", "/exit" -> {
                    return false;
                }
                case "/nick" -> {
                    if (parts.length < 2 || parts[1].isBlank()) {
                        complain("Usage: /nick NEW");
                    } else {
                        c.rename(parts[1].strip());
                    }
                }
                default -> complain("Unknown command " + parts[0] + ". " + INPUT_HELP);
            }
            return true;
        }
        c.send(line);
        return true;
    }

    /** Waits for the end of the membership; true if it ended within the timeout. */
    boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    Disconnect why() {
        return why;
    }

    /** 0 for leaving or the room closing, 1 for a lost or dropped connection. */
    int exitCode() {
        Disconnect d = why;
        if (d == null) {
            return 0;
        }
        return switch (d.kind()) {
            case LEFT, ROOM_CLOSED -> 0;
            case DROPPED, LOST -> 1;
        };
    }

    private void complain(String text) {
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
