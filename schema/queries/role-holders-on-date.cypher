// title: Who held a role on a date
// description: Persons holding an office (e.g. foreign minister) on a day, by country or organisation, from the gazetteer's dated roles.
// param: title string foreign minister
// param: day date 2021-03-18
// param: holder string
MATCH (p:Person)-[r:HOLDS_ROLE]->(h:Entity)
WHERE r.title = $title AND r.start <= date($day) AND (r.end IS NULL OR r.end >= date($day))
  AND ($holder IS NULL OR h.id = $holder)
RETURN h.name AS holder, p.name AS person, r.start AS since, r.end AS until
ORDER BY holder, person
