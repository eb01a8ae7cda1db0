package org.janussfu.admin;

/**
 * Settings of the event sink (immutable, validated by the configuration loader): whether it runs, the HTTP(S) URL
 * its batches are POSTed to, the bound of its queue (events beyond it are dropped and counted), the events per
 * batch, the flush interval and the timeout of one POST.
 */
public record EventSinkConfig(boolean enabled, String url, int maxQueue, int batchSize, int flushIntervalMillis,
                              int requestTimeoutMillis) {
}
