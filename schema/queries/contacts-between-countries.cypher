// title: All contacts between two countries
// description: Every event both states took part in (meetings, calls, visits, sanctions ...), newest first, via INTERACTED_WITH.
// param: a string country:CN
// param: b string country:US
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (x:Country {id: $a})-[i:INTERACTED_WITH]-(y:Country {id: $b})
WHERE i.date IS NULL OR date($start) <= i.date <= date($end)
MATCH (e:Event {id: i.event})
RETURN e.id AS event, e.type AS type, e.start AS start, e.status AS status, e.sources AS sources,
       e.evidence AS evidence
ORDER BY start DESC, event
