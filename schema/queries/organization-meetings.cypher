// title: An organisation's meetings
// description: Meetings, visits, calls and summits an organisation took part in, with the other parties.
// param: org string org:nato
// param: types list MEET,VISIT,CALL,MULTILATERAL
MATCH (o:Organization {id: $org})-[:PARTICIPATED_IN]->(e:Event)
WHERE e.type IN $types
RETURN e.id AS event, e.type AS type, e.start AS start, e.status AS status,
       [(x)-[:PARTICIPATED_IN]->(e) WHERE x <> o | coalesce(x.name, x.id)] AS with, e.evidence AS evidence
ORDER BY start, event
