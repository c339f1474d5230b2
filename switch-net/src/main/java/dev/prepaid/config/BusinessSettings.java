package dev.prepaid.config;

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
 */
public record BusinessSettings(ZoneId timeZone, LocalTime cutoverTime, int holdExpiryCheckSeconds,
        String acquirerInstitutionId) {
    public static final ZoneId DEFAULT_TIME_ZONE = ZoneId.of("Asia/Shanghai");
}
