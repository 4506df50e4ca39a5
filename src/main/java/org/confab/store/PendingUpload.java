package org.confab.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An upload this client began and the host has not confirmed as shared yet (docs/protocol.md
 * §18.1), kept so that a restarted client offers it again under the same {@code id} and the host
 * continues after the chunks it holds: the file ({@code path}, its {@code size} and last-modified
 * time then, to notice a file changed since), the name it is shared under, its SHA-256, media type,
 * the direct conversation it is for ({@code to}, null: the room) and the message's caption.
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
        String caption) {
    public PendingUpload {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        caption = caption == null ? "" : caption;
    }
}
