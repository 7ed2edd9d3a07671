-- Weekly retention cohorts: users by the week of their first session, and how many were active again
-- in each following week (event time).
WITH firsts AS (
  SELECT user_key, date_trunc('week', min(session_start)) AS cohort
  FROM sessions GROUP BY user_key
), activity AS (
  SELECT DISTINCT s.user_key, f.cohort, date_diff('week', f.cohort, date_trunc('week', s.session_start)) AS week
  FROM sessions s JOIN firsts f ON s.user_key = f.user_key
)
SELECT CAST(cohort AS date) AS cohort, week, count(*) AS users,
       round(100.0 * count(*) / max(count(*)) OVER (PARTITION BY cohort), 1) AS pct_of_cohort
FROM activity
GROUP BY cohort, week
ORDER BY cohort, week;
