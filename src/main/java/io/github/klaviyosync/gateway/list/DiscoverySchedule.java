package io.github.klaviyosync.gateway.list;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.github.klaviyosync.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * When an account's lists are discovered next: the next fire time of
 * {@code GATEWAY_SYNC_DISCOVERY_CRON} (Quartz syntax, UTC). Stored on the account, it survives
 * restarts, and a fire time missed while no instance ran is caught up at the next tick.
 */
@ApplicationScoped
public class DiscoverySchedule {

    private final ExecutionTime cron;

    DiscoverySchedule(GatewayConfig config) {
        CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
        this.cron = ExecutionTime.forCron(parser.parse(config.sync().discoveryCron()));
    }

    public Instant nextAfter(Instant moment) {
        return cron.nextExecution(ZonedDateTime.ofInstant(moment, ZoneOffset.UTC))
                .map(ZonedDateTime::toInstant)
                .orElseThrow(() -> new IllegalStateException("GATEWAY_SYNC_DISCOVERY_CRON never fires"));
    }
}
