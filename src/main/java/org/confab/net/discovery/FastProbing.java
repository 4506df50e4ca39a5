package org.confab.net.discovery;

import java.net.InetAddress;
import java.util.Timer;
import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSTaskStarter;
import javax.jmdns.impl.JmDNSImpl;
import javax.jmdns.impl.ServiceInfoImpl;
import javax.jmdns.impl.tasks.RecordReaper;
import javax.jmdns.impl.tasks.state.Prober;

/**
 * JmDNS with the probe timing of RFC 6762 §8.1: three probes 250 ms apart after a random delay of
 * up to 250 ms, then the announcement, so a room answers about a second after it opens. JmDNS 3.6.1
 * probes a responder that has not announced itself yet (every new one: its host name and the room
 * are probed together) once a second instead, which put the room on the network only about four
 * seconds after the host started; browsers that asked in between heard nothing. The record
 * reaper runs every second instead of every ten ({@link #startReaper}: a closed room leaves the
 * list seconds sooner). Only these timings differ: JmDNS's conflict throttle (a name that keeps
 * clashing is probed once a second) is kept, and every other task runs as JmDNS starts it. Installed once per process, before the first
 * responder ({@link #install}).
 */
final class FastProbing implements DNSTaskStarter {
    static final long PROBE_INTERVAL_MS = 250;
    private static final long THROTTLE_WINDOW_MS = 5000;
    private static final int THROTTLE_LIMIT = 10;
    private static final long CONFLICT_INTERVAL_MS = 1000;

    private final JmDNSImpl jmdns;
    private final DNSTaskStarter standard;
    private final Timer probeTimer;
    private final Timer reaperTimer;
    /** How often expired records are dropped ({@link #startReaper}). */
    static final long REAP_INTERVAL_MS = 1000;

    private FastProbing(JmDNSImpl jmdns) {
        this.jmdns = jmdns;
        this.standard = new DNSTaskStarter.DNSTaskStarterImpl(jmdns);
        this.probeTimer = new Timer("JmDNS(" + jmdns.getName() + ").Prober", true);
        this.reaperTimer = new Timer("JmDNS(" + jmdns.getName() + ").Reaper", true);
    }

    private static boolean installed;

    /** Makes every JmDNS responder this process creates from now on probe at the RFC's pace. */
    static synchronized void install() {
        if (!installed) {
            DNSTaskStarter.Factory.setClassDelegate(FastProbing::new);
            installed = true;
        }
    }

    @Override
    public void startProber() {
        try {
            probe();
        } catch (IllegalStateException closed) {
            // the responder is closing: its timers are cancelled, nothing more to probe
        }
    }

    private void probe() {
        new Prober(jmdns) {
            @Override
            public void start(Timer timer) {
                JmDNSImpl dns = getDns();
                long now = System.currentTimeMillis();
                dns.setThrottle(now - dns.getLastThrottleIncrement() < THROTTLE_WINDOW_MS ? dns.getThrottle() + 1 : 1);
                dns.setLastThrottleIncrement(now);
                if (dns.isCanceling() || dns.isCanceled()) {
                    return;
                }
                if (dns.getThrottle() < THROTTLE_LIMIT) {
                    timer.schedule(this, JmDNSImpl.getRandom().nextInt(1 + (int) PROBE_INTERVAL_MS), PROBE_INTERVAL_MS);
                } else {
                    timer.schedule(this, CONFLICT_INTERVAL_MS, CONFLICT_INTERVAL_MS);
                }
            }
        }.start(probeTimer);
    }

    @Override
    public void purgeTimer() {
        reaperTimer.purge();
        standard.purgeTimer();
    }

    @Override
    public void purgeStateTimer() {
        probeTimer.purge();
        standard.purgeStateTimer();
    }

    @Override
    public void cancelTimer() {
        reaperTimer.cancel();
        standard.cancelTimer();
    }

    @Override
    public void cancelStateTimer() {
        probeTimer.cancel();
        standard.cancelStateTimer();
    }

    @Override
    public void startAnnouncer() {
        standard.startAnnouncer();
    }

    @Override
    public void startRenewer() {
        standard.startRenewer();
    }

    @Override
    public void startCanceler() {
        standard.startCanceler();
    }

    /**
     * Drops expired records every {@link #REAP_INTERVAL_MS} instead of JmDNS's 10 s: a goodbye
     * (TTL 0) is kept for one second, as RFC 6762 §10.1 says, and then removed by this reaper,
     * which is when the browser hears that a room closed. With JmDNS's interval a closed room
     * stayed listed for up to 11 s (plus the browser's own grace), measured 7.4 s after its host
     * exited in LanDiscoveryIT.
     */
    @Override
    public void startReaper() {
        try {
            new RecordReaper(jmdns) {
                @Override
                public void start(Timer timer) {
                    if (!getDns().isCanceling() && !getDns().isCanceled()) {
                        timer.schedule(this, REAP_INTERVAL_MS, REAP_INTERVAL_MS);
                    }
                }
            }.start(reaperTimer);
        } catch (IllegalStateException closed) {
            // the responder is closing: its timers are cancelled
        }
    }

    @Override
    public void startServiceInfoResolver(ServiceInfoImpl info) {
        standard.startServiceInfoResolver(info);
    }

    @Override
    public void startTypeResolver() {
        standard.startTypeResolver();
    }

    @Override
    public void startServiceResolver(String type) {
        standard.startServiceResolver(type);
    }

    @Override
    public void startResponder(DNSIncoming in, InetAddress address, int port) {
        standard.startResponder(in, address, port);
    }
}
