package org.confab.store;

import java.nio.file.Path;
import java.util.Objects;
import org.confab.core.FileRef;

/**
 * An upload this client began and the host has not confirmed as shared yet (docs/protocol.md
 * §18.1), kept so that a restarted client offers it again under the same {@code id} and the host
 * continues after the chunks it holds: the file ({@code path}, its {@code size} and last-modified
 * time then, to notice a file changed since), the name it is shared under, its SHA-256, media type,
 * the direct conversation it is for ({@code to}, null: the room), the message's caption and an
 * image's preview ({@code thumb}, base64url, or null). A shared folder is kept as one ({@code mime}
 * {@link FileRef#FOLDER_MIME}, {@code path} the folder, {@code size} its files' bytes, no
 * {@code sha256}): a restart walks it again and offers its files under the same ids, so the host
 * skips those it holds whole ({@link #folder}).
 */
public record PendingUpload(
        String id,
        Path path,
        String name,
        long size,
        long modifiedMillis,
        String sha256,
        String mime,
        String to,
        String caption,
        String thumb) {
    public PendingUpload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        caption = caption == null ? "" : caption;
    }

    /** True for a shared folder's upload (its files are found again by walking {@link #path}). */
    public boolean folder() {
        return FileRef.FOLDER_MIME.equals(mime);
    }
}
