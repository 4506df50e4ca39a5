package org.confab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.confab.core.RoomEvent;
import org.confab.net.HostConfig;
import org.confab.net.HostSecurity;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code confab send} in this JVM against a real host over TLS on loopback: shared, or one clear line and its code. */
@Timeout(120)
class SendCommandTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HostSecurity security = HostSecurity.ephemeral();
    private final Lines out = new Lines();
    private final Lines err = new Lines();
    private RoomHost host;
    private int port;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private void startHost(HostConfig config, HostSecurity s) throws Exception {
        host = new RoomHost(config.withBindAddress(InetAddress.getLoopbackAddress()), s, null);
        port = host.start().getPort();
        open.add(host);
    }

    private int send(String... args) {
        var all = new ArrayList<>(
                List.of("127.0.0.1:" + port, "--fp=" + host.fingerprint().base64url()));
        all.addAll(List.of(args));
        return new CommandLine(new SendCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
    }

    @Test
    void sharesAFileInTheRoomOrWithOneMemberAndExitsZero() throws Exception {
        startHost(HostConfig.defaults("Drop box", 0), security);
        var bob = new JoinCommandTest.Member();
        var bobClient = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "bob")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                bob);
        open.add(bobClient);
        bobClient.connect();
        byte[] data = new byte[700 * 1024];
        new Random(11).nextBytes(data);
        Path file = Files.write(dir.resolve("build.tar"), data);

        assertThat(send(file.toString(), "--nick", "ci", "--caption", "nightly build"))
                .as("err: %s", err.all())
                .isZero();
        var posted = (RoomEvent.Posted)
                bob.await(e -> e instanceof RoomEvent.Posted p && p.message().file() != null);
        assertThat(posted).isNotNull();
        assertThat(posted.message().sender()).isEqualTo("ci");
        assertThat(posted.message().text()).isEqualTo("nightly build");
        assertThat(posted.message().file().size()).isEqualTo(data.length);
        assertThat(out.all()).containsExactly("Shared build.tar (717 KB) in \"Drop box\".");
        assertThat(bob.await(e -> e instanceof RoomEvent.Left l && l.nick().equals("ci")))
                .as("it leaves once shared")
                .isNotNull();

        assertThat(send(file.toString(), "--nick", "ci", "--to", "bob"))
                .as("err: %s", err.all())
                .isZero();
        var direct = (RoomEvent.Posted) bob.await(e -> e instanceof RoomEvent.Posted p
                && p.message().file() != null
                && p.message().direct());
        assertThat(direct).isNotNull();
        assertThat(direct.message().to()).isEqualTo("bob");
    }

    @Test
    void aRefusedFileIsOneLineAndExit60() throws Exception {
        startHost(HostConfig.defaults("Small", 0).withFiles(1000, 1_000_000), security);
        Path big = Files.write(dir.resolve("big.bin"), new byte[1001]);
        assertThat(send(big.toString(), "--nick", "ci")).isEqualTo(SendCommand.EXIT_REFUSED);
        assertThat(err.all()).containsExactly("confab send: The file is too big: this host takes files up to 1.0 KB.");
        assertThat(out.all()).isEmpty();
        Path small = Files.write(dir.resolve("small.bin"), new byte[10]);
        assertThat(send(small.toString(), "--nick", "ci2", "--to", "nobody")).isEqualTo(SendCommand.EXIT_REFUSED);
        assertThat(err.await(l -> l.startsWith("confab send: ") && l.contains("nobody"), 5))
                .as("err: %s", err.all())
                .isNotNull();
    }

    @Test
    void aHostWithoutFilesSaysSo() throws Exception {
        startHost(HostConfig.defaults("No files", 0).withFiles(0, 0), security);
        Path f = Files.write(dir.resolve("a.txt"), new byte[] {1});
        assertThat(send(f.toString(), "--nick", "ci")).isEqualTo(SendCommand.EXIT_REFUSED);
        assertThat(err.all()).containsExactly("confab send: This room's host does not take files.");
    }

    @Test
    void noSuchFileIsAUsageErrorBeforeJoining() throws Exception {
        startHost(HostConfig.defaults("Room", 0), security);
        assertThat(send(dir.resolve("missing.pdf").toString(), "--nick", "ci")).isEqualTo(2);
        assertThat(err.all()).containsExactly("confab send: No such file: " + dir.resolve("missing.pdf"));
        assertThat(host.members()).isEmpty();
    }

    @Test
    void aFolderIsSharedAsOneMessage() throws Exception {
        startHost(HostConfig.defaults("Drop box", 0), security);
        var bob = new JoinCommandTest.Member();
        var bobClient = new RoomConnection(
                RoomConnection.Options.defaults("127.0.0.1", port, "bob")
                        .withSecurity(JoinOptions.pinned(host.fingerprint())),
                null,
                bob);
        open.add(bobClient);
        bobClient.connect();
        Path folder = Files.createDirectories(dir.resolve("site"));
        Files.writeString(Files.createDirectories(folder.resolve("css")).resolve("main.css"), "body{}");
        Files.writeString(folder.resolve("index.html"), "<h1>hi</h1>");
        assertThat(send(folder.toString(), "--nick", "ci"))
                .as("err: %s", err.all())
                .isZero();
        var posted = (RoomEvent.Posted)
                bob.await(e -> e instanceof RoomEvent.Posted p && p.message().file() != null);
        assertThat(posted).isNotNull();
        assertThat(posted.message().file().folder()).isTrue();
        assertThat(posted.message().file().name()).isEqualTo("site");
        assertThat(out.all()).containsExactly("Shared the folder site (17 bytes) in \"Drop box\".");
    }

    @Test
    void aWrongPasswordIsExit51() throws Exception {
        startHost(HostConfig.defaults("Locked", 0), security.withPassword("right horse"));
        Path f = Files.write(dir.resolve("a.txt"), new byte[] {1});
        Path pw = Files.writeString(dir.resolve("pw"), "wrong horse\n");
        assertThat(send(f.toString(), "--nick", "ci", "--password-file", pw.toString()))
                .isEqualTo(51);
        assertThat(err.all()).singleElement().asString().startsWith("confab send: ");
    }
}
