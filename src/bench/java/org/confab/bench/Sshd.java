package org.confab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH server for the file workload's {@code scp} rows: {@code /usr/sbin/sshd -D -e}
 * on a free loopback port with its own config file, its own host key and a throwaway client key
 * (all made here, under the bench folder), stopped by its PID. The system's sshd and its config
 * are never touched; the only thing outside the folder it may create is sshd's privilege
 * separation folder {@code /run/sshd} (removed again if it made it). {@code bench/run.sh}
 * installs {@code openssh-server} and {@code openssh-client} if they are missing.
 */
final class Sshd implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path PRIVSEP = Path.of("/run/sshd");

    private final Process process;
    private final Path clientKey;
    private final int port;
    private final boolean madePrivsep;

    private Sshd(Process process, Path clientKey, int port, boolean madePrivsep) {
        this.process = process;
        this.clientKey = clientKey;
        this.port = port;
        this.madePrivsep = madePrivsep;
    }

    /** Whether sshd and scp are installed; else the scp rows say so. */
    static boolean available() {
        return Files.isExecutable(SSHD) && Files.isExecutable(Path.of("/usr/bin/scp"));
    }

    /** {@code sshd -V}'s first line, e.g. {@code OpenSSH_9.2, OpenSSL 3.0.19 ...}. */
    static String version() {
        return Proc.firstLine(SSHD.toString(), "-V");
    }

    static Sshd start(Path dir) throws Exception {
        dir = Files.createDirectories(dir.toAbsolutePath());
        Path hostKey = dir.resolve("host_ed25519");
        Path clientKey = dir.resolve("client_ed25519");
        for (Path k : List.of(hostKey, clientKey)) {
            if (!Files.exists(k)) {
                run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "confab-bench", "-f", k.toString()));
            }
        }
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(dir.resolve("client_ed25519.pub"), authorized, StandardCopyOption.REPLACE_EXISTING);
        int port = FileBench.freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + hostKey,
                        "PidFile " + dir.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + authorized,
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "UsePAM no",
                        "PermitRootLogin prohibit-password",
                        "StrictModes no",
                        "Subsystem sftp internal-sftp",
                        "LogLevel ERROR",
                        ""));
        boolean madePrivsep = false;
        if (!Files.isDirectory(PRIVSEP)) {
            Files.createDirectories(PRIVSEP);
            madePrivsep = true;
        }
        var pb = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-o", "LogLevel=INFO", "-f", config.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        var lines = new LinkedBlockingQueue<String>();
        Path log = dir.resolve("sshd.log");
        Thread.ofPlatform().daemon(true).name("sshd-log").start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    var w = Files.newBufferedWriter(log)) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                    w.write(l);
                    w.newLine();
                    w.flush();
                }
            } catch (IOException ignored) {
                // sshd ended
            }
        });
        var sshd = new Sshd(p, clientKey, port, madePrivsep);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || !p.isAlive() && lines.isEmpty()) {
                sshd.close();
                throw new IOException("sshd did not start listening within 30 s; see " + log);
            }
            if (l.contains("Server listening on 127.0.0.1 port " + port)) {
                return sshd;
            }
        }
    }

    /** Copies {@code from} to {@code to} with scp; one side is {@code host:path} ({@link #remote}). */
    void scp(String from, String to) throws Exception {
        var cmd = new ArrayList<>(List.of(
                "scp",
                "-q",
                "-B",
                "-F",
                "/dev/null",
                "-i",
                clientKey.toString(),
                "-P",
                Integer.toString(port),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                from,
                to));
        run(cmd);
    }

    /** {@code user@127.0.0.1:path} for this server (the user running the benchmark). */
    String remote(Path path) {
        return System.getProperty("user.name") + "@127.0.0.1:" + path.toAbsolutePath();
    }

    private static void run(List<String> cmd) throws Exception {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(FileBench.TIMEOUT_SECS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** SIGTERM to sshd by its PID (its listener; connections it forked ended with their scp). */
    @Override
    public void close() throws InterruptedException, IOException {
        Proc.stop(process, 10);
        if (madePrivsep) {
            Files.deleteIfExists(PRIVSEP);
        }
    }
}
