/**
 * HBase state store: versioned batch views with an atomic commit pointer, and their reader.
 */
package dev.spoor.state;
