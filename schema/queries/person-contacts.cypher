// title: Whom a person met
// description: The persons someone met (MET edges of meetings, visits, calls, summits), with how often and when last.
// param: person string person:wang-yi
// param: start date 1900-01-01
// param: end date 2100-12-31
MATCH (p:Person {id: $person})-[m:MET]-(o:Person)
WHERE m.date IS NULL OR date($start) <= m.date <= date($end)
RETURN o.name AS counterpart, o.country AS country, count(*) AS times, max(m.date) AS last, collect(DISTINCT m.type) AS types
ORDER BY times DESC, counterpart
