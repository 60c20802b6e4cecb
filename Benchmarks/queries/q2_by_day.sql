WITH r AS (SELECT substr(ts, 1, 10) AS day, prompt_version, refused, latency_ms,
  row_number() OVER (PARTITION BY substr(ts, 1, 10), prompt_version ORDER BY latency_ms) AS rn,
  count(*) OVER (PARTITION BY substr(ts, 1, 10), prompt_version) AS n FROM traces)
SELECT day, prompt_version, count(*) AS traces, round(avg(refused), 4) AS refusal_rate,
  round(avg(latency_ms), 1) AS avg_ms, max(CASE WHEN rn <= ceil(0.95 * n) THEN latency_ms END) AS p95_ms
FROM r GROUP BY day, prompt_version ORDER BY day, prompt_version;
