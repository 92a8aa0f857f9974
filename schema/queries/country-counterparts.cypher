// title: A country's counterparts, ranked
// description: The states a country shared the most events with, with a count per event type.
// param: country string country:CN
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: limit int 20
MATCH (c:Country {id: $country})-[i:INTERACTED_WITH]-(o:Country)
WHERE i.date IS NULL OR date($start) <= i.date <= date($end)
WITH o, i.type AS type, count(*) AS n
WITH o, sum(n) AS events, collect(type + ':' + toString(n)) AS by_type
RETURN o.iso2 AS counterpart, o.name AS name, events, by_type
ORDER BY events DESC, counterpart
LIMIT $limit
