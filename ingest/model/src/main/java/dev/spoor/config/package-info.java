/**
 * Loading and validating Spoor's HOCON configuration into typed records.
 */
package dev.spoor.config;
