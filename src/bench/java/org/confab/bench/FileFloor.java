package org.confab.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The floor of the file workload: the least a store-and-forward relay can do over plain sockets,
 * the same shape as a Confab host keeping a shared file (the uploader's bytes go to a file in the
 * relay's folder; a downloader reads them back from that file). Plain blocking {@code java.io}
 * sockets and streams with 64 KiB buffers, no TLS, no hashes, no chunks, no acks. One request per
 * connection: {@code 'P'}, a 64-bit length and the bytes (answered with one byte {@code 'K'} once
 * they are all written), or {@code 'G'} (answered with the length and the bytes of the last file
 * put). Prints {@code ... on port N} first. Argument: the folder to keep the file in.
 */
public final class FileFloor {
    static final int BUFFER = 64 * 1024;

    private FileFloor() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path kept = dir.resolve("floor-kept.bin");
        var server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        System.out.println("Confab file floor relay on port " + server.getLocalPort() + " pid "
                + ProcessHandle.current().pid());
        System.out.flush();
        Thread.ofPlatform().daemon(true).name("file-floor-accept").start(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    Thread.ofVirtual().name("file-floor").start(() -> serve(s, kept));
                }
            } catch (IOException e) {
                // closed
            }
        });
        BenchHost.Commands.serve(() -> {
            try {
                Files.deleteIfExists(kept);
            } catch (IOException ignored) {
                // best effort
            }
        });
    }

    private static void serve(Socket s, Path kept) {
        try (s;
                var in = new DataInputStream(new BufferedInputStream(s.getInputStream(), BUFFER));
                var out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), BUFFER))) {
            int op = in.read();
            if (op == 'P') {
                long size = in.readLong();
                try (OutputStream file = Files.newOutputStream(kept)) {
                    copy(in, file, size);
                }
                out.write('K');
            } else if (op == 'G') {
                long size = Files.size(kept);
                out.writeLong(size);
                try (InputStream file = Files.newInputStream(kept)) {
                    copy(file, out, size);
                }
            }
            out.flush();
        } catch (IOException e) {
            System.err.println("file floor: " + e.getMessage());
        }
    }

    /** Copies exactly {@code size} bytes through one 64 KiB buffer. */
    static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[BUFFER];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }
}
