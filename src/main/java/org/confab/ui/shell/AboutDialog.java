package org.confab.ui.shell;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.confab.net.Version;
import org.confab.ui.common.DialogService;

/**
 * "About Confab" (the ⋯ menu in the status bar): the version, what Confab is, and the credits:
 * every library and asset shipped inside the app, with its licence. A credit's name is a link to
 * its project, opened the way links in messages are (the system's browser).
 */
final class AboutDialog {
    /** One thing Confab ships that others made: its name, what it does here, its licence, its home. */
    record Credit(String name, String what, String licence, String url) {}

    static final String TAGLINE = "A LAN messenger that doesn't lose your messages.";

    /** What the app ships (pom.xml's runtime dependencies, the bundled font and emoji images), in the order shown. */
    static final List<Credit> CREDITS = List.of(
            new Credit(
                    "Twemoji",
                    "emoji graphics, © Twitter, Inc. / X Corp. and other contributors",
                    "CC-BY 4.0",
                    "https://github.com/jdecked/twemoji"),
            new Credit(
                    "emoji-datasource-twitter 16.0.0",
                    "the npm package of emoji-data that carries them, © Cal Henderson",
                    "MIT",
                    "https://github.com/iamcal/emoji-data"),
            new Credit(
                    "Inter",
                    "the interface font, © The Inter Project Authors",
                    "SIL OFL 1.1",
                    "https://rsms.me/inter/"),
            new Credit("OpenJFX", "the user interface toolkit", "GPL-2.0 + Classpath Exception", "https://openjfx.io"),
            new Credit("AtlantaFX", "the theme", "MIT", "https://github.com/mkpaz/atlantafx"),
            new Credit("ControlsFX", "extra controls", "BSD-3-Clause", "https://github.com/controlsfx/controlsfx"),
            new Credit(
                    "Ikonli with Feather icons",
                    "icons (Feather © Cole Bemis, MIT)",
                    "Apache-2.0",
                    "https://github.com/kordamp/ikonli"),
            new Credit(
                    "commonmark-java",
                    "Markdown in messages",
                    "BSD-2-Clause",
                    "https://github.com/commonmark/commonmark-java"),
            new Credit("JmDNS", "finding rooms on the network", "Apache-2.0", "https://github.com/jmdns/jmdns"),
            new Credit(
                    "Bouncy Castle",
                    "the room's certificate",
                    "Bouncy Castle Licence (MIT-style)",
                    "https://www.bouncycastle.org"),
            new Credit(
                    "SQLite JDBC",
                    "history on disk (SQLite: public domain)",
                    "Apache-2.0",
                    "https://github.com/xerial/sqlite-jdbc"),
            new Credit("Jackson", "JSON", "Apache-2.0", "https://github.com/FasterXML/jackson-databind"),
            new Credit("picocli", "the command line", "Apache-2.0", "https://picocli.info"),
            new Credit(
                    "dbus-java",
                    "desktop notifications and the launcher badge",
                    "MIT",
                    "https://github.com/hypfvieh/dbus-java"),
            new Credit("SLF4J", "quiets the libraries' logging", "MIT", "https://www.slf4j.org"));

    private AboutDialog() {}

    /** "Confab 0.1.0". */
    static String versionLine() {
        return "Confab " + Version.get();
    }

    static Stage open(DialogService dialogs, Consumer<URI> openLink) {
        ImageView icon = new ImageView();
        var url = AboutDialog.class.getResource("/org/confab/ui/common/icons/confab-64.png");
        if (url != null) {
            icon.setImage(new Image(url.toExternalForm(), 56, 56, true, true));
        }
        Label title = new Label(versionLine());
        title.getStyleClass().add("dialog-title");
        title.setId("aboutVersion");
        Label tagline = new Label(TAGLINE);
        tagline.getStyleClass().add("settings-hint");
        tagline.setWrapText(true);
        VBox words = new VBox(4, title, tagline);
        HBox head = new HBox(14, icon, words);
        head.setAlignment(Pos.CENTER_LEFT);

        Label creditsHead = new Label("Credits");
        creditsHead.getStyleClass().add("settings-heading");
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(4);
        grid.setId("aboutCredits");
        int row = 0;
        for (Credit c : CREDITS) {
            Hyperlink name = new Hyperlink(c.name());
            name.getStyleClass().add("about-credit-name");
            name.setTooltip(new Tooltip(c.url()));
            name.setOnAction(e -> openLink.accept(URI.create(c.url())));
            name.setPadding(Insets.EMPTY);
            name.setMinWidth(Region.USE_PREF_SIZE);
            Label what = new Label(c.what());
            what.getStyleClass().add("settings-hint");
            what.setWrapText(true);
            what.setMaxWidth(290);
            Label licence = new Label(c.licence());
            licence.getStyleClass().add("about-licence");
            licence.setWrapText(true);
            licence.setMaxWidth(200);
            for (var n : List.of(name, what, licence)) {
                GridPane.setValignment(n, VPos.TOP);
            }
            grid.addRow(row++, name, what, licence);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setPrefViewportHeight(390); // every credit without scrolling at the usual font size
        scroll.getStyleClass().add("about-scroll");
        VBox.setVgrow(scroll, Priority.ALWAYS);

        Label note = new Label("Each project’s page has its licence; README › Credits lists the same.");
        note.getStyleClass().add("settings-hint");
        note.setWrapText(true);
        Button close = new Button("Close");
        close.setDefaultButton(true);
        close.setCancelButton(true);
        close.setId("aboutClose");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox buttons = new HBox(grow, close);

        VBox root = new VBox(14, head, creditsHead, scroll, note, buttons);
        root.setPadding(new Insets(20, 24, 18, 24));
        root.setPrefWidth(720);
        root.getStyleClass().addAll("settings-dialog", "about-dialog");
        root.setId("aboutDialog");
        Stage stage = dialogs.window("About Confab", root);
        close.setOnAction(e -> stage.close());
        stage.show();
        return stage;
    }
}
