package dev.prepaid.pos;

import dev.prepaid.iso8583.Dialect;
import dev.prepaid.security.DesKey;
import dev.prepaid.security.KeyLayout;
import dev.prepaid.security.MacFunction;
import dev.prepaid.security.WorkingKeys;
import dev.prepaid.testing.ProjectFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** The shipped dialect, the sign-on vector of test-vectors.md, and terminals wired to a {@link FakeSwitch}. */
final class PosTestSupport {
    /** test-vectors.md "Sign-on key download". */
    static final DesKey TMK = DesKey.fromHex("CA5D92598DCA48CE8A4C76361A9269E9");
    static final String PIK_CLEAR = "807A23AD32B36D457AE91FDF927570EA";
    static final String MAK_CLEAR = "5BB5C72CD00B7338";
    static final String PIK_KCV = "8D0A74B8";
    static final String MAK_KCV = "AB7153CA";
    static final WorkingKeys VECTOR_KEYS = WorkingKeys.of(KeyLayout.DOUBLE_LENGTH, DesKey.fromHex(PIK_CLEAR),
            DesKey.fromHex(MAK_CLEAR), null);

    /** test-vectors.md PIN block vector: PIN 123456, PAN 6228480402564890018 → 06123054A9B76FFE. */
    static final String PAN = "6228480402564890018";
    static final String PIN = "123456";
    static final String CLEAR_PIN_BLOCK = "06123054A9B76FFE";

    static final String TERMINAL = "10000001";
    static final String MERCHANT = "898310048990001";
    /** 2026-11-23, the date of 61.3 when the switch gives none. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T02:00:00Z"), ZoneOffset.UTC);

    private static Dialect dialect;

    private PosTestSupport() {
    }

    static Path dialectPath() {
        return ProjectFiles.path(Dialect.DEFAULT_PATH);
    }

    static synchronized Dialect dialect() {
        if (dialect == null) {
            dialect = Dialect.load(dialectPath());
        }
        return dialect;
    }

    static FakeSwitch fakeSwitch() throws java.io.IOException {
        return fakeSwitch(KeyLayout.DOUBLE_LENGTH, MacFunction.CUP_ECB);
    }

    static FakeSwitch fakeSwitch(final KeyLayout layout, final MacFunction mac) throws java.io.IOException {
        return new FakeSwitch(dialect(), TMK, layout, mac);
    }

    /** A terminal on the fake switch: 2 s to answer, no automatic sign-on unless asked. */
    static PosTerminal.Builder terminal(final FakeSwitch fake) {
        return PosTerminal.builder(dialect()).terminalId(TERMINAL).merchantId(MERCHANT).tmk(TMK)
                .switchAddress("127.0.0.1", fake.port()).readTimeout(Duration.ofSeconds(2)).autoSignOn(false)
                .clock(CLOCK);
    }

    static Card manualCard() {
        return Card.manual(PAN, 2712).withPin(PIN);
    }
}
