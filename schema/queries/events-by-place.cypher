// title: Events at a place
// description: Dated events in the range held in a city, venue or country (by entity id or English name, any case), oldest first. With undated=true, the undated ones first reported in the range follow, labelled "undated, reported YYYY-MM-DD".
// param: place string place:guilin
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: undated bool false
// example: -p place=Guilin -p start=2021-01-01
MATCH (e:Event)-[:HELD_IN]->(p:Entity)
WHERE p.id = $place OR toLower(p.name) = toLower($place)
WITH DISTINCT p, e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH p, e, reported ORDER BY e.start IS NULL, e.start, reported, e.id
RETURN p.name AS place, e.id AS event, e.type AS type,
       coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS start, e.status AS status,
       [(x)-[:PARTICIPATED_IN]->(e) | coalesce(x.name, x.id)] AS participants
