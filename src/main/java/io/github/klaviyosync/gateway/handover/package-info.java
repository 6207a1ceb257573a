/**
 * The handover on SIGTERM: this instance stops claiming work, lets what runs stop at its next commit
 * and releases its leases and claims, so another instance takes them over at its next tick. Sits at
 * the bottom (it knows only the config); the packages that hold leases implement its step.
 */
package io.github.klaviyosync.gateway.handover;
