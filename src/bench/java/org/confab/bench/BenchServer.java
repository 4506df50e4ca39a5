package org.confab.bench;

/** A server the harness started on loopback for one measurement: Confab's host, the floor, or a peer. */
interface BenchServer {
    int port();

    /** The server's process, for its CPU time and RSS. */
    long pid();

    /** Stops it by its PID (SIGTERM, then SIGKILL if it lingers). */
    void stop() throws InterruptedException;
}
