SELECT trace_id, ts, round(latency_ms, 1) AS latency_ms, intent, input_tokens FROM traces
WHERE model = 'gpt-4.1-2025-04-14' AND ts >= '2026-11-09T00:00:00' AND ts < '2026-11-11T00:00:00'
ORDER BY latency_ms DESC LIMIT 20;
