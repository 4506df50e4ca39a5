package org.confab.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the command line takes a room password from: the first line of a file, else a variable. */
final class Passwords {
    private Passwords() {}

    /** The password, or null when neither gives a non-empty one. Never from the command line itself (ps shows it). */
    static String read(Path file, String envVar) throws IOException {
        String password = System.getenv(envVar);
        if (file != null) {
            var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            password = lines.isEmpty() ? null : lines.getFirst();
        }
        return password == null || password.isEmpty() ? null : password;
    }
}
