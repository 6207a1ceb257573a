/**
 * A strict, stateful Klaviyo simulator for tests, dev mode's demo and benchmarks (never in the
 * packaged application: the build moves this package out). Start from {@link
 * io.github.klaviyosync.gateway.simulator.KlaviyoSimulator}: accounts by API key with lists,
 * profiles and members that change (contact details, consent, merges, renames), rate limits per
 * operation or per tier with the merchant's other tools, injectable faults and counters; tests {@code @Inject} it
 * (served at {@code /klaviyo-sim}), benchmarks run {@link io.github.klaviyosync.gateway.simulator.SimulatorMain},
 * and dev mode's demo is {@link io.github.klaviyosync.gateway.simulator.DemoMode}.
 */
package io.github.klaviyosync.gateway.simulator;
