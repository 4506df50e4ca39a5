package org.confab.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;
import org.confab.core.FileRef;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Message;

/**
 * The files one member is downloading from the host (§18.2): each sends its chunks in the
 * connection's bulk lane ({@link FramedSocket#offerBulk}), at most {@link HostFiles#WINDOW} ahead of
 * the member's last {@code file-ack}, so a download never fills the member's queue and a chat line
 * waits for at most one chunk. Runs on the member's read loop (a virtual thread): a chunk is read
 * from disk when an ack makes room for it, from the file kept open while its download goes on
 * (closed when it ends, is cancelled, or the member is gone: {@link #close}).
 */
final class Downloads implements AutoCloseable {
    /** Downloads one member may have going at once (a shared folder's client asks for a few dozen). */
    static final int MAX_ACTIVE = 256;

    private final Peer peer;
    private final Map<String, Sending> sending = new HashMap<>();

    private static final class Sending {
        final FileRef ref;
        final FileChannel data;
        long next;
        long acked;

        Sending(FileRef ref, FileChannel data, long from) {
            this.ref = ref;
            this.data = data;
            this.next = from;
            this.acked = from;
        }
    }

    Downloads(Peer peer) {
        this.peer = peer;
    }

    /** {@code file-get}: starts (or restarts from {@code from}) sending a file this member may have. */
    void get(Message.FileGet g) {
        FileRef ref;
        try {
            ref = files().downloadable(g.file(), peer.nick());
        } catch (HostFiles.Refused r) {
            refuse(g.file(), r.getMessage());
            return;
        }
        if (g.from() < 0 || g.from() > ref.chunks()) {
            refuse(g.file(), "The file has " + ref.chunks() + " chunks; there is no chunk " + g.from() + ".");
            return;
        }
        stop(g.file());
        if (sending.size() >= MAX_ACTIVE) {
            refuse(
                    g.file(),
                    "You are downloading " + MAX_ACTIVE + " files at once already; ask again when one is done.");
            return;
        }
        if (ref.chunks() == 0) {
            return; // an empty file: nothing to send
        }
        FileChannel data;
        try {
            data = files().openForReading(ref);
        } catch (IOException e) {
            refuse(g.file(), "The host could not read the file: " + e.getMessage());
            return;
        }
        Sending s = new Sending(ref, data, g.from());
        sending.put(g.file(), s);
        pump(s);
    }

    /** {@code file-ack}: the member holds the first {@code upto} chunks; the window moves on. */
    void acked(Message.FileAck a) {
        Sending s = sending.get(a.file());
        if (s == null) {
            return; // an ack for a download that ended or was cancelled
        }
        s.acked = Math.max(s.acked, Math.min(a.upto(), s.next));
        if (s.acked >= s.ref.chunks()) {
            stop(a.file());
            return;
        }
        pump(s);
    }

    /** {@code file-cancel}: stops sending (a pause: a later {@code file-get} resumes where it says). */
    void cancel(String file) {
        stop(file);
    }

    /** The member is gone: every file still open is closed. */
    @Override
    public void close() {
        for (String file : sending.keySet().toArray(String[]::new)) {
            stop(file);
        }
    }

    private void stop(String file) {
        Sending s = sending.remove(file);
        if (s != null) {
            try {
                s.data.close();
            } catch (IOException e) {
                // only read from
            }
        }
    }

    private void pump(Sending s) {
        while (s.next < s.ref.chunks() && s.next - s.acked < HostFiles.WINDOW) {
            byte[] frame;
            try {
                frame = files().readFrame(s.ref, s.data, s.next);
            } catch (IOException e) {
                stop(s.ref.id());
                refuse(s.ref.id(), "The host could not read the file: " + e.getMessage());
                return;
            }
            if (!peer.socket().offerBulk(frame)) {
                stop(s.ref.id()); // the member's queue is full: it is cut as a slow consumer
                return;
            }
            s.next++;
        }
    }

    private HostFiles files() {
        return peer.host().room().files();
    }

    private void refuse(String file, String why) {
        peer.socket().send(new Message.Error(ErrorCode.FILE_REFUSED, why, false, file, 0));
    }
}
