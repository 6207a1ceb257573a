package io.github.klaviyosync.gateway.account;

/**
 * An account together with its flow token in plaintext: only the answers of connect and of a flow
 * token rotation carry it, since the database keeps just its hash.
 */
public record ConnectedAccount(Account account, String flowToken) {

    @Override
    public String toString() {
        return "ConnectedAccount[" + account + ", flowToken=***]";
    }
}
