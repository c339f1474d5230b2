package dev.prepaid.card;

/** The identity of a named card's holder (real-name rules). Never logged in clear. */
public record Holder(String name, String idType, String idNumber, String phone) {
}
