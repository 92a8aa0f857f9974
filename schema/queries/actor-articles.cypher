// title: Articles that mention an actor
// description: Articles naming a person, country, organisation or place, newest first, with the first sentence it appears in.
// param: actor string person:sergey-lavrov
// param: limit int 50
MATCH (a:Article)-[m:MENTIONS]->(x:Entity {id: $actor})
OPTIONAL MATCH (a)-[:PUBLISHED_BY]->(s:Source)
RETURN a.published AS published, s.name AS outlet, a.title AS title, m.role AS role, m.evidence AS evidence
ORDER BY published DESC, title
LIMIT $limit
