package org.confab.ui.files;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * A received image at full size, in a window of its own: fit to the window at first, zoom with
 * Ctrl+wheel, + and − (or the buttons), 0 for actual size, F to fit, Esc closes. The image is
 * decoded off the FX thread within {@link BoundedImages}' bounds (its long side at most
 * {@link #MAX_SIDE}); one that is too large or damaged says so instead.
 */
public final class ImageViewer {
    /** Longest side decoded for the viewer: 8192 pixels (at most 256 MB of pixels, usually far less). */
    public static final int MAX_SIDE = 8192;

    private final Stage stage = new Stage();
    private final ImageView view = new ImageView();
    private final DoubleProperty zoom = new SimpleDoubleProperty(1);
    private final ScrollPane scroll;
    private final Label status = new Label("Opening…");
    private boolean fit = true;

    private ImageViewer(Window owner, String title, Scene styleFrom) {
        stage.initOwner(owner);
        stage.setTitle(title + " — Confab");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        StackPane holder = new StackPane(view, status);
        holder.getStyleClass().add("viewer-canvas");
        scroll = new ScrollPane(holder);
        scroll.setPannable(true);
        scroll.getStyleClass().add("viewer-scroll");
        holder.minWidthProperty().bind(scroll.widthProperty().subtract(2));
        holder.minHeightProperty().bind(scroll.heightProperty().subtract(2));
        Button out = button("fth-zoom-out", "Zoom out (−)", () -> zoomBy(1 / 1.25));
        out.setId("viewerZoomOut");
        Button in = button("fth-zoom-in", "Zoom in (+)", () -> zoomBy(1.25));
        in.setId("viewerZoomIn");
        Button fitButton = button("fth-maximize", "Fit to window (F)", this::fit);
        Button actual = button("fth-square", "Actual size (0)", () -> setZoom(1));
        Label percent = new Label();
        percent.setId("viewerZoom");
        percent.getStyleClass().add("viewer-zoom");
        percent.textProperty().bind(zoom.multiply(100).asString("%.0f %%"));
        Label name = new Label(title);
        name.getStyleClass().add("viewer-title");
        name.setMinWidth(0);
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(6, name, gap, out, percent, in, fitButton, actual);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 12, 8, 12));
        bar.getStyleClass().add("viewer-bar");
        BorderPane root = new BorderPane(scroll, bar, null, null, null);
        root.getStyleClass().add("image-viewer");
        Scene scene = new Scene(root, 900, 680);
        if (styleFrom != null) {
            scene.getStylesheets().setAll(styleFrom.getStylesheets());
            root.getStyleClass().addAll(styleFrom.getRoot().getStyleClass());
        }
        stage.setScene(scene);
        stage.setMinWidth(360);
        stage.setMinHeight(280);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case ESCAPE -> stage.close();
                case PLUS, EQUALS, ADD -> zoomBy(1.25);
                case MINUS, SUBTRACT -> zoomBy(1 / 1.25);
                case DIGIT0, NUMPAD0 -> setZoom(1);
                case F -> fit();
                default -> {
                    return;
                }
            }
            e.consume();
        });
        scroll.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.isShortcutDown() && e.getDeltaY() != 0) {
                zoomBy(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1);
                e.consume();
            }
        });
        zoom.addListener((o, was, now) -> {
            Image img = view.getImage();
            if (img != null) {
                view.setFitWidth(img.getWidth() * now.doubleValue());
                view.setFitHeight(img.getHeight() * now.doubleValue());
            }
        });
        scroll.viewportBoundsProperty().addListener((o, was, now) -> {
            if (fit) {
                fit();
            }
        });
        stage.setOnShown(e -> scene.getRoot().requestFocus());
    }

    private static Button button(String icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll("icon-button", "flat", "small");
        b.setTooltip(new Tooltip(tip));
        b.setAccessibleText(tip);
        b.setOnAction(e -> action.run());
        return b;
    }

    /** Opens {@code file} (decoded on {@code worker}) over {@code owner}. */
    public static ImageViewer open(Window owner, Path file, String title, Executor worker) {
        ImageViewer v = new ImageViewer(owner, title, owner == null ? null : owner.getScene());
        v.stage.show();
        CompletableFuture.supplyAsync(() -> BoundedImages.load(file, MAX_SIDE), worker)
                .thenAccept(img -> Platform.runLater(() -> v.shown(img)));
        return v;
    }

    private void shown(Optional<Image> img) {
        if (img.isEmpty()) {
            status.setText("This image cannot be shown (too large, damaged, or a format this app does not read).");
            status.getStyleClass().add("viewer-error");
            return;
        }
        status.setVisible(false);
        view.setImage(img.get());
        fit();
    }

    public Stage stage() {
        return stage;
    }

    /** True once the image is decoded and shown. */
    public boolean hasImage() {
        return view.getImage() != null;
    }

    public double zoom() {
        return zoom.get();
    }

    private void zoomBy(double f) {
        setZoom(zoom.get() * f);
    }

    private void setZoom(double z) {
        fit = false;
        zoom.set(Math.max(0.05, Math.min(16, z)));
    }

    private void fit() {
        Image img = view.getImage();
        if (img == null || scroll.getViewportBounds().getWidth() <= 0) {
            return;
        }
        double z = Math.min(
                (scroll.getViewportBounds().getWidth() - 16) / img.getWidth(),
                (scroll.getViewportBounds().getHeight() - 16) / img.getHeight());
        zoom.set(Math.max(0.05, Math.min(1, z))); // fit shrinks, never blows a small image up
        fit = true;
    }
}
