package dev.prepaid.security;

import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DES/3DES primitives and the key check value vectors of test-vectors.md ("Key check values"). */
class DesKeyTest {

    @Test
    void weakAndSemiWeakHalvesAreRecognisedWhateverTheirParityBits() {
        assertThat(DesKey.fromHex("0101010101010101").hasWeakHalf()).isTrue();
        assertThat(DesKey.fromHex("0000000000000000").hasWeakHalf()).as("0101… without parity").isTrue();
        assertThat(DesKey.fromHex("0123456789ABCDEFFEFEFEFEFEFEFEFE").hasWeakHalf()).as("second half").isTrue();
        assertThat(DesKey.fromHex("01FE01FE01FE01FE0123456789ABCDEF").hasWeakHalf()).as("semi-weak").isTrue();
        assertThat(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210").hasWeakHalf()).isFalse();
    }

    @Test
    void kcvVectorDoubleLengthWithEqualHalves() {
        assertThat(DesKey.fromHex("12345678123456781234567812345678").checkValueHex(3)).isEqualTo("6FB1C8");
    }

    @Test
    void kcvVectorSingleLength8765432187654321() {
        assertThat(DesKey.fromHex("8765432187654321").checkValueHex(3)).isEqualTo("AAB151");
    }

    @Test
    void kcvVectorDoubleLength0123456789ABCDEFFEDCBA9876543210() {
        assertThat(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210").checkValueHex(3)).isEqualTo("08D7B4");
    }

    @Test
    void kcvVectorSingleLength0123456789ABCDEF() {
        assertThat(DesKey.fromHex("0123456789ABCDEF").checkValueHex(3)).isEqualTo("D5D44F");
    }

    @Test
    void checkValueIsTheEncryptionOfZeroBlockTruncated() {
        final DesKey key = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final byte[] zero = new byte[8];
        final byte[] full = new byte[8];
        key.encryptBlock(zero, 0, full, 0);
        assertThat(key.checkValue(8)).isEqualTo(full);
        assertThat(key.checkValue(4)).isEqualTo(java.util.Arrays.copyOf(full, 4));
        assertThat(key.checkValueMatches(full, 0, 4)).isTrue();
        full[3] ^= 1;
        assertThat(key.checkValueMatches(full, 0, 4)).isFalse();
        assertThatThrownBy(() -> key.checkValue(9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.checkValue(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tripleDesMatchesBouncyCastleDesedeEngine() {
        final Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            final byte[] keyBytes = new byte[16];
            random.nextBytes(keyBytes);
            final byte[] block = new byte[8];
            random.nextBytes(block);

            final DESedeEngine reference = new DESedeEngine();
            reference.init(true, new KeyParameter(keyBytes));
            final byte[] expected = new byte[8];
            reference.processBlock(block, 0, expected, 0);

            final DesKey key = DesKey.of(keyBytes);
            final byte[] actual = new byte[8];
            key.encryptBlock(block, 0, actual, 0);
            assertThat(actual).isEqualTo(expected);

            final byte[] back = new byte[8];
            key.decryptBlock(actual, 0, back, 0);
            assertThat(back).isEqualTo(block);
        }
    }

    @Test
    void doubleLengthKeyWithEqualHalvesIsSingleDes() {
        final DesKey single = DesKey.fromHex("1234567812345678");
        final DesKey doubled = DesKey.fromHex("12345678123456781234567812345678");
        final byte[] block = Hex.decode("0011223344556677");
        final byte[] a = new byte[8];
        final byte[] b = new byte[8];
        single.encryptBlock(block, 0, a, 0);
        doubled.encryptBlock(block, 0, b, 0);
        assertThat(a).isEqualTo(b);
        assertThat(doubled.hasEqualHalves()).isTrue();
        assertThat(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210").hasEqualHalves()).isFalse();
    }

    @Test
    void encryptsInPlaceAndAtOffsets() {
        final DesKey key = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final byte[] block = Hex.decode("4123456789012345");
        final byte[] expected = new byte[8];
        key.encryptBlock(block, 0, expected, 0);

        final byte[] buffer = new byte[20];
        System.arraycopy(block, 0, buffer, 5, 8);
        key.encryptBlock(buffer, 5, buffer, 5);
        assertThat(java.util.Arrays.copyOfRange(buffer, 5, 13)).isEqualTo(expected);
        key.decryptBlock(buffer, 5, buffer, 5);
        assertThat(java.util.Arrays.copyOfRange(buffer, 5, 13)).isEqualTo(block);
    }

    @Test
    void ecbRoundTripAndRejectsPartialBlocks() {
        final DesKey key = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final byte[] data = Hex.decode("00112233445566778899AABBCCDDEEFF");
        final byte[] encrypted = new byte[16];
        key.encryptEcb(data, 0, 16, encrypted, 0);
        final byte[] firstBlock = new byte[8];
        key.encryptBlock(data, 0, firstBlock, 0);
        assertThat(java.util.Arrays.copyOf(encrypted, 8)).isEqualTo(firstBlock);
        final byte[] back = new byte[16];
        key.decryptEcb(encrypted, 0, 16, back, 0);
        assertThat(back).isEqualTo(data);
        assertThatThrownBy(() -> key.encryptEcb(data, 0, 12, encrypted, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> key.decryptEcb(data, 0, 0, encrypted, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstHalfIsSingleDesUnderK1() {
        final DesKey pair = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final DesKey k1 = DesKey.fromHex("0123456789ABCDEF");
        final byte[] block = Hex.decode("0011223344556677");
        final byte[] a = new byte[8];
        final byte[] b = new byte[8];
        pair.encryptBlockFirstHalf(block, 0, a, 0);
        k1.encryptBlock(block, 0, b, 0);
        assertThat(a).isEqualTo(b);
        assertThat(pair.half(0).sameKeyAs(k1)).isTrue();
        assertThat(pair.half(1).sameKeyAs(DesKey.fromHex("FEDCBA9876543210"))).isTrue();
        assertThat(DesKey.concat(pair.half(0), pair.half(1)).sameKeyAs(pair)).isTrue();
    }

    @Test
    void rejectsKeysThatAreNotSingleOrDoubleLength() {
        assertThatThrownBy(() -> DesKey.of(new byte[7])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DesKey.of(new byte[24])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DesKey.fromHex("0123456789ABCDEG")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageNotContaining("0123456789ABCDE");
        assertThatThrownBy(() -> DesKey.concat(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"),
            DesKey.fromHex("0123456789ABCDEF"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oddParityIsSetAndDetected() {
        final byte[] key = Hex.decode("0000000000000000FFFFFFFFFFFFFFFF");
        assertThat(DesKey.isOddParity(key, 0, 16)).isFalse();
        DesKey.setOddParity(key, 0, 16);
        assertThat(Hex.encode(key)).isEqualTo("0101010101010101FEFEFEFEFEFEFEFE");
        assertThat(DesKey.of(key).hasOddParity()).isTrue();
        // The published sign-on TMK is not odd-parity (CA has four bits set), which is why parity is not enforced.
        assertThat(DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9").hasOddParity()).isFalse();
        // Parity bits do not change DES.
        final byte[] block = new byte[8];
        final byte[] a = new byte[8];
        final byte[] b = new byte[8];
        DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9").encryptBlock(block, 0, a, 0);
        final byte[] fixed = Hex.decode("CA5D92598DCA48CE8A4C76361A9269E9");
        DesKey.setOddParity(fixed, 0, 16);
        DesKey.of(fixed).encryptBlock(block, 0, b, 0);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void toStringShowsLengthAndCheckValueButNotTheKey() {
        final DesKey key = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        assertThat(key.toString()).isEqualTo("DesKey[double-length, kcv=08D7B4]")
            .doesNotContain("0123456789ABCDEF");
        assertThat(DesKey.fromHex("0123456789ABCDEF").toString()).isEqualTo("DesKey[single-length, kcv=D5D44F]");
    }

    @Test
    void keyBytesAreCopiedNotShared() {
        final byte[] bytes = Hex.decode("0123456789ABCDEF");
        final DesKey key = DesKey.of(bytes);
        java.util.Arrays.fill(bytes, (byte) 0);
        assertThat(key.checkValueHex(3)).isEqualTo("D5D44F");
    }

    @Test
    void sameKeyAsComparesValues() {
        assertThat(DesKey.fromHex("0123456789ABCDEF").sameKeyAs(DesKey.fromHex("0123456789abcdef"))).isTrue();
        assertThat(DesKey.fromHex("0123456789ABCDEF").sameKeyAs(DesKey.fromHex("0123456789ABCDEE"))).isFalse();
        assertThat(DesKey.fromHex("0123456789ABCDEF").sameKeyAs(DesKey.fromHex("0123456789ABCDEF0123456789ABCDEF")))
            .isFalse();
    }
}
