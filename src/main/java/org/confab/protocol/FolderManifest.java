package org.confab.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.confab.core.FileNames;
import org.confab.core.FileRef;

/**
 * A shared folder (docs/protocol.md §18.4): one file of media type {@link FileRef#FOLDER_MIME}
 * whose JSON lists every file of the folder (its path inside the folder, size, SHA-256 and the
 * host's id for it) and every folder in it that holds no file, so one room message shares a whole
 * tree, empty folders too:
 *
 * <pre>
 * {"confab-folder":1,"chunk":262144,
 *  "files":[{"path":"src/a.txt","size":5,"sha256":"…","file":"Jm3Kx…"}],
 *  "dirs":["empty","src/old"]}
 * </pre>
 *
 * {@link #decode} refuses anything a receiver must not act on: a path that is absolute, climbs
 * ({@code ..}) or is otherwise not a safe relative path ({@link FileNames#safeRelativePath}), a
 * path named twice, a bad hash or id, more than {@link #MAX_ENTRIES} entries.
 */
public record FolderManifest(int chunk, List<Entry> files, List<String> dirs) {
    /** Entries (files and folders) one manifest may list. */
    public static final int MAX_ENTRIES = 200_000;
    /** Largest manifest, bytes (about 200 bytes an entry). */
    public static final int MAX_BYTES = 64 << 20;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(MAX_BYTES)
                        .build());
    }

    /** One file of the folder: its path inside it ({@code /}-separated), size, SHA-256 and the host's id for it. */
    public record Entry(String path, long size, String sha256, String file) {
        public Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(file, "file");
        }

        /** The entry as a file the receiver downloads ({@code chunk}: the manifest's chunk size). */
        public FileRef ref(int chunk) {
            return new FileRef(file, path, size, sha256, null, chunk);
        }
    }

    public FolderManifest {
        files = List.copyOf(files);
        dirs = List.copyOf(dirs);
    }

    /** Bytes of all the files together. */
    public long totalSize() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /** The manifest as it travels (UTF-8 JSON). */
    public byte[] encode() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("confab-folder", 1);
        root.put("chunk", chunk);
        ArrayNode fs = root.putArray("files");
        for (Entry e : files) {
            fs.addObject()
                    .put("path", e.path())
                    .put("size", e.size())
                    .put("sha256", e.sha256())
                    .put("file", e.file());
        }
        ArrayNode ds = root.putArray("dirs");
        dirs.forEach(ds::add);
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always encodes", e);
        }
    }

    /**
     * Reads a manifest, checking every entry; throws with a sentence saying what is wrong (a climbing
     * name, a path twice, a bad field). Every path is a safe relative path when this returns.
     */
    public static FolderManifest decode(byte[] json) throws ProtocolException {
        if (json.length > MAX_BYTES) {
            throw bad("The folder's list is too long.");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw bad("The folder's list is not valid JSON.");
        }
        if (root == null || !root.isObject() || root.path("confab-folder").asInt() != 1) {
            throw bad("The folder's list is not a Confab folder (version 1).");
        }
        int chunk = root.path("chunk").asInt(0);
        if (chunk < 1024 || chunk > FileRef.MAX_CHUNK) {
            throw bad("The folder's chunk size is out of range.");
        }
        JsonNode fs = root.path("files");
        JsonNode ds = root.path("dirs");
        if (!fs.isArray() || !(ds.isArray() || ds.isMissingNode())) {
            throw bad("The folder's list has no files array.");
        }
        if (fs.size() + ds.size() > MAX_ENTRIES) {
            throw bad("The folder lists more than " + MAX_ENTRIES + " entries.");
        }
        Set<String> seen = new HashSet<>();
        List<Entry> files = new ArrayList<>(fs.size());
        for (JsonNode f : fs) {
            String path = safePath(f.path("path"), seen);
            JsonNode size = f.path("size");
            if (!size.canConvertToLong() || size.asLong() < 0) {
                throw bad("The folder gives " + path + " no valid size.");
            }
            Entry e = new Entry(
                    path,
                    size.asLong(),
                    f.path("sha256").asText(""),
                    f.path("file").asText(""));
            try {
                e.ref(chunk);
            } catch (IllegalArgumentException x) {
                throw bad("The folder's entry " + path + " is not valid: " + x.getMessage() + ".");
            }
            files.add(e);
        }
        List<String> dirs = new ArrayList<>(ds.size());
        for (JsonNode d : ds) {
            dirs.add(safePath(d, seen));
        }
        return new FolderManifest(chunk, files, dirs);
    }

    private static String safePath(JsonNode node, Set<String> seen) throws ProtocolException {
        if (!node.isTextual()) {
            throw bad("The folder lists an entry without a path.");
        }
        String path = node.asText();
        if (FileNames.safeRelativePath(path).isEmpty()) {
            throw bad("The folder names \"" + path
                    + "\", which is not a path inside it (absolute, empty, or climbing out of it).");
        }
        if (!seen.add(path)) {
            throw bad("The folder names \"" + path + "\" twice.");
        }
        return path;
    }

    private static ProtocolException bad(String why) {
        return new ProtocolException(ErrorCode.FILE_REFUSED, why);
    }
}
