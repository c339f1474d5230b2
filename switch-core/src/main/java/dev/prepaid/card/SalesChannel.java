package dev.prepaid.card;

/** Where a card was sold or recharged. Agents are limited in face value. */
public enum SalesChannel {
    COUNTER,
    AGENT
}
