// title: Who held a role on a date
// description: Persons holding an office (e.g. foreign minister) on a day, by country or organisation, from the gazetteer's dated roles. The title and the holder (an id, an ISO code or an English name) are matched whatever their case.
// param: title string foreign minister
// param: day date 2021-03-18
// param: holder string
// example: -p title="Secretary of State" -p holder=US -p day=2021-03-18
MATCH (p:Person)-[r:HOLDS_ROLE]->(h:Entity)
WHERE toLower(r.title) = toLower($title) AND r.start <= date($day) AND (r.end IS NULL OR r.end >= date($day))
  AND ($holder IS NULL OR h.id = $holder OR toUpper(h.iso2) = toUpper($holder) OR toLower(h.name) = toLower($holder))
RETURN h.name AS holder, p.name AS person, r.title AS title, r.start AS since, r.end AS until
ORDER BY holder, person
