// title: Who met whom between two dates
// description: Pairs of people taking part in the same dated meeting, visit, call or summit in the range, with the day. With undated=true, the pairs of undated events first reported in the range follow, labelled "undated, reported YYYY-MM-DD".
// param: start date 2021-01-01
// param: end date 2021-12-31
// param: types list MEET,VISIT,CALL,MULTILATERAL
// param: undated bool false
MATCH (a:Person)-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(b:Person)
WHERE a.id < b.id AND e.type IN $types
WITH a, b, e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH a, b, e, reported ORDER BY e.start IS NULL, e.start, reported, a.name
RETURN a.name AS person, b.name AS counterpart, e.type AS type,
       coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS day, e.id AS event
