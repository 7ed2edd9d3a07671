-- Why events were rejected: failure type and first error, per arrival day, with one example payload.
SELECT arrival_date, failure_type, element_at(errors, 1) AS first_error, count(*) AS rows,
       arbitrary(substr(payload, 1, 80)) AS example
FROM bad_events
GROUP BY 1, 2, 3
ORDER BY arrival_date DESC, rows DESC
LIMIT 50;
