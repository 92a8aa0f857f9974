// title: Sources for one event
// description: Every article that reports the event, with its outlet, what it says (type, days, status) and the evidence sentence. Event ids come from the other recipes' event column (e.g. best-sourced-events).
// param: event string
// required: event
// example: -p event=event:00163e3652a86269   (an id from e.g. `kg query best-sourced-events`)
MATCH (e:Event {id: $event})-[r:REPORTED_IN]->(a:Article)
OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source)
RETURN a.published AS published, s.name AS outlet, a.title AS title, a.url AS url,
       r.status AS status, r.start AS start, r.end AS end, r.evidence AS evidence
ORDER BY published, title
