package dev.prepaid.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payout files on disk: owner-only, whole, named by batch and date, with their SHA-256, never overwritten. */
class PayoutFilesTest {
    @TempDir
    Path directory;

    private List<String> names() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(final byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void bothFilesOfABatchAreWrittenOwnerOnlyWithTheirChecksums() throws Exception {
        final PayoutBatch batch = Batches.awkward();
        final PayoutFile pain = Pain001Writer.write(batch);
        final PayoutFile neutral = BankBatchFile.write(batch, NeutralLayout.INSTANCE);
        for (final PayoutFile file : List.of(pain, neutral)) {
            final PayoutFiles.Written written = PayoutFiles.write(directory, file);
            assertThat(written.created()).isTrue();
            assertThat(written.path()).isEqualTo(directory.resolve(file.name()));
            assertThat(written.size()).isEqualTo(file.size());
            final byte[] onDisk = Files.readAllBytes(written.path());
            assertThat(onDisk).isEqualTo(file.content());
            assertThat(written.sha256()).isEqualTo(sha256(onDisk)).isEqualTo(file.sha256());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.path()))).isEqualTo("rw-------");
        }
        // Nothing but the two files: no temporary file is left behind.
        assertThat(names()).containsExactly("payout-20261124-8.neutral.csv", "payout-20261124-8.pain001.xml");
    }

    @Test
    void theSameFileWrittenAgainIsTheFileAlreadyThere() throws Exception {
        final PayoutFile file = Pain001Writer.write(Batches.plain());
        final PayoutFiles.Written first = PayoutFiles.write(directory, file);
        final PayoutFiles.Written again = PayoutFiles.write(directory, Pain001Writer.write(Batches.plain()));
        assertThat(again.created()).isFalse();
        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertThat(again.path()).isEqualTo(first.path());
        assertThat(names()).containsExactly("payout-20261124-7.pain001.xml");
    }

    @Test
    void aDifferentFileOfTheSameNameIsRefusedAndLeftAsItIs() throws Exception {
        final PayoutFile file = Pain001Writer.write(Batches.plain());
        final Path target = directory.resolve(file.name());
        final byte[] other = file.content();
        other[other.length - 2] = 'X';
        Files.write(target, other);
        assertThatThrownBy(() -> PayoutFiles.write(directory, file))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("holds other content (" + other.length + " bytes, sha256 " + sha256(other))
                .hasMessageContaining("refusing to overwrite it");
        Files.writeString(target, "short", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PayoutFiles.write(directory, file))
                .hasMessageContaining("holds other content (5 bytes)");
        assertThat(Files.readString(target)).isEqualTo("short");
        Files.delete(target);
        Files.createDirectory(target);
        assertThatThrownBy(() -> PayoutFiles.write(directory, file))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("is not a regular file");
        assertThat(names()).containsExactly(file.name());
    }

    @Test
    void aMissingDirectoryIsCreated() throws Exception {
        final Path nested = directory.resolve("payouts").resolve("2026-11-24");
        final PayoutFiles.Written written = PayoutFiles.write(nested, BankBatchFile.write(Batches.plain(),
                NeutralLayout.INSTANCE));
        assertThat(written.path()).isEqualTo(nested.resolve("payout-20261124-7.neutral.csv")).exists();
    }
}
