// title: Who met whom between two dates
// description: Pairs of people taking part in the same meeting, visit, call or summit, with the day.
// param: start date 2021-01-01
// param: end date 2021-12-31
// param: types list MEET,VISIT,CALL,MULTILATERAL
MATCH (a:Person)-[:PARTICIPATED_IN]->(e:Event)<-[:PARTICIPATED_IN]-(b:Person)
WHERE a.id < b.id AND e.type IN $types AND date($start) <= e.start <= date($end)
RETURN a.name AS person, b.name AS counterpart, e.type AS type, e.start AS day, e.id AS event
ORDER BY day, person
