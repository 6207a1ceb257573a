/** Read-side queries behind the status API: each resolves the account and list it is given (404) and reads in one session. */
package io.github.klaviyosync.gateway.status.query;
