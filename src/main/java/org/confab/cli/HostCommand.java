package org.confab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: the headless host; being written (see issue 2). */
@Command(name = "host", mixinStandardHelpOptions = true, description = "Host a room without a window.")
public final class HostCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet written");
    }
}
