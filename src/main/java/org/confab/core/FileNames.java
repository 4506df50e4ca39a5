package org.confab.core;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a file or folder name from a peer may become on this disk. A name in a file offer is the
 * sender's: it may try to climb out of the download folder ({@code ../}, {@code /etc/passwd},
 * {@code C:\}), name a device ({@code CON}, {@code nul.txt}), hide its real extension behind a
 * right-to-left override ({@code "gnp\u202E.exe"}), or be too long for the file system. Pure: the
 * receiver uses it before it writes anything, and the sender to check its own names early.
 */
public final class FileNames {
    /** Longest name of one path element, in UTF-8 bytes (ext4, NTFS and APFS all allow 255). */
    public static final int MAX_NAME_BYTES = 255;
    /** Deepest folder structure a received folder may have. */
    public static final int MAX_DEPTH = 32;
    /** What a name that is nothing once cleaned becomes. */
    public static final String FALLBACK = "file";

    private static final Set<String> WINDOWS_DEVICES = Set.of(
            "con",
            "prn",
            "aux",
            "nul",
            "com1",
            "com2",
            "com3",
            "com4",
            "com5",
            "com6",
            "com7",
            "com8",
            "com9",
            "com\u00b9",
            "com\u00b2",
            "com\u00b3",
            "lpt1",
            "lpt2",
            "lpt3",
            "lpt4",
            "lpt5",
            "lpt6",
            "lpt7",
            "lpt8",
            "lpt9",
            "lpt\u00b9",
            "lpt\u00b2",
            "lpt\u00b3",
            "conin$",
            "conout$");
    private static final String WINDOWS_FORBIDDEN = "<>:\"/\\|?*";

    private FileNames() {}

    /**
     * A safe single name for {@code name}: path separators and characters no file system takes
     * become {@code _}, control, format (bidi, zero-width) and other invisible characters are
     * dropped, line breaks and tabs become spaces, leading and trailing dots and spaces go (Windows drops them silently, and a leading
     * dot hides a file), a device name gets {@code _} in front, and the result is cut to
     * {@link #MAX_NAME_BYTES} keeping the extension. Never empty, never {@code .} or {@code ..}.
     */
    public static String safeName(String name) {
        String s = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFC);
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (WINDOWS_FORBIDDEN.indexOf(cp) >= 0) {
                b.append('_');
            } else if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                b.append(' ');
            } else if (!invisible(cp)) {
                b.appendCodePoint(cp);
            }
        });
        String clean = trimDotsAndSpaces(b.toString().replaceAll(" {2,}", " "));
        if (clean.isEmpty()) {
            return FALLBACK;
        }
        String stem = clean.contains(".") ? clean.substring(0, clean.indexOf('.')) : clean;
        if (WINDOWS_DEVICES.contains(stem.strip().toLowerCase(Locale.ROOT))) {
            clean = "_" + clean;
        }
        return cut(clean);
    }

    /**
     * The elements of a relative path from a peer ({@code a/b/c.txt}, {@code /} as the only
     * separator), each made safe by {@link #safeName}; empty if the path is not acceptable: empty,
     * absolute, a drive ({@code C:}), with a {@code ..} or {@code .} element, a backslash, an empty
     * element ({@code a//b}) or deeper than {@link #MAX_DEPTH}. A refused path is refused, not
     * repaired: a sender of {@code ../x} is not to be guessed at.
     */
    public static Optional<List<String>> safeRelativePath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        if (path.length() >= 2 && path.charAt(1) == ':') {
            return Optional.empty();
        }
        String[] parts = path.split("/", -1);
        if (parts.length > MAX_DEPTH) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                return Optional.empty();
            }
            out.add(safeName(p));
        }
        return Optional.of(List.copyOf(out));
    }

    /**
     * {@code name} if {@code taken} says it is free, else the first free of {@code name (1).ext},
     * {@code name (2).ext}, …: a download never overwrites without asking.
     */
    public static String unique(String name, Predicate<String> taken) {
        if (!taken.test(name)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int i = 1; ; i++) {
            String candidate = cut(stem + " (" + i + ")" + ext);
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }

    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp)
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.PRIVATE_USE
                || type == Character.SURROGATE
                || type == Character.UNASSIGNED;
    }

    private static String trimDotsAndSpaces(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '.' || s.charAt(from) == ' ')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '.' || s.charAt(to - 1) == ' ')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Cuts to {@link #MAX_NAME_BYTES} UTF-8 bytes at a code point, keeping a short extension. */
    private static String cut(String s) {
        if (s.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 && s.length() - dot <= 16 ? s.substring(dot) : "";
        String stem = ext.isEmpty() ? s : s.substring(0, dot);
        int budget = MAX_NAME_BYTES - ext.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            b.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return trimDotsAndSpaces(b.toString()) + ext;
    }
}
