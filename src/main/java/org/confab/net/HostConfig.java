package org.confab.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
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
 */
public record HostConfig(InetAddress bindAddress, int port, String roomName, int maxFrame, int history,
                         int maxMembers, int sendQueue, Duration handshakeTimeout, Duration heartbeat,
                         Duration idleTimeout) {
    /** Default port, documented in README and docs/protocol.md. */
    public static final int DEFAULT_PORT = 4747;
    public static final int DEFAULT_SEND_QUEUE = 4096;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(15);

    public HostConfig {
        Objects.requireNonNull(roomName, "roomName");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Port must be between 0 and 65535.");
        }
    }

    public static HostConfig defaults(String roomName, int port) {
        return new HostConfig(null, port, roomName, Frame.DEFAULT_MAX_PAYLOAD, Room.DEFAULT_HISTORY,
                Room.DEFAULT_MAX_MEMBERS, DEFAULT_SEND_QUEUE, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HEARTBEAT,
                DEFAULT_IDLE_TIMEOUT);
    }

    public HostConfig withBindAddress(InetAddress a) {
        return new HostConfig(a, port, roomName, maxFrame, history, maxMembers, sendQueue, handshakeTimeout, heartbeat, idleTimeout);
    }

    public HostConfig withLimits(int maxFrame, int history, int maxMembers, int sendQueue) {
        return new HostConfig(bindAddress, port, roomName, maxFrame, history, maxMembers, sendQueue, handshakeTimeout, heartbeat, idleTimeout);
    }

    public HostConfig withTimeouts(Duration handshakeTimeout, Duration heartbeat, Duration idleTimeout) {
        return new HostConfig(bindAddress, port, roomName, maxFrame, history, maxMembers, sendQueue, handshakeTimeout, heartbeat, idleTimeout);
    }
}
