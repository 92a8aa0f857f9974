// title: Planned events in a window
// description: Events whose latest report still calls them planned, with a first day in the window (undated ones by the day they were announced).
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (e:Event {status: 'planned'})-[:REPORTED_IN]->(a:Article)
WITH e, min(date(a.published)) AS announced
WHERE date($start) <= coalesce(e.start, announced) <= date($end)
RETURN e.id AS event, e.type AS type, e.start AS start, announced,
       [(x)-[:PARTICIPATED_IN]->(e) | coalesce(x.name, x.id)] AS participants, e.evidence AS evidence
ORDER BY coalesce(start, announced), event
