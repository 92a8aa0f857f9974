// title: A country's counterparts, ranked
// description: The states a country shared the most dated events with in the range, with a count per event type. With undated=true, a column counts their shared undated events first reported in the range (not in the ranking).
// param: country string country:CN
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: limit int 20
// param: undated bool false
// example: -p country=country:US -p start=2021-01-01 -p end=2021-12-31
MATCH (c:Country {id: $country})-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(o:Country)
WHERE o <> c
WITH DISTINCT o, e, CASE WHEN e.start IS NULL AND $undated THEN
       COLLECT { MATCH (e)-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH o, e.type AS type, count(CASE WHEN e.start IS NOT NULL THEN 1 END) AS n, count(reported) AS undated
WITH o, sum(n) AS events, [t IN collect(CASE WHEN n > 0 THEN type + ':' + toString(n) END) WHERE t IS NOT NULL] AS by_type,
     sum(undated) AS undated
RETURN o.iso2 AS counterpart, o.name AS name, events, by_type, CASE WHEN $undated THEN undated END AS undated
ORDER BY events DESC, undated DESC, counterpart
LIMIT $limit
