/** Dev mode's and the tests' real PostgreSQL, started from a Maven artifact; never active in prod. */
package io.github.klaviyosync.gateway.devservices;
