package org.confab.ui.files;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.Cursor;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.confab.core.FileRef;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A shared file in a message: its type icon, name and size, a progress bar with speed and time
 * left while it travels, and what can be done with it (Save, Save as…, Open folder, pause,
 * resume, cancel). An image shows the preview its sender made above, within {@link #PREVIEW_W} ×
 * {@link #PREVIEW_H}; a click opens the viewer. Its height depends only on the file (a preview or
 * not), never on the transfer's state, so the message list's measured heights stay right while a
 * transfer moves. Every text is a label: a name is never markup.
 */
public final class FileCard extends VBox {
    public static final double PREVIEW_W = 320;
    public static final double PREVIEW_H = 220;

    /** What the card's buttons ask for. */
    public interface Actions {
        void save(FileRef file);

        void saveAs(FileRef file);

        /** Show the saved file in its folder (the system's file manager). */
        void openFolder(Path saved);

        /** The image viewer for {@code file} (fetching it first if needed). */
        void view(FileRef file);

        void pause(String key);

        void resume(String key);

        void cancel(String key);

        /** Nothing to do (rows drawn without a connection: tests, previews). */
        Actions NONE = new Actions() {
            @Override
            public void save(FileRef file) {}

            @Override
            public void saveAs(FileRef file) {}

            @Override
            public void openFolder(Path saved) {}

            @Override
            public void view(FileRef file) {}

            @Override
            public void pause(String key) {}

            @Override
            public void resume(String key) {}

            @Override
            public void cancel(String key) {}
        };
    }

    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    /** Decoded previews by their text: a list scrolls the same rows in and out often. Weak keys: forgotten with their rows. */
    private static final Map<String, Image> PREVIEWS = new WeakHashMap<>();

    private final ImageView preview = new ImageView();
    private final StackPane previewBox = new StackPane(preview);
    private final FontIcon icon = new FontIcon("fth-file");
    private final StackPane iconBox = new StackPane(icon);
    private final Label name = new Label();
    private final Label detail = new Label();
    private final VBox text = new VBox(1, name, detail);
    private final Button save = new Button("Save");
    private final Button more = new Button(null, new FontIcon("fth-chevron-down"));
    private final Button pause = new Button(null, new FontIcon("fth-pause"));
    private final Button stop = new Button(null, new FontIcon("fth-x"));
    private final HBox buttons = new HBox(4, save, more, pause, stop);
    private final HBox line = new HBox(10, iconBox, text, buttons);
    private final ProgressBar bar = new ProgressBar(0);
    private final MenuItem saveAs = new MenuItem("Save as…", new FontIcon("fth-download"));
    private final MenuItem openFolder = new MenuItem("Open folder", new FontIcon("fth-folder"));
    private final MenuItem view = new MenuItem("View", new FontIcon("fth-maximize"));
    private final ContextMenu menu = new ContextMenu(view, saveAs, openFolder);

    private final Tooltip nameTip = new Tooltip();
    private final Tooltip pauseTip = new Tooltip("Pause");
    private FileRef file;
    private Transfer transfer;

    public FileCard(Actions actions) {
        getStyleClass().add("file-card");
        setSpacing(6);
        setFillWidth(true);
        previewBox.getStyleClass().add("file-preview");
        previewBox.setAlignment(Pos.CENTER_LEFT);
        preview.setPreserveRatio(true);
        preview.setSmooth(true);
        preview.setFitWidth(PREVIEW_W);
        preview.setFitHeight(PREVIEW_H);
        Rectangle clip = new Rectangle();
        clip.setArcWidth(12);
        clip.setArcHeight(12);
        clip.widthProperty().bind(preview.layoutBoundsProperty().map(b -> b.getWidth()));
        clip.heightProperty().bind(preview.layoutBoundsProperty().map(b -> b.getHeight()));
        preview.setClip(clip);
        preview.setOnMouseClicked(e -> {
            if (file != null) {
                actions.view(file);
            }
        });
        preview.setCursor(Cursor.HAND);
        iconBox.getStyleClass().add("file-icon");
        iconBox.setMinSize(38, 38);
        iconBox.setMaxSize(38, 38);
        name.getStyleClass().add("file-name");
        name.setTooltip(nameTip);
        name.setMinWidth(0);
        detail.getStyleClass().add("file-detail");
        detail.setMinWidth(0);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setAlignment(Pos.CENTER_LEFT);
        line.setAlignment(Pos.CENTER_LEFT);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        buttons.setMinWidth(Region.USE_PREF_SIZE);
        save.getStyleClass().addAll("file-save", "small");
        save.setId("fileSave");
        more.getStyleClass().addAll("file-more", "flat", "small");
        more.setId("fileMore");
        more.setTooltip(new Tooltip("More"));
        pause.getStyleClass().addAll("file-pause", "flat", "small");
        pause.setId("filePause");
        pause.setTooltip(pauseTip);
        stop.getStyleClass().addAll("file-cancel", "flat", "small");
        stop.setId("fileCancel");
        stop.setTooltip(new Tooltip("Cancel"));
        bar.getStyleClass().add("file-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setPrefHeight(4);
        bar.setMinHeight(4);
        bar.setMaxHeight(4);
        saveAs.setId("fileSaveAs");
        openFolder.setId("fileOpenFolder");
        getChildren().addAll(previewBox, line, bar);

        save.setOnAction(e -> {
            if (transfer != null && transfer.status() == Transfer.Status.DONE && transfer.saved() != null) {
                actions.openFolder(transfer.saved());
            } else if (file != null) {
                actions.save(file);
            }
        });
        more.setOnAction(e -> menu.show(more, Side.BOTTOM, 0, 0));
        saveAs.setOnAction(e -> actions.saveAs(file));
        openFolder.setOnAction(e -> {
            if (transfer != null && transfer.saved() != null) {
                actions.openFolder(transfer.saved());
            }
        });
        view.setOnAction(e -> actions.view(file));
        pause.setOnAction(e -> {
            if (transfer == null) {
                return;
            }
            if (transfer.status() == Transfer.Status.PAUSED) {
                actions.resume(transfer.key());
            } else {
                actions.pause(transfer.key());
            }
        });
        stop.setOnAction(e -> {
            if (transfer != null) {
                actions.cancel(transfer.key());
            }
        });
        setMaxWidth(PREVIEW_W + 140);
        setMinWidth(0);
    }

    /** Shows {@code f} and where its transfer is ({@code t}: null when none ran here). */
    public void show(FileRef f, Transfer t) {
        boolean newFile = file == null || !file.equals(f);
        file = f;
        transfer = t;
        if (newFile) {
            name.setText(f.fileName());
            nameTip.setText(f.name());
            icon.setIconLiteral(iconFor(f));
            Image img = f.thumb() == null
                    ? null
                    : PREVIEWS.computeIfAbsent(
                            f.thumb(), k -> BoundedImages.preview(k).orElse(null));
            preview.setImage(img);
            previewBox.setVisible(img != null);
            previewBox.setManaged(img != null);
            view.setVisible(f.image());
            setAccessibleText((f.folder() ? "Folder " : "File ")
                    + f.fileName()
                    + (f.contentSize() < 0 ? "" : ", " + FileRef.humanSize(f.contentSize())));
        }
        boolean active = t != null && t.active();
        boolean done = t != null && t.status() == Transfer.Status.DONE;
        boolean failed = t != null && t.status() == Transfer.Status.FAILED;
        // when it is done, the button says what comes next ("Open folder"): the line keeps to what it is
        detail.setText(t == null || done ? describe(f, t) : describe(f, t) + " · " + t.detail());
        detail.pseudoClassStateChanged(FAILED, failed);
        // the bar keeps its space in every state: the card's height never changes
        bar.setOpacity(active ? 1 : 0);
        bar.setProgress(t == null ? 0 : t.fraction() < 0 ? ProgressBar.INDETERMINATE_PROGRESS : t.fraction());
        boolean downloaded = done && !t.upload() && t.saved() != null;
        save.setText(downloaded ? "Open folder" : failed ? "Try again" : "Save");
        save.setVisible(!active && !(t != null && t.upload()));
        save.setManaged(save.isVisible());
        more.setVisible(!active);
        more.setManaged(!active);
        openFolder.setVisible(downloaded);
        pause.setVisible(active);
        pause.setManaged(active);
        stop.setVisible(active);
        stop.setManaged(active);
        if (active) {
            boolean paused = t.status() == Transfer.Status.PAUSED;
            ((FontIcon) pause.getGraphic()).setIconLiteral(paused ? "fth-play" : "fth-pause");
            // one tooltip, its words changed (a tooltip made per step of progress piles up in the style manager)
            pauseTip.setText(paused ? "Resume" : "Pause");
            pause.setAccessibleText(pauseTip.getText());
        }
    }

    /**
     * "1.2 MB · PDF"; a folder's size is its files' ("Folder · 34 MB"): as its message tells it, or
     * from an older host once its list is fetched ({@code t}'s total), else "Folder" (the message's
     * own size is its list's).
     */
    static String describe(FileRef f, Transfer t) {
        if (f.folder()) {
            long total = f.total() >= 0 ? f.total() : t != null && t.total() > 0 ? t.total() : -1;
            return total >= 0 ? "Folder · " + FileRef.humanSize(total) : "Folder";
        }
        String n = f.fileName();
        int dot = n.lastIndexOf('.');
        String type = dot > 0 && dot < n.length() - 1 && n.length() - dot <= 6
                ? n.substring(dot + 1).toUpperCase(Locale.ROOT)
                : null;
        return FileRef.humanSize(f.size()) + (type == null ? "" : " · " + type);
    }

    /** The type icon: folder, image, video, audio, archive, text, or a plain file. */
    static String iconFor(FileRef f) {
        if (f.folder()) {
            return "fth-folder";
        }
        String m = f.mime();
        if (m.startsWith("image/")) {
            return "fth-image";
        }
        if (m.startsWith("video/")) {
            return "fth-film";
        }
        if (m.startsWith("audio/")) {
            return "fth-music";
        }
        if (m.contains("zip") || m.contains("tar") || m.contains("compressed") || m.contains("7z")) {
            return "fth-archive";
        }
        if (m.startsWith("text/") || m.contains("pdf") || m.contains("document") || m.contains("json")) {
            return "fth-file-text";
        }
        return "fth-file";
    }
}
