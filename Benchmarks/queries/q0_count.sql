SELECT count(*) FROM traces;
