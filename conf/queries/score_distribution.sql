-- Score distribution in 50-point bands, with the most common first reason code in each band.
SELECT 300 + 50 * floor((score - 300) / 50) AS band_from, count(*) AS users,
       round(avg(score), 0) AS avg_score,
       max_by(reason, n) AS top_reason
FROM (
  SELECT s.score, s.reason_codes[1] AS reason,
         count(*) OVER (PARTITION BY 300 + 50 * floor((s.score - 300) / 50), s.reason_codes[1]) AS n
  FROM user_scores s WHERE cardinality(s.reason_codes) > 0
  UNION ALL
  SELECT s.score, NULL, 0 FROM user_scores s WHERE cardinality(s.reason_codes) = 0
)
GROUP BY 1
ORDER BY 1;
