package dev.prepaid.workload;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.Pan;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.command.AdminCommand;
import dev.prepaid.command.AdminCommand.*;
import dev.prepaid.command.Ascii;
import dev.prepaid.command.Envelope;
import dev.prepaid.command.PosKind;
import dev.prepaid.command.PosRequest;
import dev.prepaid.command.RecordCodec;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.agrona.MutableDirectBuffer;

/**
 * A business and a stream of commands generated from a seed: encoded exactly as the server would publish
 * them, for the journal's tests and crash tests, replay and recovery benchmarks. The stream is mostly
 * purchases, with balance inquiries, recharges, pre-authorisations, wrong PINs, voids and reversals of
 * earlier purchases (by batch and STAN), counter recharges and day cut-overs. Pure: no I/O, no clock.
 */
public final class Workload {
    public static final String BIN = "88880009";
    public static final int PAN_LENGTH = 16;
    public static final long PIN_CHECK = 0x1234_5678L;
    public static final int FIRST_DATE = 20260105;

    private final int cards;
    private final int terminals;
    private final SplittableRandom random;
    private final PosRequest request = new PosRequest();
    private final int[] stan;
    private final int[] batch;
    private final long[] recentPurchaseStan;
    private final int[] recentPurchaseTerminal;
    private final long[] recentPurchaseAmount;
    private final long[] recentPurchaseCard;
    private int recent;
    private int date = FIRST_DATE;
    private long commandsSinceCutover;
    private long commandsPerDay = 200_000;
    private final int stanBase;
    private final long[] terminalPacked;
    private final long[] merchantHigh;
    private final long[] merchantLow;
    private final long binScale = Pan.powerOfTen(PAN_LENGTH - 1 - BIN.length());
    private final long binValue = Long.parseLong(BIN);

    /**
     * @param stanBase where this stream's STANs start: two streams over one journal (a restarted worker) use
     *        different bases so their requests are new, not duplicates
     */
    public Workload(final int cards, final int terminals, final long seed, final int stanBase) {
        this.cards = cards;
        this.terminals = terminals;
        this.random = new SplittableRandom(seed);
        this.stan = new int[terminals];
        this.batch = new int[terminals];
        this.stanBase = stanBase;
        java.util.Arrays.fill(stan, stanBase);
        java.util.Arrays.fill(batch, 1);
        this.recentPurchaseStan = new long[256];
        this.recentPurchaseTerminal = new int[256];
        this.recentPurchaseAmount = new long[256];
        this.recentPurchaseCard = new long[256];
        final int merchants = Math.max(1, terminals / 10);
        this.terminalPacked = new long[terminals];
        this.merchantHigh = new long[terminals];
        this.merchantLow = new long[terminals];
        for (int t = 0; t < terminals; t++) {
            terminalPacked[t] = Ascii.pack(terminalId(t), 0, 8);
            merchantHigh[t] = Ascii.pack(merchantId(t % merchants), 0, 8);
            merchantLow[t] = Ascii.pack(merchantId(t % merchants), 8, 8);
        }
    }

    /**
     * Commands per business day of the stream (a cut-over after each that many; default 200,000): the clearing
     * benchmark's day is 10,000,000.
     */
    public Workload commandsPerDay(final long commands) {
        if (commands <= 0) {
            throw new IllegalArgumentException("commands per day must be positive, got " + commands);
        }
        this.commandsPerDay = commands;
        return this;
    }

    /** The business date the stream is in now (yyyymmdd). */
    public int date() {
        return date;
    }

    /** Sets the PAN of an account without building strings (the stream runs at millions per second). */
    private PosRequest panOf(final long account) {
        final long body = binValue * binScale + account;
        return request.pan(PAN_LENGTH, body, Pan.luhnCheckDigit(body, PAN_LENGTH - 1));
    }

    public static String terminalId(final int t) {
        return String.format("%08d", 30_000_000 + t);
    }

    /** The audit trail of a workload's ledger. */
    public static final int AUDIT_ENTRIES = 4_096;

    public static String merchantId(final int m) {
        return String.format("9983100489%05d", m);
    }

    public static String pan(final long account) {
        final String body = BIN + String.format("%07d", account);
        return body + Pan.luhnCheckDigit(Long.parseLong(body), body.length());
    }

    /**
     * The commands that set the business up (and sign every terminal on), each encoded into a byte array. The first
     * opens the audit trail, as a switch does at its first start, so its set-up is in the trail.
     */
    public List<byte[]> setup() {
        final List<AdminCommand> admin = new ArrayList<>();
        admin.add(new OpenAuditTrail(AUDIT_ENTRIES));
        admin.add(new Cutover(FIRST_DATE));
        admin.add(new UpsertIssuer("WL", "Workload issuer", "00020000"));
        admin.add(new UpsertCardType(1, "Workload gift card", "WL", false, 0, 0, 0, 0, 0, 0, true, 36,
                PosKind.allPermissionControlled(), 0, 3, 0, 0, 0, 0,
                0, 1, true));
        admin.add(new UpsertBinRange(BIN, PAN_LENGTH, 1, 0, 9_999_999));
        final int merchants = Math.max(1, terminals / 10);
        for (int m = 0; m < merchants; m++) {
            admin.add(new UpsertMerchant(merchantId(m), "Workload shop " + m, "5411", MerchantStatus.ACTIVE,
                    SettlementCycle.T_PLUS_1, 1, 0, RefundFeePolicy.PROPORTIONAL, true, "6222000011112222", "Shop",
                    "ICBC", "102100000001"));
            admin.add(new PutFeeRule(m + 1, merchantId(m), 0, PosKind.mask(PosKind.PURCHASE, PosKind.COMPLETION), 0, 0, 1,
                    FeeMethod.PERCENT_MIN_CAP, 3_500, 0, 1, 1_300));
        }
        for (int t = 0; t < terminals; t++) {
            admin.add(new UpsertTerminal(terminalId(t), merchantId(t % merchants), "SN" + t, TerminalStatus.ACTIVE,
                    MacAlgorithm.CUP_ECB, "tmk." + t, "", DeployerShareMethod.NONE, 0));
        }
        admin.add(new UpsertOperator("clerk", "Clerk", Role.CLERK, "", OperatorStatus.ACTIVE, "x"));
        for (int generated = 0; generated < cards; generated += 1_000_000) {
            admin.add(new GenerateCards(BIN, PAN_LENGTH, Math.min(1_000_000, cards - generated)));
        }
        for (int sold = 0; sold < cards; sold += 1_000) {
            admin.add(new SellCards(pan(sold), Math.min(1_000, cards - sold), 50_000, PaymentMethod.BANK_TRANSFER,
                    SalesChannel.COUNTER, BuyerKind.ORGANISATION, "Buyer", "USCC", "9131", "", "", "", ""));
        }
        for (int c = 0; c < Math.min(cards, 64); c++) {
            admin.add(new SetPin(pan(c), PIN_CHECK));
        }
        final List<byte[]> encoded = new ArrayList<>();
        final org.agrona.ExpandableArrayBuffer buffer = new org.agrona.ExpandableArrayBuffer(4096);
        for (final AdminCommand command : admin) {
            final String operator = command instanceof SellCards || command instanceof SetPin ? "clerk" : "system";
            final int length = RecordCodec.encode(new Envelope(operator, 0, "workload", ""), command, buffer, 0);
            final byte[] bytes = new byte[length];
            buffer.getBytes(0, bytes);
            encoded.add(bytes);
        }
        for (int t = 0; t < terminals; t++) {
            final org.agrona.concurrent.UnsafeBuffer pos = new org.agrona.concurrent.UnsafeBuffer(new byte[PosRequest.LENGTH]);
            request.wrapForEncode(pos, 0).kind(PosKind.SIGN_ON).terminalId(terminalId(t)).merchantId(merchantId(t % merchants));
            encoded.add(pos.byteArray());
        }
        return encoded;
    }

    /** Writes the next command of the stream at {@code offset}; returns its length. */
    public int next(final MutableDirectBuffer buffer, final int offset) {
        commandsSinceCutover++;
        if (commandsSinceCutover >= commandsPerDay) {
            commandsSinceCutover = 0;
            date = dev.prepaid.time.CivilDate.yyyymmdd(dev.prepaid.time.CivilDate.epochDay(date) + 1);
            return RecordCodec.encode(new Envelope("system", 0, "workload", ""), new Cutover(date), buffer, offset);
        }
        final int roll = random.nextInt(1000);
        if (roll < 2 && recent > 0) {
            return reverseOrVoid(buffer, offset, roll == 0);
        }
        if (roll < 4) {
            return RecordCodec.encode(new Envelope("clerk", 0, "workload", ""), new RechargeCards(pan(random.nextInt(cards)), 1,
                    100 + random.nextInt(500), PaymentMethod.CASH, SalesChannel.COUNTER), buffer, offset);
        }
        final int t = random.nextInt(terminals);
        final long account = random.nextInt(cards);
        request.wrapForEncode(buffer, offset).terminalId(terminalPacked[t]).merchantId(merchantHigh[t], merchantLow[t])
                .batch(batch[t]).stan(nextStan(t)).entryMode(21);
        panOf(account);
        if (roll < 60) {
            request.kind(PosKind.BALANCE_INQUIRY);
            if (account < 64) {
                request.pinCheck(PIN_CHECK);
            }
        } else if (roll < 90) {
            request.kind(PosKind.RECHARGE).amount(100 + random.nextInt(900));
        } else if (roll < 100) {
            request.kind(PosKind.PREAUTH).amount(100 + random.nextInt(900)).conditionCode(6);
            if (account < 64) {
                request.pinCheck(PIN_CHECK);
            }
        } else {
            final long amount = 1 + random.nextInt(300);
            request.kind(PosKind.PURCHASE).amount(amount);
            if (account < 64) {
                request.pinCheck(roll < 110 ? PIN_CHECK + 1 : PIN_CHECK);
            }
            final int slot = recent++ & 255;
            recentPurchaseStan[slot] = stan[t];
            recentPurchaseTerminal[slot] = t;
            recentPurchaseAmount[slot] = amount;
            recentPurchaseCard[slot] = account;
        }
        return PosRequest.LENGTH;
    }

    private int nextStan(final int t) {
        stan[t] = stan[t] >= 999_999 ? 1 : stan[t] + 1;
        return stan[t];
    }

    private int reverseOrVoid(final MutableDirectBuffer buffer, final int offset, final boolean reversal) {
        final int slot = random.nextInt(Math.min(recent, 256));
        final int t = recentPurchaseTerminal[slot];
        request.wrapForEncode(buffer, offset).terminalId(terminalPacked[t]).merchantId(merchantHigh[t], merchantLow[t])
                .amount(recentPurchaseAmount[slot]);
        panOf(recentPurchaseCard[slot]);
        if (reversal) {
            request.kind(PosKind.REVERSAL).originalKind(PosKind.PURCHASE).batch(batch[t])
                    .stan((int) recentPurchaseStan[slot]).reversalReason('9', '8');
        } else {
            request.kind(PosKind.PURCHASE_VOID).batch(batch[t]).stan(nextStan(t))
                    .original(batch[t], (int) recentPurchaseStan[slot], 0);
        }
        return PosRequest.LENGTH;
    }

    public int stanBase() {
        return stanBase;
    }
}
