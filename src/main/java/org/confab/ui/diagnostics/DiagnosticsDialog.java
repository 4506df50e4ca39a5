package org.confab.ui.diagnostics;

import java.util.Comparator;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.net.discovery.Diagnostics;
import org.confab.ui.common.DialogService;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * "Why can't I see a room?": the diagnostics panel (the start screen's link under "Rooms on your
 * network", and the ⋯ menu). Shows each check of {@link DiagnosticsViewModel} with an icon for
 * ok / warning / problem / unknown, its sentence, details and what to do; an optional room address
 * to check too; "Copy report". The checks start when it opens; Esc closes it.
 */
public final class DiagnosticsDialog {
    private final DiagnosticsViewModel vm;
    private final VBox rows = new VBox(10);

    private DiagnosticsDialog(DiagnosticsViewModel vm) {
        this.vm = vm;
    }

    /** Opens the panel over the main window and starts the checks. */
    public static Stage open(DialogService dialogs, DiagnosticsViewModel vm) {
        return new DiagnosticsDialog(vm).show(dialogs);
    }

    private Stage show(DialogService dialogs) {
        Label title = new Label("Why can't I see a room?");
        title.getStyleClass().add("dialog-title");
        Label intro = new Label("Confab checks this machine's network, asks the network for rooms, and reads the"
                + " firewall where it can. Nothing is changed.");
        intro.getStyleClass().add("settings-hint");
        intro.setWrapText(true);

        TextField address = new TextField();
        address.setId("diagnosticsAddress");
        address.setPromptText("Room address or invite link, to check it too (optional)");
        HBox.setHgrow(address, Priority.ALWAYS);
        Button check = new Button("Check again");
        check.setId("diagnosticsRun");
        check.setDefaultButton(true);
        check.disableProperty().bind(vm.runningProperty());
        check.setOnAction(e -> vm.run(address.getText()));
        address.setOnAction(e -> vm.run(address.getText()));
        HBox ask = new HBox(8, address, check);
        ask.setAlignment(Pos.CENTER_LEFT);
        Label error = new Label();
        error.setId("diagnosticsError");
        error.getStyleClass().add("field-error");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());

        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(16, 16);
        Label progress = new Label("Checking… (listening for answers takes a couple of seconds)");
        progress.getStyleClass().add("settings-hint");
        HBox busy = new HBox(8, spinner, progress);
        busy.setId("diagnosticsBusy");
        busy.setAlignment(Pos.CENTER_LEFT);
        busy.visibleProperty().bind(vm.runningProperty());
        busy.managedProperty().bind(busy.visibleProperty());

        rows.setId("diagnosticsChecks");
        ScrollPane scroll = new ScrollPane(rows);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefViewportHeight(400);
        scroll.getStyleClass().add("about-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        vm.checks().subscribe(this::sync);

        Button copy = new Button("Copy report", new FontIcon("fth-copy"));
        copy.setId("diagnosticsCopy");
        copy.disableProperty().bind(vm.reportProperty().isNull());
        copy.setOnAction(e -> vm.copy());
        Label copied = new Label();
        copied.getStyleClass().add("settings-hint");
        copied.textProperty().bind(vm.copiedProperty());
        Button close = new Button("Close");
        close.setId("diagnosticsClose");
        close.setCancelButton(true);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(8, copy, copied, grow, close);
        buttons.setAlignment(Pos.CENTER_LEFT);

        VBox root = new VBox(12, title, intro, ask, error, busy, scroll, buttons);
        root.setPadding(new Insets(20, 24, 18, 24));
        root.setPrefWidth(680);
        root.getStyleClass().addAll("settings-dialog", "diagnostics-dialog");
        root.setId("diagnosticsDialog");
        Stage stage = dialogs.window("Why can't I see a room? — Confab", root);
        close.setOnAction(e -> stage.close());
        if (stage.getOwner() != null) { // the panel fits over its window, however small; the list scrolls
            scroll.setPrefViewportHeight(Math.clamp(stage.getOwner().getHeight() - 290, 160, 440));
        }
        stage.show();
        vm.run("");
        return stage;
    }

    /** The rows, what needs doing first (problems, then warnings, unknowns, all right); else in the report's order. */
    private void sync() {
        rows.getChildren()
                .setAll(vm.checks().stream()
                        .sorted(Comparator.comparingInt(DiagnosticsDialog::severity))
                        .map(DiagnosticsDialog::row)
                        .toList());
    }

    private static int severity(Diagnostics.Check c) {
        return switch (c.status()) {
            case PROBLEM -> 0;
            case WARNING -> 1;
            case UNKNOWN -> 2;
            case OK -> 3;
        };
    }

    /** One check: its icon, title and sentence, then details and what to do; all plain text. */
    private static Node row(Diagnostics.Check c) {
        FontIcon icon = new FontIcon(
                switch (c.status()) {
                    case OK -> "fth-check-circle";
                    case WARNING -> "fth-alert-triangle";
                    case PROBLEM -> "fth-x-circle";
                    case UNKNOWN -> "fth-help-circle";
                });
        icon.getStyleClass().addAll("diagnostics-icon", c.status().word());
        Label title = new Label(c.title());
        title.getStyleClass().add("diagnostics-title");
        Label word = new Label(
                switch (c.status()) {
                    case OK -> "OK";
                    case WARNING -> "Warning";
                    case PROBLEM -> "Problem";
                    case UNKNOWN -> "Unknown";
                });
        word.getStyleClass().addAll("diagnostics-status", c.status().word());
        word.setMinWidth(Region.USE_PREF_SIZE);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, title, grow, word);
        head.setAlignment(Pos.CENTER_LEFT);
        Label summary = new Label(c.summary());
        summary.setWrapText(true);
        summary.getStyleClass().add("diagnostics-summary");
        VBox text = new VBox(3, head, summary);
        for (String d : c.details()) {
            Label l = new Label(d);
            l.setWrapText(true);
            l.getStyleClass().add("diagnostics-detail");
            text.getChildren().add(l);
        }
        for (String a : c.advice()) {
            Label l = new Label(a, new FontIcon("fth-arrow-right"));
            l.setWrapText(true);
            l.getStyleClass().add("diagnostics-advice");
            text.getChildren().add(l);
        }
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox row = new HBox(12, icon, text);
        row.getStyleClass().addAll("diagnostics-row", c.status().word());
        row.setId("check-" + c.id());
        return row;
    }
}
