package org.confab.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real server people would pick instead of Confab (issue 18), from Debian's packages, started
 * by the harness on a free loopback port with its own config file under {@code target/bench/peers}
 * and stopped by its PID; the system's services and their configs are never touched.
 * {@code bench/run.sh} installs {@code inspircd} and {@code nats-server} if they are missing.
 *
 * <ul>
 *   <li>InspIRCd 3 ({@code /usr/sbin/inspircd --nofork --runasroot}): one connect class for every
 *       loopback client with its flood limits lifted (fakelag off, command rate and penalty
 *       threshold raised, 1 GiB send queues, 64 MiB receive queue, no per-IP clone limit), no DNS
 *       lookups and no ident, pings once an hour, no logging.
 *   <li>NATS 2.9 ({@code /usr/sbin/nats-server -c}): the defaults, on loopback, pings once an hour.
 * </ul>
 *
 * <p>With TLS, both take TLS 1.3 only with a throwaway self-signed P-256 certificate made by
 * {@code openssl} (InspIRCd: its {@code ssl_gnutls} module, the port TLS from the first byte;
 * NATS: its {@code tls} block, TLS after its plain {@code INFO} line, as NATS 2.9 clients do).
 */
record PeerServer(Process process, int port) implements BenchServer {
    static final Path INSPIRCD = Path.of("/usr/sbin/inspircd");
    static final Path NATS = Path.of("/usr/sbin/nats-server");

    /** Whether the peer's binary is installed. */
    static boolean available(Wire wire) {
        return Files.isExecutable(binary(wire));
    }

    private static Path binary(Wire wire) {
        return switch (wire) {
            case IRC -> INSPIRCD;
            case NATS -> NATS;
            default -> throw new IllegalArgumentException(wire + " is not a peer");
        };
    }

    /** The peer's own version line, e.g. {@code InspIRCd-3.15.0-debian} or {@code nats-server: v2.9.10}. */
    static String version(Wire wire) {
        return Proc.firstLine(binary(wire).toString(), "--version");
    }

    /**
     * Writes the config into {@code target/bench/peers/<name>}, starts the server (TLS only with
     * {@code tls}) and waits until it accepts.
     */
    static PeerServer start(Wire wire, boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(
                Path.of("target", "bench", "peers", wire.name().toLowerCase(Locale.ROOT))
                        .toAbsolutePath());
        int port = FileBench.freePort();
        if (tls) {
            certificate(dir);
        }
        List<String> cmd;
        if (wire == Wire.IRC) {
            Path config = dir.resolve("inspircd.conf");
            Files.writeString(dir.resolve("motd.txt"), "confab bench\n");
            Files.writeString(config, inspircdConfig(dir, port, tls));
            cmd = List.of(INSPIRCD.toString(), "--nofork", "--runasroot", "--config=" + config);
        } else {
            Path config = dir.resolve("nats.conf");
            Files.writeString(config, natsConfig(dir, port, tls));
            cmd = List.of(NATS.toString(), "-c", config.toString());
        }
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile()) // a core file InspIRCd may leave lands here, not in the checkout
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        var server = new PeerServer(p, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (var s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.stop();
                    throw new IOException(wire.label + " did not start listening on port " + port + " within 30 s; see "
                            + dir.resolve("server.log"));
                }
                Thread.sleep(50);
            }
        }
    }

    /** A self-signed P-256 certificate and its key, {@code cert.pem} and {@code key.pem} in {@code dir}. */
    private static void certificate(Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("cert.pem")) && Files.exists(dir.resolve("key.pem"))) {
            return;
        }
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:prime256v1",
                        "-nodes",
                        "-days",
                        "30",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-keyout",
                        dir.resolve("key.pem").toString(),
                        "-out",
                        dir.resolve("cert.pem").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(
                    "openssl could not make the peers' TLS certificate; see " + dir.resolve("openssl.log"));
        }
    }

    private static String inspircdConfig(Path dir, int port, boolean tls) {
        return String.join(
                "\n",
                "<server name=\"bench.confab\" description=\"Confab bench peer\" network=\"bench\">",
                "<admin name=\"bench\" nick=\"bench\" email=\"bench@localhost\">",
                tls
                        ? "<module name=\"ssl_gnutls\">\n"
                                + "<sslprofile name=\"bench\" provider=\"gnutls\" certfile=\"" + dir.resolve("cert.pem")
                                + "\" keyfile=\"" + dir.resolve("key.pem") + "\" requestclientcert=\"no\""
                                + " priority=\"NORMAL:-VERS-ALL:+VERS-TLS1.3\">\n"
                                + "<bind address=\"127.0.0.1\" port=\"" + port + "\" type=\"clients\" ssl=\"bench\">"
                        : "<bind address=\"127.0.0.1\" port=\"" + port + "\" type=\"clients\">",
                "<connect name=\"bench\" allow=\"127.0.0.1\" timeout=\"60\" pingfreq=\"3600\""
                        + " hardsendq=\"1073741824\" softsendq=\"1073741824\" recvq=\"67108864\""
                        + " threshold=\"1000000\" commandrate=\"1000000\" fakelag=\"no\""
                        + " localmax=\"1000000\" globalmax=\"1000000\" maxconnwarn=\"no\" limit=\"1000000\""
                        + " resolvehostnames=\"no\" useident=\"no\" maxchans=\"20\">",
                "<channels users=\"20\" opers=\"60\">",
                "<files motd=\"" + dir.resolve("motd.txt") + "\">",
                "<pid file=\"" + dir.resolve("inspircd.pid") + "\">",
                "<options prefixquit=\"Quit: \" syntaxhints=\"no\" announcets=\"yes\" pingwarning=\"15\">",
                "<security hideserver=\"\" userstats=\"Pu\" customversion=\"\" maxtargets=\"20\">",
                "<performance quietbursts=\"yes\" softlimit=\"1000000\" somaxconn=\"1024\""
                        + " netbuffersize=\"65534\" clonesonconnect=\"no\">",
                "<whowas groupsize=\"0\" maxgroups=\"0\" maxkeep=\"0\">",
                "<log method=\"file\" type=\"* -USERINPUT -USEROUTPUT\" level=\"none\" target=\""
                        + dir.resolve("ircd.log") + "\">",
                "");
    }

    private static String natsConfig(Path dir, int port, boolean tls) {
        return String.join(
                "\n",
                "listen: 127.0.0.1:" + port,
                "pid_file: \"" + dir.resolve("nats.pid") + "\"",
                "ping_interval: \"1h\"",
                tls
                        ? "tls {\n  cert_file: \"" + dir.resolve("cert.pem") + "\"\n  key_file: \""
                                + dir.resolve("key.pem") + "\"\n  timeout: 10\n}"
                        : "",
                "");
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** SIGTERM by its PID, SIGKILL after 10 s. */
    @Override
    public void stop() throws InterruptedException {
        Proc.stop(process, 10);
    }
}
