package dev.prepaid.card;

/** Who bought: a person or an organisation; the cash limits differ. */
public enum BuyerKind {
    PERSON,
    ORGANISATION
}
