"""The Neo4j side of kg: the graph model, generated Cypher, rows, loading and connection."""
