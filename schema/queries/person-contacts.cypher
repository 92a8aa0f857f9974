// title: Whom a person met
// description: The persons someone met at dated meetings, visits, calls and summits in the range (MET edges), with how often and when first and last; person-meetings lists each meeting. With undated=true, a column counts their undated meetings first reported in the range.
// param: person string person:wang-yi
// param: start date 1900-01-01
// param: end date 2100-12-31
// param: undated bool false
// example: -p person=person:wang-yi -p start=2021-01-01 -p end=2021-12-31
MATCH (p:Person {id: $person})-[m:MET]-(o:Person)
WITH o, m, CASE WHEN m.date IS NULL AND $undated THEN
       COLLECT { MATCH (e:Event {id: m.event})-[:REPORTED_IN]->(r:Article) RETURN date(r.published) AS d ORDER BY d LIMIT 1 }[0] END AS reported
WHERE (m.date IS NOT NULL AND date($start) <= m.date <= date($end))
   OR (reported IS NOT NULL AND date($start) <= reported <= date($end))
WITH o, count(DISTINCT CASE WHEN m.date IS NOT NULL THEN m.event END) AS times, min(m.date) AS first, max(m.date) AS last,
     count(DISTINCT CASE WHEN m.date IS NULL THEN m.event END) AS undated, collect(DISTINCT m.type) AS types
RETURN o.name AS counterpart, o.country AS country, times, first, last, types,
       CASE WHEN $undated THEN undated END AS undated
ORDER BY times DESC, undated DESC, counterpart
