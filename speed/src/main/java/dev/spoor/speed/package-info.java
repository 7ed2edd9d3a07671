/**
 * Speed layer: in-stream routing, gating, decoration and notifications from the batch view.
 */
package dev.spoor.speed;
