package org.confab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the terminal client; being written (see issue 2). */
@Command(name = "join", mixinStandardHelpOptions = true, description = "Join a room from the terminal.")
public final class JoinCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet written");
    }
}
