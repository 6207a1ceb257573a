/** The gateway's typed configuration ({@code gateway.*}, one environment variable per value). */
package io.github.klaviyosync.gateway.config;
