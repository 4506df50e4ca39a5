package org.confab.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.confab.protocol.ErrorCode;
import org.confab.protocol.Frame;
import org.confab.protocol.JsonCodec;
import org.confab.protocol.Message;
import org.confab.protocol.ProtocolException;

/**
 * A member's connection to a room. {@link #connect} does the handshake and returns only once
 * welcomed (or throws a {@link JoinException} that says why not); then a reader thread delivers
 * every room event to the {@link RoomListener}, in order. Sending never blocks the caller.
 */
public final class RoomClient implements AutoCloseable {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(8);
    private static final int SEND_QUEUE = 4096;
    private static final Duration LEAVE_DRAIN = Duration.ofSeconds(3);

    private final Connection connection;
    private final Message.Welcome welcome;
    private final RoomListener listener;
    private final String address;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Duration idleTimeout;
    private volatile String nick;
    private volatile boolean leaving;
    private Thread reader;
    private Thread heartbeat;

    private RoomClient(Connection connection, Message.Welcome welcome, RoomListener listener, String address, Duration idleTimeout) {
        this.connection = connection;
        this.welcome = welcome;
        this.listener = listener;
        this.address = address;
        this.nick = welcome.you();
        this.idleTimeout = idleTimeout;
    }

    /** Connects with the default timeouts. */
    public static RoomClient connect(String host, int port, String nick, RoomListener listener) throws JoinException {
        return connect(host, port, nick, DEFAULT_CONNECT_TIMEOUT, HostConfig.DEFAULT_IDLE_TIMEOUT, listener);
    }

    /**
     * Connects, says hello and waits for the welcome. On return the reader runs and the listener
     * hears every event after the welcome's history.
     */
    public static RoomClient connect(String host, int port, String nick, Duration timeout, Duration idleTimeout,
                                     RoomListener listener) throws JoinException {
        return connect(host, port, nick, timeout, idleTimeout, null, listener);
    }

    /**
     * Connects with a resume (the reliability extension, docs/protocol.md §13): the welcome then
     * answers it and, if it applies, the listener first hears every event the client missed.
     * {@code resume} null = a plain version 1 join.
     */
    public static RoomClient connect(String host, int port, String nick, Duration timeout, Duration idleTimeout,
                                     Message.Resume resume, RoomListener listener) throws JoinException {
        Objects.requireNonNull(listener, "listener");
        String address = host + ":" + port;
        if (port < 1 || port > 65535) {
            throw new JoinException(JoinException.Reason.UNREACHABLE, "Port must be between 1 and 65535.");
        }
        InetAddress ip;
        try {
            ip = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new JoinException(JoinException.Reason.UNKNOWN_HOST, "Unknown host \"" + host
                    + "\". Check the spelling, or type the host's IP address.", e);
        }
        Socket socket = new Socket();
        Connection connection = null;
        try {
            socket.connect(new InetSocketAddress(ip, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            connection = new Connection(socket, Frame.DEFAULT_MAX_PAYLOAD, SEND_QUEUE, "confab-client-" + nick);
            connection.startWriter().start();
            connection.send(new Message.Hello(Message.VERSION, nick, "Confab " + Version.get(), resume));
            Frame frame = connection.readFrame();
            if (frame == null) {
                throw new JoinException(JoinException.Reason.LOST, "The host at " + address + " closed the connection during joining.");
            }
            Message first = JsonCodec.decode(frame);
            switch (first) {
                case Message.Welcome w -> {
                    if (w.version() != Message.VERSION) {
                        throw new JoinException(JoinException.Reason.INCOMPATIBLE_VERSION, "The host speaks protocol version "
                                + w.version() + "; this Confab speaks " + Message.VERSION + ".");
                    }
                    socket.setSoTimeout((int) idleTimeout.toMillis());
                    var client = new RoomClient(connection, w, listener, address, idleTimeout);
                    client.startThreads();
                    return client;
                }
                case Message.Reject r -> throw new JoinException(switch (r.code()) {
                    case NICK_TAKEN -> JoinException.Reason.NICK_TAKEN;
                    case NICK_INVALID -> JoinException.Reason.NICK_INVALID;
                    case ROOM_FULL -> JoinException.Reason.ROOM_FULL;
                    case UNSUPPORTED_VERSION -> JoinException.Reason.INCOMPATIBLE_VERSION;
                    default -> JoinException.Reason.PROTOCOL;
                }, r.reason());
                case Message.Error e -> throw new JoinException(JoinException.Reason.PROTOCOL, "The host refused: " + e.text());
                default -> throw new JoinException(JoinException.Reason.PROTOCOL,
                        "The program at " + address + " did not answer like a Confab host.");
            }
        } catch (JoinException e) {
            close(socket, connection);
            throw e;
        } catch (ConnectException e) {
            close(socket, connection);
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("timed out")) {
                throw new JoinException(JoinException.Reason.TIMEOUT, "No answer from " + address + " within "
                        + timeout.toSeconds() + " s. Is the host on this network, and is a firewall blocking the port?", e);
            }
            throw new JoinException(JoinException.Reason.REFUSED, "Nobody is hosting at " + address
                    + " (connection refused). Check the port, and that the room is still open.", e);
        } catch (NoRouteToHostException e) {
            close(socket, connection);
            throw new JoinException(JoinException.Reason.UNREACHABLE, "No route to " + address + ". Are you on the same network?", e);
        } catch (SocketTimeoutException e) {
            close(socket, connection);
            throw new JoinException(JoinException.Reason.TIMEOUT, "No answer from " + address + " within "
                    + timeout.toSeconds() + " s. Is the host on this network, and is a firewall blocking the port?", e);
        } catch (ProtocolException e) {
            close(socket, connection);
            throw new JoinException(JoinException.Reason.PROTOCOL, "The program at " + address
                    + " did not answer like a Confab host (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            close(socket, connection);
            throw new JoinException(JoinException.Reason.LOST, "Could not join " + address + ": " + e.getMessage(), e);
        }
    }

    private static void close(Socket socket, Connection connection) {
        if (connection != null) {
            connection.closeNow();
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // failing anyway
        }
    }

    public Message.Welcome welcome() {
        return welcome;
    }

    /** The nickname the room knows us by (changes after a successful rename). */
    public String nick() {
        return nick;
    }

    /** "host:port" as typed. */
    public String address() {
        return address;
    }

    public boolean isConnected() {
        return !ended.get() && !connection.isClosed();
    }

    /** Queues a message; false if disconnected or the outbound queue is full. */
    public boolean send(String text) {
        return send(text, null);
    }

    /** Queues a message with a client-chosen id (may be null). */
    public boolean send(String text, String cid) {
        return isConnected() && connection.send(new Message.Send(text, cid));
    }

    public boolean rename(String newNick) {
        return isConnected() && connection.send(new Message.Rename(newNick));
    }

    /**
     * Leaves in order: tells the host and keeps reading until the host has flushed what it had
     * queued for us and closed (bounded wait), so no event already sent is lost. The listener
     * hears LEFT.
     */
    public void leave() {
        if (leaving) {
            joinThreads();
            return;
        }
        leaving = true;
        if (!connection.isClosed() && connection.send(new Message.Leave("left"))) {
            try {
                if (reader != null && reader != Thread.currentThread() && !reader.join(LEAVE_DRAIN)) {
                    connection.closeNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connection.closeNow();
            }
        }
        connection.closeNow();
        joinThreads();
    }

    @Override
    public void close() {
        leave();
    }

    /** Drops the connection at once, without a leave; the listener hears LOST (as on a network failure). */
    void abort() {
        connection.closeNow();
    }

    private void joinThreads() {
        try {
            if (reader != null && reader != Thread.currentThread()) {
                reader.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (heartbeat != null) {
            heartbeat.interrupt();
        }
    }

    private void startThreads() {
        reader = Thread.ofVirtual().name("confab-client-reader").start(this::readLoop);
        heartbeat = Thread.ofVirtual().name("confab-client-heartbeat").start(this::heartbeatLoop);
    }

    private void heartbeatLoop() {
        long nonce = 0;
        Duration every = idleTimeout.dividedBy(3);
        try {
            while (isConnected()) {
                Thread.sleep(every);
                connection.send(new Message.Ping(++nonce));
            }
        } catch (InterruptedException e) {
            // done
        }
    }

    private void readLoop() {
        RoomListener.Disconnect why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.LOST,
                "Connection to " + address + " lost.");
        try {
            while (true) {
                Frame frame = connection.readFrame();
                if (frame == null) {
                    break;
                }
                Message m;
                try {
                    m = JsonCodec.decode(frame);
                } catch (ProtocolException e) {
                    if (e.code() == ErrorCode.UNSUPPORTED_FRAME) {
                        continue;
                    }
                    throw e;
                }
                switch (m) {
                    case Message.Event e -> {
                        if (e.event() instanceof org.confab.core.RoomEvent.Renamed r && r.oldNick().equals(nick)) {
                            nick = r.newNick();
                        }
                        listener.event(e.event(), e.cid());
                    }
                    case Message.Ack a -> listener.ack(a.cid(), a.seq());
                    case Message.Ping p -> connection.send(new Message.Pong(p.nonce()));
                    case Message.Pong ignored -> { }
                    case Message.Closing c -> {
                        why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.ROOM_CLOSED, c.reason());
                        return;
                    }
                    case Message.Error e -> {
                        if (e.fatal()) {
                            why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.DROPPED,
                                    "The host disconnected you: " + e.text());
                            return;
                        }
                        listener.error(e.code(), e.text(), e.cid(), e.retryAfterMillis());
                    }
                    default -> { }
                }
            }
        } catch (SocketTimeoutException e) {
            why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.LOST,
                    "No sign of the host at " + address + " for " + idleTimeout.toSeconds() + " s; connection lost.");
        } catch (ProtocolException e) {
            why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.DROPPED,
                    "The host sent something this Confab cannot read (" + e.getMessage() + ").");
        } catch (IOException e) {
            // lost, unless we are leaving
        } finally {
            if (leaving) {
                why = new RoomListener.Disconnect(RoomListener.Disconnect.Kind.LEFT, "You left the room.");
            }
            connection.closeNow();
            if (heartbeat != null) {
                heartbeat.interrupt();
            }
            if (ended.compareAndSet(false, true)) {
                listener.disconnected(why);
            }
        }
    }
}
