/** The record of every sync: runs with their kind, trigger, progress and outcome. */
package io.github.klaviyosync.gateway.syncrun;
