package org.confab.ui.files;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images from peers, decoded within bounds: the size an image claims is read from its header
 * first (no pixels decoded), anything above {@link #MAX_PIXELS} or {@link #MAX_SIDE} is refused,
 * and every decode is subsampled so that at most a bounded number of pixels is ever held. A
 * decompression bomb (a tiny PNG that claims 100,000 × 100,000) costs a header read, not 40 GB.
 *
 * <p>Also makes the previews a sender attaches to an image ({@code FileRef#thumb}): at most
 * {@link #THUMB_SIDE} pixels on the long side, a JPEG (a PNG when the image has transparency),
 * base64url, within {@code FileRef.MAX_THUMB}.
 */
public final class BoundedImages {
    /** Largest image this app decodes at all (its header's claim): 100 megapixels. */
    public static final long MAX_PIXELS = 100_000_000L;
    /** Longest side an image may claim. */
    public static final int MAX_SIDE = 30_000;
    /** Long side of a preview a sender makes. */
    public static final int THUMB_SIDE = 360;
    /** Longest side of a preview a receiver shows as it came (larger ones are refused). */
    public static final int MAX_THUMB_SIDE = 800;

    static {
        ImageIO.setUseCache(false); // peer data is read from memory, never spilled into temporary files
    }

    private BoundedImages() {}

    /** An image's size as its header says. */
    public record Size(int width, int height) {
        long pixels() {
            return (long) width * height;
        }
    }

    /** The size {@code file}'s header claims, if it is an image ImageIO reads (PNG, JPEG, GIF, BMP) and within bounds. */
    public static Optional<Size> size(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return size(in);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Size> size(InputStream in) throws IOException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            ImageReader reader = reader(iis);
            if (reader == null) {
                return Optional.empty();
            }
            try {
                reader.setInput(iis, true, true);
                Size s = new Size(reader.getWidth(0), reader.getHeight(0));
                return within(s) ? Optional.of(s) : Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private static boolean within(Size s) {
        return s.width() > 0
                && s.height() > 0
                && s.width() <= MAX_SIDE
                && s.height() <= MAX_SIDE
                && s.pixels() <= MAX_PIXELS;
    }

    private static ImageReader reader(ImageInputStream iis) {
        if (iis == null) {
            return null;
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
        return readers.hasNext() ? readers.next() : null;
    }

    /**
     * Decodes {@code in} so that its long side is at most {@code maxSide} (subsampled while it is
     * read, then scaled smoothly): never more than about {@code (2 maxSide)²} pixels in memory.
     * Empty if it is no image ImageIO reads, claims too much, or is damaged.
     */
    static Optional<BufferedImage> decode(byte[] data, int maxSide) {
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(data))) {
            ImageReader reader = reader(iis);
            if (reader == null) {
                return Optional.empty();
            }
            try {
                reader.setInput(iis, true, true);
                Size s = new Size(reader.getWidth(0), reader.getHeight(0));
                if (!within(s)) {
                    return Optional.empty();
                }
                int longSide = Math.max(s.width(), s.height());
                int step = Math.max(1, longSide / (2 * maxSide));
                ImageReadParam p = reader.getDefaultReadParam();
                p.setSourceSubsampling(step, step, 0, 0);
                BufferedImage read = reader.read(0, p);
                return Optional.of(scaled(read, maxSide));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException damaged) {
            return Optional.empty();
        }
    }

    private static BufferedImage scaled(BufferedImage img, int maxSide) {
        int longSide = Math.max(img.getWidth(), img.getHeight());
        BufferedImage argb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_ARGB);
        int[] row = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        argb.setRGB(0, 0, img.getWidth(), img.getHeight(), row, 0, img.getWidth());
        if (longSide <= maxSide) {
            return argb;
        }
        double f = (double) maxSide / longSide;
        int w = Math.max(1, (int) Math.round(img.getWidth() * f));
        int h = Math.max(1, (int) Math.round(img.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        new AffineTransformOp(AffineTransform.getScaleInstance(f, f), AffineTransformOp.TYPE_BICUBIC).filter(argb, out);
        return out;
    }

    /** The same pixels as a JavaFX image (no second decode). */
    static Image toFx(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        WritableImage fx = new WritableImage(w, h);
        fx.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return fx;
    }

    /** {@code file} decoded within bounds with its long side at most {@code maxSide}, for the viewer. */
    public static Optional<Image> load(Path file, int maxSide) {
        try {
            if (size(file).isEmpty()) {
                return Optional.empty();
            }
            return decode(Files.readAllBytes(file), maxSide).map(BoundedImages::toFx);
        } catch (IOException | OutOfMemoryError e) {
            return Optional.empty();
        }
    }

    /**
     * A preview of the image {@code file} to send with it (base64url), or empty if it is no image
     * this app reads or the preview would not fit {@code FileRef.MAX_THUMB}. Call it off the FX thread.
     */
    public static Optional<String> thumbnail(Path file, int maxThumbChars) {
        try {
            if (size(file).isEmpty()) {
                return Optional.empty();
            }
            Optional<BufferedImage> img = decode(Files.readAllBytes(file), THUMB_SIDE);
            if (img.isEmpty()) {
                return Optional.empty();
            }
            byte[] encoded = encode(img.get());
            String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(encoded);
            return b64.length() <= maxThumbChars ? Optional.of(b64) : Optional.empty();
        } catch (IOException | OutOfMemoryError e) {
            return Optional.empty();
        }
    }

    private static byte[] encode(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (opaque(img)) {
            BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.setRGB(
                    0,
                    0,
                    img.getWidth(),
                    img.getHeight(),
                    img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()),
                    0,
                    img.getWidth());
            ImageWriter jpeg = ImageIO.getImageWritersByFormatName("jpeg").next();
            try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                jpeg.setOutput(ios);
                ImageWriteParam p = jpeg.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0.82f);
                jpeg.write(null, new IIOImage(rgb, null, null), p);
            } finally {
                jpeg.dispose();
            }
        } else {
            ImageIO.write(img, "png", out);
        }
        return out.toByteArray();
    }

    private static boolean opaque(BufferedImage img) {
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) >>> 24) != 0xff) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A preview that came with a message, decoded within bounds (its header's size at most
     * {@link #MAX_THUMB_SIDE} a side), or empty: malformed, too large, no image.
     */
    public static Optional<Image> preview(String thumb) {
        if (thumb == null) {
            return Optional.empty();
        }
        byte[] data;
        try {
            data = Base64.getUrlDecoder().decode(thumb);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        try {
            Optional<Size> s = size(new ByteArrayInputStream(data));
            if (s.isEmpty() || s.get().width() > MAX_THUMB_SIDE || s.get().height() > MAX_THUMB_SIDE) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return decode(data, MAX_THUMB_SIDE).map(BoundedImages::toFx);
    }
}
