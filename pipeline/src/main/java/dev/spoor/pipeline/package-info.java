/**
 * Spoor's pipelines: the graph of jobs declared in {@code conf/pipelines.json} ({@code config}), its
 * order and the jobs downstream of one ({@code graph}), and the local runner behind
 * {@code bin/spoor run} ({@code run}). Airflow reads the same file (airflow/).
 */
package dev.spoor.pipeline;
