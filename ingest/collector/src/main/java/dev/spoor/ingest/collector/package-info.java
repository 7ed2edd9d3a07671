/**
 * HTTP collector: Snowplow tracker protocol and compact batches in, validated and enriched events out to Kafka.
 */
package dev.spoor.ingest.collector;
