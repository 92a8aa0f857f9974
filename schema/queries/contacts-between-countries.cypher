// title: All contacts between two countries
// description: Every dated event in the range both states took part in (meetings, calls, visits, sanctions ...), newest first. With undated=true, the events without a known day that were first reported in the range follow, labelled "undated, reported YYYY-MM-DD". The dashboard's Relations page lists the same events.
// param: a string country:CN
// param: b string country:US
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: undated bool false
// example: -p a=country:CN -p b=country:RU -p start=2021-01-01 -p end=2021-12-31
MATCH (x:Country {id: $a})-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(y:Country {id: $b})
WITH DISTINCT e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH e, reported ORDER BY e.start IS NULL, e.start DESC, reported DESC, e.id
RETURN e.id AS event, e.type AS type,
       coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS start,
       e.status AS status, e.sources AS sources, e.evidence AS evidence
