/**
 * Structured Streaming lander: Kafka topics into partitioned Delta tables, exactly once.
 */
package dev.spoor.ingest.lander;
