package dev.prepaid.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoredKeysTest {
    private static final String TMK = "CA5D92598DCA48CE8A4C76361A9269E9";
    private static final String CVK = "0123456789ABCDEFFEDCBA9876543210";
    private static final String PVK = "13131313131313134646464646464646";

    private final MasterFileKey mfk = MasterFileKey.development();

    @TempDir
    Path dir;

    private String cryptogram(final String clearHex) {
        return Hex.encode(mfk.encrypt(DesKey.fromHex(clearHex)));
    }

    @Test
    void parsesKeysWithCommentsBlankLinesAndCheckValues() {
        final List<String> lines = List.of(
            "# demo keys",
            "",
            "tmk.T0000001 = " + cryptogram(TMK) + " " + DesKey.fromHex(TMK).checkValueHex(3),
            "  cvk.gift=" + cryptogram(CVK) + " " + DesKey.fromHex(CVK).checkValueHex(3) + "   # CVK pair of the gift card type",
            "pvk = " + cryptogram(PVK).toLowerCase() + " " + DesKey.fromHex(PVK).checkValueHex(8),
            "tmk.single = " + cryptogram("0123456789ABCDEF") + " D5D44F");
        final StoredKeys keys = StoredKeys.parse("keys.txt", lines, mfk);
        assertThat(keys.size()).isEqualTo(4);
        assertThat(keys.names()).containsExactly("tmk.T0000001", "cvk.gift", "pvk", "tmk.single");
        assertThat(keys.key("tmk.T0000001").sameKeyAs(DesKey.fromHex(TMK))).isTrue();
        assertThat(keys.key("cvk.gift").sameKeyAs(DesKey.fromHex(CVK))).isTrue();
        assertThat(keys.key("pvk").sameKeyAs(DesKey.fromHex(PVK))).isTrue();
        assertThat(keys.key("tmk.single").isDoubleLength()).isFalse();
        assertThat(keys.contains("pvk")).isTrue();
        assertThat(keys.find("absent")).isNull();
        assertThat(keys.toString()).isEqualTo("StoredKeys[keys.txt, 4 keys]");
    }

    @Test
    void cvkPairFromStoreComputesPublishedCvv() {
        final StoredKeys keys = StoredKeys.parse("keys.txt", List.of("cvk.visa = " + cryptogram(CVK) + " "
                + DesKey.fromHex(CVK).checkValueHex(3)), mfk);
        assertThat(new Cvn().compute(keys.cvkPair("cvk.visa"), "4123456789012345", 8701, 111)).isEqualTo(856);
    }

    @Test
    void singleLengthEntryIsNotACvkPair() {
        final StoredKeys keys = StoredKeys.parse("keys.txt",
            List.of("cvk.short = " + cryptogram("0123456789ABCDEF") + " D5D44F"), mfk);
        assertThatThrownBy(() -> keys.cvkPair("cvk.short"))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("single-length");
    }

    @Test
    void missingKeyIsNamed() {
        final StoredKeys keys = StoredKeys.parse("keys.txt", List.of(), mfk);
        assertThatThrownBy(() -> keys.key("tmk.T9"))
            .isInstanceOf(KeyMaterialException.class).hasMessage("no key named 'tmk.T9' in keys.txt");
    }

    @Test
    void wrongCheckValueNamesLineAndKeyButNotTheKey() {
        final List<String> lines = List.of(
            "# header",
            "tmk.T0000001 = " + cryptogram(TMK) + " 123456");
        assertThatThrownBy(() -> StoredKeys.parse("keys.txt", lines, mfk))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageStartingWith("keys.txt line 2 (key 'tmk.T0000001'): check value mismatch: expected 123456")
            .hasMessageNotContaining(TMK);
    }

    @Test
    void keysWrittenUnderAnotherMfkFailTheirCheckValue() {
        final MasterFileKey other = MasterFileKey.fromComponents(
            List.of("0123456789ABCDEFFEDCBA9876543210", "1111111111111111222222222222222F"));
        final List<String> lines = List.of(StoredKeys.format("tmk.A", DesKey.fromHex(TMK), other));
        assertThatThrownBy(() -> StoredKeys.parse("keys.txt", lines, mfk))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("line 1").hasMessageContaining("wrong MFK");
    }

    @Test
    void malformedLinesAreNamed() {
        assertError("tmk.A " + cryptogram(TMK), "line 1: expected 'name = cryptogram check value'");
        assertError("tmk.A = " + cryptogram(TMK), "line 1 (key 'tmk.A'): no check value after the cryptogram; without"
                + " it a wrong MFK would go unnoticed");
        assertError("tmk A = " + cryptogram(TMK), "line 1: key name must be");
        assertError(" = " + cryptogram(TMK), "line 1: key name must be");
        assertError("tmk.A = ", "line 1 (key 'tmk.A'): expected a cryptogram");
        assertError("tmk.A = " + cryptogram(TMK) + " 123456 extra", "expected a cryptogram and its check value");
        assertError("tmk.A = " + cryptogram(TMK).substring(2), "the cryptogram must be 16 or 32 hex digits");
        assertError("tmk.A = " + cryptogram(TMK).replace(cryptogram(TMK).charAt(5), 'X'), "16 or 32 hex digits");
        assertError("tmk.A = " + cryptogram(TMK) + " 12", "the check value must be");
        assertError("tmk.A = " + cryptogram(TMK) + " 12345", "the check value must be");
        assertError("tmk.A = " + cryptogram(TMK) + " 12345Z", "the check value must be");
    }

    @Test
    void duplicateNameIsRefused() {
        final List<String> lines = List.of("tmk.A = " + cryptogram(TMK) + " " + DesKey.fromHex(TMK).checkValueHex(3),
                "tmk.A = " + cryptogram(CVK) + " " + DesKey.fromHex(CVK).checkValueHex(3));
        assertThatThrownBy(() -> StoredKeys.parse("keys.txt", lines, mfk))
            .isInstanceOf(KeyMaterialException.class).hasMessage("keys.txt line 2: key 'tmk.A' is defined twice");
    }

    private void assertError(final String line, final String expected) {
        assertThatThrownBy(() -> StoredKeys.parse("keys.txt", List.of("# first", line), mfk))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("keys.txt line 2")
            .hasMessageContaining(expected.replace("line 1", "line 2"));
    }

    @Test
    void writeThenLoadRoundTrip() throws IOException {
        final Map<String, DesKey> keys = new LinkedHashMap<>();
        keys.put("tmk.T0000001", DesKey.fromHex(TMK));
        keys.put("cvk.gift", DesKey.fromHex(CVK));
        keys.put("pvk", DesKey.fromHex(PVK));
        final Path file = dir.resolve("keys.txt");
        StoredKeys.write(file, keys, mfk, "demo keys\nunder the development MFK");

        final String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).startsWith("# demo keys\n# under the development MFK\n")
            .contains("MFK check value 40D522")
            .contains("tmk.T0000001 = " + cryptogram(TMK) + " " + DesKey.fromHex(TMK).checkValueHex(3))
            .doesNotContain(TMK).doesNotContain(CVK).doesNotContain(PVK);
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }

        final StoredKeys loaded = StoredKeys.load(file, mfk);
        assertThat(loaded.names()).containsExactly("tmk.T0000001", "cvk.gift", "pvk");
        for (final Map.Entry<String, DesKey> entry : keys.entrySet()) {
            assertThat(loaded.key(entry.getKey()).sameKeyAs(entry.getValue())).isTrue();
        }
    }

    @Test
    void rewritingUnderANewMfkMigratesTheKeys() {
        final Path oldFile = dir.resolve("old.txt");
        final Path newFile = dir.resolve("new.txt");
        StoredKeys.write(oldFile, Map.of("tmk.A", DesKey.fromHex(TMK)), mfk, "");
        final MasterFileKey production = MasterFileKey.fromComponents(
            List.of("0123456789ABCDEFFEDCBA9876543210", "1111111111111111222222222222222F"));
        StoredKeys.load(oldFile, mfk).writeTo(newFile, production, "");
        assertThat(StoredKeys.load(newFile, production).key("tmk.A").sameKeyAs(DesKey.fromHex(TMK))).isTrue();
        // read under the old MFK, the file's header names the cause: the MFK differs from the one that wrote it
        assertThatThrownBy(() -> StoredKeys.load(newFile, mfk)).isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("check value mismatch")
                .hasMessageContaining("the file was written under the MFK with check value " + production.checkValueHex()
                        + ", the configured components make " + mfk.checkValueHex()
                        + ": a component is wrong, missing or from another installation");
    }

    @Test
    void writeOverwritesAnExistingFile() throws IOException {
        final Path file = dir.resolve("keys.txt");
        Files.writeString(file, "old content\n");
        StoredKeys.write(file, Map.of("pvk", DesKey.fromHex(PVK)), mfk, "");
        assertThat(StoredKeys.load(file, mfk).names()).containsExactly("pvk");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void formatRefusesBadNames() {
        assertThatThrownBy(() -> StoredKeys.format("bad name", DesKey.fromHex(TMK), mfk))
            .isInstanceOf(KeyMaterialException.class);
    }

    @Test
    void missingFileIsNamed() {
        final Path file = dir.resolve("absent.txt");
        assertThatThrownBy(() -> StoredKeys.load(file, mfk))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining(file + " cannot be read");
    }
}
