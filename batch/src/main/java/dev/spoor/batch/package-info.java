/**
 * Batch layer: spark-submit jobs from the immutable lake to the gold tables and the batch view.
 */
package dev.spoor.batch;
