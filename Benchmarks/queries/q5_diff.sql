WITH a AS (SELECT input_hash, min(output) AS o, avg(refused) AS r FROM traces
           WHERE prompt_version = 'v1' AND output IS NOT NULL GROUP BY input_hash),
     b AS (SELECT input_hash, min(output) AS o, avg(refused) AS r FROM traces
           WHERE prompt_version = 'v2' AND output IS NOT NULL GROUP BY input_hash)
SELECT count(*) AS inputs, sum(a.o <> b.o) AS changed_output, sum(b.r > a.r) AS refusal_up
FROM a JOIN b USING (input_hash);
