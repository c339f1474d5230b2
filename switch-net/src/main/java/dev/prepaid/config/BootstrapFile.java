package dev.prepaid.config;

import dev.prepaid.card.BuyerKind;
import dev.prepaid.card.PaymentMethod;
import dev.prepaid.card.SalesChannel;
import dev.prepaid.clearing.DayKind;
import dev.prepaid.command.PosKind;
import dev.prepaid.fee.FeeMethod;
import dev.prepaid.merchant.DeployerShareMethod;
import dev.prepaid.merchant.MacAlgorithm;
import dev.prepaid.merchant.MerchantStatus;
import dev.prepaid.merchant.RefundFeePolicy;
import dev.prepaid.merchant.SettlementCycle;
import dev.prepaid.merchant.TerminalStatus;
import dev.prepaid.operator.OperatorStatus;
import dev.prepaid.operator.Role;
import java.util.List;
import java.util.Map;

/**
 * The bootstrap file as Jackson reads it (see {@link Bootstrap} for the meaning of each key). Every component is
 * boxed: an absent key is {@code null} and {@link Bootstrap} applies the default or reports it missing. Amounts
 * are fen ({@code …Fen}), rates parts per million ({@code …Ppm}), dates {@code yyyy-mm-dd}.
 */
record BootstrapFile(
        String businessDate,
        Map<String, Long> parameters,
        List<CalendarDay> calendar,
        List<Issuer> issuers,
        List<CardType> cardTypes,
        List<BinRange> binRanges,
        List<Merchant> merchants,
        List<PointsRule> pointsRules,
        List<Terminal> terminals,
        List<Operator> operators,
        Cards cards) {

    record CalendarDay(String date, DayKind kind) {
    }

    record Issuer(String code, String name, String institutionId) {
    }

    record CardType(
            Integer id,
            String name,
            String issuer,
            Boolean named,
            Long balanceCapFen,
            Long initialBalanceFen,
            Long depositFen,
            Long issuanceFeeFen,
            Long replacementFeeFen,
            Long lostReportFeeFen,
            Boolean rechargeable,
            Integer validityMonths,
            List<PosKind> permitted,
            List<PosKind> pinRequired,
            Integer pinTries,
            Limits limits,
            Integer pointsPerYuan,
            Boolean onSale) {
    }

    record Limits(Long singleFen, Long dailyAmountFen, Integer dailyCount, Long monthlyAmountFen, Integer monthlyCount) {
    }

    record BinRange(String bin, Integer panLength, Integer cardType, Long firstAccount, Long lastAccount) {
    }

    record Merchant(
            String id,
            String name,
            String category,
            MerchantStatus status,
            Settlement settlement,
            RefundFeePolicy refundFeePolicy,
            Boolean rechargeAllowed,
            Bank bank,
            List<FeeRule> feeRules,
            List<DiscountRule> discountRules) {
    }

    record Settlement(SettlementCycle cycle, Integer days, Long thresholdFen) {
    }

    record Bank(String account, String accountName, String bankName, String cnapsCode) {
    }

    record FeeRule(Long id, Integer cardType, List<PosKind> kinds, FeeMethod method, Long ratePpm, Long fixedFen,
            Long minFen, Long capFen, String from, String to, Integer priority) {
    }

    record DiscountRule(Long id, Integer cardType, Long ratePpm, Long minPurchaseFen, Long capFen, String from,
            String to, Integer priority) {
    }

    record PointsRule(Long id, String merchant, Integer cardType, Integer pointsPerYuan, String from, String to,
            Integer priority) {
    }

    record Terminal(String id, String merchant, String serial, TerminalStatus status, MacAlgorithm macAlgorithm,
            String keyReference, Deployer deployer) {
    }

    record Deployer(String code, DeployerShareMethod shareMethod, Long shareRatePpm) {
    }

    record Operator(String id, String name, Role role, String merchantScope, OperatorStatus status, String password,
            String passwordHash) {
    }

    record Cards(List<Generate> generate, List<Sell> sell, List<DemoCard> demo) {
    }

    record Generate(String bin, Integer panLength, Integer count) {
    }

    record Sell(String bin, Integer panLength, Long fromAccount, Integer count, Long faceValueFen,
            PaymentMethod payment, SalesChannel channel, Buyer buyer) {
    }

    record Buyer(BuyerKind kind, String name, String idType, String idNumber) {
    }

    record DemoCard(String pan, String description, Holder holder, String pin, String pinCheck, Long faceValueFen,
            PaymentMethod payment, Bootstrap.CardState state, Integer soldMonthsAgo) {
    }

    record Holder(String name, String idType, String idNumber, String phone) {
    }
}
