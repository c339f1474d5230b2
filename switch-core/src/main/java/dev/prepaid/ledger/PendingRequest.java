package dev.prepaid.ledger;

import dev.prepaid.command.AdminCommand;

/**
 * A request that needs a second operator (maker-checker): a manual adjustment, a balance transfer or a
 * settlement batch. Applied only at approval, after checking every rule again against the state then.
 */
public final class PendingRequest {
    public static final int WAITING = 0;
    public static final int APPROVED = 1;
    public static final int REJECTED = 2;

    private final long id;
    private final String maker;
    private final int createdDay;
    /** The adjustment or transfer, or null for a settlement (whose batch has this id). */
    private final AdminCommand request;
    private int state;
    private String checker = "";

    public PendingRequest(final long id, final String maker, final int createdDay, final AdminCommand request) {
        this.id = id;
        this.maker = maker;
        this.createdDay = createdDay;
        this.request = request;
    }

    public long id() {
        return id;
    }

    public String maker() {
        return maker;
    }

    public int createdDay() {
        return createdDay;
    }

    public AdminCommand request() {
        return request;
    }

    public boolean isSettlement() {
        return request == null;
    }

    public int state() {
        return state;
    }

    public String checker() {
        return checker;
    }

    public void decide(final int newState, final String checkerId) {
        this.state = newState;
        this.checker = checkerId;
    }
}
