/**
 * What a job tells the program that started it: one JSON line per finished job, so a pipeline runner
 * can print rows and status without parsing logs.
 */
package dev.spoor.report;
