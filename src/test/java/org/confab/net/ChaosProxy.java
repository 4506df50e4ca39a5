package org.confab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * A TCP proxy on loopback that forwards bytes between clients and a host and can cut any
 * connection at any moment (both directions at once, possibly in the middle of a frame), as a
 * flaky network or a sleeping laptop would. {@link #cutRandom} picks a live connection.
 *
 * <p>With a {@link Schedule} it also cuts by itself, phase-aware: every new connection gets a
 * {@link Plan} drawn from a seeded random (the n-th accepted connection always gets the same plan
 * for the same seed), aimed at one phase of joining or chatting. The proxy cannot decrypt, but it
 * follows the TLS record framing (5-byte headers, the same in both directions) and counts the
 * client's records, which during joining are strictly one per step:
 * <pre>
 *   client → host:  ClientHello, [ChangeCipherSpec], Finished (1st application-data record),
 *                   auth-start (2nd), auth-finish (3rd)   -- only in a room with a password
 *                   hello (2nd, or 4th with a password), then the outbox and chat
 *   host → client:  ServerHello .. Finished, session tickets, challenge, auth-ok, welcome,
 *                   the resume replay, live events
 * </pre>
 * So each cut is put into a {@link Phase} by what had passed when it happened (see
 * {@link #phaseOf}); {@link #cutsByPhase} counts them.
 *
 * <p>Tests that need one particular fault give each connection its plan themselves
 * ({@link #ChaosProxy(int, boolean, IntFunction)}, with {@link Plan#cut}, {@link Plan#stall} and
 * {@link Plan#NONE}): e.g. "the 2nd connection is closed halfway into the host's ServerHello",
 * or "the client's auth-finish is held back, the connection stays open". {@link #down()} and
 * {@link #up()} switch the whole link off and on, like a Wi-Fi that goes away.
 */
public final class ChaosProxy implements AutoCloseable {
    /** Where in a connection's life a cut landed. */
    public enum Phase {
        /**
         * The host was down: the proxy accepted and closed at once (the client sees EOF in its TLS
         * handshake); or the link was {@link #down()}: accepted and reset at once.
         */
        TCP_CONNECT,
        /** Before the client's TLS Finished was through: inside the TLS handshake. */
        TLS_HANDSHAKE,
        /** After TLS, before the hello: auth-start, challenge, auth-finish, auth-ok. */
        PASSWORD,
        /** The hello on its way, or the welcome (the first host record after the hello) on its way back. */
        HELLO_WELCOME,
        /** After the welcome, before the client sent anything again (it sends its outbox once caught up). */
        RESUME_REPLAY,
        /** Live chat. */
        CHAT
    }

    /** What a plan aims at (the phase actually hit is decided by what had passed; usually the same). */
    public enum Aim {
        TLS_C2S,
        TLS_S2C,
        AUTH_START,
        CHALLENGE,
        AUTH_FINISH,
        AUTH_OK,
        HELLO,
        WELCOME,
        REPLAY,
        CHAT,
        NONE
    }

    /**
     * One connection's cut: aim, which record of the aimed kind ({@code index}), how far into it
     * ({@code fraction} of its bytes, header included), for CHAT the bytes after the hello, and
     * whether it is a reset (RST) or an orderly close (FIN, the peer reads EOF). With {@code stall}
     * it is no cut: from that point on the aimed direction is held back (read and dropped) while
     * the connection stays open and the other direction flows, as a peer that stopped sending.
     */
    public record Plan(Aim aim, int index, double fraction, long chatBytes, boolean reset, boolean stall) {
        /** A plan that leaves the connection alone. */
        public static final Plan NONE = new Plan(Aim.NONE, 0, 0, 0, true);

        /** A cut (no stall). */
        public Plan(Aim aim, int index, double fraction, long chatBytes, boolean reset) {
            this(aim, index, fraction, chatBytes, reset, false);
        }

        /**
         * A cut at {@code fraction} of the {@code index}-th record of the aimed kind: RST if
         * {@code reset}, else FIN. (If that moment never comes, the cut falls right after the hello.)
         */
        public static Plan cut(Aim aim, int index, double fraction, boolean reset) {
            return new Plan(aim, index, fraction, 0, reset, false);
        }

        /** Like {@link #cut}, but the aimed direction is held back from there on instead, the connection left open. */
        public static Plan stall(Aim aim, int index, double fraction) {
            return new Plan(aim, index, fraction, 0, false, true);
        }
    }

    /**
     * The seeded schedule. {@code password}: the room has a password (the client sends two more
     * records before its hello). Weights are relative; see {@link #everyPhase}.
     */
    public record Schedule(
            long seed,
            boolean password,
            int tls,
            int auth,
            int hello,
            int welcome,
            int replay,
            int chat,
            long chatMin,
            long chatMax,
            double resetShare) {
        /** About a third of connections cut inside TLS, a fifth in the password exchange, the rest spread over the later phases. */
        public static Schedule everyPhase(long seed, boolean password) {
            return new Schedule(seed, password, 30, password ? 20 : 0, 8, 8, 10, 24, 1_000, 30_000, 0.8);
        }

        public Schedule withChatBytes(long min, long max) {
            return new Schedule(seed, password, tls, auth, hello, welcome, replay, chat, min, max, resetShare);
        }

        public Schedule withWeights(int tls, int auth, int hello, int welcome, int replay, int chat) {
            return new Schedule(seed, password, tls, auth, hello, welcome, replay, chat, chatMin, chatMax, resetShare);
        }

        /** The plan of the n-th connection (0-based, in accept order): a pure function of seed and n. */
        public Plan plan(int n) {
            var r = new Random(seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L + 1);
            int total = tls + auth + hello + welcome + replay + chat;
            int pick = r.nextInt(total);
            boolean reset = r.nextDouble() < resetShare;
            double f = r.nextDouble();
            long chatAfter = chatMin + (long) (r.nextDouble() * (chatMax - chatMin));
            if ((pick -= tls) < 0) {
                // client: ClientHello, CCS, Finished (records 0..2); host: ServerHello, CCS and the encrypted flight
                // (0..5)
                return r.nextBoolean()
                        ? new Plan(Aim.TLS_C2S, r.nextInt(3), f, 0, reset)
                        : new Plan(Aim.TLS_S2C, r.nextInt(6), f, 0, reset);
            }
            if ((pick -= auth) < 0) {
                Aim[] steps = {Aim.AUTH_START, Aim.CHALLENGE, Aim.AUTH_FINISH, Aim.AUTH_OK};
                return new Plan(steps[r.nextInt(4)], 0, f, 0, reset);
            }
            if ((pick -= hello) < 0) {
                return new Plan(Aim.HELLO, 0, f, 0, reset);
            }
            if ((pick -= welcome) < 0) {
                return new Plan(Aim.WELCOME, 0, f, 0, reset);
            }
            if ((pick -= replay) < 0) {
                return new Plan(
                        Aim.REPLAY, 1 + r.nextInt(6), f, 0, reset); // the 2nd to 7th host record after the hello
            }
            return new Plan(Aim.CHAT, 0, f, chatAfter, reset);
        }
    }

    /** Host bytes after the welcome still counted as the resume replay if the client has sent nothing since. */
    static final long REPLAY_WINDOW = 64 * 1024;

    private static final int C2S = 0;
    private static final int S2C = 1;

    private final ServerSocket server;
    private final int target;
    /** The plan of the n-th connection accepted; null: cut only when asked. */
    private final IntFunction<Plan> plans;

    private final boolean password;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicIntegerArray byPhase = new AtomicIntegerArray(Phase.values().length);
    private final AtomicInteger accepted = new AtomicInteger();
    /** Bytes passed on, client to host ({@link #C2S}) and host to client ({@link #S2C}), over every connection. */
    private final AtomicLongArray forwarded = new AtomicLongArray(2);

    private volatile boolean armed;
    private volatile boolean linkDown;
    private volatile boolean closed;

    /** A plain proxy: cuts only when asked ({@link #cutRandom}). */
    public ChaosProxy(int targetPort) throws IOException {
        this(targetPort, null);
    }

    /** A proxy that also cuts every connection as {@code schedule} plans, once {@link #arm armed} (armed from the start). */
    public ChaosProxy(int targetPort, Schedule schedule) throws IOException {
        this(targetPort, schedule != null && schedule.password(), schedule == null ? null : schedule::plan);
    }

    /**
     * A proxy that gives the n-th connection it accepts (0-based) the plan {@code plans.apply(n)}
     * (armed from the start). {@code password}: the room has one, so the client's hello is its
     * 4th application-data record, not its 2nd.
     */
    public ChaosProxy(int targetPort, boolean password, IntFunction<Plan> plans) throws IOException {
        this.target = targetPort;
        this.plans = plans;
        this.password = password;
        this.armed = plans != null;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        threads.add(Thread.ofPlatform().daemon(true).name("chaos-accept").start(this::acceptLoop));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every cut so far: asked for, planned, and refusals while the host was down. */
    public int cuts() {
        return cuts.get();
    }

    /** Cuts per phase (every phase present, zero included). */
    public Map<Phase, Integer> cutsByPhase() {
        var m = new EnumMap<Phase, Integer>(Phase.class);
        for (Phase p : Phase.values()) {
            m.put(p, byPhase.get(p.ordinal()));
        }
        return m;
    }

    public int cuts(Phase p) {
        return byPhase.get(p.ordinal());
    }

    /** Bytes passed on to the host so far, over every connection (TLS records as they are: what the wire carried). */
    public long forwardedToHost() {
        return forwarded.get(C2S);
    }

    /** Bytes passed on to the clients so far, over every connection. */
    public long forwardedToClients() {
        return forwarded.get(S2C);
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Planned cuts happen only while armed; disarming leaves live connections alone from then on. */
    public void arm(boolean on) {
        this.armed = on && plans != null;
    }

    /**
     * The link goes down, like a Wi-Fi that goes away: every live connection is reset (no goodbye;
     * counted as cuts) and new ones are reset as soon as they are accepted (counted as
     * {@link Phase#TCP_CONNECT}) until {@link #up()}.
     */
    public void down() {
        linkDown = true;
        for (Link l : links) {
            synchronized (l) {
                cut(l, true);
            }
        }
    }

    /** The link is back: new connections reach the host again. */
    public void up() {
        linkDown = false;
    }

    /** Cuts one random live connection; false if there was none. */
    public boolean cutRandom(Random random) {
        List<Link> live = new ArrayList<>(links);
        if (live.isEmpty()) {
            return false;
        }
        Link link = live.get(random.nextInt(live.size()));
        synchronized (link) {
            return cut(link, true);
        }
    }

    /** Resets (or closes) both sides; counts the cut in the phase it landed in. Caller holds the link's lock. */
    private boolean cut(Link link, boolean reset) {
        if (!links.remove(link)) {
            return false;
        }
        cuts.incrementAndGet();
        byPhase.incrementAndGet(phaseOf(link).ordinal());
        for (Socket s : link.sockets) {
            try {
                if (reset) {
                    s.setSoLinger(true, 0); // reset, like a dead link: no orderly FIN
                }
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        return true;
    }

    /** The phase a connection is in, from what has passed through it. Caller holds the link's lock. */
    Phase phaseOf(Link l) {
        int helloRecord = l.helloRecord; // which application-data record of the client is its hello
        int done = l.appDone[C2S];
        boolean partial = l.inRecord[C2S] && l.recordType[C2S] == 23 && l.recordPos[C2S] > 0;
        if (done == 0) {
            return Phase.TLS_HANDSHAKE;
        }
        if (done < helloRecord - 1 || done == helloRecord - 1 && !partial) {
            return helloRecord == 4 ? Phase.PASSWORD : Phase.HELLO_WELCOME;
        }
        if (done == helloRecord - 1 || !l.welcomeDone) {
            return Phase.HELLO_WELCOME;
        }
        if (done == helloRecord && !partial && l.bytes[S2C] - l.welcomeEnd < REPLAY_WINDOW) {
            return Phase.RESUME_REPLAY;
        }
        return Phase.CHAT;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                int n = accepted.getAndIncrement();
                if (linkDown) {
                    refuse(client, true);
                    continue;
                }
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    refuse(client, false); // host down: the client sees the connection end
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                var link = new Link(client, upstream, plans == null ? Plan.NONE : plans.apply(n), password ? 4 : 2);
                links.add(link);
                if (linkDown) { // went down while this one was being connected
                    synchronized (link) {
                        cut(link, true);
                    }
                    continue;
                }
                threads.add(Thread.ofVirtual().name("chaos-up-" + n).start(() -> pump(link, C2S)));
                threads.add(Thread.ofVirtual().name("chaos-down-" + n).start(() -> pump(link, S2C)));
                threads.removeIf(t -> !t.isAlive() && !t.getName().equals("chaos-accept"));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Closes (or resets) a connection just accepted, counted as a cut in {@link Phase#TCP_CONNECT}. */
    private void refuse(Socket client, boolean reset) throws IOException {
        if (reset) {
            client.setSoLinger(true, 0);
        }
        client.close();
        cuts.incrementAndGet();
        byPhase.incrementAndGet(Phase.TCP_CONNECT.ordinal());
    }

    private void pump(Link link, int dir) {
        Socket from = link.sockets[dir];
        Socket to = link.sockets[1 - dir];
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                int pass;
                boolean cutNow;
                synchronized (link) {
                    if (!links.contains(link)) {
                        return;
                    }
                    if (link.stalled[dir]) {
                        continue; // held back: read and dropped
                    }
                    pass = link.advance(dir, buf, n, armed);
                    cutNow = pass < n;
                    if (cutNow && link.plan.stall()) {
                        link.stalled[dir] = true;
                        cutNow = false;
                    }
                }
                if (pass > 0) {
                    out.write(buf, 0, pass);
                    forwarded.addAndGet(dir, pass);
                }
                if (cutNow) {
                    synchronized (link) {
                        cut(link, link.plan.reset());
                    }
                    return;
                }
            }
        } catch (IOException e) {
            // cut or closed
        } finally {
            if (links.remove(link)) {
                for (Socket s : link.sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Link l : links) {
            synchronized (l) {
                if (links.remove(l)) {
                    for (Socket s : l.sockets) {
                        try {
                            s.setSoLinger(true, 0);
                            s.close();
                        } catch (IOException ignored) {
                            // gone
                        }
                    }
                }
            }
        }
    }

    /** One proxied connection: its sockets, its plan, and what has passed each way (guarded by itself). */
    static final class Link {
        final Socket[] sockets;
        final Plan plan;
        final int helloRecord;
        final long[] bytes = new long[2];
        final int[] records = new int[2];
        final int[] appDone = new int[2];
        final boolean[] inRecord = new boolean[2];
        final int[] recordType = new int[2];
        final int[] recordLen = new int[2];
        final int[] recordPos = new int[2];
        final byte[][] header = new byte[2][5];
        final int[] headerPos = new int[2];
        /** Host records whose header came after the client's hello was through (0 = none yet). */
        int s2cAfterHello;
        /** Host records whose header came after the client's n-th application record was through, by n (1..3). */
        final int[] s2cAfterApp = new int[8];

        boolean welcomeDone;
        long welcomeEnd;
        long helloEndBytes = -1;
        /** Where this link is to be cut, as a byte count in each direction (-1 = not decided yet). */
        final long[] cutAt = {-1, -1};
        /** CHAT aim: cut once this many bytes (both ways) passed after the hello. */
        long chatCut = -1;
        /** A stall plan's direction once its moment came: nothing more is forwarded that way. */
        final boolean[] stalled = new boolean[2];

        Link(Socket client, Socket upstream, Plan plan, int helloRecord) {
            this.sockets = new Socket[] {client, upstream};
            this.plan = plan;
            this.helloRecord = helloRecord;
        }

        /**
         * Feeds {@code n} bytes read in direction {@code dir} through the record tracker and the
         * plan; returns how many of them may be forwarded (fewer than n: cut after forwarding those).
         */
        int advance(int dir, byte[] buf, int n, boolean armed) {
            int i = 0;
            while (i < n) {
                long cutAtNow = armed ? cutAt[dir] : -1;
                if (armed && chatCut >= 0) {
                    long left = chatCut - (bytes[C2S] + bytes[S2C] - helloEndBytes);
                    long at = bytes[dir] + Math.max(0, left);
                    cutAtNow = cutAtNow < 0 ? at : Math.min(cutAtNow, at);
                }
                if (cutAtNow >= 0 && bytes[dir] >= cutAtNow) {
                    return i;
                }
                int step;
                if (!inRecord[dir]) {
                    step = Math.min(n - i, 5 - headerPos[dir]);
                } else {
                    step = Math.min(n - i, recordLen[dir] - recordPos[dir]);
                }
                if (cutAtNow >= 0) {
                    step = (int) Math.min(step, cutAtNow - bytes[dir]);
                }
                // consume step bytes
                bytes[dir] += step;
                if (!inRecord[dir]) {
                    System.arraycopy(buf, i, header[dir], headerPos[dir], step);
                    headerPos[dir] += step;
                    recordPos[dir] += step;
                    if (headerPos[dir] == 5) {
                        startRecord(dir);
                    }
                } else {
                    recordPos[dir] += step;
                }
                i += step;
                if (inRecord[dir] && recordPos[dir] == recordLen[dir]) {
                    endRecord(dir);
                }
            }
            return n;
        }

        private void startRecord(int dir) {
            int type = header[dir][0] & 0xff;
            int len = ((header[dir][3] & 0xff) << 8) | (header[dir][4] & 0xff);
            inRecord[dir] = true;
            recordType[dir] = type;
            recordLen[dir] = len + 5; // recordPos counts the header too
            long start = bytes[dir] - 5; // where this record's header began
            int index = records[dir]; // 0-based index of this record in its direction
            if (dir == S2C) {
                for (int k = 1; k < s2cAfterApp.length; k++) {
                    if (appDone[C2S] >= k) {
                        s2cAfterApp[k]++;
                    }
                }
                if (helloEndBytes >= 0) {
                    s2cAfterHello++;
                }
            }
            long at = start + (long) Math.floor(plan.fraction() * (len + 5));
            int appIndex = appDone[C2S] + 1; // the client's application record this would be (if type 23, C2S)
            switch (plan.aim()) {
                case TLS_C2S -> setIf(dir == C2S && index == plan.index() && appDone[C2S] == 0, C2S, at);
                case TLS_S2C -> setIf(dir == S2C && index == plan.index() && appDone[C2S] == 0, S2C, at);
                case AUTH_START -> setIf(dir == C2S && type == 23 && appIndex == 2, C2S, at);
                case AUTH_FINISH -> setIf(dir == C2S && type == 23 && appIndex == 3, C2S, at);
                case CHALLENGE -> setIf(dir == S2C && appDone[C2S] == 2 && s2cAfterApp[2] == 1, S2C, at);
                case AUTH_OK -> setIf(dir == S2C && appDone[C2S] == 3 && s2cAfterApp[3] == 1, S2C, at);
                case HELLO -> setIf(dir == C2S && type == 23 && appIndex == helloRecord, C2S, at);
                case WELCOME -> setIf(dir == S2C && s2cAfterHello == 1, S2C, at);
                case REPLAY -> setIf(dir == S2C && s2cAfterHello == 1 + plan.index(), S2C, at);
                case CHAT, NONE -> {}
            }
        }

        private void setIf(boolean condition, int dir, long at) {
            if (condition && cutAt[dir] < 0) {
                cutAt[dir] = at;
            }
        }

        private void endRecord(int dir) {
            if (recordType[dir] == 23) {
                appDone[dir]++;
                if (dir == C2S && appDone[C2S] == helloRecord) {
                    helloEndBytes = bytes[C2S] + bytes[S2C];
                    // CHAT cuts after chatBytes; for the other aims it is the fallback when their moment passed
                    // without a cut being placed (e.g. fewer host handshake records than the index drawn)
                    boolean later = plan.aim() == Aim.WELCOME || plan.aim() == Aim.REPLAY;
                    chatCut = plan.aim() == Aim.NONE ? -1 : plan.chatBytes() + (later ? REPLAY_WINDOW : 0);
                }
            }
            if (dir == S2C && s2cAfterHello == 1 && !welcomeDone) {
                welcomeDone = true;
                welcomeEnd = bytes[S2C];
            }
            records[dir]++;
            inRecord[dir] = false;
            headerPos[dir] = 0;
            recordPos[dir] = 0;
        }
    }
}
