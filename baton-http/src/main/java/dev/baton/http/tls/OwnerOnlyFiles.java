package dev.baton.http.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that only their owner may read or write, for secrets Baton generates itself (TLS keystores and their
 * passwords). Written so that no other user can ever open them and no reader ever sees half of one.
 *
 * <p>On file systems without POSIX permissions (Windows) the permissions are neither set nor checked, and a
 * warning says so once: there the directory's access control list is what protects the files.
 */
public final class OwnerOnlyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static volatile boolean warnedNoPosix;

    private OwnerOnlyFiles() {
    }

    /**
     * Replaces {@code file} with {@code content}, so that a reader finds the old file or the whole new one,
     * never a part, even after a crash or a full disk. The bytes go to a temporary file in the same directory
     * (a rename is atomic only within one file system) that is created with mode 0600 by the create call
     * itself: setting the mode afterwards would leave a moment in which the umask's usual 0644 lets any local
     * user open the file and keep the descriptor. The file is forced to disk before it is renamed over
     * {@code file}, and the directory after, so the rename itself is durable.
     *
     * @throws UncheckedIOException if it cannot be written; no temporary file is left behind
     */
    public static void writeAtomically(Path file, byte[] content) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            String prefix = "." + file.getFileName() + ".";
            tmp = posix(dir) ? Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                    : Files.createTempFile(dir, prefix, ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("cannot remove the temporary file {}: {}", tmp, e.getMessage());
                }
            }
        }
    }

    /**
     * The permissions of {@code file} in {@code ls -l} form ({@code rw-r--r--}) if group or others have any
     * of them, else empty (the file is owner-only, or the file system has no POSIX permissions).
     */
    public static Optional<String> openToOthers(Path file) {
        try {
            if (!posix(file.toAbsolutePath().getParent())) {
                return Optional.empty();
            }
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.stream().anyMatch(GROUP_OR_OTHERS::contains) ? Optional.of(PosixFilePermissions.toString(p))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean posix(Path dir) throws IOException {
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return true;
        }
        if (!warnedNoPosix) {
            warnedNoPosix = true;
            LOG.warn("{} has no POSIX permissions: generated keystores and password files there are protected only by"
                    + " the directory's access control list", dir);
        }
        return false;
    }

    /** Makes a rename in {@code dir} durable; some platforms cannot open a directory, and then it is skipped. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {} to disk: {}", dir, e.toString());
        }
    }
}
