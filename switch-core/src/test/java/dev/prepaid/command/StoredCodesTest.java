package dev.prepaid.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.CardStatus;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.ledger.Account;
import dev.prepaid.ledger.AuditTrail;
import dev.prepaid.ledger.Parameters;
import dev.prepaid.ledger.ReviewQueue;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import dev.prepaid.state.StoredName;
import dev.prepaid.state.StoredNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every code that the journal or a snapshot stores for an enum, frozen in {@code formats/stored-codes.txt}:
 * a line is never changed or removed (that would change what old journals mean); a new constant adds a line.
 * The file is checked in both directions, so a new constant cannot be stored without its code being written
 * down here. To append the lines of new constants: {@code mvn -pl switch-core test -Dtest=StoredCodesTest
 * -Dcodes.append=true} (existing lines are never rewritten).
 */
class StoredCodesTest {
    private static final String RESOURCE = "/formats/stored-codes.txt";

    /** Each stored enum, with what it stores for a constant. */
    private static final Map<Class<? extends Enum<?>>, Function<Enum<?>, String>> STORED = new LinkedHashMap<>();

    static {
        STORED.put(Reason.class, e -> Integer.toString(((Reason) e).code));
        STORED.put(PosKind.class, e -> Integer.toString(((PosKind) e).code));
        STORED.put(CommandType.class, e -> Integer.toString(((CommandType) e).code));
        STORED.put(CardStatus.class, e -> Integer.toString(((CardStatus) e).code));
        STORED.put(Account.class, e -> Integer.toString(((Account) e).code));
        STORED.put(Parameters.Name.class, e -> ((Parameters.Name) e).key);
        STORED.put(AuditTrail.TargetKind.class, e -> Integer.toString(((AuditTrail.TargetKind) e).code));
        STORED.put(ReviewQueue.State.class, e -> Integer.toString(((ReviewQueue.State) e).code));
        for (final Class<? extends Enum<?>> named : List.<Class<? extends Enum<?>>>of(Role.class, OperatorStatus.class,
                FeeMethod.class, PaymentMethod.class, BuyerKind.class, SalesChannel.class, RefundFeePolicy.class,
                SettlementCycle.class, MerchantStatus.class, DeployerShareMethod.class, TerminalStatus.class,
                MacAlgorithm.class, DayKind.class, AdminCommand.AdjustmentTarget.class, AdminCommand.CounterAccount.class)) {
            STORED.put(named, e -> ((StoredName) e).storedName());
        }
    }

    @Test
    void everyStoredCodeIsTheOneFrozenAndEveryConstantHasOne() throws IOException {
        final List<String> frozen = frozenLines();
        final List<String> current = currentLines();
        final List<String> missing = new ArrayList<>(current);
        missing.removeAll(frozen);
        if (Boolean.getBoolean("codes.append") && !missing.isEmpty()) {
            Files.write(Path.of("src/test/resources" + RESOURCE), missing, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            frozen.addAll(missing);
            missing.clear();
        }
        final List<String> changed = new ArrayList<>(frozen);
        changed.removeAll(current);
        assertThat(changed)
                .as("stored codes that changed or disappeared (old journals and snapshots hold them): keep each code"
                        + " on a constant of that type; if only a Java name changed, fix that name in " + RESOURCE)
                .isEmpty();
        assertThat(missing).as("constants without a frozen code: add their lines to " + RESOURCE
                + " (-Dcodes.append=true)").isEmpty();
    }

    @Test
    void noTwoConstantsOfATypeStoreTheSameCode() {
        for (final Map.Entry<Class<? extends Enum<?>>, Function<Enum<?>, String>> type : STORED.entrySet()) {
            final List<String> codes = new ArrayList<>();
            for (final Enum<?> constant : type.getKey().getEnumConstants()) {
                codes.add(type.getValue().apply(constant));
            }
            assertThat(codes).as(type.getKey().getSimpleName()).doesNotHaveDuplicates();
        }
    }

    @Test
    void codesReadBackToTheirConstants() {
        for (final Reason reason : Reason.values()) {
            assertThat(Reason.ofCode(reason.code)).isSameAs(reason);
        }
        assertThat(Reason.ofCode(-1)).isNull();
        assertThat(Reason.ofCode(Reason.values().length + 200)).isNull();
        for (final CardStatus status : CardStatus.values()) {
            assertThat(CardStatus.ofCode(status.code)).isSameAs(status);
        }
        for (final AuditTrail.TargetKind kind : AuditTrail.TargetKind.values()) {
            assertThat(AuditTrail.TargetKind.ofCode(kind.code)).isSameAs(kind);
        }
        for (final ReviewQueue.State state : ReviewQueue.State.values()) {
            assertThat(ReviewQueue.State.ofCode(state.code)).isSameAs(state);
        }
        for (final SettlementCycle cycle : SettlementCycle.values()) {
            assertThat(StoredNames.find(SettlementCycle.class, cycle.storedName())).isSameAs(cycle);
        }
        assertThat(StoredNames.find(SettlementCycle.class, "WEEKLY_SOMETIME")).isNull();
    }

    private static List<String> currentLines() {
        final List<String> lines = new ArrayList<>();
        for (final Map.Entry<Class<? extends Enum<?>>, Function<Enum<?>, String>> type : STORED.entrySet()) {
            for (final Enum<?> constant : type.getKey().getEnumConstants()) {
                lines.add(typeName(type.getKey()) + " " + type.getValue().apply(constant) + " " + constant.name());
            }
        }
        return lines;
    }

    private static String typeName(final Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName()
                : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }

    private static List<String> frozenLines() throws IOException {
        try (InputStream in = StoredCodesTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as(RESOURCE).isNotNull();
            final List<String> lines = new ArrayList<>();
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.trim());
                }
            }
            return lines;
        }
    }
}
