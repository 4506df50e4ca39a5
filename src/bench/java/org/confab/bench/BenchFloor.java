package org.confab.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor: the least a relay can do over the same kind of sockets. Plain blocking sockets, no
 * protocol: every client's length-prefixed blob (the same 5-byte header as a Confab frame, never
 * looked at) is relayed unchanged to every client, through a bounded queue per client drained by
 * its own writer thread that batches whatever is queued into one write, as Confab's host does.
 * No JSON, no room, no ids, no lock around the fan-out. Prints {@code ... on port N} first and
 * {@code members K} after each accept.
 */
public final class BenchFloor {
    private static final List<Peer> PEERS = new CopyOnWriteArrayList<>();
    /** {@code --direct}: the reader writes each blob to every peer itself (no queue, no writer thread). */
    private static boolean direct;

    private BenchFloor() {}

    public static void main(String[] args) throws Exception {
        direct = List.of(args).contains("--direct");
        var server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        System.out.println("Confab floor relay on port " + server.getLocalPort() + " pid "
                + ProcessHandle.current().pid());
        System.out.flush();
        Thread.ofPlatform().daemon(true).name("floor-accept").start(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    var peer = new Peer(s);
                    PEERS.add(peer);
                    System.out.println("members " + PEERS.size());
                    System.out.flush();
                    if (!direct) {
                        Thread.ofVirtual().name("floor-writer").start(peer::writeLoop);
                    }
                    Thread.ofVirtual().name("floor-reader").start(peer::readLoop);
                }
            } catch (IOException e) {
                // closed
            }
        });
        BenchHost.Commands.serve(() -> {});
    }

    private static final class Peer {
        final Socket socket;
        final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4096);

        Peer(Socket socket) {
            this.socket = socket;
        }

        void readLoop() {
            try (var in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024))) {
                while (true) {
                    int len = in.readInt();
                    byte[] blob = new byte[5 + len];
                    blob[0] = (byte) (len >>> 24);
                    blob[1] = (byte) (len >>> 16);
                    blob[2] = (byte) (len >>> 8);
                    blob[3] = (byte) len;
                    in.readFully(blob, 4, len + 1);
                    for (Peer p : PEERS) {
                        if (direct) {
                            p.writeNow(blob);
                        } else {
                            p.queue.put(blob);
                        }
                    }
                }
            } catch (IOException | InterruptedException e) {
                PEERS.remove(this);
            }
        }

        /** Direct mode: one blocking write per blob and peer, in the reader's thread. */
        synchronized void writeNow(byte[] blob) {
            try {
                socket.getOutputStream().write(blob);
            } catch (IOException e) {
                PEERS.remove(this);
            }
        }

        void writeLoop() {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                while (true) {
                    byte[] next = queue.take();
                    do {
                        out.write(next);
                        next = queue.poll();
                    } while (next != null);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                PEERS.remove(this);
            }
        }
    }
}
