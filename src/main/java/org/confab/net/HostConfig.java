package org.confab.net;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.confab.core.Room;
import org.confab.protocol.Frame;

/**
 * Everything a host can be told, each limit with a name and a default.
 *
 * @param bindAddress   address to listen on; null = all interfaces
 * @param port          TCP port; 0 = any free port
 * @param roomName      shown to members
 * @param maxFrame      largest frame payload accepted, bytes
 * @param history       recent events sent to a late joiner
 * @param maxMembers    members per room
 * @param sendQueue     frames queued for one member before it counts as not reading and is cut
 * @param handshakeTimeout time a new connection has to send its hello
 * @param heartbeat     interval between pings
 * @param idleTimeout   silence after which a member counts as gone
 * @param historyFile   SQLite file holding the room's history and identity; null = memory only
 *                      (gone at stop: sequence numbers restart and resumes answer "new")
 * @param ratePerSecond messages per second one member may post on average (token bucket refill)
 * @param burst         messages one member may post at once (token bucket size)
 * @param keepEvents    events kept in the history file; older ones are deleted (resume then reports a gap)
 * @param fsync         true: every event is fsynced before anyone sees it (survives power loss; posts
 *                      are group-committed, many to one fsync); false: survives a killed host process,
 *                      not an OS crash
 * @param maxFileSize   largest file a member may share, bytes; 0 = the host takes no files (§18)
 * @param fileQuota     bytes of files the host keeps at most (partial uploads count with their full size)
 * @param maxUploadRate bytes per second one member's connection may upload; 0 = unlimited (the host
 *                      paces its acks, so the sender's window slows it; nothing is cut)
 * @param fileRetention how long the host keeps a shared file (and a partial upload) after its upload;
 *                      older ones are deleted at start and every hour ({@link FileRetention});
 *                      {@link Duration#ZERO} = kept until their message is deleted
 * @param lazyMembersAbove a member that speaks {@code lazymembers} and joins a room of more members
 *                      than this gets the count instead of the list and no one else's joins until it
 *                      asks (docs/protocol.md §20); in a room up to this size it gets both as before
 */
public record HostConfig(
        InetAddress bindAddress,
        int port,
        String roomName,
        int maxFrame,
        int history,
        int maxMembers,
        int sendQueue,
        Duration handshakeTimeout,
        Duration heartbeat,
        Duration idleTimeout,
        Path historyFile,
        int ratePerSecond,
        int burst,
        long keepEvents,
        boolean fsync,
        long maxFileSize,
        long fileQuota,
        long maxUploadRate,
        Duration fileRetention,
        int lazyMembersAbove) {
    /** Default port, documented in README and docs/protocol.md. */
    public static final int DEFAULT_PORT = 4747;

    public static final int DEFAULT_SEND_QUEUE = 4096;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);
    /** Default rate limit: 20 messages per second per member on average... */
    public static final int DEFAULT_RATE_PER_SECOND = 20;
    /** ... and 40 at once. */
    public static final int DEFAULT_BURST = 40;
    /** Default number of events kept in the history file. */
    public static final long DEFAULT_KEEP_EVENTS = 1_000_000;
    /** Default largest shared file: 4 GiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 4L << 30;
    /** Default space for shared files: 20 GiB. */
    public static final long DEFAULT_FILE_QUOTA = 20L << 30;
    /** Default time a shared file is kept: 30 days. */
    public static final Duration DEFAULT_FILE_RETENTION = Duration.ofDays(30);
    /** Default size above which a room's member list is loaded lazily (§20). */
    public static final int DEFAULT_LAZY_MEMBERS_ABOVE = 500;

    public HostConfig {
        Objects.requireNonNull(roomName, "roomName");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535.");
        }
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("ratePerSecond and burst must be at least 1.");
        }
        if (keepEvents < 1) {
            throw new IllegalArgumentException("keepEvents must be at least 1.");
        }
        if (maxFileSize < 0 || fileQuota < 0) {
            throw new IllegalArgumentException("maxFileSize and fileQuota must not be negative.");
        }
        if (maxUploadRate < 0) {
            throw new IllegalArgumentException("maxUploadRate must not be negative (0: unlimited).");
        }
        Objects.requireNonNull(fileRetention, "fileRetention");
        if (fileRetention.isNegative()) {
            throw new IllegalArgumentException("fileRetention must not be negative.");
        }
        if (lazyMembersAbove < 0) {
            throw new IllegalArgumentException("lazyMembersAbove must not be negative.");
        }
    }

    public static HostConfig defaults(String roomName, int port) {
        return new Draft(roomName, port).build();
    }

    public HostConfig withBindAddress(InetAddress a) {
        return with(d -> d.bindAddress = a);
    }

    public HostConfig withLimits(int maxFrame, int history, int maxMembers, int sendQueue) {
        return with(d -> {
            d.maxFrame = maxFrame;
            d.history = history;
            d.maxMembers = maxMembers;
            d.sendQueue = sendQueue;
        });
    }

    public HostConfig withTimeouts(Duration handshakeTimeout, Duration heartbeat, Duration idleTimeout) {
        return with(d -> {
            d.handshakeTimeout = handshakeTimeout;
            d.heartbeat = heartbeat;
            d.idleTimeout = idleTimeout;
        });
    }

    /** Keep the history in this SQLite file (see {@code DataDirs.hostRoomFile}); null = memory only. */
    public HostConfig withHistoryFile(Path file) {
        return with(d -> d.historyFile = file);
    }

    public HostConfig withRateLimit(int ratePerSecond, int burst) {
        return with(d -> {
            d.ratePerSecond = ratePerSecond;
            d.burst = burst;
        });
    }

    public HostConfig withKeepEvents(long keepEvents) {
        return with(d -> d.keepEvents = keepEvents);
    }

    /** Whether every event is fsynced before anyone sees it (see {@link HostConfig}). */
    public HostConfig withFsync(boolean fsync) {
        return with(d -> d.fsync = fsync);
    }

    /** Files members may share: up to {@code maxFileSize} bytes each (0: none), {@code fileQuota} bytes in all. */
    public HostConfig withFiles(long maxFileSize, long fileQuota) {
        return with(d -> {
            d.maxFileSize = maxFileSize;
            d.fileQuota = fileQuota;
        });
    }

    /** Each member's connection uploads at most {@code bytesPerSecond} (0: unlimited, the default). */
    public HostConfig withMaxUploadRate(long bytesPerSecond) {
        return with(d -> d.maxUploadRate = bytesPerSecond);
    }

    /** Shared files are deleted this long after their upload; {@link Duration#ZERO} keeps them. */
    public HostConfig withFileRetention(Duration retention) {
        return with(d -> d.fileRetention = retention);
    }

    /** Members who join a room of more than {@code members} get its member list lazily (§20; 0: always). */
    public HostConfig withLazyMembersAbove(int members) {
        return with(d -> d.lazyMembersAbove = members);
    }

    /**
     * Where the room's shared files are kept: beside its history file ({@code <name>.files}), or
     * null for a room kept in memory only (then in a temporary folder gone at stop).
     */
    public Path filesDir() {
        if (historyFile == null) {
            return null;
        }
        String name = historyFile.getFileName().toString().replaceFirst("\\.db$", "");
        return historyFile.resolveSibling(name + ".files");
    }

    /** This config with what {@code change} sets on a mutable copy of it (checked again on the way out). */
    private HostConfig with(Consumer<Draft> change) {
        var draft = new Draft(this);
        change.accept(draft);
        return draft.build();
    }

    /**
     * The components as mutable fields, each starting at its default: what {@link #defaults} and
     * the withers fill in.
     */
    private static final class Draft {
        InetAddress bindAddress; // null: all interfaces
        int port;
        String roomName;
        int maxFrame = Frame.DEFAULT_MAX_PAYLOAD;
        int history = Room.DEFAULT_HISTORY;
        int maxMembers = Room.DEFAULT_MAX_MEMBERS;
        int sendQueue = DEFAULT_SEND_QUEUE;
        Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        Duration heartbeat = DEFAULT_HEARTBEAT;
        Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        Path historyFile; // null: memory only
        int ratePerSecond = DEFAULT_RATE_PER_SECOND;
        int burst = DEFAULT_BURST;
        long keepEvents = DEFAULT_KEEP_EVENTS;
        boolean fsync = true;
        long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        long fileQuota = DEFAULT_FILE_QUOTA;
        long maxUploadRate; // 0: unlimited
        Duration fileRetention = DEFAULT_FILE_RETENTION;
        int lazyMembersAbove = DEFAULT_LAZY_MEMBERS_ABOVE;

        /** The defaults, for a room named {@code roomName} on {@code port}. */
        Draft(String roomName, int port) {
            this.roomName = roomName;
            this.port = port;
        }

        Draft(HostConfig c) {
            bindAddress = c.bindAddress;
            port = c.port;
            roomName = c.roomName;
            maxFrame = c.maxFrame;
            history = c.history;
            maxMembers = c.maxMembers;
            sendQueue = c.sendQueue;
            handshakeTimeout = c.handshakeTimeout;
            heartbeat = c.heartbeat;
            idleTimeout = c.idleTimeout;
            historyFile = c.historyFile;
            ratePerSecond = c.ratePerSecond;
            burst = c.burst;
            keepEvents = c.keepEvents;
            fsync = c.fsync;
            maxFileSize = c.maxFileSize;
            fileQuota = c.fileQuota;
            maxUploadRate = c.maxUploadRate;
            fileRetention = c.fileRetention;
            lazyMembersAbove = c.lazyMembersAbove;
        }

        HostConfig build() {
            return new HostConfig(
                    bindAddress,
                    port,
                    roomName,
                    maxFrame,
                    history,
                    maxMembers,
                    sendQueue,
                    handshakeTimeout,
                    heartbeat,
                    idleTimeout,
                    historyFile,
                    ratePerSecond,
                    burst,
                    keepEvents,
                    fsync,
                    maxFileSize,
                    fileQuota,
                    maxUploadRate,
                    fileRetention,
                    lazyMembersAbove);
        }
    }
}
