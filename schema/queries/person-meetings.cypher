// title: A person's meetings, with dates
// description: Each dated meeting, visit, call or summit of one person in the range with the other people present, the day and place, newest first (person-contacts gives the counts). With undated=true, the undated ones first reported in the range follow, labelled "undated, reported YYYY-MM-DD".
// param: person string person:wang-yi
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: types list MEET,VISIT,CALL,MULTILATERAL
// param: undated bool false
// example: -p person=person:wang-yi -p start=2021-01-01 -p end=2021-12-31
MATCH (p:Person {id: $person})-[:PARTICIPATED_IN]->(e:Event)
WHERE e.type IN $types
WITH DISTINCT p, e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH p, e, reported ORDER BY e.start IS NULL, e.start DESC, reported DESC, e.id
RETURN coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS day, e.type AS type,
       [(o:Person)-[:PARTICIPATED_IN]->(e) WHERE o <> p | o.name] AS met,
       COLLECT { MATCH (e)-[:HELD_IN]->(pl) RETURN coalesce(pl.name, pl.id) }[0] AS place,
       e.status AS status, e.sources AS sources, e.id AS event
