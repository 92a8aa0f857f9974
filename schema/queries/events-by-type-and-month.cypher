// title: Events by type and month
// description: How many events of each type happened per month (undated events left out), optionally for one country.
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: country string
MATCH (e:Event)
WHERE e.start IS NOT NULL AND date($start) <= e.start <= date($end)
  AND ($country IS NULL OR EXISTS { (:Country {id: $country})-[:PARTICIPATED_IN]->(e) })
RETURN substring(toString(e.start), 0, 7) AS month, e.type AS type, count(*) AS events
ORDER BY month, type
