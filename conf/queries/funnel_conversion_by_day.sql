-- Funnel conversion by entry day: users entering each funnel per day and the share reaching each step.
SELECT funnel, day, step, step_name, users,
       round(100.0 * users / first_value(users) OVER (PARTITION BY funnel, day ORDER BY step), 1) AS pct_of_entered
FROM funnel_daily
ORDER BY funnel, day, step;
