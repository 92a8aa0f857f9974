// title: Planned events that happened
// description: Events first reported as planned and later reported held, with a first day in the window and the days from the first announcement to that day (events without a known day have none to count).
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (e:Event {status: 'occurred'})
WHERE e.start IS NOT NULL AND date($start) <= e.start <= date($end)
  AND e.planned_reported IS NOT NULL AND e.planned_reported <= e.start
RETURN e.id AS event, e.type AS type, e.planned_reported AS announced, e.start AS start,
       duration.inDays(e.planned_reported, e.start).days AS days_ahead, e.occurred_reported AS reported_held,
       [(x)-[:PARTICIPATED_IN]->(e) | coalesce(x.name, x.id)] AS participants, e.sources AS sources,
       e.evidence AS evidence
ORDER BY start, event
