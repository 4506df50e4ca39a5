package org.confab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.confab.core.FileRef;
import org.confab.core.RoomEvent;
import org.confab.net.Disconnect;
import org.confab.net.FileTransfers;
import org.confab.net.JoinException;
import org.confab.net.JoinOptions;
import org.confab.net.RoomConnection;
import org.confab.net.RoomConnectionListener;
import org.confab.protocol.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code confab send LINK PATH}: for scripts. Joins as {@code join} does (same address, key and
 * password options; never asks, keeps nothing on disk but the room's key), uploads one file,
 * waits until its message is posted, leaves. Prints one line when shared; one line on stderr and a
 * non-zero code when not.
 */
@Command(
        name = "send",
        description = {
            "Share a file in a room and leave: for scripts.",
            "Joins as 'confab join' does (without asking anything), uploads PATH, waits",
            "until its message is posted, then leaves. After a dropped connection it",
            "reconnects and the upload goes on from what the host holds."
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  Shared: its message is in the room (or the direct conversation, --to).",
            "  2  Invalid command line, or PATH is missing or unreadable.",
            " 60  The host refused the file (files off, too big, quota full, a bad name)",
            "     or its message (e.g. --to names nobody in the room).",
            " 61  The connection ended before the file was shared (the host closed the",
            "     room, a moderator removed you).",
            "     Joining fails with the codes of 'confab join --help' (10-14, 20-24,",
            "     30-31, 40-43, 50-52)."
        })
public final class SendCommand implements Callable<Integer> {
    public static final int EXIT_REFUSED = 60;
    public static final int EXIT_ENDED = 61;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    JoinTarget target;

    @Parameters(index = "1", paramLabel = "PATH", description = "The file to share, or a folder (as a whole).")
    String path;

    @Option(
            names = "--caption",
            paramLabel = "TEXT",
            description = "Text that goes with the file (default: none; its message then shows the name).")
    String caption;

    @Option(
            names = "--to",
            paramLabel = "NICK",
            description = "Share it with one member in a direct conversation instead of the whole room.")
    String to;

    @Override
    public Integer call() throws InterruptedException {
        var cl = spec.commandLine();
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        target.validate(cl);
        Path file;
        try {
            file = Path.of(path);
        } catch (InvalidPathException e) {
            return usage(err, "No such file: " + path);
        }
        boolean folder = Files.isDirectory(file);
        if (!folder && !Files.isRegularFile(file)) {
            return usage(err, "No such file: " + file);
        }
        if (!Files.isReadable(file)) {
            return usage(err, "Cannot read " + file + " (no permission).");
        }
        JoinOptions security;
        try {
            security = target.security(common.insecure);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        var outcome = new CompletableFuture<Integer>();
        var listener = new RoomConnectionListener() {
            @Override
            public void event(RoomEvent event, String cid) {} // the room's talk is not this command's

            /** The host would not post the file's message (e.g. --to names nobody here). */
            @Override
            public void error(String code, String text) {
                if (!code.equals(ErrorCode.RATE_LIMITED.wire()) && outcome.complete(EXIT_REFUSED)) {
                    err.println("confab send: " + text);
                    err.flush();
                }
            }

            @Override
            public void ended(Disconnect why) {
                if (outcome.complete(EXIT_ENDED)) {
                    err.println("confab send: " + why.text());
                    err.flush();
                }
            }
        };
        try (var connection = new RoomConnection(target.connection().withSecurity(security), null, listener)) {
            try {
                connection.connect(Duration.ofSeconds(target.retryForSeconds));
            } catch (JoinException e) {
                err.println("confab send: " + e.getMessage());
                err.flush();
                return JoinCommand.exitCode(e.reason());
            }
            if (security.insecure()) {
                err.println("confab send: " + CommonOptions.INSECURE_WARNING);
                err.flush();
            }
            try {
                long total = FileTransfers.totalSize(file);
                var told = new FileTransfers.Listener() {
                    @Override
                    public void finished(String key, FileRef ref, Path saved) {
                        if (outcome.complete(0)) {
                            out.println("Shared " + (folder ? "the folder " : "") + file.getFileName() + " ("
                                    + FileRef.humanSize(total) + ") in \""
                                    + EventFormat.safe(connection.welcome().room()) + "\""
                                    + (to == null ? "" : " with " + EventFormat.safe(to)) + ".");
                            out.flush();
                        }
                    }

                    @Override
                    public void failed(String key, String why) {
                        if (outcome.complete(EXIT_REFUSED)) {
                            err.println("confab send: " + why);
                            err.flush();
                        }
                    }
                };
                if (folder) {
                    connection.files().uploadFolder(file, to, caption, told);
                } else {
                    connection.files().upload(file, to, caption, told);
                }
            } catch (IOException e) {
                return usage(err, "Cannot read " + file + ": " + e.getMessage());
            }
            int code;
            try {
                code = outcome.get();
            } catch (ExecutionException e) {
                code = 1;
            }
            connection.leave();
            return code;
        }
    }

    private static int usage(PrintWriter err, String text) {
        err.println("confab send: " + text);
        err.flush();
        return JoinCommand.EXIT_USAGE;
    }
}
