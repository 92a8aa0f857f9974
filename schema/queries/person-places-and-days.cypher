// title: Where and when a person was
// description: The places and days of one person's dated events in the range (any event type), oldest first, with the event and who else took part; an event without a stated place has an empty place. With undated=true, the undated ones first reported in the range follow, labelled "undated, reported YYYY-MM-DD".
// param: person string person:wang-yi
// param: start date 2021-01-01
// param: end date 2021-12-31
// param: undated bool false
// example: -p person=person:wang-yi -p start=2021-03-01 -p end=2021-03-31
MATCH (p:Person {id: $person})-[:PARTICIPATED_IN]->(e:Event)
WITH DISTINCT p, e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH p, e, reported ORDER BY e.start IS NULL, e.start, reported, e.id
RETURN coalesce(toString(e.start), 'undated, reported ' + toString(reported)) AS day, e.end AS end,
       COLLECT { MATCH (e)-[:HELD_IN]->(pl) RETURN coalesce(pl.name, pl.id) }[0] AS place,
       e.type AS type, e.status AS status,
       [(x)-[:PARTICIPATED_IN]->(e) WHERE x <> p | coalesce(x.name, x.id)] AS with, e.id AS event
