// title: Events at a place
// description: Events held in a city, venue or country (by entity id or English name), oldest first.
// param: place string place:guilin
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (e:Event)-[:HELD_IN]->(p:Entity)
WHERE (p.id = $place OR p.name = $place) AND (e.start IS NULL OR date($start) <= e.start <= date($end))
RETURN p.name AS place, e.id AS event, e.type AS type, e.start AS start, e.status AS status,
       [(x)-[:PARTICIPATED_IN]->(e) | coalesce(x.name, x.id)] AS participants
ORDER BY start, event
