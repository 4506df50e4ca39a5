package org.confab.ui.room;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.collections.MapChangeListener;
import javafx.geometry.Pos;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;
import javafx.scene.input.Clipboard;
import javafx.scene.input.DataFormat;
import javafx.scene.input.DragEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javax.imageio.ImageIO;
import org.confab.ui.common.TextClipboard;
import org.confab.ui.files.Transfer;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * How files get into a room: the paperclip beside the composer (files or a folder, from the
 * system's dialogs), dropping files and folders anywhere on the room, and pasting (files copied
 * in a file manager; an image on the clipboard, a screenshot, becomes a PNG). What the composer
 * holds goes with the first file as its caption. What is being sent shows above the composer,
 * one row each, with its progress, speed and time left, pause and cancel.
 */
final class RoomAttachments {
    private static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);
    private static final KeyCombination PASTE_INSERT =
            new KeyCodeCombination(KeyCode.INSERT, KeyCombination.SHIFT_DOWN);
    private static final DateTimeFormatter SCREENSHOT = DateTimeFormatter.ofPattern("yyyy-MM-dd 'at' HH.mm.ss");

    private final RoomViewModel vm;
    private final VBox strip = new VBox(4);
    private final Label dropHint = new Label("Drop to share here");
    private final StackPane dropOverlay = new StackPane(dropHint);
    private final Function<String, Path> pasteFolder;

    private RoomAttachments(RoomViewModel vm, Function<String, Path> pasteFolder) {
        this.vm = vm;
        this.pasteFolder = pasteFolder;
    }

    /**
     * Installs the paperclip in {@code composer} (before {@code before}), the strip at the top of
     * {@code area}, dropping onto {@code dropTarget} (with its overlay on {@code overlayHost}) and
     * pasting into {@code input}. Pasted images are written to {@code pasteDir}.
     */
    static RoomAttachments install(
            RoomViewModel vm,
            HBox composer,
            Node before,
            VBox area,
            TextArea input,
            Node dropTarget,
            StackPane overlayHost,
            RoomView.Choosers choosers,
            TextClipboard clipboard,
            Path pasteDir) {
        RoomAttachments a = new RoomAttachments(vm, name -> pasteDir.resolve(name));
        Button clip = new Button(null, new FontIcon("fth-paperclip"));
        clip.setId("attachButton");
        clip.getStyleClass().addAll("icon-button", "flat");
        clip.setTooltip(new Tooltip("Share files or a folder"));
        clip.setAccessibleText("Share files or a folder");
        clip.disableProperty().bind(input.disableProperty());
        MenuItem files = new MenuItem("Files…", new FontIcon("fth-file"));
        files.setId("attachFiles");
        files.setOnAction(e -> a.send(choosers.files(clip)));
        MenuItem folder = new MenuItem("Folder…", new FontIcon("fth-folder"));
        folder.setId("attachFolder");
        folder.setOnAction(e -> {
            Path p = choosers.folder(clip);
            if (p != null) {
                a.send(List.of(p));
            }
        });
        ContextMenu menu = new ContextMenu(files, folder);
        clip.setOnAction(e -> menu.show(clip, Side.TOP, 0, -4));
        composer.getChildren().add(composer.getChildren().indexOf(before), clip);

        a.strip.getStyleClass().add("upload-strip");
        a.strip.setId("uploadStrip");
        a.strip.setVisible(false);
        a.strip.setManaged(false);
        area.getChildren().addFirst(a.strip);
        vm.files().transfers().addListener((MapChangeListener<String, Transfer>) c -> a.refresh());

        a.dropOverlay.getStyleClass().add("drop-overlay");
        a.dropOverlay.setId("dropOverlay");
        a.dropHint.getStyleClass().add("drop-hint");
        a.dropHint.setGraphic(new FontIcon("fth-upload"));
        a.dropOverlay.setVisible(false);
        a.dropOverlay.setMouseTransparent(true);
        overlayHost.getChildren().add(a.dropOverlay);
        dropTarget.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles() && vm.canWrite()) {
                e.acceptTransferModes(TransferMode.COPY);
                a.dropOverlay.setVisible(true);
                e.consume();
            }
        });
        dropTarget.addEventHandler(DragEvent.DRAG_EXITED, e -> a.dropOverlay.setVisible(false));
        dropTarget.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            a.dropOverlay.setVisible(false);
            if (e.getDragboard().hasFiles()) {
                a.send(paths(e.getDragboard().getFiles()));
                e.setDropCompleted(true);
                e.consume();
            }
        });

        input.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if ((PASTE.match(e) || PASTE_INSERT.match(e)) && a.paste(clipboard.contents())) {
                e.consume();
            }
        });
        return a;
    }

    private static List<Path> paths(List<File> files) {
        List<Path> out = new ArrayList<>();
        for (File f : files) {
            out.add(f.toPath());
        }
        return out;
    }

    private void send(List<Path> paths) {
        if (paths != null && !paths.isEmpty() && !vm.sendFiles(paths)) {
            vm.note("Files can be shared once the room is connected.");
        }
    }

    /**
     * Ctrl+V: files copied in a file manager are shared; an image alone on the clipboard (a
     * screenshot) is shared as a PNG. Text is pasted as text (false: the composer pastes it).
     */
    boolean paste(Clipboard clipboard) {
        if (clipboard.hasFiles()) {
            send(paths(clipboard.getFiles()));
            return true;
        }
        if (clipboard.hasImage() && !clipboard.hasString() && !clipboard.hasContent(DataFormat.PLAIN_TEXT)) {
            Image image = clipboard.getImage();
            if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                return false;
            }
            try {
                Path png = pasteFolder.apply("Screenshot " + LocalDateTime.now().format(SCREENSHOT) + ".png");
                Files.createDirectories(png.getParent());
                ImageIO.write(pixels(image), "png", png.toFile());
                send(List.of(png));
            } catch (IOException | RuntimeException e) {
                vm.note("The pasted image could not be saved to send it (" + e.getMessage() + ").");
            }
            return true;
        }
        return false;
    }

    private static BufferedImage pixels(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        PixelReader r = image.getPixelReader();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, PixelFormat.getIntArgbInstance(), row, 0, w);
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** The strip's rows by transfer key: updated in place as transfers move (a button under the pointer stays the same node). */
    private final Map<String, UploadRow> rows = new LinkedHashMap<>();

    /** The strip shows every upload not shared yet (and failed ones, until closed). */
    private void refresh() {
        Map<String, Transfer> now = new LinkedHashMap<>();
        for (Transfer t : vm.files().transfers().values()) {
            if (t.upload() && t.status() != Transfer.Status.DONE) {
                now.put(t.key(), t);
            }
        }
        boolean changed = rows.keySet().retainAll(now.keySet());
        for (Transfer t : now.values()) {
            UploadRow row = rows.get(t.key());
            if (row == null) {
                row = new UploadRow();
                rows.put(t.key(), row);
                changed = true;
            }
            row.show(t);
        }
        if (changed) {
            strip.getChildren().setAll(rows.values().stream().map(r -> r.row).toList());
        }
        strip.setVisible(!rows.isEmpty());
        strip.setManaged(!rows.isEmpty());
    }

    /** One upload in the strip: its name, where it is, a bar, pause or resume, and cancel (close, once failed). */
    private final class UploadRow {
        final FontIcon icon = new FontIcon("fth-upload");
        final Label name = new Label();
        final Label detail = new Label();
        final ProgressBar bar = new ProgressBar(0);
        final Button pause = new Button(null, new FontIcon("fth-pause"));
        final Button close = new Button(null, new FontIcon("fth-x"));
        final Tooltip pauseTip = new Tooltip("Pause");
        final Tooltip closeTip = new Tooltip("Cancel");
        final HBox row;
        Transfer shown;

        UploadRow() {
            icon.getStyleClass().add("upload-icon");
            name.getStyleClass().add("upload-name");
            name.setMinWidth(0);
            detail.getStyleClass().add("upload-detail");
            detail.setMinWidth(0);
            HBox text = new HBox(8, name, detail);
            text.setAlignment(Pos.CENTER_LEFT);
            text.setMinWidth(0);
            bar.getStyleClass().add("file-progress");
            bar.setMaxWidth(Double.MAX_VALUE);
            VBox middle = new VBox(3, text, bar);
            middle.setMinWidth(0);
            HBox.setHgrow(middle, Priority.ALWAYS);
            for (Button b : List.of(pause, close)) {
                b.getStyleClass().addAll("icon-button", "flat", "small");
                b.setFocusTraversable(false);
            }
            pause.setId("uploadPause");
            pause.setTooltip(pauseTip);
            close.setId("uploadCancel");
            close.setTooltip(closeTip);
            row = new HBox(10, icon, middle, pause, close);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("upload-row");
            RoomFiles files = vm.files();
            pause.setOnAction(e -> {
                if (shown.status() == Transfer.Status.PAUSED) {
                    files.resume(vm.fileTransfers(), shown.key());
                } else {
                    files.pause(vm.fileTransfers(), shown.key());
                }
            });
            close.setOnAction(e -> {
                if (shown.active()) {
                    files.cancel(vm.fileTransfers(), shown.key());
                } else {
                    files.dismiss(shown.key());
                }
            });
        }

        void show(Transfer t) {
            shown = t;
            boolean failed = t.status() == Transfer.Status.FAILED;
            icon.setIconLiteral(failed ? "fth-alert-triangle" : "fth-upload");
            name.setText(t.name());
            detail.setText(t.detail());
            bar.setVisible(t.active());
            bar.setProgress(t.fraction() < 0 ? ProgressBar.INDETERMINATE_PROGRESS : t.fraction());
            boolean pausable = t.status() == Transfer.Status.RUNNING || t.status() == Transfer.Status.PAUSED;
            pause.setVisible(pausable);
            pause.setManaged(pausable);
            boolean paused = t.status() == Transfer.Status.PAUSED;
            ((FontIcon) pause.getGraphic()).setIconLiteral(paused ? "fth-play" : "fth-pause");
            pauseTip.setText(paused ? "Resume" : "Pause"); // one tooltip each, its words changed
            pause.setAccessibleText(pauseTip.getText());
            closeTip.setText(t.active() ? "Cancel" : "Close");
            close.setAccessibleText(closeTip.getText());
        }
    }
}
