// title: Most active country pairs by month
// description: Pairs of states with the most shared events per month (INTERACTED_WITH edges), busiest first.
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: types list MEET,VISIT,CALL,MULTILATERAL,SANCTION,AGREE,INVITE,DISAPPROVE,STATEMENT
// param: limit int 25
MATCH (a:Country)-[i:INTERACTED_WITH]->(b:Country)
WHERE i.date IS NOT NULL AND date($start) <= i.date <= date($end) AND i.type IN $types
WITH substring(toString(i.date), 0, 7) AS month, a.iso2 AS a, b.iso2 AS b, count(*) AS events
RETURN month, a, b, events
ORDER BY events DESC, month, a, b
LIMIT $limit
