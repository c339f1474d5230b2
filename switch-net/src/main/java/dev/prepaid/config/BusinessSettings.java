package dev.prepaid.config;

import dev.prepaid.payout.Debtor;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The business clock and identity ({@code business} in the configuration).
 *
 * @param timeZone the zone business dates are counted in ("today" of the bootstrap, the daily cut-over)
 * @param cutoverTime local time of day at which the business day ends and the next opens
 * @param holdExpiryCheckSeconds how often the switch sends {@code ExpireHolds}
 * @param acquirerInstitutionId the switch's institution id (1–11 digits) for POS field 32 and the acquirer
 *        part of field 44
 * @param custodyAccount the custody account (1001) that pays merchants: the debtor of every payout file; null when
 *        not configured (then no payout file is written and an export says so)
 * @param clearing whether the switch clears and reconciles each business day after its cut-over on its own thread
 *        (default true); off, days are cleared on demand only (the endpoint, {@code prepaid-admin clearing run})
 */
public record BusinessSettings(ZoneId timeZone, LocalTime cutoverTime, int holdExpiryCheckSeconds,
        String acquirerInstitutionId, Debtor custodyAccount, boolean clearing) {
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("Asia/Shanghai");

    /** Clearing after every cut-over, the default. */
    public BusinessSettings(final ZoneId timeZone, final LocalTime cutoverTime, final int holdExpiryCheckSeconds,
            final String acquirerInstitutionId, final Debtor custodyAccount) {
        this(timeZone, cutoverTime, holdExpiryCheckSeconds, acquirerInstitutionId, custodyAccount, true);
    }

    /** Without a custody account: the switch writes no payout file. */
    public BusinessSettings(final ZoneId timeZone, final LocalTime cutoverTime, final int holdExpiryCheckSeconds,
            final String acquirerInstitutionId) {
        this(timeZone, cutoverTime, holdExpiryCheckSeconds, acquirerInstitutionId, null);
    }
}
