package org.confab.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.confab.core.Fingerprint;
import org.confab.net.JoinOptions;

/**
 * The two file members of workload 6c in a process of their own ({@link FileBench#chatBeside}):
 * {@code FileMover PORT FINGERPRINT SOURCE INTO} joins the TLS host at {@code PORT} as an
 * uploader and a downloader, prints {@code ready port PORT}, then on {@code go} copies
 * {@code SOURCE} through the host again and again (upload, then download into {@code INTO}, each
 * copy checked and deleted) until {@code stop}, which prints {@code stopped N} (N copies begun;
 * {@code stopped N failed: why} if one failed) once the copy under way has finished. {@code quit}
 * ends it.
 */
final class FileMover {
    private FileMover() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Fingerprint key = Fingerprint.parse(args[1]).orElseThrow(() -> new IllegalArgumentException("fingerprint"));
        Path source = Path.of(args[2]);
        Path into = Files.createDirectories(Path.of(args[3]));
        try (var pair = FileBench.Pair.join(port, JoinOptions.pinned(key));
                var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready port " + port);
            Thread mover = null;
            var stop = new AtomicBoolean();
            var copies = new AtomicInteger();
            var error = new AtomicReference<String>();
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("go") && mover == null) {
                    stop.set(false);
                    copies.set(0);
                    error.set(null);
                    mover = Thread.ofPlatform().name("files-mover").start(() -> {
                        try {
                            while (!stop.get()) {
                                copies.incrementAndGet();
                                pair.copy(source, into);
                            }
                        } catch (Exception e) {
                            error.set(String.valueOf(e.getMessage()));
                        }
                    });
                } else if (line.equals("stop") && mover != null) {
                    stop.set(true);
                    mover.join();
                    mover = null;
                    System.out.println(
                            "stopped " + copies.get() + (error.get() == null ? "" : " failed: " + error.get()));
                }
            }
        }
        System.exit(0);
    }
}
