package org.confab.net;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.confab.core.InviteLink.Candidate;
import org.confab.net.RoomLink.Secured;
import org.confab.net.RoomLink.SniffingSocket;

/**
 * Happy Eyeballs (RFC 8305) for a room with several addresses: the attempts start one after the
 * other, {@link #ATTEMPT_DELAY} apart (or at once when the one before failed), in the order of
 * §4 (IPv6 and IPv4 interleaved, starting with the family of the first address); the first that
 * completes TCP, TLS and the key check wins and every other attempt is closed. A candidate that
 * shows another key fails like any other and never stops the rest. If all fail, one
 * {@link JoinException} says what each did.
 */
final class HappyEyeballs {
    /** RFC 8305 §5's recommended "Connection Attempt Delay". */
    static final Duration ATTEMPT_DELAY = Duration.ofMillis(250);

    /** One candidate's connect + TLS + key check, on a socket the race may close to cancel it. */
    @FunctionalInterface
    interface Attempt {
        Secured open(Candidate candidate, SniffingSocket raw) throws JoinException;
    }

    private HappyEyeballs() {}

    /** The first candidate that passes, connected; the others closed. */
    static Secured race(List<Candidate> candidates, Duration delay, Attempt attempt) throws JoinException {
        List<Candidate> order = interleave(candidates);
        if (order.size() == 1) {
            return attempt.open(order.getFirst(), new SniffingSocket());
        }
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        List<SniffingSocket> sockets = new ArrayList<>();
        JoinException[] failures = new JoinException[order.size()];
        sockets.add(launch(attempt, outcomes, 0, order.getFirst()));
        int running = 1;
        try {
            while (true) {
                boolean more = sockets.size() < order.size();
                Outcome o = more ? outcomes.poll(delay.toNanos(), TimeUnit.NANOSECONDS) : outcomes.take();
                if (o == null) { // no answer within the delay: the next one starts beside it
                    sockets.add(launch(attempt, outcomes, sockets.size(), order.get(sockets.size())));
                    running++;
                    continue;
                }
                running--;
                if (o.secured() != null) {
                    for (int k = 0; k < sockets.size(); k++) {
                        if (k != o.index()) {
                            FramedSocket.closeQuietly(sockets.get(k)); // the others, also one that just finished
                        }
                    }
                    return o.secured();
                }
                failures[o.index()] = o.failure();
                if (more) { // a failure starts the next at once (§5)
                    sockets.add(launch(attempt, outcomes, sockets.size(), order.get(sockets.size())));
                    running++;
                } else if (running == 0) {
                    throw combined(order, failures);
                }
            }
        } catch (InterruptedException e) {
            sockets.forEach(FramedSocket::closeQuietly);
            Thread.currentThread().interrupt();
            throw new JoinException(JoinException.Reason.LOST, "Joining was interrupted.", e);
        }
    }

    private record Outcome(int index, Secured secured, JoinException failure) {}

    private static SniffingSocket launch(
            Attempt attempt, BlockingQueue<Outcome> outcomes, int index, Candidate candidate) {
        var raw = new SniffingSocket();
        Thread.ofVirtual().name("confab-connect-" + candidate.address()).start(() -> {
            Outcome o;
            try {
                o = new Outcome(index, attempt.open(candidate, raw), null);
            } catch (JoinException e) {
                o = new Outcome(index, null, e);
            } catch (RuntimeException e) {
                o = new Outcome(
                        index,
                        null,
                        new JoinException(
                                JoinException.Reason.LOST,
                                "Connecting to " + candidate.address() + " failed (" + e.getMessage() + ").",
                                e));
            }
            outcomes.add(o);
        });
        return raw;
    }

    /**
     * RFC 8305 §4: the addresses grouped by family, each group in the given order, then taken
     * turn about, starting with the family of the first one (host names go with IPv4: their family
     * is known only once resolved).
     */
    static List<Candidate> interleave(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        boolean firstV6 = candidates.getFirst().ipv6();
        Deque<Candidate> same = new ArrayDeque<>();
        Deque<Candidate> other = new ArrayDeque<>();
        for (Candidate c : candidates) {
            (c.ipv6() == firstV6 ? same : other).add(c);
        }
        List<Candidate> out = new ArrayList<>(candidates.size());
        while (!same.isEmpty() || !other.isEmpty()) {
            if (!same.isEmpty()) {
                out.add(same.poll());
            }
            if (!other.isEmpty()) {
                out.add(other.poll());
            }
        }
        return out;
    }

    /** {@code candidates} with {@code preferred} (the one that worked last) first; else as given. */
    static List<Candidate> preferring(List<Candidate> candidates, Candidate preferred) {
        if (preferred == null
                || !candidates.contains(preferred)
                || candidates.getFirst().equals(preferred)) {
            return candidates;
        }
        List<Candidate> out = new ArrayList<>(candidates.size());
        out.add(preferred);
        for (Candidate c : candidates) {
            if (!c.equals(preferred)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * One failure for all: each candidate's own sentence, in the order tried. Its reason is one a
     * retry can overcome if any candidate's was (so a lasting connection keeps trying, e.g. while
     * the host is down and another machine answers at one of its old addresses with another key);
     * else the most telling one (a wrong key first). Keys travel with a key failure.
     */
    static JoinException combined(List<Candidate> order, JoinException[] failures) {
        var text = new StringBuilder("None of the room's " + order.size() + " addresses let this Confab in:");
        Map<JoinException.Reason, JoinException> byReason = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            JoinException f = failures[i];
            text.append("\n  ").append(order.get(i).address()).append(": ").append(f.getMessage());
            byReason.putIfAbsent(f.reason(), f);
        }
        JoinException chosen = null;
        for (JoinException.Reason r : PREFERENCE) {
            if (byReason.containsKey(r)) {
                chosen = byReason.get(r);
                break;
            }
        }
        if (chosen == null) {
            chosen = failures[0];
        }
        return new JoinException(chosen.reason(), text.toString(), chosen).withKeys(chosen.presented(), chosen.known());
    }

    /** Which reason a combined failure takes: the first of these any candidate had (retryable ones first). */
    private static final List<JoinException.Reason> PREFERENCE = List.of(
            JoinException.Reason.LOST,
            JoinException.Reason.TIMEOUT,
            JoinException.Reason.REFUSED,
            JoinException.Reason.UNREACHABLE,
            JoinException.Reason.UNKNOWN_HOST,
            JoinException.Reason.KEY_CHANGED,
            JoinException.Reason.KEY_MISMATCH,
            JoinException.Reason.NOT_ENCRYPTED,
            JoinException.Reason.PROTOCOL);
}
