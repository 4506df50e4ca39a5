package org.confab.ui.shell;

import java.io.File;
import java.nio.file.Files;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.confab.core.FileRef;
import org.confab.ui.common.DialogService;
import org.confab.ui.common.Settings;
import org.confab.ui.common.Theme;

/**
 * Settings (Ctrl+,; the gear in the rail and on the start screen): theme, notifications and their
 * sound, what closing the window does while hosting. Each choice applies and is remembered at
 * once: there is no OK to forget.
 */
final class SettingsDialog {
    /** Settings key: a short sound with each notification (off by default). */
    static final String SOUND = "notify.sound";
    /** Settings key: tell the others when I type (on by default). */
    static final String SEND_TYPING = "privacy.typing";

    static final String SEND_RECEIPTS = "privacy.receipts";

    private SettingsDialog() {}

    static Stage open(
            DialogService dialogs,
            Settings settings,
            Theme theme,
            BooleanProperty doNotDisturb,
            BooleanProperty sendTyping,
            BooleanProperty sendReceipts) {
        RadioButton light = new RadioButton("Light");
        RadioButton dark = new RadioButton("Dark");
        ToggleGroup themes = new ToggleGroup();
        light.setToggleGroup(themes);
        dark.setToggleGroup(themes);
        light.setId("themeLight");
        dark.setId("themeDark");
        (theme.isDark() ? dark : light).setSelected(true);
        themes.selectedToggleProperty().addListener((o, was, now) -> theme.setDark(now == dark));
        theme.darkProperty().addListener((o, was, now) -> (now ? dark : light).setSelected(true));

        CheckBox notify = new CheckBox("Show desktop notifications for new messages");
        notify.setId("notifyEnabled");
        notify.setSelected(!doNotDisturb.get());
        notify.selectedProperty().addListener((o, was, now) -> doNotDisturb.set(!now));
        doNotDisturb.addListener((o, was, now) -> notify.setSelected(!now));
        CheckBox sound = new CheckBox("Play a sound with each notification");
        sound.setId("notifySound");
        sound.setSelected(settings.getBoolean(SOUND, false));
        sound.selectedProperty().addListener((o, was, now) -> settings.put(SOUND, Boolean.toString(now)));
        sound.disableProperty().bind(notify.selectedProperty().not());
        Label perRoom = hint("Right-click a conversation in the list for all messages, mentions only or mute.");
        CheckBox typing = new CheckBox("Show others when I am typing");
        typing.setId("sendTyping");
        typing.selectedProperty().bindBidirectional(sendTyping);
        CheckBox receipts = new CheckBox("Let others see when I have read their messages");
        receipts.setId("sendReceipts");
        receipts.selectedProperty().bindBidirectional(sendReceipts);

        ToggleGroup closing = new ToggleGroup();
        VBox closeChoices = new VBox(6);
        String now = settings.get(MainWindow.CLOSE_WHILE_HOSTING, "ask");
        for (String[] c : new String[][] {
            {"ask", "Ask every time"},
            {"background", "Keep hosting in the tray (or minimized)"},
            {"quit", "Stop hosting and quit"}
        }) {
            RadioButton b = new RadioButton(c[1]);
            b.setId("close-" + c[0]);
            b.setToggleGroup(closing);
            b.setUserData(c[0]);
            b.setSelected(c[0].equals(now));
            closeChoices.getChildren().add(b);
        }
        closing.selectedToggleProperty().addListener((o, was, choice) -> {
            if (choice != null) {
                settings.put(MainWindow.CLOSE_WHILE_HOSTING, (String) choice.getUserData());
            }
        });

        Label folder = new Label(FileSettings.folder(settings).toString());
        folder.setId("filesFolder");
        folder.getStyleClass().add("settings-path");
        folder.setMinWidth(0);
        HBox.setHgrow(folder, Priority.ALWAYS);
        Button change = new Button("Change…");
        change.setId("filesFolderChange");
        change.setMinWidth(Region.USE_PREF_SIZE);
        change.setOnAction(e -> {
            DirectoryChooser c = new DirectoryChooser();
            c.setTitle("Save received files in — Confab");
            if (Files.isDirectory(FileSettings.folder(settings))) {
                c.setInitialDirectory(FileSettings.folder(settings).toFile());
            }
            File chosen = c.showDialog(change.getScene().getWindow());
            if (chosen != null) {
                settings.put(FileSettings.FOLDER, chosen.getAbsolutePath());
                folder.setText(chosen.getAbsolutePath());
            }
        });
        HBox folderRow = new HBox(8, folder, change);
        folderRow.setAlignment(Pos.CENTER_LEFT);
        ComboBox<Long> auto = new ComboBox<>();
        auto.setId("filesAutoBelow");
        for (long c : FileSettings.AUTO_CHOICES) {
            auto.getItems().add(c);
        }
        auto.setConverter(new StringConverter<>() {
            @Override
            public String toString(Long v) {
                return v == null || v == 0 ? "Never" : "Files up to " + FileRef.humanSize(v);
            }

            @Override
            public Long fromString(String s) {
                return null;
            }
        });
        long currently = FileSettings.autoBelow(settings);
        if (!auto.getItems().contains(currently)) {
            auto.getItems().add(currently);
        }
        auto.setValue(currently);
        auto.valueProperty().addListener((o, was, v) -> settings.put(FileSettings.AUTO_BELOW, Long.toString(v)));
        Label autoLabel = new Label("Download automatically");
        HBox autoRow = new HBox(10, autoLabel, auto);
        autoRow.setAlignment(Pos.CENTER_LEFT);
        Label neverOpened = hint("Received files are never opened on their own.");

        Button done = new Button("Done");
        done.setDefaultButton(true);
        done.setId("settingsDone");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(grow, done);

        VBox root = new VBox(
                18,
                section("Appearance", new HBox(16, light, dark)),
                section("Notifications", new VBox(8, notify, sound, perRoom)),
                section("Privacy", new VBox(8, typing, receipts)),
                section("Files", new VBox(8, new Label("Save received files in"), folderRow, autoRow, neverOpened)),
                section("Closing the window while hosting", closeChoices),
                buttons);
        root.setPadding(new Insets(20, 24, 18, 24));
        root.setPrefWidth(440);
        root.getStyleClass().add("settings-dialog");
        root.setId("settingsDialog");
        Stage stage = dialogs.window("Settings", root);
        done.setOnAction(e -> stage.close());
        stage.show();
        return stage;
    }

    private static VBox section(String title, Region content) {
        Label head = new Label(title);
        head.getStyleClass().add("settings-heading");
        return new VBox(8, head, content);
    }

    private static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().add("settings-hint");
        return l;
    }
}
