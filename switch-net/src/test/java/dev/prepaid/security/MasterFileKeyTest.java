package dev.prepaid.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterFileKeyTest {
    private static final String C1 = "E09B073B4007541FAB76B04370451031";
    private static final String C2 = "4CBF5D51EA8525EF045EFED6E386D9D9";
    private static final String C3 = "0123456789ABCDEFFEDCBA9876543210";

    @TempDir
    Path dir;

    @Test
    void kcvVectorOfTwoXoredComponents() {
        final MasterFileKey mfk = MasterFileKey.fromComponents(List.of(C1, C2));
        assertThat(mfk.checkValueHex()).isEqualTo("40D522");
    }

    @Test
    void componentsAreXored() {
        final MasterFileKey mfk = MasterFileKey.fromComponents(List.of(C1, C2, C3));
        final byte[] xor = Hex.decode(C1);
        final byte[] c2 = Hex.decode(C2);
        final byte[] c3 = Hex.decode(C3);
        for (int i = 0; i < 16; i++) {
            xor[i] ^= (byte) (c2[i] ^ c3[i]);
        }
        assertThat(mfk.checkValueHex()).isEqualTo(DesKey.of(xor).checkValueHex(3));
    }

    @Test
    void developmentKeyIsRecognisedByValue() {
        assertThat(MasterFileKey.development().isDevelopmentKey()).isTrue();
        assertThat(MasterFileKey.development().checkValueHex()).isEqualTo("40D522");
        assertThat(MasterFileKey.fromComponents(List.of(C1, C2)).isDevelopmentKey()).isTrue();
        assertThat(MasterFileKey.fromComponents(List.of(C1, C3)).isDevelopmentKey()).isFalse();
        assertThat(MasterFileKey.development().toString()).contains("DEVELOPMENT").doesNotContain(C1);
    }

    @Test
    void loadsComponentsFromFilesAndEnvironment() throws IOException {
        final Path file = dir.resolve("mfk-1");
        Files.writeString(file, "# component 1 of 2, custodian A\nE09B 073B 4007 541F\nAB76 B043 7045 1031\n",
            StandardCharsets.US_ASCII);
        final MasterFileKey mfk = MasterFileKey.load(
            List.of(KeyComponentSource.parse("file:" + file), KeyComponentSource.parse("env:MFK_2")),
            Map.of("MFK_2", " 4cbf5d51ea8525ef045efed6e386d9d9\n")::get);
        assertThat(mfk.checkValueHex()).isEqualTo("40D522");
        assertThat(mfk.isDevelopmentKey()).isTrue();
    }

    @Test
    void refusesFewerThanTwoComponents() {
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1)))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("at least 2 components");
        assertThatThrownBy(() -> MasterFileKey.load(List.of(KeyComponentSource.environment("A")), Map.of("A", C1)::get))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("at least 2 components");
    }

    @Test
    void refusesComponentOfWrongLength() {
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, C2.substring(2))))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("MFK component 2").hasMessageContaining("expected 32 hex digits (a double-length key), found 30")
            .hasMessageNotContaining(C2.substring(2));
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, C2 + "00")))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("found 34");
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, "0123456789ABCDEF")))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("found 16");
    }

    @Test
    void refusesNonHexComponent() {
        final String bad = "E09B073B4007541FAB76B04370451G31";
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(bad, C2)))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("MFK component 1").hasMessageContaining("character 30 is not a hex digit")
            .hasMessageNotContaining("E09B073B");
    }

    @Test
    void refusesComponentsThatXorToZero() {
        final byte[] a = Hex.decode(C1);
        final byte[] b = Hex.decode(C2);
        final byte[] c = new byte[16];
        for (int i = 0; i < 16; i++) {
            c[i] = (byte) (a[i] ^ b[i]);
        }
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, C2, Hex.encode(c))))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("XOR to all zeros");
    }

    @Test
    void refusesIdenticalComponents() {
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, C2, C1)))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("components 1 and 3 are identical");
    }

    @Test
    void refusesAllZeroComponent() {
        assertThatThrownBy(() -> MasterFileKey.fromComponents(List.of(C1, "0".repeat(32))))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("component 2 is all zeros");
    }

    @Test
    void refusesResultWithEqualHalves() {
        assertThatThrownBy(() -> MasterFileKey.fromComponents(
            List.of("11111111111111111111111111111111", "22222222222222222222222222222222")))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("equal halves");
    }

    @Test
    void refusesMissingEnvironmentVariableAndFile() {
        assertThatThrownBy(() -> MasterFileKey.load(
            List.of(KeyComponentSource.environment("MFK_1"), KeyComponentSource.environment("MFK_2")),
            Map.of("MFK_1", C1)::get))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("environment variable MFK_2 is not set");
        final Path missing = dir.resolve("absent");
        assertThatThrownBy(() -> MasterFileKey.load(
            List.of(KeyComponentSource.file(missing), KeyComponentSource.environment("MFK_2")),
            Map.of("MFK_2", C2)::get))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("file " + missing).hasMessageContaining("cannot be read");
    }

    @Test
    void refusesComponentSourceSpecsThatAreNeitherFileNorEnv() {
        assertThatThrownBy(() -> KeyComponentSource.parse(C1))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("'file:<path>' or 'env:<variable>'");
        assertThatThrownBy(() -> KeyComponentSource.parse("env:"))
            .isInstanceOf(KeyMaterialException.class);
        assertThat(KeyComponentSource.parse("file:/etc/mfk1").isFile()).isTrue();
        assertThat(KeyComponentSource.parse("env:X").toString()).isEqualTo("environment variable X");
    }

    @Test
    void encryptDecryptRoundTripAndCheckValue() {
        final MasterFileKey mfk = MasterFileKey.development();
        final DesKey tmk = DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9");
        final byte[] cryptogram = mfk.encrypt(tmk);
        assertThat(cryptogram).hasSize(16);
        assertThat(Hex.encode(cryptogram)).isNotEqualTo("CA5D92598DCA48CE8A4C76361A9269E9");
        assertThat(mfk.decrypt(cryptogram, 0, 16).sameKeyAs(tmk)).isTrue();
        final byte[] kcv = tmk.checkValue(3);
        assertThat(mfk.decrypt(cryptogram, 0, 16, kcv, 0, 3).sameKeyAs(tmk)).isTrue();

        final DesKey single = DesKey.fromHex("0123456789ABCDEF");
        assertThat(mfk.decryptHex(Hex.encode(mfk.encrypt(single)), "D5D44F").sameKeyAs(single)).isTrue();
    }

    @Test
    void decryptionUnderMfkIs3DesEcb() {
        final MasterFileKey mfk = MasterFileKey.fromComponents(List.of(C1, C2));
        final DesKey clear = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final byte[] expected = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        final byte[] mfkBytes = Hex.decode(C1);
        final byte[] c2 = Hex.decode(C2);
        for (int i = 0; i < 16; i++) {
            mfkBytes[i] ^= c2[i];
        }
        DesKey.of(mfkBytes).encryptEcb(expected, 0, 16, expected, 0);
        assertThat(mfk.encrypt(clear)).isEqualTo(expected);
    }

    @Test
    void wrongCheckValueIsReportedWithBothValues() {
        final MasterFileKey mfk = MasterFileKey.development();
        final DesKey tmk = DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9");
        final String cryptogram = Hex.encode(mfk.encrypt(tmk));
        final String actualKcv = tmk.checkValueHex(3);
        assertThatThrownBy(() -> mfk.decryptHex(cryptogram, "000000"))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageContaining("check value mismatch: expected 000000, decrypted key gives " + actualKcv)
            .hasMessageNotContaining("CA5D92598DCA48CE");
        final MasterFileKey other = MasterFileKey.fromComponents(List.of(C1, C3));
        assertThatThrownBy(() -> other.decryptHex(cryptogram, actualKcv))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("wrong MFK");
    }

    @Test
    void refusesCryptogramsOfWrongLength() {
        assertThatThrownBy(() -> MasterFileKey.development().decryptHex("0123456789ABCD", null))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("8 or 16 bytes");
        assertThatThrownBy(() -> MasterFileKey.development().decryptHex("XY23456789ABCDEF", null))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("not a hex digit");
    }
}
