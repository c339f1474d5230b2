package dev.prepaid.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The token of the last login, kept between runs in a file only its owner may read (0600, in a 0700 directory):
 * whoever reads it acts as the operator until the session expires. It names the endpoint it belongs to, so a
 * token is never sent to another switch.
 */
final class SessionFile {
    /** One login: the endpoint, who logged in, the bearer token and when the switch ends the session. */
    record Session(String endpoint, String operatorId, String token, String expiresAt) {
    }

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final boolean ownDirectory;
    private final ObjectMapper json;

    /** @param ownDirectory whether the file's directory is this tool's own (made owner-only), not one a user named */
    SessionFile(final Path file, final boolean ownDirectory, final ObjectMapper json) {
        this.file = file;
        this.ownDirectory = ownDirectory;
        this.json = json;
    }

    Path path() {
        return file;
    }

    /** The session kept, or null when there is none. */
    Session load() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            final JsonNode node = json.readTree(file.toFile());
            final Session session = new Session(node.path("endpoint").asText(""), node.path("operatorId").asText(""),
                    node.path("token").asText(""), node.path("expiresAt").asText(""));
            if (session.token().isEmpty() || session.endpoint().isEmpty()) {
                throw new IOException("no token or endpoint in it");
            }
            return session;
        } catch (final IOException e) {
            throw new CliFailure(Exit.NOT_ALLOWED, "the session file " + file + " cannot be read (" + e.getMessage()
                    + "): log in again with 'prepaid-admin login'");
        }
    }

    /** Writes the session: a fresh owner-only file moved into place, so no other user ever sees a token. */
    void save(final Session session) {
        final Path directory = file.toAbsolutePath().getParent();
        try {
            final boolean posix = Files.getFileStore(existingAncestor(directory)).supportsFileAttributeView("posix");
            if (!Files.isDirectory(directory)) {
                // Those above it (~/.config) as the user's umask makes them; the token's own directory owner-only.
                Files.createDirectories(directory.getParent());
                Files.createDirectory(directory);
                if (posix) {
                    Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
                }
            } else if (posix && ownDirectory) {
                Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
            }
            final ObjectNode node = json.createObjectNode();
            node.put("endpoint", session.endpoint());
            node.put("operatorId", session.operatorId());
            node.put("token", session.token());
            node.put("expiresAt", session.expiresAt());
            final FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
            final Path temporary = Files.createTempFile(directory, ".session-", ".tmp", attributes);
            try {
                Files.write(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
                try {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (final AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (final FileAlreadyExistsException e) {
            throw new CliFailure(Exit.INTERNAL, "cannot keep the session in " + file + ": " + e.getFile()
                    + " is in the way");
        } catch (final IOException e) {
            throw new CliFailure(Exit.INTERNAL, "cannot keep the session in " + file + ": " + e.getMessage()
                    + " (set PREPAID_ADMIN_SESSION to a file you may write)");
        }
    }

    private static Path existingAncestor(final Path path) {
        Path p = path;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("").toAbsolutePath() : p;
    }

    /** Deletes the session; whether there was one. */
    boolean delete() {
        try {
            return Files.deleteIfExists(file);
        } catch (final IOException e) {
            throw new CliFailure(Exit.INTERNAL, "cannot delete the session file " + file + ": " + e.getMessage());
        }
    }
}
