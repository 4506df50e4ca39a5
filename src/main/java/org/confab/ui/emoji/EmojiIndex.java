package org.confab.ui.emoji;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every emoji of the image set (emoji-data's emoji.json, bundled with its images): sequences with
 * their skin tones, ZWJ families, flags, keycaps; names, short codes and categories; and a
 * longest-match tokenizer that cuts a text into text runs and emoji sequences.
 *
 * <p>Matching follows Unicode's presentation rules: U+FE0F is optional inside a sequence; a
 * single character whose default is text ("©", "↔", "❤") is an emoji only with U+FE0F after it;
 * U+FE0E after a character keeps it text. Immutable and thread-safe once built.
 */
public final class EmojiIndex {
    /** Where the build unpacks the image set (pom.xml, "emoji-images"). */
    static final String BASE = "/org/confab/ui/emoji/twemoji/";

    static final String IMAGES = BASE + "img/twitter/64/";
    private static final int VS16 = 0xFE0F;
    private static final int VS15 = 0xFE0E;
    /** The category of skin tone swatches and hair parts: in the index, not in the picker. */
    private static final String COMPONENT = "Component";

    private final TrieNode root = new TrieNode();
    private final List<Emoji> all;
    private final Map<String, Emoji> byShortCode;
    private final Map<String, Emoji> byText = new HashMap<>();
    private final List<String> categories;

    private EmojiIndex(List<Emoji> all) {
        this.all = List.copyOf(all);
        Map<String, Emoji> codes = new LinkedHashMap<>();
        Map<String, Boolean> cats = new LinkedHashMap<>();
        for (Emoji e : this.all) {
            for (String c : e.shortCodes()) {
                codes.putIfAbsent(c, e);
            }
            if (!COMPONENT.equals(e.category())) {
                cats.put(e.category(), true);
            }
        }
        this.byShortCode = Collections.unmodifiableMap(codes);
        this.categories = List.copyOf(cats.keySet());
    }

    private static final class Holder {
        static final EmojiIndex STANDARD = load();
    }

    /** The bundled set, loaded once (the first call parses 1.3 MB of JSON: call it off the FX thread early). */
    public static EmojiIndex standard() {
        return Holder.STANDARD;
    }

    private static EmojiIndex load() {
        try (InputStream in = EmojiIndex.class.getResourceAsStream(BASE + "emoji.json")) {
            if (in == null) {
                throw new IllegalStateException("emoji.json is not on the class path: build with Maven (pom.xml"
                        + " unpacks the emoji image set into target/emoji-resources)");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads emoji-data's emoji.json format. */
    public static EmojiIndex read(InputStream json) throws IOException {
        JsonNode array = new ObjectMapper().readTree(json);
        List<Emoji> list = new ArrayList<>();
        List<String[]> alternates = new ArrayList<>();
        for (JsonNode n : array) {
            if (n.has("has_img_twitter") && !n.get("has_img_twitter").asBoolean()) {
                continue;
            }
            String name = n.path("name").asText("").toLowerCase(Locale.ROOT);
            List<String> codes = new ArrayList<>();
            n.path("short_names").forEach(c -> codes.add(c.asText()));
            String category = n.path("category").asText("Symbols");
            int order = n.path("sort_order").asInt(Integer.MAX_VALUE);
            Map<SkinTone, Emoji> tones = new EnumMap<>(SkinTone.class);
            List<Emoji> toned = new ArrayList<>();
            JsonNode skins = n.path("skin_variations");
            for (Iterator<Map.Entry<String, JsonNode>> it = skins.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> s = it.next();
                JsonNode v = s.getValue();
                if (v.has("has_img_twitter") && !v.get("has_img_twitter").asBoolean()) {
                    continue;
                }
                Emoji t = new Emoji(
                        chars(v.path("unified").asText()),
                        name + ", " + s.getKey().toLowerCase(Locale.ROOT),
                        List.of(),
                        category,
                        order,
                        v.path("image").asText(),
                        Map.of());
                toned.add(t);
                alternates.add(new String[] {v.path("non_qualified").asText(null), t.text()});
                // one tone ("1F3FD"), or the same tone twice ("1F3FD-1F3FD": couples, handshakes)
                String[] parts = s.getKey().split("-");
                if (parts.length == 1 || (parts.length == 2 && parts[0].equals(parts[1]))) {
                    SkinTone.ofKey(parts[0]).ifPresent(tone -> tones.put(tone, t));
                }
            }
            Emoji e = new Emoji(
                    chars(n.path("unified").asText()),
                    name,
                    codes,
                    category,
                    order,
                    n.path("image").asText(),
                    tones);
            list.add(e);
            list.addAll(toned);
            alternates.add(new String[] {n.path("non_qualified").asText(null), e.text()});
        }
        List<Emoji> bases = new ArrayList<>();
        for (Emoji e : list) {
            if (!e.shortCodes().isEmpty()) {
                bases.add(e);
            }
        }
        bases.sort(Comparator.comparingInt(Emoji::order));
        EmojiIndex index = new EmojiIndex(bases);
        for (Emoji e : list) {
            index.add(e);
        }
        for (String[] alt : alternates) {
            if (alt[0] != null && !alt[0].equals("null")) {
                index.byText.putIfAbsent(chars(alt[0]), index.byText.get(alt[1]));
            }
        }
        return index;
    }

    /** "1F44B-1F3FD" to the characters. */
    static String chars(String unified) {
        StringBuilder b = new StringBuilder();
        for (String hex : unified.split("-")) {
            b.appendCodePoint(Integer.parseInt(hex, 16));
        }
        return b.toString();
    }

    private void add(Emoji e) {
        byText.put(e.text(), e);
        int[] cps = e.text().codePoints().filter(c -> c != VS16).toArray();
        if (cps.length == 0) {
            return;
        }
        TrieNode node = root;
        for (int cp : cps) {
            node = node.next.computeIfAbsent(cp, k -> new TrieNode());
        }
        if (node.emoji == null) {
            node.emoji = e;
            // "©️" (00A9 FE0F): a lone character that is text by default, emoji only when asked
            node.textByDefault =
                    cps.length == 1 && e.text().codePointCount(0, e.text().length()) > 1;
        }
    }

    private static final class TrieNode {
        final Map<Integer, TrieNode> next = new HashMap<>(4);
        Emoji emoji;
        boolean textByDefault;
    }

    /**
     * Cuts {@code text} into runs of text and emoji sequences, longest match first; the segments'
     * texts joined are {@code text}, character for character.
     */
    public List<Segment> split(String text) {
        List<Segment> out = new ArrayList<>();
        int len = text.length();
        int runStart = 0;
        int i = 0;
        while (i < len) {
            int cp = text.codePointAt(i);
            int step = Character.charCount(cp);
            TrieNode node = root.next.get(cp);
            if (node == null) {
                i += step;
                continue;
            }
            int end = -1;
            Emoji found = null;
            int j = i + step;
            int depth = 1;
            while (true) {
                if (node.emoji != null) {
                    boolean vs16 = j < len && text.charAt(j) == VS16;
                    boolean vs15 = j < len && text.charAt(j) == VS15;
                    if (depth == 1 ? (vs16 || (!node.textByDefault && !vs15)) : !vs15) {
                        found = node.emoji;
                        end = vs16 ? j + 1 : j;
                    }
                }
                int k = j;
                if (k < len && text.charAt(k) == VS16) {
                    k++;
                }
                if (k >= len) {
                    break;
                }
                int c = text.codePointAt(k);
                TrieNode next = node.next.get(c);
                if (next == null) {
                    break;
                }
                node = next;
                j = k + Character.charCount(c);
                depth++;
            }
            if (found == null) {
                i += step;
                continue;
            }
            if (runStart < i) {
                out.add(new Segment(text.substring(runStart, i), null));
            }
            out.add(new Segment(text.substring(i, end), found));
            i = end;
            runStart = end;
        }
        if (runStart < len) {
            out.add(new Segment(text.substring(runStart), null));
        }
        return out;
    }

    /** Whether {@code text} has at least one emoji (cheaper than looking at {@link #split}'s result). */
    public boolean containsEmoji(String text) {
        for (Segment s : split(text)) {
            if (s.isEmoji()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of emoji if {@code text} is only emoji (and spaces), at most {@code max} of them;
     * 0 otherwise. Chat apps draw such a message larger.
     */
    public int emojiOnlyCount(String text, int max) {
        int n = 0;
        for (Segment s : split(text)) {
            if (s.isEmoji()) {
                if (++n > max) {
                    return 0;
                }
            } else if (!s.text().isBlank()) {
                return 0;
            }
        }
        return n;
    }

    /** The emoji these exact characters are (with or without their U+FE0F). */
    public Optional<Emoji> of(String sequence) {
        List<Segment> s = split(sequence);
        if (s.size() == 1 && s.getFirst().isEmoji()) {
            return Optional.of(s.getFirst().emoji());
        }
        return Optional.empty();
    }

    /** The emoji of a short code, without colons ("thumbsup", "+1"). */
    public Optional<Emoji> byShortCode(String code) {
        return Optional.ofNullable(byShortCode.get(code.toLowerCase(Locale.ROOT)));
    }

    /** Emoji whose short codes start with {@code prefix} (no colon), shortest code first, at most {@code limit}. */
    public List<Emoji> completions(String prefix, int limit) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<Map.Entry<String, Emoji>> hits = new ArrayList<>();
        for (Map.Entry<String, Emoji> e : byShortCode.entrySet()) {
            if (e.getKey().startsWith(p)) {
                hits.add(e);
            }
        }
        hits.sort(Comparator.<Map.Entry<String, Emoji>>comparingInt(
                        e -> e.getKey().length())
                .thenComparingInt(e -> e.getValue().order()));
        List<Emoji> out = new ArrayList<>();
        for (Map.Entry<String, Emoji> e : hits) {
            if (!out.contains(e.getValue())) {
                out.add(e.getValue());
            }
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }

    /**
     * Emoji matching every word of {@code query} in their names or short codes: short code matches
     * first, then name word starts, then anywhere; at most {@code limit}.
     */
    public List<Emoji> search(String query, int limit) {
        String[] words = query.toLowerCase(Locale.ROOT).trim().split("[\\s_:]+");
        if (words.length == 0 || words[0].isEmpty()) {
            return List.of();
        }
        List<Emoji> hits = new ArrayList<>();
        Map<Emoji, Integer> rank = new HashMap<>();
        for (Emoji e : all) {
            if (COMPONENT.equals(e.category())) {
                continue;
            }
            int worst = 0;
            for (String w : words) {
                int r = rank(e, w);
                if (r < 0) {
                    worst = -1;
                    break;
                }
                worst = Math.max(worst, r);
            }
            if (worst >= 0) {
                hits.add(e);
                rank.put(e, worst);
            }
        }
        hits.sort(Comparator.<Emoji>comparingInt(rank::get).thenComparingInt(Emoji::order));
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    private static int rank(Emoji e, String word) {
        for (String c : e.shortCodes()) {
            if (c.equals(word)) {
                return 0;
            }
        }
        for (String c : e.shortCodes()) {
            if (c.startsWith(word)) {
                return 1;
            }
        }
        String name = e.name();
        if (name.startsWith(word) || name.contains(" " + word) || name.contains("-" + word)) {
            return 2;
        }
        for (String c : e.shortCodes()) {
            if (c.contains(word)) {
                return 3;
            }
        }
        return name.contains(word) ? 4 : -1;
    }

    /** The picker's categories in the set's order (no skin-tone swatches). */
    public List<String> categories() {
        return categories;
    }

    /** The base emoji of one category, in the set's order. */
    public List<Emoji> inCategory(String category) {
        List<Emoji> out = new ArrayList<>();
        for (Emoji e : all) {
            if (e.category().equals(category)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every base emoji (toned forms are reached through {@link Emoji#tones()}), in the set's order. */
    public List<Emoji> all() {
        return all;
    }

    /** The image file of an emoji, as a class-path resource (null if the build left it out). */
    public static URL imageUrl(Emoji e) {
        return EmojiIndex.class.getResource(IMAGES + e.image());
    }

    /** What an About dialog shows for the emoji images and their data. */
    public static String credits() {
        return "Emoji graphics: Twemoji, © Twitter, Inc. and other contributors, licensed under CC-BY 4.0"
                + " (https://creativecommons.org/licenses/by/4.0/), as packaged by emoji-data"
                + " (emoji-datasource-twitter 16.0.0, © Cal Henderson, MIT licence).";
    }
}
