// title: An actor's timeline
// description: Every dated event a person, country or organisation took part in within the range, oldest first, with its sources. With undated=true, its events without a known day that were first reported in the range follow, labelled "undated, reported YYYY-MM-DD".
// param: actor string person:wang-yi
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: undated bool false
// example: -p actor=person:wang-yi -p start=2021-01-01 -p end=2021-12-31
MATCH (x:Entity {id: $actor})-[:PARTICIPATED_IN]->(e:Event)
WITH DISTINCT e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH e, reported ORDER BY e.start IS NULL, e.start, reported, e.id
RETURN e.id AS event, e.type AS type,
       coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS start, e.end AS end,
       e.status AS status, e.sources AS sources, e.evidence AS evidence
