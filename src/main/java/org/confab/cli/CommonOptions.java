package org.confab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code confab host} and {@code confab join} share, as a picocli mixin: {@code --help} and
 * {@code --version} (the build's version), and {@code --insecure} with its warning.
 *
 * <p>The look-alikes stay in each command because they mean different things there:
 * {@code --password-file} (the host requires the password of members, read from
 * {@code CONFAB_ROOM_PASSWORD} without it; join supplies one, from {@code CONFAB_PASSWORD}; both
 * read it with {@link Passwords#read}), {@code --nick} (optional for the host, required to join),
 * {@code --no-save} (the room's history, or the client's cache and outbox) and the folders
 * ({@code --data-dir} for the host's history, {@code --state-dir} for the client's state).
 * {@code confab} itself keeps its own {@code --insecure}: it sets up the desktop app, with its own text.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = ConfabCommand.VersionProvider.class)
final class CommonOptions {
    /** Printed by both commands when {@code --insecure} is given (host: stdout, join: stderr). */
    static final String INSECURE_WARNING =
            "WARNING: not encrypted (--insecure): anyone on the network can read and change this chat.";

    @Option(
            names = "--insecure",
            description =
                    "Plain TCP without encryption, for debugging: anyone on the network can read and change the chat.")
    boolean insecure;
}
