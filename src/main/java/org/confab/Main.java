package org.confab;

import org.confab.cli.ConfabCommand;

/**
 * Entry point of confab.jar and of the installed launcher. Deliberately free of JavaFX types, so
 * the headless commands ({@code host}, {@code join}) never load the toolkit.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = ConfabCommand.execute(args);
        if (code != ConfabCommand.GUI_STARTED) {
            System.exit(code);
        }
    }
}
