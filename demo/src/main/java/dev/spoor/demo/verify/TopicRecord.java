package dev.spoor.demo.verify;

/** One Kafka record as verify reads it: where it is, its key and its value as text. */
public record TopicRecord(String topic, int partition, long offset, String key, String value) {}
