package io.github.klaviyosync.gateway.privacy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.klaviyosync.gateway.simulator.SimulatedAccount;
import io.github.klaviyosync.gateway.testsupport.CapturedLogs;
import io.github.klaviyosync.gateway.testsupport.Eventually;
import io.github.klaviyosync.gateway.testsupport.TestAccounts;
import io.github.klaviyosync.gateway.testsupport.TestDatabase;
import io.github.klaviyosync.gateway.testsupport.TestSecrets;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * Klaviyo's error details can quote what was asked, a filter with an email or a phone number in it.
 * They reach the log and a failed run's stored error only through the log mask.
 */
@QuarkusTest
class KlaviyoErrorDetailsMaskedTest {

    @Inject
    TestAccounts accounts;

    @Test
    void aRefusedRequestWhoseDetailQuotesAnEmailAndAPhoneLeavesNeitherInTheLogOrTheRunsError() throws Exception {
        String email = TestSecrets.email();
        String phone = TestSecrets.phone();
        SimulatedAccount klaviyo = accounts.klaviyoAccount();
        String listId = klaviyo.createList("Quoted filter");
        klaviyo.addMembers(listId, 3, Instant.now().minus(1, ChronoUnit.HOURS));
        klaviyo.faults().failMembersPage(listId, 1, 400, 1_000,
                "Invalid filter: any(email,[\"" + email + "\"]) or equals(phone_number,\"" + phone + "\") is not supported.");

        List<LogRecord> records = new ArrayList<>();
        String error = CapturedLogs.capturing(records, () -> {
            UUID accountId = accounts.register(klaviyo);
            Eventually.until(Duration.ofSeconds(60), "the list's sync fails", () -> failedRunError(accountId, listId) != null);
            return failedRunError(accountId, listId);
        });

        assertTrue(error.contains("Invalid filter") && error.contains(LogMask.email(email)) && error.contains(LogMask.phone(phone)),
                "the stored error keeps Klaviyo's words, masked: " + error);
        assertFalse(error.contains(email) || error.contains(phone) || error.contains(TestSecrets.MARKER), error);
        List<String> logged;
        synchronized (records) {
            logged = records.stream().map(KlaviyoErrorDetailsMaskedTest::text).toList();
        }
        assertTrue(logged.stream().anyMatch(line -> line.contains("Invalid filter") && line.contains(LogMask.email(email))),
                "the failure is logged, masked: " + logged);
        for (String line : logged) {
            assertFalse(line.contains(email) || line.contains(phone) || line.contains(TestSecrets.MARKER), line);
        }
    }

    private static String failedRunError(UUID accountId, String listId) {
        return (String) TestDatabase.value("""
                select r.error from sync_run r join klaviyo_list l on l.id = r.list_id
                 where l.account_id = ? and l.klaviyo_list_id = ? and r.status = 'failed'
                 order by r.id limit 1""", accountId, listId);
    }

    /** Everything a record would print: its formatted message, its parameters and its exceptions' messages. */
    private static String text(LogRecord record) {
        StringBuilder text = new StringBuilder(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        text.append(' ').append(Arrays.toString(record.getParameters()));
        for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
            text.append(' ').append(thrown);
        }
        return text.toString();
    }
}
