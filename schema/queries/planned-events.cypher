// title: Planned events in a window
// description: Events whose latest report still calls them planned, with a first day in the window, soonest first. With undated=true, the planned events without a day that were announced in the window follow, labelled "undated, reported YYYY-MM-DD".
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: undated bool false
MATCH (e:Event {status: 'planned'})-[:REPORTED_IN]->(a:Article)
WITH e, min(date(a.published)) AS announced
WHERE (e.start IS NOT NULL AND date($start) <= e.start <= date($end))
   OR ($undated AND e.start IS NULL AND date($start) <= announced <= date($end))
WITH e, announced ORDER BY e.start IS NULL, e.start, announced, e.id
RETURN e.id AS event, e.type AS type,
       coalesce(toString(e.start), 'undated, reported ' + toString(announced)) AS start, announced,
       [(x)-[:PARTICIPATED_IN]->(e) | coalesce(x.name, x.id)] AS participants, e.evidence AS evidence
