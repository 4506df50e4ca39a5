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
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.confab.net.tls.CapturingTrustManager;
import org.confab.net.tls.HostIdentity;

/**
 * The floor of the file workload: the least a store-and-forward relay can do over plain sockets,
 * the same shape as a Confab host keeping a shared file (the uploader's bytes go to a file in the
 * relay's folder; a downloader reads them back from that file). Plain blocking {@code java.io}
 * sockets and streams with 64 KiB buffers, no TLS, no hashes, no chunks, no acks. One request per
 * connection: {@code 'P'}, a 64-bit length and the bytes (answered with one byte {@code 'K'} once
 * they are all written), or {@code 'G'} (answered with the length and the bytes of the last file
 * put). Prints {@code ... on port N} first. Arguments: the folder to keep the file in, and
 * {@code --tls} for the TLS floor: the same relay with every connection in TLS 1.3 as a Confab
 * host's (its own {@link HostIdentity}, the JDK's provider, the same socket layering), so the
 * figures separate what TLS costs on this machine from what Confab adds (chunks, hashes, acks).
 */
public final class FileFloor {
    static final int BUFFER = 64 * 1024;

    private FileFloor() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path kept = dir.resolve("floor-kept.bin");
        SSLSocketFactory tls = args.length > 1 && args[1].equals("--tls")
                ? HostIdentity.generate().serverContext().getSocketFactory()
                : null;
        var server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        System.out.println("Confab file floor relay on port " + server.getLocalPort() + " pid "
                + ProcessHandle.current().pid());
        System.out.flush();
        Thread.ofPlatform().daemon(true).name("file-floor-accept").start(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    Thread.ofVirtual().name("file-floor").start(() -> serve(tls == null ? s : serverTls(tls, s), kept));
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

    /** The server side of TLS 1.3 over an accepted socket, as {@code RoomHost} layers it; null if it fails. */
    private static Socket serverTls(SSLSocketFactory tls, Socket raw) {
        try {
            var ssl = (SSLSocket) tls.createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            ssl.startHandshake();
            return ssl;
        } catch (IOException e) {
            System.err.println("file floor: TLS: " + e.getMessage());
            closeQuietly(raw);
            return null;
        }
    }

    /** The client side of TLS 1.3 over {@code raw}, as {@code RoomLink} layers it (any key: a benchmark). */
    static Socket clientTls(Socket raw) throws IOException {
        try {
            var ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(null, new TrustManager[] {new CapturingTrustManager(null)}, new SecureRandom());
            var ssl = (SSLSocket) ctx.getSocketFactory()
                    .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3"});
            ssl.startHandshake();
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS 1.3 is not available", e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void serve(Socket s, Path kept) {
        if (s == null) {
            return;
        }
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
