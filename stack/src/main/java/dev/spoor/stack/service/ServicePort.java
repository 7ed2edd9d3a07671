package dev.spoor.stack.service;

/** A port a service binds, and what it is for. */
public record ServicePort(String role, String host, int port) {}
