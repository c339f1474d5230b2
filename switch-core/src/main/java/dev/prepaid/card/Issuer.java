package dev.prepaid.card;

/**
 * The institution that issues cards (the operator itself, or a partner under its licence).
 *
 * @param code short code operators use
 * @param name display name
 * @param institutionId up to 11 characters, sent in POS field 44 as the issuer id
 */
public record Issuer(String code, String name, String institutionId) {
}
