/** Bearer-token authentication of the status and admin API ({@code /api/*}); webhooks and {@code /q/*} prove themselves otherwise. */
package io.github.klaviyosync.gateway.auth;
