package dev.prepaid.bench;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.Outcome;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.Reason;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Ledger;
import dev.prepaid.ledger.LedgerConfig;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.util.SplittableRandom;
import org.agrona.ExpandableArrayBuffer;

/**
 * A ledger loaded with a business of {@code cards} sold anonymous cards, {@code terminals} signed-on
 * terminals at 10 merchants with a percentage fee rule, built through ordinary commands — the state the
 * benchmarks measure against.
 */
public final class LoadedLedger {
    public static final String BIN = "88880003";
    public static final int PAN_LENGTH = 19;
    public static final long FACE_VALUE = 100_000;
    public static final long START_MILLIS = 1_795_392_000_000L;

    public final Ledger ledger;
    public final int cards;
    public final long[] terminalIds;
    public final long[] merchantHigh;
    public final long[] merchantLow;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final Outcome out = new Outcome();
    private long clock = START_MILLIS;

    public LoadedLedger(final int cards, final int terminals, final int transactionLog) {
        this.cards = cards;
        final LedgerConfig config = new LedgerConfig(cards, transactionLog, 100_000, 100, Math.max(terminals, 16), 16, 16, 8,
                100, 100, 1024, 1024, 64, 100_000);
        this.ledger = new Ledger(config);
        this.terminalIds = new long[terminals];
        this.merchantHigh = new long[terminals];
        this.merchantLow = new long[terminals];
        system(new Cutover(20261123));
        system(new UpsertIssuer("ISS", "Bench issuer", "00010000"));
        system(new UpsertCardType(1, "Gift", "ISS", false, 0, 0, 0, 0, 0, 0, true, 36, PosKind.allPermissionControlled(),
                0, 3, 0, 0, 0, 0, 0, 1, true));
        system(new UpsertBinRange(BIN, PAN_LENGTH, 1, 0, 9_999_999_999L));
        for (int m = 0; m < 10; m++) {
            final String merchant = merchantId(m);
            system(new UpsertMerchant(merchant, "Shop " + m, "5411", MerchantStatus.ACTIVE, SettlementCycle.T_PLUS_1, 1, 0,
                    RefundFeePolicy.PROPORTIONAL, true, "6222000011112222", "Shop", "ICBC", "102100000001"));
            system(new PutFeeRule(m + 1, merchant, 0, PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION), 0, 0, 1,
                    FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 1, 1_300));
        }
        for (int t = 0; t < terminals; t++) {
            final String id = String.format("%08d", 10_000_000 + t);
            final String merchant = merchantId(t % 10);
            system(new UpsertTerminal(id, merchant, "SN" + id, TerminalStatus.ACTIVE, MacAlgorithm.CUP_ECB, "tmk", "agent1",
                    DeployerShareMethod.FEE_RATIO, 200_000));
            terminalIds[t] = Ascii.pack(id, 0, 8);
            merchantHigh[t] = Ascii.pack(merchant, 0, 8);
            merchantLow[t] = Ascii.pack(merchant, 8, 8);
        }
        system(new UpsertOperator("clerk", "Clerk", Role.CLERK, "", OperatorStatus.ACTIVE, "x"));
        for (int generated = 0; generated < cards; generated += 1_000_000) {
            system(new GenerateCards(BIN, PAN_LENGTH, Math.min(1_000_000, cards - generated)));
        }
        for (int sold = 0; sold < cards; sold += 100_000) {
            final int count = Math.min(100_000, cards - sold);
            admin("clerk", new SellCards(pan(sold), count, FACE_VALUE, PaymentMethod.BANK_TRANSFER, SalesChannel.COUNTER,
                    BuyerKind.ORGANISATION, "Buyer Ltd", "USCC", "91310000MA1FL00000", "", "", "", ""));
            expectApproved("sell " + sold);
        }
        final PosRequest request = new PosRequest();
        for (int t = 0; t < terminals; t++) {
            request.wrapForEncode(buffer, 0).kind(PosKind.SIGN_ON).terminalId(terminalIds[t])
                    .merchantId(merchantHigh[t], merchantLow[t]);
            apply(PosRequest.LENGTH);
            expectApproved("sign on");
        }
    }

    private static String merchantId(final int m) {
        return String.format("8983100489%05d", m);
    }

    public static long panBody(final long account) {
        return Long.parseLong(BIN) * Pan.powerOfTen(PAN_LENGTH - 1 - BIN.length()) + account;
    }

    public static String pan(final long account) {
        return Pan.toDigits(Pan.key(PAN_LENGTH, panBody(account)));
    }

    /** Bodies and check digits of {@code n} cards chosen at random (a fixed seed), for request generation. */
    public void randomCards(final int n, final long[] bodies, final byte[] checkDigits) {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            final long body = panBody(random.nextInt(cards));
            bodies[i] = body;
            checkDigits[i] = (byte) Pan.luhnCheckDigit(body, PAN_LENGTH - 1);
        }
    }

    private void system(final AdminCommand command) {
        admin("system", command);
        expectApproved(command.getClass().getSimpleName());
    }

    private void admin(final String operator, final AdminCommand command) {
        apply(RecordCodec.encode(new Envelope(operator, 0, "bench", ""), command, buffer, 0));
    }

    private void apply(final int length) {
        ledger.apply(buffer, 0, length, clock++, out);
    }

    private void expectApproved(final String what) {
        if (out.reason != Reason.APPROVED) {
            throw new IllegalStateException(what + " was declined: " + out);
        }
    }

    public long clock() {
        return clock;
    }
}
