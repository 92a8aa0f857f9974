// title: Events with the most sources
// description: Events reported by the most articles (the ones resolution merged across outlets), with the outlets.
// param: min_sources int 2
// param: limit int 25
MATCH (e:Event)-[:REPORTED_IN]->(a:Article)
OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source)
WITH e, count(DISTINCT a) AS sources, collect(DISTINCT s.name) AS outlets
WHERE sources >= $min_sources
RETURN e.id AS event, e.type AS type, e.start AS start, e.status AS status, sources, outlets, e.evidence AS evidence
ORDER BY sources DESC, start, event
LIMIT $limit
