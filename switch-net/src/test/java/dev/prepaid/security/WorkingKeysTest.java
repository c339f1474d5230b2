package dev.prepaid.security;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sign-on key download (pos-iso8583 §8) and the "Sign-on key download" vector of test-vectors.md. */
class WorkingKeysTest {
    private static final DesKey TMK = DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9");
    private static final String PIK_UNDER_TMK = "6701EAD6A9AD51E51AA406E2C27FCFA9";
    private static final String PIK_CLEAR = "807A23AD32B36D457AE91FDF927570EA";
    private static final String PIK_KCV = "8D0A74B8";
    private static final String MAK_UNDER_TMK = "B651F9E9BACE9AE1";
    private static final String MAK_CLEAR = "5BB5C72CD00B7338";
    private static final String MAK_KCV = "AB7153CA";

    /** The published vector's field 62 in the 003 layout: PIK, KCV, MAK slot (repeated), KCV. */
    private static final String VECTOR_FIELD_62_003 =
        PIK_UNDER_TMK + PIK_KCV + MAK_UNDER_TMK + MAK_UNDER_TMK + MAK_KCV;

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void signOnVectorPikDecryptsUnderTmkWithCheckValue() {
        final byte[] clear = new byte[16];
        TMK.decryptEcb(Hex.decode(PIK_UNDER_TMK), 0, 16, clear, 0);
        assertThat(Hex.encode(clear)).isEqualTo(PIK_CLEAR);
        assertThat(DesKey.of(clear).checkValueHex(4)).isEqualTo(PIK_KCV);
    }

    @Test
    void signOnVectorMakDecryptsUnderTmkWithSingleDesCheckValue() {
        final byte[] clear = new byte[8];
        TMK.decryptBlock(Hex.decode(MAK_UNDER_TMK), 0, clear, 0);
        assertThat(Hex.encode(clear)).isEqualTo(MAK_CLEAR);
        assertThat(DesKey.of(clear).checkValueHex(4)).isEqualTo(MAK_KCV);
    }

    @Test
    void signOnVectorTerminalSideDecodesField62Layout003() {
        final byte[] field62 = Hex.decode(VECTOR_FIELD_62_003);
        final WorkingKeys keys = WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH, TMK, field62, 0, field62.length);
        assertThat(keys.pik().sameKeyAs(DesKey.fromHex(PIK_CLEAR))).isTrue();
        assertThat(keys.mak().sameKeyAs(DesKey.fromHex(MAK_CLEAR))).isTrue();
        assertThat(keys.tdk()).isNull();
        assertThat(keys.toString()).isEqualTo("WorkingKeys[DOUBLE_LENGTH, pik=8D0A74B8, mak=AB7153CA]")
            .doesNotContain(PIK_CLEAR).doesNotContain(MAK_CLEAR);
    }

    @Test
    void signOnVectorSwitchSideEncodesField62Layout003Exactly() {
        final WorkingKeys keys = WorkingKeys.of(
            KeyLayout.DOUBLE_LENGTH, DesKey.fromHex(PIK_CLEAR), DesKey.fromHex(MAK_CLEAR), null);
        assertThat(Hex.encode(keys.field62(TMK))).isEqualTo(VECTOR_FIELD_62_003);
    }

    @Test
    void signOnVectorMakInLayout001AtOffset12() {
        final DesKey pik = DesKey.fromHex("0123456789ABCDEF");
        final WorkingKeys keys = WorkingKeys.of(KeyLayout.SINGLE_LENGTH, pik, DesKey.fromHex(MAK_CLEAR), null);
        final byte[] field62 = keys.field62(TMK);
        assertThat(field62).hasSize(24);
        assertThat(Hex.encode(field62, 8, 4)).isEqualTo(pik.checkValueHex(4));
        assertThat(Hex.encode(field62, 12, 8)).isEqualTo(MAK_UNDER_TMK);
        assertThat(Hex.encode(field62, 20, 4)).isEqualTo(MAK_KCV);
        final WorkingKeys decoded = WorkingKeys.fromField62(KeyLayout.SINGLE_LENGTH, TMK, field62, 0, 24);
        assertThat(decoded.pik().sameKeyAs(pik)).isTrue();
        assertThat(decoded.mak().sameKeyAs(DesKey.fromHex(MAK_CLEAR))).isTrue();
    }

    @Test
    void signOnVectorLayout004AddsTrackKeyAtOffset40() {
        final DesKey tdk = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final WorkingKeys keys = WorkingKeys.of(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY,
            DesKey.fromHex(PIK_CLEAR), DesKey.fromHex(MAK_CLEAR), tdk);
        final byte[] field62 = keys.field62(TMK);
        assertThat(field62).hasSize(60);
        assertThat(Hex.encode(field62, 0, 40)).isEqualTo(VECTOR_FIELD_62_003);
        final byte[] tdkUnderTmk = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        TMK.encryptEcb(tdkUnderTmk, 0, 16, tdkUnderTmk, 0);
        assertThat(Hex.encode(field62, 40, 16)).isEqualTo(Hex.encode(tdkUnderTmk));
        assertThat(Hex.encode(field62, 56, 4)).isEqualTo(tdk.checkValueHex(4));
        assertThat(Hex.encode(field62, 56, 3)).isEqualTo("08D7B4");
        final WorkingKeys decoded = WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, TMK, field62, 0, 60);
        assertThat(decoded.tdk().sameKeyAs(tdk)).isTrue();
    }

    @Test
    void layoutOffsetsAndLengthsAreThoseOfTheSpec() {
        assertThat(KeyLayout.SINGLE_LENGTH.field62Length()).isEqualTo(24);
        assertThat(KeyLayout.SINGLE_LENGTH.makOffset()).isEqualTo(12);
        assertThat(KeyLayout.SINGLE_LENGTH.makCheckValueOffset()).isEqualTo(20);
        assertThat(KeyLayout.DOUBLE_LENGTH.field62Length()).isEqualTo(40);
        assertThat(KeyLayout.DOUBLE_LENGTH.pikCheckValueOffset()).isEqualTo(16);
        assertThat(KeyLayout.DOUBLE_LENGTH.makOffset()).isEqualTo(20);
        assertThat(KeyLayout.DOUBLE_LENGTH.makCheckValueOffset()).isEqualTo(36);
        assertThat(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY.field62Length()).isEqualTo(60);
        assertThat(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY.tdkOffset()).isEqualTo(40);
        assertThat(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY.tdkCheckValueOffset()).isEqualTo(56);
        assertThat(KeyLayout.forNetworkManagementCode(1)).isEqualTo(KeyLayout.SINGLE_LENGTH);
        assertThat(KeyLayout.forNetworkManagementCode(3)).isEqualTo(KeyLayout.DOUBLE_LENGTH);
        assertThat(KeyLayout.forNetworkManagementCode(4)).isEqualTo(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY);
        assertThat(KeyLayout.forNetworkManagementCode(2)).isNull();
    }

    @Test
    void generatedKeysRoundTripThroughField62InEveryLayout() {
        for (final KeyLayout layout : KeyLayout.values()) {
            final WorkingKeys generated = WorkingKeys.generate(layout, RANDOM);
            final byte[] buffer = new byte[layout.field62Length() + 10];
            assertThat(generated.writeField62(TMK, buffer, 5)).isEqualTo(layout.field62Length());
            final WorkingKeys received = WorkingKeys.fromField62(layout, TMK, buffer, 5, layout.field62Length());
            assertThat(received.pik().sameKeyAs(generated.pik())).isTrue();
            assertThat(received.mak().sameKeyAs(generated.mak())).isTrue();
            assertThat(received.layout()).isEqualTo(layout);
            if (layout.hasTrackKey()) {
                assertThat(received.tdk().sameKeyAs(generated.tdk())).isTrue();
            } else {
                assertThat(received.tdk()).isNull();
            }
        }
    }

    @Test
    void generatedKeysHaveTheLayoutsLengthsOddParityAndDistinctHalves() {
        for (final KeyLayout layout : KeyLayout.values()) {
            for (int i = 0; i < 50; i++) {
                final WorkingKeys keys = WorkingKeys.generate(layout, RANDOM);
                assertThat(keys.pik().length()).isEqualTo(layout.pikLength());
                assertThat(keys.mak().length()).isEqualTo(8);
                assertThat(keys.pik().hasOddParity()).isTrue();
                assertThat(keys.mak().hasOddParity()).isTrue();
                assertThat(keys.pik().hasEqualHalves()).isFalse();
                if (layout.hasTrackKey()) {
                    assertThat(keys.tdk().length()).isEqualTo(16);
                    assertThat(keys.tdk().hasOddParity()).isTrue();
                    assertThat(keys.tdk().hasEqualHalves()).isFalse();
                }
            }
        }
    }

    @Test
    void everySignOnGetsFreshKeys() {
        final Set<String> checkValues = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            final WorkingKeys keys = WorkingKeys.generate(KeyLayout.DOUBLE_LENGTH, RANDOM);
            assertThat(checkValues.add(keys.pik().checkValueHex(8))).isTrue();
            assertThat(checkValues.add(keys.mak().checkValueHex(8))).isTrue();
        }
    }

    @Test
    void generationRetriesUntilTheKeyIsUsable() {
        // A source whose first draws are a DES weak key and a key with equal halves.
        final byte[][] draws = {
            Hex.decode("0101010101010101FEDCBA9876543210"),
            Hex.decode("0123456789ABCDEF0123456789ABCDEF"),
            Hex.decode("0123456789ABCDEFFEDCBA9876543210")};
        final SecureRandom scripted = new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int next;

            @Override
            public void nextBytes(final byte[] bytes) {
                System.arraycopy(draws[next++], 0, bytes, 0, bytes.length);
            }
        };
        final DesKey key = WorkingKeys.randomKey(16, scripted);
        final byte[] expected = Hex.decode("0123456789ABCDEFFEDCBA9876543210");
        DesKey.setOddParity(expected, 0, 16);
        assertThat(key.sameKeyAs(DesKey.of(expected))).isTrue();
    }

    @Test
    void brokenRandomSourceIsRefused() {
        final SecureRandom zeros = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(final byte[] bytes) {
                Arrays.fill(bytes, (byte) 0);
            }
        };
        assertThatThrownBy(() -> WorkingKeys.generate(KeyLayout.SINGLE_LENGTH, zeros))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("random source");
    }

    @Test
    void macSlotSecondHalfRepeatsTheFirst() {
        final byte[] field62 = WorkingKeys.generate(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, RANDOM).field62(TMK);
        assertThat(Arrays.copyOfRange(field62, 28, 36)).isEqualTo(Arrays.copyOfRange(field62, 20, 28));
    }

    @Test
    void terminalIgnoresTheSecondHalfOfTheMacSlot() {
        final byte[] field62 = Hex.decode(VECTOR_FIELD_62_003);
        Arrays.fill(field62, 28, 36, (byte) 0);
        final WorkingKeys keys = WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH, TMK, field62, 0, 40);
        assertThat(keys.mak().checkValueHex(4)).isEqualTo(MAK_KCV);
    }

    @Test
    void wrongTmkIsReportedAsPikCheckValueMismatch() {
        final byte[] field62 = Hex.decode(VECTOR_FIELD_62_003);
        final DesKey otherTmk = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        assertThatThrownBy(() -> WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH, otherTmk, field62, 0, 40))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessageStartingWith("field 62 (layout 003): PIK check value mismatch: received 8D0A74B8")
            .hasMessageContaining("different TMK");
    }

    @Test
    void damagedMakCheckValueIsReported() {
        final byte[] field62 = Hex.decode(VECTOR_FIELD_62_003);
        field62[36] ^= 0x01;
        assertThatThrownBy(() -> WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH, TMK, field62, 0, 40))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessage("field 62 (layout 003): MAK check value mismatch: received AA7153CA, decrypted key gives "
                + "AB7153CA (different TMK, or damaged field 62)");
    }

    @Test
    void damagedTdkIsReported() {
        final byte[] field62 = WorkingKeys.generate(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, RANDOM).field62(TMK);
        field62[45] ^= 0x10;
        assertThatThrownBy(() -> WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, TMK, field62, 0, 60))
            .isInstanceOf(KeyMaterialException.class).hasMessageContaining("TDK check value mismatch");
    }

    @Test
    void wrongField62LengthIsReported() {
        final byte[] field62 = Hex.decode(VECTOR_FIELD_62_003);
        assertThatThrownBy(() -> WorkingKeys.fromField62(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, TMK, field62, 0, 40))
            .isInstanceOf(KeyMaterialException.class)
            .hasMessage("field 62 of layout 004 is 60 bytes, received 40");
    }

    @Test
    void explicitKeysMustFitTheLayout() {
        final DesKey single = DesKey.fromHex("0123456789ABCDEF");
        final DesKey pair = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        assertThatThrownBy(() -> WorkingKeys.of(KeyLayout.DOUBLE_LENGTH, single, single, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkingKeys.of(KeyLayout.DOUBLE_LENGTH, pair, pair, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkingKeys.of(KeyLayout.DOUBLE_LENGTH_WITH_TRACK_KEY, pair, single, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkingKeys.of(KeyLayout.DOUBLE_LENGTH, pair, single, pair))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkingKeys.generate(KeyLayout.DOUBLE_LENGTH, RANDOM).writeField62(TMK, new byte[39], 0))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
