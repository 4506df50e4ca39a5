package org.confab.ui.diagnostics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.confab.core.InviteLink;
import org.confab.net.HostConfig;
import org.confab.net.Version;
import org.confab.net.discovery.Diagnostics;
import org.confab.ui.common.TextClipboard;

/**
 * The state of the "Why can't I see a room?" panel: the checks found so far (in the model's order),
 * whether they are still running, an optional room to check, and the report to copy. The checks run
 * on {@code background}; what they find is applied on {@code fx}. No controls here.
 */
public final class DiagnosticsViewModel {
    /** The order checks are shown in while they come in (the model's report order). */
    private static final List<String> ORDER = List.of("interfaces", "addresses", "multicast", "room", "firewall");

    private final Diagnostics.Probes probes;
    private final Executor fx;
    private final Executor background;
    private final TextClipboard clipboard;
    private final ObservableList<Diagnostics.Check> checks = FXCollections.observableArrayList();
    /** One read-only view, kept: a view made per call is only weakly held by the list it shows. */
    private final ObservableList<Diagnostics.Check> checksView = FXCollections.unmodifiableObservableList(checks);

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyObjectWrapper<Diagnostics.Report> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyStringWrapper copied = new ReadOnlyStringWrapper(this, "copied", "");
    private int generation;

    public DiagnosticsViewModel(Diagnostics.Probes probes, Executor fx, Executor background, TextClipboard clipboard) {
        this.probes = Objects.requireNonNull(probes, "probes");
        this.fx = Objects.requireNonNull(fx, "fx");
        this.background = Objects.requireNonNull(background, "background");
        this.clipboard = Objects.requireNonNull(clipboard, "clipboard");
    }

    /** The checks known so far; all of them once {@link #runningProperty()} is false. */
    public ObservableList<Diagnostics.Check> checks() {
        return checksView;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Why the typed room address cannot be read, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Diagnostics.Report> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** "Copied" after a copy, else empty. */
    public ReadOnlyStringProperty copiedProperty() {
        return copied.getReadOnlyProperty();
    }

    /**
     * Runs every check (FX thread); {@code room} is an address or invite link to check too, or
     * blank. A run already going is left to finish unseen.
     */
    public void run(String room) {
        InviteLink target = null;
        if (room != null && !room.isBlank()) {
            try {
                target = InviteLink.parseAddress(room, HostConfig.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                error.set(e.getMessage());
                return;
            }
        }
        error.set(null);
        copied.set("");
        int mine = ++generation;
        checks.clear();
        report.set(null);
        running.set(true);
        var request = Diagnostics.Request.of(target);
        background.execute(() -> {
            Diagnostics.Report r;
            try {
                r = Diagnostics.run(probes, request, c -> fx.execute(() -> arrived(mine, c)));
            } catch (RuntimeException e) {
                r = new Diagnostics.Report(List.of(new Diagnostics.Check(
                        "error",
                        "Checks",
                        Diagnostics.Status.UNKNOWN,
                        "The checks could not run: " + e.getMessage(),
                        List.of(),
                        List.of())));
            }
            Diagnostics.Report done = r;
            fx.execute(() -> finished(mine, done));
        });
    }

    private void arrived(int run, Diagnostics.Check c) {
        if (run != generation) {
            return;
        }
        List<Diagnostics.Check> now = new ArrayList<>(checks);
        now.add(c);
        now.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        checks.setAll(now);
    }

    private static int rank(Diagnostics.Check c) {
        int i = ORDER.indexOf(c.id());
        return i < 0 ? ORDER.size() : i;
    }

    private void finished(int run, Diagnostics.Report r) {
        if (run != generation) {
            return;
        }
        checks.setAll(r.checks());
        report.set(r);
        running.set(false);
    }

    /** The report as text, with the version on top, as copied. */
    public String reportText() {
        Diagnostics.Report r = report.get();
        return r == null ? "" : "Confab " + Version.get() + ": why can't I see a room?\n\n" + r.text();
    }

    /** Copies the report (FX thread); nothing before the checks finished. */
    public void copy() {
        if (report.get() == null) {
            return;
        }
        clipboard.copy(reportText());
        copied.set("Copied");
    }
}
