package org.confab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.confab.core.ChatMessage;
import org.confab.core.FileRef;
import org.confab.net.FileTransfers;
import org.confab.net.RoomConnection;
import org.confab.store.AppDirs;

/**
 * Files in the terminal client ({@code /send}, {@code /get}, {@code /files}, {@code /cancel}):
 * every shared file gets a short number in this terminal (the first file seen is 1), an upload gets
 * one when it starts; progress is printed at every further tenth of the file or every 2 seconds,
 * whichever comes first, so a big transfer does not flood the terminal. Human lines or, with
 * {@code --json}, {@code file-started}, {@code file-progress}, {@code file-done}, {@code
 * file-failed} and {@code file-cancelled} objects (docs in {@link JoinCommand}'s help and README).
 */
final class TerminalFiles {
    /** At most one progress line per transfer this often (and at every tenth of the file). */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(2);

    /** Where downloads go unless {@code --download-dir} says: ~/Downloads/Confab. */
    static Path defaultDownloadDir() {
        return AppDirs.downloads(); // the desktop app's default too
    }

    private final EventFormat format;
    private final boolean json;
    private final Clock clock;
    private final Path downloadDir;
    /** Files up to this size are downloaded as their message arrives; -1: none. */
    private final long autoBelow;

    private final Consumer<String> print;
    private final Consumer<String> complain;
    private final AtomicInteger numbers = new AtomicInteger();
    private final Map<String, Integer> numberOfFile = new ConcurrentHashMap<>();
    private final Map<Integer, FileRef> fileOfNumber = new ConcurrentHashMap<>();
    private final Map<Integer, Transfer> transfers = new ConcurrentHashMap<>();
    private final Object idle = new Object();

    /** One transfer going on: what it is and what was last printed of it. */
    private final class Transfer implements FileTransfers.Listener {
        final int number;
        final boolean upload;
        final String name;
        final long size;
        volatile String key;
        volatile long done;
        private int tenthsShown;
        private long shownAt;

        Transfer(int number, boolean upload, String name, long size) {
            this.number = number;
            this.upload = upload;
            this.name = name;
            this.size = size;
            this.shownAt = clock.millis();
        }

        String direction() {
            return upload ? "upload" : "download";
        }

        @Override
        public void progress(String k, long bytes, long total) {
            done = bytes;
            if (bytes >= total) {
                return; // the end has its own line
            }
            int tenths = (int) (bytes * 10 / Math.max(1, total));
            long now = clock.millis();
            synchronized (this) {
                if (tenths <= tenthsShown && now - shownAt < PROGRESS_EVERY.toMillis()) {
                    return;
                }
                tenthsShown = Math.max(tenths, tenthsShown);
                shownAt = now;
            }
            line(
                    (upload ? "Sending " : "Downloading ") + name + ": " + percent(bytes, total) + " ("
                            + FileRef.humanSize(bytes) + " of " + FileRef.humanSize(total) + ")",
                    "file-progress",
                    "done",
                    bytes,
                    "total",
                    total);
        }

        @Override
        public void finished(String k, FileRef file, Path saved) {
            over(this);
            if (upload) {
                numberOfFile.putIfAbsent(file.id(), number);
                fileOfNumber.putIfAbsent(number, file);
                line(
                        "Shared " + name + " (" + FileRef.humanSize(size) + ").",
                        "file-done",
                        "id",
                        file.id(),
                        "size",
                        file.size());
            } else {
                line(
                        "Saved " + name + " (" + FileRef.humanSize(size) + ", SHA-256 checked) as " + saved + ".",
                        "file-done",
                        "id",
                        file.id(),
                        "size",
                        file.size(),
                        "path",
                        saved.toString());
            }
        }

        @Override
        public void failed(String k, String why) {
            over(this);
            line(
                    (upload ? "Could not share " : "Could not download ") + name + ": " + why,
                    "file-failed",
                    "reason",
                    why);
        }

        /** One line about this transfer: human text, or a JSON object of {@code type} with these fields. */
        void line(String human, String type, Object... fields) {
            if (json) {
                Object[] all = new Object[6 + fields.length];
                all[0] = "handle";
                all[1] = number;
                all[2] = "direction";
                all[3] = direction();
                all[4] = "name";
                all[5] = name;
                System.arraycopy(fields, 0, all, 6, fields.length);
                print.accept(format.jsonLine(type, clock.instant(), all));
            } else {
                print.accept(format.humanNote(human, clock.instant()));
            }
        }
    }

    /**
     * @param print    prints a line on stdout (the chat's output lock)
     * @param complain prints a line on stderr (usage, a file that does not exist)
     */
    TerminalFiles(
            EventFormat format,
            boolean json,
            Clock clock,
            Path downloadDir,
            long autoBelow,
            Consumer<String> print,
            Consumer<String> complain) {
        this.format = format;
        this.json = json;
        this.clock = clock;
        this.downloadDir = downloadDir;
        this.autoBelow = autoBelow;
        this.print = print;
        this.complain = complain;
    }

    /** The number file {@code f} goes by here, given the first time it is seen. */
    int number(FileRef f) {
        return numberOfFile.computeIfAbsent(f.id(), id -> {
            int n = numbers.incrementAndGet();
            fileOfNumber.put(n, f);
            return n;
        });
    }

    /** A file message arrived: downloaded at once when it is live, another's and small enough (--auto-download-below). */
    void shared(RoomConnection c, ChatMessage m, boolean live) {
        FileRef f = m.file();
        if (f != null
                && live
                && autoBelow >= 0
                && f.size() <= autoBelow
                && !m.sender().equals(c.nick())) {
            get(c, number(f));
        }
    }

    /** {@code /send PATH [CAPTION]}: a file, or a folder as a whole (its structure kept); the one place that sends paths. */
    void send(RoomConnection c, String rest, String usage) {
        String[] pathAndCaption = pathAndCaption(rest);
        if (pathAndCaption == null) {
            complain.accept(usage);
            return;
        }
        Path path;
        try {
            path = Path.of(pathAndCaption[0]);
        } catch (InvalidPathException e) {
            complain.accept("No such file: " + pathAndCaption[0]);
            return;
        }
        boolean folder = Files.isDirectory(path);
        if (!folder && !Files.isRegularFile(path)) {
            complain.accept("No such file: " + path);
            return;
        }
        if (!Files.isReadable(path)) {
            complain.accept("Cannot read " + path + " (no permission).");
            return;
        }
        long size;
        try {
            size = FileTransfers.totalSize(path);
        } catch (IOException e) {
            complain.accept("Cannot read " + path + ": " + e.getMessage());
            return;
        }
        int n = numbers.incrementAndGet();
        var t = new Transfer(n, true, path.getFileName().toString(), size);
        transfers.put(n, t);
        t.line(
                "Sending " + t.name + " (" + FileRef.humanSize(size) + "); /cancel " + n + " stops it.",
                "file-started",
                "size",
                size);
        // hashing a big file takes a while: not on the input thread
        Thread.ofVirtual().name("confab-send-" + n).start(() -> {
            try {
                t.key = folder
                        ? c.files().uploadFolder(path, null, pathAndCaption[1], t)
                        : c.files().upload(path, null, pathAndCaption[1], t);
                if (!transfers.containsKey(n)) {
                    c.files().cancel(t.key); // cancelled while it was being hashed
                }
            } catch (IOException e) {
                t.failed(null, e.getMessage());
            }
        });
    }

    /** {@code /get N}: downloads file N to the download folder, continuing a {@code .part} left there. */
    void get(RoomConnection c, int n) {
        FileRef f = fileOfNumber.get(n);
        if (f == null) {
            complain.accept("No file " + n + " here: the number is the one after \"/get\" on a file's message.");
            return;
        }
        if (transfers.containsKey(n)) {
            complain.accept(f.fileName() + " is on its way already (/files).");
            return;
        }
        var t = new Transfer(n, false, f.fileName(), f.size());
        transfers.put(n, t);
        t.line(
                "Downloading " + t.name + " (" + FileRef.humanSize(f.size()) + ") to " + downloadDir + "; /cancel " + n
                        + " stops it.",
                "file-started",
                "size",
                f.size(),
                "id",
                f.id());
        Thread.ofVirtual().name("confab-get-" + n).start(() -> {
            try {
                t.key = c.files().download(f, downloadDir, t);
            } catch (IOException e) {
                t.failed(null, e.getMessage());
            }
        });
    }

    /** {@code /files}: the transfers going on, one line each (on stderr, as other answers to commands). */
    void list() {
        List<Transfer> all = new ArrayList<>(transfers.values());
        if (all.isEmpty()) {
            complain.accept("No transfers going on.");
            return;
        }
        all.sort((a, b) -> Integer.compare(a.number, b.number));
        for (Transfer t : all) {
            complain.accept(t.number + "  " + (t.upload ? "sending " : "downloading ") + t.name + "  "
                    + percent(t.done, t.size) + " of " + FileRef.humanSize(t.size));
        }
    }

    /** {@code /cancel N}. */
    void cancel(RoomConnection c, int n) {
        Transfer t = transfers.get(n);
        if (t == null) {
            complain.accept("No transfer " + n + " going on (/files lists them).");
            return;
        }
        over(t);
        if (t.key != null) {
            c.files().cancel(t.key);
        }
        t.line(
                "Stopped " + (t.upload ? "sending " : "downloading ") + t.name
                        + (t.upload ? "." : "; /get " + n + " continues where it stopped."),
                "file-cancelled");
    }

    /** Transfers not finished. */
    int active() {
        return transfers.size();
    }

    /** A transfer is done, failed or cancelled: it leaves the list, and whoever waits for the end hears it. */
    private void over(Transfer t) {
        transfers.remove(t.number, t);
        synchronized (idle) {
            idle.notifyAll();
        }
    }

    /** Waits until no transfer is going on, or {@code open} says the membership ended (asked every second). */
    void awaitIdle(BooleanSupplier open) throws InterruptedException {
        synchronized (idle) {
            while (!transfers.isEmpty() && open.getAsBoolean()) {
                idle.wait(1000);
            }
        }
    }

    /**
     * PATH and CAPTION of {@code /send}: a quoted path ({@code "my file.pdf" the caption}), the whole
     * rest when it names a file, else the first word; null when nothing is given.
     */
    static String[] pathAndCaption(String rest) {
        String r = rest.strip();
        if (r.isEmpty()) {
            return null;
        }
        String path;
        String caption;
        if (r.charAt(0) == '"' || r.charAt(0) == '\'') {
            int end = r.indexOf(r.charAt(0), 1);
            if (end < 0) {
                return null;
            }
            path = r.substring(1, end);
            caption = r.substring(end + 1).strip();
        } else if (exists(home(r))) {
            path = r;
            caption = "";
        } else {
            String[] w = r.split("\\s+", 2);
            path = w[0];
            caption = w.length > 1 ? w[1] : "";
        }
        return path.isEmpty() ? null : new String[] {home(path), caption};
    }

    private static boolean exists(String path) {
        try {
            return Files.exists(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** {@code ~/x} as the shell would expand it. */
    private static String home(String path) {
        return path.equals("~") || path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static String percent(long done, long total) {
        return total <= 0 ? "100%" : String.format(Locale.ROOT, "%d%%", done * 100 / total);
    }
}
