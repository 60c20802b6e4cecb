WITH r AS (SELECT prompt_version, refused, latency_ms,
  row_number() OVER (PARTITION BY prompt_version ORDER BY latency_ms) AS rn,
  count(*) OVER (PARTITION BY prompt_version) AS n FROM traces)
SELECT prompt_version, count(*) AS traces, round(avg(refused), 4) AS refusal_rate,
  round(avg(latency_ms), 1) AS avg_ms, max(CASE WHEN rn <= ceil(0.95 * n) THEN latency_ms END) AS p95_ms
FROM r GROUP BY prompt_version ORDER BY prompt_version;
