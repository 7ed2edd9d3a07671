/**
 * Benchmarks: measured throughput and latency, written to docs/BENCHMARKS.md.
 */
package dev.spoor.bench;
