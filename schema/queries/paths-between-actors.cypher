// title: Shortest connections between two actors
// description: The shortest chains of shared events linking two persons, countries or organisations (up to 4 events apart).
// param: a string person:wang-yi
// param: b string person:antony-blinken
// param: limit int 10
MATCH (x:Entity {id: $a}), (y:Entity {id: $b})
MATCH p = allShortestPaths((x)-[:PARTICIPATED_IN*..8]-(y))
RETURN [n IN nodes(p) | coalesce(n.name, n.type + ' ' + toString(n.start))] AS chain, length(p) / 2 AS events
LIMIT $limit
