package dev.prepaid.security;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The "MACs" vectors of test-vectors.md and pos-iso8583 §5. */
class MacFunctionTest {
    private static final byte[] CUP_MAB = Hex.decode("1234567890ABCDEFABCDEF1234567890");

    private static byte[] ascii(final String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] mac(final MacFunction algorithm, final String keyHex, final byte[] data) {
        final byte[] mac = new byte[8];
        algorithm.compute(DesKey.fromHex(keyHex), data, 0, data.length, mac, 0);
        return mac;
    }

    @Test
    void x99VectorNowIsTheTimeFor() {
        final byte[] mac = mac(MacFunction.X9_9, "0123456789ABCDEF", ascii("7654321 Now is the time for "));
        assertThat(Hex.encode(mac)).isEqualTo("F1D30F6849312CA4");
        assertThat(Hex.encode(mac, 0, 4)).isEqualTo("F1D30F68");
    }

    @Test
    void x919VectorNowIsTheTimeForAll() {
        final byte[] mac = mac(MacFunction.X9_19, "0123456789ABCDEFFEDCBA9876543210", ascii("Now is the time for all "));
        assertThat(Hex.encode(mac)).isEqualTo("A1C72E74EA3FA9B6");
    }

    @Test
    void x919ZeroPaddedVectorNowIsTheTimeForIt() {
        final byte[] mac = mac(MacFunction.X9_19, "0123456789ABCDEFFEDCBA9876543210", ascii("Now is the time for it"));
        assertThat(Hex.encode(mac)).isEqualTo("2E2B1428CC78254F");
    }

    @Test
    void cupEcbVectorMak2222222222222222() {
        final byte[] mac = mac(MacFunction.CUP_ECB, "2222222222222222", CUP_MAB);
        assertThat(new String(mac, StandardCharsets.US_ASCII)).isEqualTo("E267B6E2");
        assertThat(Hex.encode(mac)).isEqualTo("4532363742364532");
    }

    @Test
    void cupEcbVectorIntermediateValues() {
        // xor of blocks = B9F9B96AA4FDB57F, written as hex ASCII.
        final byte[] r = new byte[8];
        for (int i = 0; i < CUP_MAB.length; i++) {
            r[i % 8] ^= CUP_MAB[i];
        }
        assertThat(Hex.encode(r)).isEqualTo("B9F9B96AA4FDB57F");
        final byte[] h = ascii(Hex.encode(r));
        assertThat(Hex.encode(h)).isEqualTo("42394639423936414134464442353746");

        final DesKey mak = DesKey.fromHex("2222222222222222");
        final byte[] e = new byte[8];
        mak.encryptBlock(h, 0, e, 0);
        assertThat(Hex.encode(e)).isEqualTo("9FDE90A34CF73B2E");
        for (int i = 0; i < 8; i++) {
            e[i] ^= h[8 + i];
        }
        assertThat(Hex.encode(e)).isEqualTo("DEEAD6E70EC20C68");
        mak.encryptBlock(e, 0, e, 0);
        assertThat(Hex.encode(e)).isEqualTo("E267B6E21913D339");
    }

    @Test
    void cupEcbVectorSignOnMak5BB5C72CD00B7338() {
        final byte[] mac = mac(MacFunction.CUP_ECB, "5BB5C72CD00B7338", CUP_MAB);
        assertThat(new String(mac, StandardCharsets.US_ASCII)).isEqualTo("8F9F166E");
    }

    @Test
    void cupEcbWithDoubleLengthMakUsesItsFirstHalf() {
        assertThat(mac(MacFunction.CUP_ECB, "5BB5C72CD00B73380123456789ABCDEF", CUP_MAB))
            .isEqualTo(ascii("8F9F166E"));
    }

    @Test
    void x919WithSingleLengthKeyIsX99() {
        final byte[] data = ascii("7654321 Now is the time for ");
        assertThat(mac(MacFunction.X9_19, "0123456789ABCDEF", data))
            .isEqualTo(mac(MacFunction.X9_9, "0123456789ABCDEF", data));
    }

    @Test
    void macIsComputedOverTheGivenRangeOnly() {
        final byte[] frame = new byte[2 + CUP_MAB.length + 8];
        Arrays.fill(frame, (byte) 0x5A);
        System.arraycopy(CUP_MAB, 0, frame, 2, CUP_MAB.length);
        final byte[] out = new byte[12];
        MacFunction.CUP_ECB.compute(DesKey.fromHex("2222222222222222"), frame, 2, CUP_MAB.length, out, 3);
        assertThat(Arrays.copyOfRange(out, 3, 11)).isEqualTo(ascii("E267B6E2"));
        assertThat(out[0]).isZero();
        assertThat(out[11]).isZero();

        final byte[] data = ascii("xxNow is the time for ityy");
        final byte[] x919 = new byte[8];
        MacFunction.X9_19.compute(DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210"), data, 2, 22, x919, 0);
        assertThat(Hex.encode(x919)).isEqualTo("2E2B1428CC78254F");
    }

    @Test
    void zeroPaddingMeansTrailingZerosDoNotChangeTheMac() {
        for (final MacFunction algorithm : MacFunction.values()) {
            final byte[] data = ascii("Now is the time for it");
            final byte[] padded = Arrays.copyOf(data, 24);
            assertThat(mac(algorithm, "0123456789ABCDEFFEDCBA9876543210", data))
                .isEqualTo(mac(algorithm, "0123456789ABCDEFFEDCBA9876543210", padded));
        }
    }

    @Test
    void emptyDataIsOneZeroBlock() {
        for (final MacFunction algorithm : MacFunction.values()) {
            assertThat(mac(algorithm, "0123456789ABCDEF", new byte[0]))
                .isEqualTo(mac(algorithm, "0123456789ABCDEF", new byte[8]));
        }
    }

    @Test
    void verifyAcceptsTheMacAndRejectsAnyChange() {
        final DesKey mak = DesKey.fromHex("5BB5C72CD00B7338");
        final byte[] scratch = new byte[8];
        for (final MacFunction algorithm : MacFunction.values()) {
            final byte[] mac = new byte[10];
            algorithm.compute(mak, CUP_MAB, 0, CUP_MAB.length, mac, 2);
            assertThat(algorithm.verify(mak, CUP_MAB, 0, CUP_MAB.length, mac, 2, scratch)).isTrue();
            for (int bit = 0; bit < 64; bit++) {
                final byte[] damaged = mac.clone();
                damaged[2 + bit / 8] ^= (byte) (1 << (bit % 8));
                assertThat(algorithm.verify(mak, CUP_MAB, 0, CUP_MAB.length, damaged, 2, scratch)).isFalse();
            }
            final byte[] changedData = CUP_MAB.clone();
            changedData[5] ^= 1;
            assertThat(algorithm.verify(mak, changedData, 0, changedData.length, mac, 2, scratch)).isFalse();
            assertThat(algorithm.verify(DesKey.fromHex("2222222222222222"), CUP_MAB, 0, CUP_MAB.length, mac, 2, scratch))
                .isFalse();
        }
    }

    @Test
    void parsesConfigurationNames() {
        assertThat(MacFunction.parse("cup-ecb")).isEqualTo(MacFunction.CUP_ECB);
        assertThat(MacFunction.parse("CUP_ECB")).isEqualTo(MacFunction.CUP_ECB);
        assertThat(MacFunction.parse("x9.19")).isEqualTo(MacFunction.X9_19);
        assertThat(MacFunction.parse(" X919 ")).isEqualTo(MacFunction.X9_19);
        assertThat(MacFunction.parse("x9.9")).isEqualTo(MacFunction.X9_9);
        assertThatThrownBy(() -> MacFunction.parse("hmac"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cup-ecb, x9.19 or x9.9");
    }

    @Test
    void computingAndVerifyingAllocatesNothing() {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final DesKey single = DesKey.fromHex("5BB5C72CD00B7338");
        final DesKey pair = DesKey.fromHex("0123456789ABCDEFFEDCBA9876543210");
        final byte[] data = new byte[300];
        final byte[] mac = new byte[8];
        final byte[] scratch = new byte[8];
        final MacFunction[] algorithms = MacFunction.values(); // values() clones its array on every call
        final Runnable work = () -> {
            for (final MacFunction algorithm : algorithms) {
                algorithm.compute(single, data, 0, data.length, mac, 0);
                algorithm.verify(pair, data, 3, 250, mac, 0, scratch);
            }
        };
        for (int i = 0; i < 1_000; i++) {
            work.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 10_000; i++) {
            work.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        // 60,000 MAC operations: anything per operation would be hundreds of kilobytes.
        assertThat(allocated).isLessThan(4_096);
    }

    /** A terminal's registered algorithm (the ledger's enum) computes with the function of the same name. */
    @Test
    void eachRegisteredAlgorithmHasItsFunction() {
        for (final dev.prepaid.merchant.MacAlgorithm registered : dev.prepaid.merchant.MacAlgorithm.values()) {
            assertThat(MacFunction.of(registered).name()).isEqualTo(registered.name());
        }
    }
}
