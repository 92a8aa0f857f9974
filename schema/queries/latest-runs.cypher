// title: Latest runs and their failures
// description: The most recent kg load / kg update runs with their counts and the first failures.
// param: limit int 5
MATCH (r:Run)
RETURN r.id AS run, r.command AS command, r.started AS started, r.finished AS finished,
       r.articles AS articles, r.failed AS failed, coalesce(r.errors, [])[0..5] AS first_errors
ORDER BY started DESC
LIMIT $limit
