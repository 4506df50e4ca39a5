package org.confab.ui.emoji;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.image.Image;

/**
 * The emoji images, each read from the jar the first time it is drawn and kept (a bounded cache:
 * the few hundred emoji a person sees; a 64 px image is 16 KiB decoded). Every view of one emoji
 * shares one {@code Image}, scaled smoothly by its {@code ImageView}. FX thread (or any one thread).
 */
final class EmojiImages {
    /** The size of the bundled PNGs. */
    static final int SOURCE_SIZE = 64;

    private static final int MAX = 1024;
    private static final Map<String, Image> CACHE = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
            return size() > MAX;
        }
    };

    private EmojiImages() {}

    /** The image of {@code e}, or null if the build left it out (then the caller shows the text). */
    static synchronized Image of(Emoji e) {
        Image known = CACHE.get(e.image());
        if (known != null) {
            return known;
        }
        URL url = EmojiIndex.imageUrl(e);
        if (url == null) {
            return null;
        }
        // read now (a 64 px PNG from the jar is a fraction of a millisecond): a row is measured
        // once, with its emoji at their size, and never reflows when an image arrives later
        Image image = new Image(url.toExternalForm(), SOURCE_SIZE, SOURCE_SIZE, true, true, false);
        if (image.isError()) {
            return null;
        }
        CACHE.put(e.image(), image);
        return image;
    }
}
