package dev.prepaid.command;

/**
 * Who asked for an operator command, from where and why. The journal keeps it with the command, so every
 * change to the business can be traced to a person (or to the switch itself).
 *
 * @param operatorId the authenticated operator ({@code system} for the switch's own commands)
 * @param requestId the client's id for this request: a repeat gets the first answer
 * @param source where the request came from (address of the admin client, "bootstrap", "timer")
 * @param note the operator's reason, free text
 */
public record Envelope(@Field(1) String operatorId, @Field(2) long requestId, @Field(3) String source, @Field(4) String note) {
}
