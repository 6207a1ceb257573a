/**
 * Error answers as {@code application/problem+json}: the exception services throw to choose one, and
 * the mappers that turn every failure into one without a class name or stack trace. Depends on nothing.
 */
package io.github.klaviyosync.gateway.problem;
