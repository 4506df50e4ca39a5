package org.confab.ui.room;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.confab.core.FileRef;
import org.confab.net.FileTransfers;
import org.confab.ui.files.BoundedImages;
import org.confab.ui.files.Transfer;

/**
 * The file transfers of one connection, as the window shows them (FX thread): what is being sent
 * (the strip above the composer) and what is being fetched (each file card), keyed as {@link
 * FileTransfers} keys them: an upload's id, a download's file id. Hashing a file and making an
 * image's preview happen on {@code worker}; the transfers' progress comes back through the
 * room's one {@link FxBridge} ({@link #listener}), a batch at a time, and each key's state is
 * replaced once per batch.
 */
public final class RoomFiles {
    private final ObservableMap<String, Transfer> transfers = FXCollections.observableHashMap();
    /** Where each download goes: its folder, and the name "Save as…" chose (null: its own). */
    private final Map<String, Path[]> targets = new HashMap<>();

    private final Map<String, Long> lastMoved = new HashMap<>();
    private final Executor worker;
    private final Executor fxThread;
    private Supplier<Path> folder;
    private LongSupplier autoBelow;
    private FileTransfers.Listener listener = new FileTransfers.Listener() {
        @Override
        public void finished(String key, FileRef file, Path saved) {}

        @Override
        public void failed(String key, String why) {}
    };
    private Consumer<String> problems = why -> {};
    private int preparing;

    /**
     * @param worker where files are hashed and previews made (never the FX thread)
     * @param fxThread the FX thread (tests: a direct executor)
     * @param folder where "Save" puts files (Downloads/Confab by default; the settings say)
     * @param autoBelow files smaller than this are fetched as they arrive (0: never); never opened
     */
    public RoomFiles(Executor worker, Executor fxThread, Supplier<Path> folder, LongSupplier autoBelow) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.fxThread = Objects.requireNonNull(fxThread, "fxThread");
        this.folder = Objects.requireNonNull(folder, "folder");
        this.autoBelow = Objects.requireNonNull(autoBelow, "autoBelow");
    }

    /** Where "Save" puts files and below what size files are fetched as they arrive (the settings say). */
    public void configure(Supplier<Path> saveIn, LongSupplier fetchBelow) {
        this.folder = Objects.requireNonNull(saveIn, "saveIn");
        this.autoBelow = Objects.requireNonNull(fetchBelow, "fetchBelow");
    }

    /** Transfers go through {@code bridge} (its {@link FxBridge#transfers()}). */
    public void listenThrough(FxBridge bridge) {
        this.listener = bridge.transfers();
    }

    /** What is said when something cannot start (a missing file, no disk space): a notice in the room. */
    public void onProblem(Consumer<String> show) {
        this.problems = Objects.requireNonNull(show, "show");
    }

    public ObservableMap<String, Transfer> transfers() {
        return transfers;
    }

    /** The folder "Save" puts files in. */
    public Path folder() {
        return folder.get();
    }

    // ------------------------------------------------------------------ sending

    /**
     * Shares {@code paths} (files; a folder as a whole) in {@code session}'s conversation, the
     * first with {@code caption}. Each shows in the strip at once ("Preparing…") and is hashed
     * and sent off the FX thread.
     */
    public void send(RoomActions session, List<Path> paths, String caption) {
        FileTransfers files = session.files();
        if (files == null) {
            problems.accept("Files cannot be sent here.");
            return;
        }
        String to = session.directTo();
        boolean first = true;
        for (Path p : paths) {
            String text = first ? Objects.requireNonNullElse(caption, "") : "";
            first = false;
            String local = "local-" + (++preparing);
            String name =
                    p.getFileName() == null ? p.toString() : p.getFileName().toString();
            long size = sizeOf(p);
            transfers.put(local, Transfer.preparing(local, name, true, size));
            worker.execute(() -> {
                String key = null;
                String why = null;
                try {
                    if (Files.isDirectory(p)) {
                        key = files.uploadFolder(p, to, text, listener);
                    } else {
                        String thumb = null;
                        String mime = Files.probeContentType(p);
                        if (mime != null && mime.startsWith("image/")) {
                            thumb = BoundedImages.thumbnail(p, FileRef.MAX_THUMB)
                                    .orElse(null);
                        }
                        key = files.upload(p, name, to, text, thumb, listener);
                    }
                } catch (IOException | RuntimeException e) {
                    why = e.getMessage() == null ? "Could not read " + name + "." : e.getMessage();
                }
                String k = key;
                String w = why;
                fxThread.execute(() -> {
                    Transfer t = transfers.remove(local);
                    if (k == null) {
                        transfers.put(local, t.failed(w));
                    } else if (!transfers.containsKey(k)) { // progress may have come first
                        transfers.put(k, new Transfer(k, name, true, 0, size, 0, Transfer.Status.RUNNING, null, null));
                    }
                });
            });
        }
    }

    private static long sizeOf(Path p) {
        try {
            return FileTransfers.totalSize(p);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * Takes up what an earlier run left unfinished: uploads the store remembers go on after the
     * chunks the host holds, each with its row in the strip (a file changed since is dropped, and
     * its row says why).
     */
    public void resumeUploads(FileTransfers files) {
        if (files == null) {
            return;
        }
        worker.execute(() -> {
            List<String> keys = files.resumeUploads(listener);
            Map<String, String> names = new HashMap<>();
            for (String k : keys) {
                names.put(k, files.nameOf(k).orElse(k));
            }
            fxThread.execute(() -> names.forEach((k, name) -> {
                if (!transfers.containsKey(k)) {
                    transfers.put(k, new Transfer(k, name, true, 0, 0, 0, Transfer.Status.RUNNING, null, null));
                }
            }));
        });
    }

    // ------------------------------------------------------------------ fetching

    /** A file message arrived live from someone else: small files are fetched now (never opened). */
    public void arrived(FileTransfers files, FileRef ref) {
        if (files != null && ref.size() < autoBelow.getAsLong() && !transfers.containsKey(ref.id())) {
            download(files, ref, null);
        }
    }

    /**
     * Fetches {@code ref} into the folder ({@code saveAs} null: under its own safe name, never over
     * another file) or as {@code saveAs} (a path the person chose in "Save as…", and so may replace).
     */
    public void download(FileTransfers files, FileRef ref, Path saveAs) {
        if (files == null) {
            return;
        }
        Path into = saveAs == null ? folder.get() : saveAs.toAbsolutePath().getParent();
        targets.put(ref.id(), new Path[] {into, saveAs});
        transfers.put(ref.id(), Transfer.preparing(ref.id(), ref.fileName(), false, ref.size()));
        worker.execute(() -> {
            try {
                files.download(ref, into, listener);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? "Could not save " + ref.fileName() + "." : e.getMessage();
                fxThread.execute(() -> failed(ref.id(), why));
            }
        });
    }

    /** Stops for now: what arrived stays (a download's {@code .part}); {@link #resume} goes on from there. */
    public void pause(FileTransfers files, String key) {
        Transfer t = transfers.get(key);
        if (files == null || t == null || !t.active()) {
            return;
        }
        files.pause(key);
        transfers.put(key, t.paused(true));
    }

    public void resume(FileTransfers files, String key) {
        Transfer t = transfers.get(key);
        if (files == null || t == null || t.status() != Transfer.Status.PAUSED) {
            return;
        }
        files.resume(key);
        transfers.put(key, t.paused(false));
    }

    /** Stops for good (an upload is not shared; a download's part is kept for a later "Save"). */
    public void cancel(FileTransfers files, String key) {
        if (files != null) {
            files.cancel(key);
        }
        transfers.remove(key);
        targets.remove(key);
    }

    /** A finished or failed row the person closed. */
    public void dismiss(String key) {
        Transfer t = transfers.get(key);
        if (t != null && !t.active()) {
            transfers.remove(key);
        }
    }

    // ------------------------------------------------------------------ the bridge's updates (FX thread)

    /** Applies one batch's transfer updates: the last of each key counts. */
    void apply(FxBridge.Update.Transfer u, long nowNanos) {
        Transfer t = transfers.get(u.key());
        if (!u.ended()) {
            if (t == null) {
                return; // cancelled since, or an upload whose row has not been made yet
            }
            Long last = lastMoved.put(u.key(), nowNanos);
            double seconds = last == null ? 0 : (nowNanos - last) / 1e9;
            transfers.put(u.key(), t.moved(u.done(), u.total(), seconds));
            return;
        }
        lastMoved.remove(u.key());
        if (u.failed() != null) {
            failed(u.key(), u.failed());
            return;
        }
        Path saved = u.saved();
        Path[] target = targets.remove(u.key());
        if (saved != null && target != null && target[1] != null && !saved.equals(target[1])) {
            try { // "Save as…": the person chose this name (and the system dialog asked before replacing)
                saved = Files.move(saved, target[1], StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                problems.accept("Saved as " + saved.getFileName() + ": could not rename it to "
                        + target[1].getFileName() + " (" + e.getMessage() + ").");
            }
        }
        String name = t != null ? t.name() : u.file() != null ? u.file().fileName() : u.key();
        Transfer base = t != null ? t : Transfer.preparing(u.key(), name, saved == null, 0);
        transfers.put(u.key(), base.done(saved));
    }

    private void failed(String key, String why) {
        Transfer t = transfers.get(key);
        if (t != null) {
            transfers.put(key, t.failed(why));
        }
        targets.remove(key);
    }
}
