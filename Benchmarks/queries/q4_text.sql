SELECT intent, count(*) AS n FROM traces WHERE output LIKE '%can''t help%' GROUP BY intent ORDER BY n DESC;
