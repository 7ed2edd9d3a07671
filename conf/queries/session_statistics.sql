-- Sessions per day: count, users, median and p90 duration, events per session, bounce rate.
SELECT session_date, count(*) AS sessions, count(DISTINCT user_key) AS users,
       round(approx_percentile(duration_seconds, 0.5), 1) AS median_seconds,
       round(approx_percentile(duration_seconds, 0.9), 1) AS p90_seconds,
       round(avg(event_count), 2) AS events_per_session,
       round(100.0 * count_if(event_count = 1) / count(*), 1) AS bounce_pct
FROM sessions
GROUP BY session_date
ORDER BY session_date;
