// title: An actor's timeline
// description: Every event a person, country or organisation took part in, oldest first, with its sources.
// param: actor string person:wang-yi
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (x:Entity {id: $actor})-[p:PARTICIPATED_IN]->(e:Event)
WHERE e.start IS NULL OR date($start) <= e.start <= date($end)
RETURN e.id AS event, e.type AS type, e.start AS start, e.end AS end, e.status AS status,
       e.sources AS sources, e.evidence AS evidence
ORDER BY e.start, e.id
