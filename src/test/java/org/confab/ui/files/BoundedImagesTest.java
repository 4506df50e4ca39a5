package org.confab.ui.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.confab.core.FileRef;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Peer images are decoded within bounds; a sender's preview is small and still looks like the picture. */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class BoundedImagesTest {
    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        // the toolkit only: images become JavaFX images
    }

    private static BufferedImage gradient(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x40);
            }
        }
        return img;
    }

    @Test
    void aPhotosPreviewIsSmall_keepsItsShape_andDecodesOnTheOtherSide() throws Exception {
        Path photo = dir.resolve("photo.png");
        ImageIO.write(gradient(4000, 3000), "png", photo.toFile());
        String thumb = BoundedImages.thumbnail(photo, FileRef.MAX_THUMB).orElseThrow();
        assertThat(thumb.length()).isLessThanOrEqualTo(FileRef.MAX_THUMB);
        assertThat(FileRef.validThumb(thumb)).isTrue();
        Image shown = BoundedImages.preview(thumb).orElseThrow();
        assertThat(Math.max(shown.getWidth(), shown.getHeight())).isEqualTo(BoundedImages.THUMB_SIDE);
        assertThat(shown.getWidth() / shown.getHeight()).isCloseTo(4.0 / 3.0, offset(0.02));
        // still the picture: red grows to the right, green downwards
        var px = shown.getPixelReader();
        int left = px.getArgb(2, (int) shown.getHeight() / 2);
        int right = px.getArgb((int) shown.getWidth() - 3, (int) shown.getHeight() / 2);
        assertThat((right >> 16) & 0xff).isGreaterThan(((left >> 16) & 0xff) + 150);
    }

    /** A PNG whose header claims {@code w} × {@code h} with one tiny compressed row of data: a decompression bomb's shape. */
    private static byte[] claimingPng(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr =
                ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2);
        ihdr.put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater d = new Deflater();
        d.setInput(new byte[64 * 1024]); // zeros: compress to almost nothing
        d.finish();
        byte[] buf = new byte[1024];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader_beforeAnyPixelIsDecoded() throws Exception {
        byte[] bomb = claimingPng(100_000, 100_000); // 10 gigapixels: 40 GB decoded
        assertThat(bomb.length).isLessThan(2000);
        Path file = Files.write(dir.resolve("bomb.png"), bomb);
        assertThat(BoundedImages.size(file)).isEmpty();
        assertThat(BoundedImages.load(file, ImageViewer.MAX_SIDE)).isEmpty();
        assertThat(BoundedImages.thumbnail(file, FileRef.MAX_THUMB)).isEmpty();
        String asPreview = Base64.getUrlEncoder().withoutPadding().encodeToString(bomb);
        assertThat(BoundedImages.preview(asPreview)).isEmpty();
        // a preview may not claim more than a preview's size either, however small its bytes
        String big = Base64.getUrlEncoder().withoutPadding().encodeToString(claimingPng(4000, 4000));
        assertThat(BoundedImages.preview(big)).isEmpty();
    }

    @Test
    void damagedOrForeignDataIsNoImage() throws Exception {
        Path text = Files.writeString(dir.resolve("not.png"), "<html><script>alert(1)</script>");
        assertThat(BoundedImages.size(text)).isEmpty();
        assertThat(BoundedImages.load(text, 100)).isEmpty();
        assertThat(BoundedImages.preview("not-base64-!!")).isEmpty();
        assertThat(BoundedImages.preview("iVBORw0KGgo")).isEmpty(); // a PNG signature and nothing after
        Path cut = dir.resolve("cut.png");
        ImageIO.write(gradient(200, 100), "png", cut.toFile());
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(whole, whole.length / 3));
        assertThat(BoundedImages.load(cut, 100)).isEmpty();
    }
}
